"""The static JSON API and the SQLite database, checked over the whole output: every endpoint
the index lists exists, every list matches the catalog, the database answers the documented
queries, and two builds give the same bytes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from publish.build import generated_files
from publish.catalog import Catalog
from publish.page_text import Page
from publish.paths import Site
from schemas import MODELS, load_records
from tests.conftest import FIXTURES

SITE = Site(url="https://tracker.example/")


def files() -> tuple[Catalog, dict[str, Page | bytes]]:
    kb = load_records([FIXTURES / "valid" / "records"])
    catalog = Catalog(kb)
    return catalog, generated_files(kb, SITE, catalog=catalog)


def test_every_endpoint_the_index_lists_is_a_file() -> None:
    catalog, found = files()
    index = json.loads(found["data/api.json"])
    assert index["documentation"] == "https://tracker.example/api/"
    for endpoint in index["endpoints"]:
        path = endpoint["path"].lstrip("/")
        assert endpoint["url"] == "https://tracker.example/" + path
        if "{" not in path:
            assert path in found, path
        else:  # a template: every value it stands for is a file
            prefix = path.split("{")[0]
            assert any(p.startswith(prefix) for p in found), path
    for kind in MODELS:
        listing = json.loads(found[f"data/kinds/{kind}.json"])
        assert listing["count"] == len(catalog.of_kind(kind))
        for brief in listing["records"]:
            assert brief["json_url"] == f"https://tracker.example/data/records/{brief['id']}.json"
            assert f"data/records/{brief['id']}.json" in found
    tag = json.loads(found["data/facets/tag/open-weights.json"])
    assert {b["id"] for b in tag["records"]} == {
        r.id for r in catalog.groups["tag"]["open-weights"]
    }


def test_the_database_answers_the_documented_queries(tmp_path: Path) -> None:
    catalog, found = files()
    database = tmp_path / "records.db"
    data = found["data/records.db"]
    assert isinstance(data, bytes)
    database.write_bytes(data)
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert {"model", "policy", "sources", "dates", "relations", "tags", "tombstones"} <= tables
        assert db.execute("SELECT count(*) FROM model").fetchone()[0] == len(
            catalog.of_kind("model")
        )
        found_ids = {
            row[0]
            for row in db.execute(
                "SELECT search.id FROM search JOIN search_fts ON search.rowid = search_fts.rowid "
                "WHERE search_fts MATCH 'reasoner'"
            )
        }
        assert "acme-7b-reasoner" in found_ids
        signed = db.execute(
            "SELECT date, precision FROM dates WHERE record_id = 'test-open-models-act' "
            "AND name = 'signed'"
        ).fetchone()
        assert signed == ("2024-03-01", "day")
        assert ("acme-7b-reasoner", "derived-from", "acme-7b") in set(
            db.execute("SELECT record_id, relation, target_id FROM relations")
        )
    # Built twice from the same records: the same bytes.
    assert files()[1]["data/records.db"] == data
