from __future__ import annotations

import csv
import datetime as dt
import io
import json

import icalendar

from publish.calendar import calendar_files
from publish.catalog import Catalog
from publish.exports import COLUMNS, export_files
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
    assert everything["count"] == 10 == len(everything["records"])  # three of them licences
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
    assert len(rows) == 10
    assert list(rows[0]) == [column.name for column in COLUMNS]
    model = next(row for row in rows if row["id"] == "acme-7b")
    assert model["place"] == "NO"
    assert model["organization"] == "acme-lab"
    assert model["modality"] == "text|code"
    assert model["huggingface"] == "acme/acme-7b|acme/acme-7b-instruct"
    assert model["date_precision"] == "month"
    assert model["summary"] == "A fictional open-weight model with a link."


def test_csv_defuses_spreadsheet_formulas() -> None:
    catalog = catalog_of([news("formula", '=HYPERLINK("https://evil.example")', "2025-01-01")])
    rows = list(
        csv.DictReader(io.StringIO(export_files(catalog, SITE_AT)["data/records.csv"].decode()))
    )
    assert rows[0]["title"].startswith("'=")
