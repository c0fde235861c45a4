"""The adoption data as the site publishes it: shares by country group, top models, a
model's history, and the exports (CSV, a JSON document per snapshot, the index)."""

from __future__ import annotations

import csv
import io
import json

from publish.adoption import AdoptionView, sparkline
from publish.build import load_valid_adoption
from publish.catalog import Catalog
from publish.exports import ADOPTION_COLUMNS, adoption_files
from publish.paths import Site
from schemas import load_records
from schemas.adoption import Adoption
from tests.conftest import FIXTURES

SITE = Site(url="https://tracker.example/")


def catalog() -> Catalog:
    kb = load_records([FIXTURES / "valid" / "records"])
    adoption = load_valid_adoption(FIXTURES / "valid" / "adoption", kb)
    assert isinstance(adoption, Adoption), adoption
    return Catalog(kb, adoption)


def test_history_sums_a_models_repositories_per_day() -> None:
    view = AdoptionView(catalog(), catalog().adoption)
    history = view.history["acme-7b"]
    assert [(t.day.isoformat(), t.likes, t.downloads_30d, t.derived) for t in history] == [
        ("2026-11-29", 130, 4800, 8),
        ("2026-11-30", 160, 5400, 12),
    ]
    assert view.top("likes") == [("acme-7b", 160)]
    assert view.first_day is not None and view.first_day.isoformat() == "2026-11-29"


def test_shares_add_up_per_day_and_name_every_country_group() -> None:
    view = AdoptionView(catalog(), catalog().adoption)
    for day, shares, whole in view.shares("downloads_30d"):
        assert abs(sum(shares.values()) - 1.0) < 1e-9 and whole > 0, day
        assert set(shares) == {"United States", "China", "EU countries", "Rest of world"}


def test_one_snapshot_shows_that_days_shares_as_bars() -> None:
    full = catalog()
    one = Adoption(snapshots=full.adoption.snapshots[-1:])
    chart = AdoptionView(full, one).share_chart("likes", "likes")
    assert "<rect" in chart and "<polyline" not in chart and "the one day collected" in chart
    empty = AdoptionView(full, Adoption()).share_chart("likes", "likes")
    assert "no figures yet" in empty


def test_sparkline_lists_each_day_in_its_label() -> None:
    view = AdoptionView(catalog(), catalog().adoption)
    spark = sparkline(view.history["acme-7b"], "likes", "Likes")
    assert 'aria-label="Likes: 2026-11-29 130, 2026-11-30 160"' in spark
    assert sparkline([], "likes", "Likes") == ""


def test_exports_carry_every_row_of_every_snapshot() -> None:
    found = catalog()
    files = adoption_files(found, SITE)
    table = list(csv.reader(io.StringIO(files["data/adoption.csv"].decode())))
    assert table[0] == ADOPTION_COLUMNS
    rows = sum(len(s.rows) for s in found.adoption.snapshots)
    assert len(table) == 1 + rows == 5
    assert table[1][:4] == ["2026-11-29", "acme/acme-7b", "acme-7b", "100"]
    day = json.loads(files["data/adoption/2026-11-30.json"])
    assert day["count"] == 2 and day["rows"][0]["developer_country"] == table[1][-1]
    index = json.loads(files["data/adoption/index.json"])
    assert [s["url"] for s in index["snapshots"]] == [
        "https://tracker.example/data/adoption/2026-11-29.json",
        "https://tracker.example/data/adoption/2026-11-30.json",
    ]
    assert index["sourced"][0]["quote"] == "Acme-7B was downloaded 1,500 times in June."


def test_a_site_without_snapshots_still_publishes_empty_exports() -> None:
    kb = load_records([FIXTURES / "valid" / "records"])
    files = adoption_files(Catalog(kb), SITE)
    assert files["data/adoption.csv"].decode().splitlines() == [",".join(ADOPTION_COLUMNS)]
    assert json.loads(files["data/adoption/index.json"])["snapshots"] == []


def test_invalid_adoption_data_stops_the_build_with_every_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    kb = load_records([FIXTURES / "valid" / "records"])
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "2026-11-30.csv").write_text("repository,record\n")
    (tmp_path / "snapshots" / "today.csv").write_text("")
    found = load_valid_adoption(tmp_path, kb)
    assert isinstance(found, str) and len(found.splitlines()) == 2
