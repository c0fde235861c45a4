"""The records as a SQLite database (``/data/records.db``), built with sqlite-utils: a table
per kind (every field; lists and mappings as JSON), link tables for sources, typed dates,
relations and tags, the tombstones, and full-text search over titles and summaries. Built
the same way from the same records, it has the same bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import sqlite_utils

from publish.catalog import Catalog
from publish.paths import Site
from schemas import MODELS, Record


def _dates(record: Record) -> list[dict[str, Any]]:
    found = [
        {
            "record_id": record.id,
            "name": "date",
            "date": record.date.isoformat(),
            "precision": record.date.precision.value,
        }
    ]
    dates = getattr(record, "dates", None)
    for name in type(dates).model_fields if dates is not None else ():
        value = getattr(dates, name)
        if value is not None:
            found.append(
                {
                    "record_id": record.id,
                    "name": name,
                    "date": value.isoformat(),
                    "precision": value.precision.value,
                }
            )
    return found


def records_database(catalog: Catalog, site: Site) -> bytes:
    """The database file's bytes."""
    records = sorted(catalog.by_id.values(), key=lambda r: r.id)
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "records.db"
        db = sqlite_utils.Database(path)
        for kind in MODELS:
            rows = []
            for record in (r for r in records if r.kind_name == kind):
                row = record.model_dump(mode="json", exclude_none=True)
                row["page_url"] = site.record_url(record.id)
                rows.append(row)
            if rows:
                db.table(kind).insert_all(rows, pk="id", alter=True)
        db.table("sources").insert_all(
            (
                {"record_id": r.id, "position": i, **s.model_dump(mode="json", exclude_none=True)}
                for r in records
                for i, s in enumerate(r.sources, start=1)
            ),
            pk=("record_id", "position"),
            alter=True,
        )
        db.table("dates").insert_all(
            (row for r in records for row in _dates(r)), pk=("record_id", "name"), alter=True
        )
        db.table("relations").insert_all(
            (
                {"record_id": r.id, "relation": relation, "target_id": target}
                for r in records
                for relation, target in sorted(
                    {(link.relation, link.record.id) for link in catalog.forward_links(r)}
                )
            ),
            pk=("record_id", "relation", "target_id"),
            alter=True,
        )
        db.table("tags").insert_all(
            ({"record_id": r.id, "tag": tag} for r in records for tag in sorted(set(r.tags))),
            pk=("record_id", "tag"),
            alter=True,
        )
        # Created even when empty: a query of the tombstones works on every build.
        tombstones = db.table("tombstones")
        tombstones.create(
            {"id": str, "title": str, "kind": str, "date": str, "reason": str, "moved_to": str},
            pk="id",
        )
        tombstones.insert_all(
            stone.model_dump(mode="json") for _, stone in sorted(catalog.tombstones.items())
        )
        db.table("search").insert_all(
            (
                {"id": r.id, "kind": r.kind_name, "title": r.title, "summary": r.summary}
                for r in records
            ),
            pk="id",
        )
        db.table("search").enable_fts(["title", "summary"], create_triggers=False)
        for table in ("sources", "dates", "relations", "tags"):
            if db.table(table).exists():
                db.table(table).create_index(["record_id"], if_not_exists=True)
        db.vacuum()
        db.close()
        return path.read_bytes()
