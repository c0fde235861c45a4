from __future__ import annotations

import csv
import datetime as dt
import io
import json

import icalendar

from publish.calendar import calendar_files
from publish.catalog import Catalog
from publish.exports import ACTION_COLUMNS, COLUMNS, PROVISION_COLUMNS, export_files
from publish.paths import Site
from tests.publish.conftest import catalog_of, news

SITE = "https://tracker.example.org/"
SITE_AT = Site(url=SITE)


def test_calendar_has_day_precise_milestones_as_all_day_events(valid_catalog: Catalog) -> None:
    files = calendar_files(valid_catalog, SITE_AT)
    assert sorted(files) == [
        "calendar/all.ics",
        "calendar/jurisdiction/gb.ics",
        "calendar/jurisdiction/us-ca.ics",
    ]
    calendar = icalendar.Calendar.from_ical(files["calendar/all.ics"])
    events = {(e["summary"], e["dtstart"].dt) for e in calendar.walk("VEVENT")}
    assert events == {
        ("Open Models Act: a test law signed", dt.date(2024, 3, 1)),
        ("Open Models Act: a test law published", dt.date(2024, 3, 10)),
        ("Open Models Action Plan: a test plan published", dt.date(2024, 1, 15)),
        ("Open Models Act: a test law: Registration duties apply", dt.date(2025, 1, 1)),
        ("Open Models Act: a test law: Remaining duties apply", dt.date(2027, 8, 2)),  # future
        ("Regional order on model registers revoked", dt.date(2024, 3, 1)),
    }
    # effective 2024-06 and signed 2023 have no day: they are left out.
    for event in calendar.walk("VEVENT"):
        assert isinstance(event["dtstart"].dt, dt.date) and not isinstance(
            event["dtstart"].dt, dt.datetime
        )
        assert event["dtend"].dt - event["dtstart"].dt == dt.timedelta(days=1)
        assert event["uid"].endswith("@tracker.example.org")
        assert str(event["url"]).startswith(SITE + "records/")
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert calendar_files(valid_catalog, SITE_AT) == files


def test_records_json_and_per_record_files(valid_catalog: Catalog) -> None:
    files = export_files(valid_catalog, SITE_AT)
    everything = json.loads(files["data/records.json"])
    assert everything["schema_version"] == "1.0"
    assert everything["license"] == "CC-BY-4.0"
    assert everything["count"] == 11 == len(everything["records"])  # three of them licences
    acme = next(r for r in everything["records"] if r["id"] == "acme-7b")
    assert acme["date"] == "2024-05"
    assert acme["parameters"] == {"total": 7_000_000_000}
    assert acme["page_url"] == SITE + "records/acme-7b/"
    single = json.loads(files["data/records/acme-7b.json"])
    assert single["record"] == acme
    for kind in ("policy", "model", "news", "organization", "license"):
        schema = json.loads(files[f"data/schema/{kind}.schema.json"])
        assert schema["$schema"].startswith("https://json-schema.org/")


def test_csv_has_one_row_per_record_and_the_documented_columns(valid_catalog: Catalog) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(export_files(valid_catalog, SITE_AT)["data/records.csv"].decode())
        )
    )
    assert len(rows) == 11
    assert list(rows[0]) == [column.name for column in COLUMNS]
    model = next(row for row in rows if row["id"] == "acme-7b")
    assert model["place"] == "NO"
    assert model["organization"] == "acme-lab"
    assert model["modality"] == "text|code"
    assert model["huggingface"] == "acme/acme-7b|acme/acme-7b-instruct"
    assert model["date_precision"] == "month"
    assert model["summary"] == "A fictional open-weight model with a link."


def test_provisions_and_action_items_have_tables_of_their_own(valid_catalog: Catalog) -> None:
    files = export_files(valid_catalog, SITE_AT)

    def table(path: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(files[path].decode())))

    provisions = table("data/provisions.csv")
    assert list(provisions[0]) == [column.name for column in PROVISION_COLUMNS]
    assert [(row["policy_id"], row["ref"], row["effect"]) for row in provisions] == [
        ("test-open-models-plan", "Chapter 2", "procurement"),
        ("test-open-models-act", "Section 4(2)", "exemption"),
        ("test-open-models-act", "Section 4(3)", "obligation"),
    ]
    limit = provisions[2]
    assert limit["applies_to"] == "open-weight-models|frontier-models"
    assert limit["source"] == "https://ministry.example/acts/open-models/notes"
    assert limit["page"] == SITE + "records/test-open-models-act/#provision-section-4-3"
    items = table("data/action-items.csv")
    assert list(items[0]) == [column.name for column in ACTION_COLUMNS]
    assert [(row["ref"], row["status"], row["since"], row["evidence"]) for row in items] == [
        ("Action 1", "done", "2024-03-01", "test-open-models-act"),
        ("Action 2", "under-way", "2024-09", "https://ministry.example/compute-call"),
        ("Action 3", "not-started", "", ""),
    ]
    assert {row["as_of"] for row in items} == {"2025-01-02"}
    # The JSON of the policy carries the same parts, evidence in its two forms.
    plan = json.loads(files["data/records/test-open-models-plan.json"])["record"]
    assert plan["action_items"][0]["evidence"] == [{"record": "test-open-models-act"}]
    assert plan["action_items"][1]["evidence"][0]["url"] == "https://ministry.example/compute-call"


def test_csv_defuses_spreadsheet_formulas() -> None:
    catalog = catalog_of([news("formula", '=HYPERLINK("https://evil.example")', "2025-01-01")])
    rows = list(
        csv.DictReader(io.StringIO(export_files(catalog, SITE_AT)["data/records.csv"].decode()))
    )
    assert rows[0]["title"].startswith("'=")
