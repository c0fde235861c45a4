"""Rules that tie several fields of one record together.

Each rule yields ``(field path, message)``; the loader turns them into located problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from schemas.dates import PartialDate
from schemas.problems import FieldPath
from schemas.records import Model, Policy, Record
from schemas.vocabularies import vocabulary

Finding = tuple[FieldPath, str]

EARLIEST_YEAR = 1900

#: Policy dates that must not come before another: (later, earlier).
_POLICY_ORDER = [
    ("signed", "announced"),
    ("effective", "signed"),
    ("effective", "adopted"),
    ("published", "signed"),
    ("revoked", "signed"),
    ("revoked", "effective"),
]


def _before(later: PartialDate, earlier: PartialDate) -> bool:
    """True when ``later`` certainly falls before ``earlier``, whatever their precision."""
    return later.latest() < earlier.earliest()


def check_common(record: Record, today: dt.date) -> Iterator[Finding]:
    if record.added.earliest() > today:
        yield ("added",), f"{record.added} is in the future"
    if record.last_verified is not None and record.last_verified.earliest() > today:
        yield ("last_verified",), f"{record.last_verified} is in the future"
    # Governments and legislatures are older; nothing else the tracker covers is.
    if record.date.year < EARLIEST_YEAR and record.kind_name != "organization":
        yield ("date",), f"{record.date} is before {EARLIEST_YEAR}; is the year right?"
    seen_tags: set[str] = set()
    for index, tag in enumerate(record.tags):
        if tag in seen_tags:
            yield ("tags", index), f"tag {tag!r} is listed twice"
        seen_tags.add(tag)
    for index, relation in enumerate(record.relations):
        if relation.id == record.id:
            yield ("related", index), "a record cannot be related to itself"


def check_policy(record: Record, today: dt.date) -> Iterator[Finding]:
    assert isinstance(record, Policy)
    if record.open_source_stance != "not-addressed" and record.stance_quote is None:
        yield (
            ("open_source_stance",),
            f"stance {record.open_source_stance!r} needs a stance_quote from the source",
        )
    dates = record.dates
    for later_name, earlier_name in _POLICY_ORDER:
        later, earlier = getattr(dates, later_name), getattr(dates, earlier_name)
        if later is not None and earlier is not None and _before(later, earlier):
            yield (
                ("dates", later_name),
                f"{later_name} ({later}) is before {earlier_name} ({earlier})",
            )
    if record.status == "revoked" and dates.revoked is None:
        yield ("status",), "status 'revoked' needs dates.revoked"
    if dates.revoked is not None and record.status not in ("revoked", "superseded"):
        yield ("dates", "revoked"), f"a revoked date with status {record.status!r}"


def check_model(record: Record, today: dt.date) -> Iterator[Finding]:
    assert isinstance(record, Model)
    params = record.parameters
    if params and params.total and params.active and params.active > params.total:
        yield ("parameters", "active"), "active parameters exceed the total"
    licence = vocabulary("licenses").terms[record.license].attributes
    if record.access in ("open-source", "open-weights"):
        if record.license == "proprietary":
            yield ("license",), f"access {record.access!r} needs a public licence"
        elif licence.get("commercial") is False:
            yield (
                ("access",),
                f"licence {record.license!r} forbids commercial use: "
                "use access 'open-weights-restricted'",
            )
    if record.access == "open-source":
        missing = {"weights", "code", "training-data"} - set(record.released)
        if missing:
            yield (
                ("access",),
                "access 'open-source' needs released " + ", ".join(sorted(missing)),
            )
    if record.access in ("api-only", "closed") and "weights" in record.released:
        yield ("released",), f"access {record.access!r} contradicts released weights"
    if record.date.earliest() > today:
        yield ("date",), f"{record.date} is in the future"


CHECKS: dict[str, list[Callable[[Record, dt.date], Iterator[Finding]]]] = {
    "policy": [check_common, check_policy],
    "model": [check_common, check_model],
    "news": [check_common],
    "organization": [check_common],
}


def check_record(record: Record, today: dt.date | None = None) -> list[Finding]:
    """Every rule for the record's kind, in order."""
    today = today or dt.date.today()
    return [finding for check in CHECKS[record.kind_name] for finding in check(record, today)]
