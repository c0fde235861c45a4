"""Adoption data: daily snapshots of tracked models' Hugging Face figures, and figures that
reputable sources published for past dates.

A snapshot is ``<folder>/snapshots/YYYY-MM-DD.csv`` with the header :data:`SNAPSHOT_COLUMNS`,
one row per repository; an empty cell is a figure the Hub did not report. Sourced data points
are ``<folder>/sourced.yaml``. Both are checked like records: every problem names the file,
the line and the field, and nothing is left out silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.dates import PartialDate
from schemas.limits import MAX_LINE_CHARS
from schemas.loading import display_path, validation_problems
from schemas.problems import Problem
from schemas.records import HF_REPO_PATTERN, CountryCode, Passage, RecordId, Source, Text
from schemas.yaml_loader import YamlProblem, load_yaml

#: A snapshot's header, in this order. ``downloads_30d`` is the Hub's ``downloads`` (the
#: last 30 days); ``downloads_all_time`` its ``downloadsAllTime``; ``derived`` its
#: ``childrenModelCount`` (the models the Hub counts as derived from it); the last four
#: split the models whose tags name it as their base model, by relation.
SNAPSHOT_COLUMNS = (
    "repository",
    "record",
    "likes",
    "downloads_30d",
    "downloads_all_time",
    "derived",
    "finetunes",
    "adapters",
    "quantizations",
    "merges",
)
#: The figures of a row (every column after ``record``).
MEASURES = SNAPSHOT_COLUMNS[2:]
#: Derived-model relations, as the Hub names them in ``base_model:<relation>:<repo>`` tags.
RELATIONS = {
    "finetunes": "finetune",
    "adapters": "adapter",
    "quantizations": "quantized",
    "merges": "merge",
}
SNAPSHOTS = "snapshots"
SOURCED = "sourced.yaml"
#: A snapshot larger than this is refused before it is read.
MAX_SNAPSHOT_BYTES = 5_000_000
#: Rows in one snapshot.
MAX_SNAPSHOT_ROWS = 20_000
#: A figure larger than this is not a count the Hub gives.
MAX_COUNT = 10**13
_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.csv$")

Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class Row(BaseModel):
    """One repository's figures on one day."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    repository: Annotated[str, Field(pattern=HF_REPO_PATTERN, max_length=200)]
    #: The model record the repository belongs to.
    record: RecordId
    likes: Count
    downloads_30d: Count
    downloads_all_time: Count | None = None
    derived: Count | None = None
    finetunes: Count | None = None
    adapters: Count | None = None
    quantizations: Count | None = None
    merges: Count | None = None


@dataclass
class Snapshot:
    day: dt.date
    path: Path
    rows: list[Row]


Measure = Literal[
    "likes",
    "downloads",
    "downloads-30d",
    "downloads-all-time",
    "derived-models",
    "share-of-downloads",
    "share-of-derived-models",
]


class SourcedPoint(BaseModel):
    """A figure a reputable source published for a past date, kept apart from snapshots."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    #: The date the figure is for (as precise as the source says).
    date: PartialDate
    measure: Measure
    value: Annotated[float, Field(ge=0)]
    #: What the figure covers: one model record, an organization's models, or the models of
    #: one developer country (exactly one of the three). ``downloads`` counts over the period
    #: that ``scope`` states.
    record: RecordId | None = None
    organization: RecordId | None = None
    country: CountryCode | None = None
    #: Shown beside the value ("share of downloads of the top 1,000 models", ...).
    scope: Text
    source: Source
    quote: Passage


class SourcedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    points: list[SourcedPoint] = []


@dataclass
class Adoption:
    """Every snapshot (oldest first) and sourced data point of an adoption folder."""

    snapshots: list[Snapshot] = field(default_factory=list)
    sourced: list[SourcedPoint] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def latest(self) -> Snapshot | None:
        return self.snapshots[-1] if self.snapshots else None


def snapshot_path(folder: Path, day: dt.date) -> Path:
    return folder / SNAPSHOTS / f"{day.isoformat()}.csv"


def snapshot_text(rows: list[Row]) -> str:
    """A snapshot file's text: the header, then the rows sorted by repository."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SNAPSHOT_COLUMNS)
    for row in sorted(rows, key=lambda r: (r.repository.lower(), r.repository)):
        values = row.model_dump()
        writer.writerow(["" if values[c] is None else values[c] for c in SNAPSHOT_COLUMNS])
    return out.getvalue()


def _cell(column: str, text: str) -> Any:
    if column in ("repository", "record"):
        return text
    if text == "":
        return None
    if not re.fullmatch(r"\d{1,14}", text):
        raise ValueError(f"expected a whole number of at most 14 digits, got {text[:40]!r}")
    return int(text)


def read_snapshot(
    path: Path, records: dict[str, str] | None = None
) -> tuple[Snapshot | None, list[Problem]]:
    """One snapshot file and its problems. ``records`` (record id -> kind), when given, is
    what each row's ``record`` is checked against."""
    shown = display_path(path)
    match = _DAY_FILE.match(path.name)
    day = None
    if match:
        try:
            day = dt.date.fromisoformat(match.group(1))
        except ValueError:
            day = None
    if day is None:
        return None, [Problem(shown, 1, 1, "", "a snapshot's name is its day: YYYY-MM-DD.csv")]
    try:
        if path.stat().st_size > MAX_SNAPSHOT_BYTES:
            return None, [Problem(shown, 1, 1, "", f"larger than {MAX_SNAPSHOT_BYTES:,} bytes")]
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "", f"cannot read: {exc.strerror}")]
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, 1, 1, "", f"not UTF-8 text ({exc.reason})")]
    problems: list[Problem] = []
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines or tuple(lines[0]) != SNAPSHOT_COLUMNS:
        found = ",".join(lines[0])[:MAX_LINE_CHARS] if lines else "nothing"
        expected = ",".join(SNAPSHOT_COLUMNS)
        return None, [Problem(shown, 1, 1, "", f"the header must be {expected!r}, found {found!r}")]
    if len(lines) - 1 > MAX_SNAPSHOT_ROWS:
        return None, [Problem(shown, 1, 1, "", f"more than {MAX_SNAPSHOT_ROWS:,} rows")]
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(lines[1:], start=2):
        if len(cells) != len(SNAPSHOT_COLUMNS):
            problems.append(
                Problem(
                    shown,
                    number,
                    1,
                    "",
                    f"expected {len(SNAPSHOT_COLUMNS)} cells, found {len(cells)}",
                )
            )
            continue
        values: dict[str, Any] = {}
        bad = False
        for index, (column, text_value) in enumerate(zip(SNAPSHOT_COLUMNS, cells, strict=True)):
            try:
                values[column] = _cell(column, text_value)
            except ValueError as exc:
                problems.append(Problem(shown, number, index + 1, column, str(exc)))
                bad = True
        if bad:
            continue
        try:
            row = Row.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                column = str(error["loc"][0]) if error["loc"] else ""
                at = SNAPSHOT_COLUMNS.index(column) + 1 if column in SNAPSHOT_COLUMNS else 1
                problems.append(Problem(shown, number, at, column, error["msg"]))
            continue
        key = row.repository.lower()
        if key in seen:
            problems.append(
                Problem(shown, number, 1, "repository", f"repeats line {seen[key]}'s repository")
            )
            continue
        seen[key] = number
        if records is not None and records.get(row.record) != "model":
            what = "is not a model record" if row.record in records else "is not a record id"
            problems.append(Problem(shown, number, 2, "record", f"{row.record!r} {what}"))
            continue
        rows.append(row)
    return Snapshot(day, path, rows), problems


def read_sourced(
    path: Path, records: dict[str, str] | None = None
) -> tuple[list[SourcedPoint], list[Problem]]:
    shown = display_path(path)
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return [], [Problem(shown, 1, 1, "", f"cannot read: {exc.strerror}")]
    except YamlProblem as exc:
        return [], [Problem(shown, exc.line, exc.column, "", exc.message)]
    try:
        parsed = SourcedFile.model_validate(document.data)
    except ValidationError as exc:
        return [], validation_problems(exc, document, shown)
    problems = []
    kept = []
    for index, point in enumerate(parsed.points):
        line, column = document.mark(("points", index))
        scopes = [name for name in ("record", "organization", "country") if getattr(point, name)]
        kinds = {"record": "model", "organization": "organization"}
        if len(scopes) != 1:
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    f"points[{index}]",
                    "give one of a record, an organization or a country",
                )
            )
            continue
        scope = scopes[0]
        value = getattr(point, scope)
        if scope in kinds and records is not None and records.get(value) != kinds[scope]:
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    f"points[{index}].{scope}",
                    f"{value!r} is not {'a model' if scope == 'record' else 'an organization'} "
                    "record",
                )
            )
            continue
        kept.append(point)
    return kept, problems


def load_adoption(folder: Path, records: dict[str, str] | None = None) -> Adoption:
    """Every snapshot and sourced point under ``folder`` (a missing folder is an empty one)."""
    adoption = Adoption()
    snapshots = folder / SNAPSHOTS
    if snapshots.is_dir():
        for path in sorted(snapshots.iterdir()):
            if path.name.startswith("."):
                continue
            adoption.files += 1
            snapshot, problems = read_snapshot(path, records)
            adoption.problems += problems
            if snapshot is not None:
                adoption.snapshots.append(snapshot)
    sourced = folder / SOURCED
    if sourced.is_file():
        adoption.files += 1
        points, problems = read_sourced(sourced, records)
        adoption.sourced = points
        adoption.problems += problems
    return adoption
