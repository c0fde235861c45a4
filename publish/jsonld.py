"""Structured data (schema.org JSON-LD) for record pages."""

from __future__ import annotations

import json
from typing import Any

from publish.catalog import Catalog
from publish.markup import plain_text
from schemas import Model, News, Organization, Policy, Record
from schemas.vocabularies import place_name, vocabulary


def record_url(site_url: str, record_id: str) -> str:
    """The permanent URL of a record page."""
    return f"{site_url.rstrip('/')}/records/{record_id}/" if site_url else f"/records/{record_id}/"


def record_jsonld(record: Record, catalog: Catalog, site_url: str) -> str:
    """JSON-LD for a record, safe to place inside a ``<script>`` element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "name": record.title,
        "description": plain_text(record.summary),
        "url": record_url(site_url, record.id),
        "citation": [source.url for source in record.sources],
    }
    if record.tags:
        data["keywords"] = list(record.tags)
    if isinstance(record, Policy):
        data["@type"] = "Legislation"
        data["legislationDate"] = record.date.isoformat()
        data["legislationJurisdiction"] = place_name(record.jurisdiction)
        data["legislationType"] = record.instrument
        if record.document_number:
            data["legislationIdentifier"] = record.document_number
        issuer = catalog.by_id.get(record.issuer)
        if issuer is not None:
            data["legislationPassedBy"] = {"@type": "Organization", "name": issuer.title}
    elif isinstance(record, Model):
        data["@type"] = "SoftwareApplication"
        data["applicationCategory"] = "AI model"
        data["datePublished"] = record.date.isoformat()
        licence = vocabulary("licenses").terms[record.license]
        data["license"] = licence.attributes.get("name", record.license)
        developer = catalog.by_id.get(record.organization)
        if developer is not None:
            data["author"] = {"@type": "Organization", "name": developer.title}
        if record.huggingface:
            data["sameAs"] = [f"https://huggingface.co/{repo}" for repo in record.huggingface]
    elif isinstance(record, News):
        data["@type"] = "NewsArticle"
        data["headline"] = record.title
        data["datePublished"] = record.date.isoformat()
        data["publisher"] = {"@type": "Organization", "name": record.publisher}
        data["sameAs"] = record.url
        if record.author:
            data["author"] = {"@type": "Person", "name": record.author}
    elif isinstance(record, Organization):
        data["@type"] = "Organization"
        data["legalName"] = record.name
        data["foundingDate"] = record.date.isoformat()
        data["sameAs"] = record.url
        if record.aliases:
            data["alternateName"] = list(record.aliases)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # Inside <script>, "</script>" or "<!--" in a title must not end or change the element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
