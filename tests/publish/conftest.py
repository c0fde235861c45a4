"""Knowledge bases for publishing tests: the fixture records, and records built in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from publish.catalog import Catalog
from schemas import KnowledgeBase, LoadedRecord, Record, load_records
from schemas.yaml_loader import Document
from tests.conftest import FIXTURES


def catalog_of(records: Iterable[Record]) -> Catalog:
    """A catalog over records built in memory (they skip file validation on purpose)."""
    kb = KnowledgeBase()
    for record in records:
        entry = LoadedRecord(record, f"{record.id}.yaml", Document({}, {}))
        kb.entries[record.id] = entry
        kb.loaded.append(entry)
    return Catalog(kb)


@pytest.fixture(scope="session")
def valid_catalog() -> Catalog:
    kb = load_records([FIXTURES / "valid" / "records"])
    assert kb.ok
    return Catalog(kb)


@pytest.fixture(scope="session")
def hostile_catalog() -> Catalog:
    kb = load_records([FIXTURES / "hostile" / "records"])
    assert kb.ok
    return Catalog(kb)


def news(record_id: str, title: str, added: str, **fields: object) -> Record:
    """A news record built without validation, for inputs the schema would refuse."""
    from schemas import News, PartialDate, Source

    values: dict[str, object] = {
        "id": record_id,
        "kind": "news",
        "title": title,
        "date": PartialDate.parse("2025-01-02"),
        "summary": "A summary.",
        "sources": [
            Source.model_construct(
                url=f"https://news.example/{record_id}",
                title="T",
                publisher="P",
                published=None,
                quote=None,
                archived_url=None,
            )
        ],
        "tags": [],
        "related": [],
        "added": PartialDate.parse(added),
        "last_verified": None,
        "publisher": "Gazette",
        "url": f"https://news.example/{record_id}",
        "author": None,
        "about": [],
    }
    values.update(fields)
    return News.model_construct(**values)


TODAY = dt.date(2026, 1, 1)
