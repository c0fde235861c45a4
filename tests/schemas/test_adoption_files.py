"""Adoption snapshots and sourced figures are checked like records: each problem names the
file, the line and the field; nothing bad is read silently; a missing folder is empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.adoption import MAX_SNAPSHOT_BYTES, SNAPSHOT_COLUMNS, load_adoption
from tests.collectors.conftest import osai_cli

HEADER = ",".join(SNAPSHOT_COLUMNS)
KINDS = {"acme-7b": "model", "acme-lab": "organization"}


def snapshot(tmp_path: Path, text: str, name: str = "2026-11-30.csv") -> Path:
    folder = tmp_path / "adoption"
    (folder / "snapshots").mkdir(parents=True, exist_ok=True)
    (folder / "snapshots" / name).write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    return [str(p).split("adoption/", 1)[1] for p in load_adoption(folder, KINDS).problems]


def test_a_good_snapshot_reads_back_its_rows(tmp_path: Path) -> None:
    folder = snapshot(
        tmp_path,
        f"{HEADER}\nacme/acme-7b,acme-7b,120,4500,90000,4,2,0,1,1\n"
        "acme/acme-7b-instruct,acme-7b,40,900,,,,,,\n",
    )
    adoption = load_adoption(folder, KINDS)
    assert adoption.problems == [] and adoption.files == 1
    [day] = adoption.snapshots
    assert str(day.day) == "2026-11-30"
    first, second = day.rows
    assert (first.likes, first.downloads_30d, first.derived, first.merges) == (120, 4500, 4, 1)
    assert second.downloads_all_time is None and second.finetunes is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "repository,record,likes\n",
            "snapshots/2026-11-30.csv:1:1: the header must be",
        ),
        (
            f"{HEADER}\nacme/acme-7b,acme-7b,many,4500,,,,,,\n",
            "snapshots/2026-11-30.csv:2:3: likes: expected a whole number of at most 14 digits, "
            "got 'many'",
        ),
        (
            f"{HEADER}\nacme/acme-7b,acme-7b,-3,4500,,,,,,\n",
            "snapshots/2026-11-30.csv:2:3: likes: expected a whole number",
        ),
        (
            f"{HEADER}\nacme/acme-7b,acme-7b,1,2,,,,,\n",
            "snapshots/2026-11-30.csv:2:1: expected 10 cells, found 9",
        ),
        (
            f"{HEADER}\nnot a repo,acme-7b,1,2,,,,,,\n",
            "snapshots/2026-11-30.csv:2:1: repository: String should match pattern",
        ),
        (
            f"{HEADER}\nacme/acme-7b,acme-lab,1,2,,,,,,\n",
            "snapshots/2026-11-30.csv:2:2: record: 'acme-lab' is not a model record",
        ),
        (
            f"{HEADER}\nacme/acme-7b,gone-model,1,2,,,,,,\n",
            "snapshots/2026-11-30.csv:2:2: record: 'gone-model' is not a record id",
        ),
        (
            f"{HEADER}\nacme/acme-7b,acme-7b,1,2,,,,,,\nACME/acme-7b,acme-7b,1,2,,,,,,\n",
            "snapshots/2026-11-30.csv:3:1: repository: repeats line 2's repository",
        ),
    ],
)
def test_snapshot_problems_name_file_line_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    found = problems(snapshot(tmp_path, text))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_snapshot_is_named_by_its_day(tmp_path: Path) -> None:
    folder = snapshot(tmp_path, f"{HEADER}\n", name="latest.csv")
    assert problems(folder) == [
        "snapshots/latest.csv:1:1: a snapshot's name is its day: YYYY-MM-DD.csv"
    ]


def test_an_oversize_or_undecodable_snapshot_is_refused_unread(tmp_path: Path) -> None:
    folder = snapshot(tmp_path, HEADER + "\n" + "x" * MAX_SNAPSHOT_BYTES)
    assert problems(folder) == [
        f"snapshots/2026-11-30.csv:1:1: larger than {MAX_SNAPSHOT_BYTES:,} bytes"
    ]
    (folder / "snapshots" / "2026-11-30.csv").write_bytes(HEADER.encode() + b"\n\xff\xfe")
    assert problems(folder)[0].startswith("snapshots/2026-11-30.csv:1:1: not UTF-8 text")


SOURCED = """points:
  - date: 2025-08
    measure: share-of-downloads
    country: CN
    value: 0.4
    scope: downloads of open models on the Hub in one month
    source: {url: "https://example.org/study", title: "A study", publisher: "A lab"}
    quote: "Chinese models took 40% of downloads."
  - date: 2025-09
    measure: likes
    value: 10
    scope: likes of one model
    source: {url: "https://example.org/x", title: "X", publisher: "Y"}
    quote: "ten likes"
  - date: 2025-09
    measure: popularity
    record: acme-7b
    value: 10
    scope: x
    source: {url: "https://example.org/x", title: "X", publisher: "Y"}
    quote: "q"
"""


def test_sourced_points_are_checked_with_their_lines(tmp_path: Path) -> None:
    folder = tmp_path / "adoption"
    folder.mkdir()
    (folder / "sourced.yaml").write_text(SOURCED, encoding="utf-8")
    found = problems(folder)
    assert found[0].startswith("sourced.yaml:16:5: points[2].measure: Input should be")
    valid = SOURCED.split("  - date: 2025-09\n    measure: popularity")[0]
    (folder / "sourced.yaml").write_text(valid, encoding="utf-8")
    assert problems(folder) == [
        "sourced.yaml:9:5: points[1]: give one of a record, an organization or a country"
    ]
    adoption = load_adoption(folder, KINDS)
    assert [p.country for p in adoption.sourced] == ["CN"]


def test_a_missing_folder_is_empty(tmp_path: Path) -> None:
    adoption = load_adoption(tmp_path / "nothing")
    assert adoption.snapshots == [] and adoption.problems == [] and adoption.latest is None


def test_osai_validate_checks_the_adoption_folder(tmp_path: Path) -> None:
    from tests.conftest import FIXTURES

    folder = snapshot(tmp_path, f"{HEADER}\nacme/acme-7b,no-such-model,1,2,,,,,,\n")
    records = str(FIXTURES / "valid" / "records")
    done = osai_cli("validate", "--records", records, "--adoption", str(folder))
    assert done.returncode == 1
    assert "2026-11-30.csv:2:2: record: 'no-such-model' is not a record id" in done.stdout
