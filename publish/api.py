"""A static JSON API: an index document listing every endpoint, and endpoints that are plain
files — all records, per kind, per facet value, per record (with its history), the schemas,
the latest changes, the adoption snapshots and the SQLite database.

Everything is built with the site; nothing is served dynamically, so the API works on any
static host and from a local copy of the site.
"""

from __future__ import annotations

import json
from typing import Any

from publish import paths
from publish.catalog import Catalog
from publish.facets import FACETS
from publish.history import Change
from publish.paths import Site
from schemas import MODELS, SCHEMA_VERSION, Record

#: Changes listed in ``data/changes.json`` (the newest; every record's own file has all of
#: its changes).
MAX_API_CHANGES = 1_000


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def change_data(change: Change, site: Site) -> dict[str, Any]:
    return {
        "record": change.record_id,
        "kind": change.record_kind,
        "date": change.day.isoformat(),
        "action": change.action,
        "details": list(change.details),
        "categories": list(change.categories),
        "commit": change.commit,
        "subject": change.subject,
        "url": site.record_url(change.record_id) + "#" + change.anchor,
    }


def _brief(record: Record, site: Site) -> dict[str, Any]:
    """What a list endpoint says about a record: enough to choose, and where to read it."""
    return {
        "id": record.id,
        "kind": record.kind_name,
        "title": record.title,
        "date": record.date.isoformat(),
        "page_url": site.record_url(record.id),
        "json_url": site.absolute(paths.data_record(record.id)),
    }


def _listing(title: str, records: list[Record], site: Site) -> bytes:
    return _json(
        {
            "schema_version": SCHEMA_VERSION,
            "title": title,
            "count": len(records),
            "records": [_brief(record, site) for record in records],
        }
    )


def endpoints(catalog: Catalog, site: Site) -> list[dict[str, str]]:
    """Every endpoint of the API: its path, full URL and what it returns."""
    found: list[dict[str, str]] = [
        _endpoint(site, paths.DATA_JSON, "Every record with every field, and the tombstones."),
        _endpoint(site, paths.DATA_CSV, "Every record flattened, one row per record."),
        _endpoint(site, paths.data_record("{id}"), "One record, with its history of changes."),
        _endpoint(site, paths.data_schema("{kind}"), "The JSON Schema of a kind."),
        _endpoint(site, paths.API_CHANGES, f"The {MAX_API_CHANGES:,} latest changes."),
        _endpoint(
            site, f"{paths.ADOPTION_FOLDER}/index.json", "The adoption snapshots and their files."
        ),
        _endpoint(site, paths.DATABASE, "Every record as a SQLite database."),
    ]
    for kind, model in MODELS.items():
        found.append(_endpoint(site, paths.data_kind(kind), f"Every {model.label.lower()}."))
    for name, facet in FACETS.items():
        if name != "kind":
            found.append(
                _endpoint(
                    site,
                    paths.data_facet(facet.feed_group, "{value}"),
                    f"The records of one value of “{facet.title}” "
                    f"({len(catalog.groups[name])} values).",
                )
            )
    return found


def api_files(catalog: Catalog, site: Site) -> dict[str, bytes]:
    """The API's list endpoints, its change list and its index (the per-record files, the
    schemas and the full exports are written with the other data files)."""
    files: dict[str, bytes] = {}
    for kind, model in MODELS.items():
        files[paths.data_kind(kind)] = _listing(
            model.plural.capitalize(), catalog.of_kind(kind), site
        )
    for name, facet in FACETS.items():
        if name == "kind":
            continue
        for value, records in catalog.groups[name].items():
            files[paths.data_facet(facet.feed_group, facet.slug(value))] = _listing(
                facet.text(value, catalog), records, site
            )
    history = catalog.history
    files[paths.API_CHANGES] = _json(
        {
            "available": history.available,
            "reason": history.reason if not history.available else "",
            "count": min(len(history.changes), MAX_API_CHANGES),
            "changes": [change_data(c, site) for c in history.changes[:MAX_API_CHANGES]],
        }
    )
    files[paths.API_INDEX] = _json(
        {
            "name": site.name,
            "schema_version": SCHEMA_VERSION,
            "documentation": site.absolute(paths.API_PAGE),
            "endpoints": endpoints(catalog, site),
        }
    )
    return files


def _endpoint(site: Site, path: str, description: str) -> dict[str, str]:
    return {"path": "/" + path, "url": site.absolute(path), "description": description}
