"""Structured data (schema.org JSON-LD) for record pages."""

from __future__ import annotations

import json
from typing import Any

from publish.catalog import Catalog
from publish.kinds import view_of
from publish.markup import plain_text
from publish.paths import Site
from schemas import Record


def record_jsonld(record: Record, catalog: Catalog, site: Site) -> str:
    """JSON-LD for a record, safe to place inside a ``<script>`` element."""
    view = view_of(record)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": view.jsonld_type,
        "name": record.title,
        "description": plain_text(record.summary),
        "url": site.record_url(record.id),
        "citation": [source.url for source in record.sources],
    }
    if record.tags:
        data["keywords"] = list(record.tags)
    data.update(view.jsonld(record, catalog))
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # Inside <script>, "</script>" or "<!--" in a title must not end or change the element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
