"""Rules that tie several fields of one record together.

Each rule yields ``(field path, message)``; the loader turns them into located problems. A rule
is registered for a record class with :func:`rule` and applies to its subclasses too: rules for
``Record`` apply to every kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from schemas.dates import PartialDate
from schemas.problems import FieldPath
from schemas.records import License, Model, Organization, Policy, Record
from schemas.urls import canonical_url, secondary_site

Finding = tuple[FieldPath, str]
Check = Callable[[Any, dt.date], Iterator[Finding]]
_RULES: dict[type[Record], list[Check]] = {}


def rule(kind: type[Record]) -> Callable[[Check], Check]:
    """Register a rule for records of ``kind`` (and its subclasses)."""

    def register(check: Check) -> Check:
        _RULES.setdefault(kind, []).append(check)
        return check

    return register


EARLIEST_YEAR = 1900
_RULING_STATUSES = frozenset({"decided", "appealed", "settled"})

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


@rule(Record)
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
    yield from _check_sources(record)


def _check_sources(record: Record) -> Iterator[Finding]:
    first = record.sources[0].url
    site = secondary_site(first)
    if site is not None:
        yield (
            ("sources", 0, "url"),
            f"the first source is on {site.value} ({site.meaning[0].lower()}{site.meaning[1:-1]}); "
            "put the developer's or the official page first "
            "(schemas/vocabularies/secondary-domains.yaml)",
        )
    seen: dict[str, int] = {}
    for index, source in enumerate(record.sources):
        key = canonical_url(source.url)
        if key in seen:
            yield (
                ("sources", index, "url"),
                f"the same URL as sources[{seen[key]}]; cite a page once",
            )
        seen.setdefault(key, index)


@rule(Policy)
def check_policy(record: Policy, today: dt.date) -> Iterator[Finding]:
    if record.open_source_stance != "not-addressed" and record.stance_quote is None:
        yield (
            ("open_source_stance",),
            f"stance {record.open_source_stance!r} needs a stance_quote from the source",
        )
    if record.open_source_stance != "not-addressed" and not record.provisions:
        yield (
            ("open_source_stance",),
            f"stance {record.open_source_stance!r} needs provisions: the parts of the document "
            "that concern open source, each with its reference and quote",
        )
    dates = record.dates
    for later_name, earlier_name in _POLICY_ORDER:
        later, earlier = getattr(dates, later_name), getattr(dates, earlier_name)
        if later is not None and earlier is not None and _before(later, earlier):
            yield (
                ("dates", later_name),
                f"{later_name} ({later}) is before {earlier_name} ({earlier})",
            )
    is_ruling = record.instrument == "court-ruling"
    if is_ruling and record.case is None:
        yield ("case",), "a court ruling needs case (parties and holding)"
    if not is_ruling and record.case is not None:
        yield ("case",), "case belongs to instrument 'court-ruling'"
    if is_ruling != (record.status in _RULING_STATUSES):
        allowed = ", ".join(sorted(_RULING_STATUSES))
        yield (
            ("status",),
            f"a court ruling's status is one of {allowed}"
            if is_ruling
            else f"status {record.status!r} is for court rulings",
        )
    if record.status == "revoked" and dates.revoked is None:
        yield ("status",), "status 'revoked' needs dates.revoked"
    if dates.revoked is not None and record.status not in ("revoked", "superseded"):
        yield ("dates", "revoked"), f"a revoked date with status {record.status!r}"
    yield from _check_provisions(record)
    yield from _check_action_items(record, today)


def _check_provisions(record: Policy) -> Iterator[Finding]:
    cited = {canonical_url(source.url) for source in record.sources}
    seen: dict[str, int] = {}
    for index, provision in enumerate(record.provisions):
        if provision.source is not None and canonical_url(provision.source) not in cited:
            yield (
                ("provisions", index, "source"),
                "not one of the record's sources; add the page to sources first",
            )
        if provision.applies_from is not None and _before(provision.applies_from, record.date):
            yield (
                ("provisions", index, "applies_from"),
                f"{provision.applies_from} is before the policy's date ({record.date})",
            )
        key = f"{provision.ref}\n{provision.quote}"
        if key in seen:
            yield (
                ("provisions", index),
                f"the same reference and quote as provisions[{seen[key]}]",
            )
        seen.setdefault(key, index)


def _check_action_items(record: Policy, today: dt.date) -> Iterator[Finding]:
    for index, item in enumerate(record.action_items):
        if item.status != "not-started" and not item.evidence:
            yield (
                ("action_items", index, "evidence"),
                f"status {item.status!r} needs evidence: a record ({{record: id}}) or a source",
            )
        if item.status == "not-started" and item.since is not None:
            yield (("action_items", index, "since"), "a not-started item has no status date")
        if item.since is None:
            continue
        if _before(item.since, record.date):
            yield (
                ("action_items", index, "since"),
                f"{item.since} is before the plan's date ({record.date})",
            )
        if item.since.earliest() > today:
            yield (("action_items", index, "since"), f"{item.since} is in the future")


@rule(Model)
def check_model(record: Model, today: dt.date) -> Iterator[Finding]:
    params = record.parameters
    if params and params.total and params.active and params.active > params.total:
        yield ("parameters", "active"), "active parameters exceed the total"
    for index, variant in enumerate(record.variant_licenses):
        if variant.license == record.license:
            yield (
                ("variant_licenses", index, "license"),
                "the record's own licence; list only variants under another licence",
            )
    yield from _check_reupload(record)
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
    yield from _check_components(record)


#: Weights published, or not, by access level.
_OPEN_ACCESS = frozenset({"open-source", "open-weights", "open-weights-restricted"})


def _check_components(record: Model) -> Iterator[Finding]:
    components = record.components
    if components is None:
        return
    for name, component in components:
        if component is None:
            continue
        where = ("components", name)
        if component.status != "not-released" and component.evidence is None:
            yield (*where, "status"), f"status {component.status!r} needs evidence (a URL)"
        data = name == "training_data"
        if component.status in ("described", "full") and not data:
            yield (*where, "status"), f"{component.status!r} is for training_data only"
        if component.status == "released" and data:
            yield (*where, "status"), "training data is 'full', 'partial' or 'described'"
    weights = components.weights
    if weights is not None:
        published = weights.status in ("released", "partial")
        if published != (record.access in _OPEN_ACCESS):
            yield (
                ("components", "weights", "status"),
                f"weights {weights.status!r} contradict access {record.access!r}",
            )


@rule(License)
def check_license(record: License, today: dt.date) -> Iterator[Finding]:
    if record.category == "proprietary":
        return
    if record.terms.commercial_use is None:
        yield ("terms", "commercial_use"), "a licence needs its commercial_use term, quoted"
    if record.url is None:
        yield ("url",), "a licence needs the URL of its text"
    if record.spdx is not None and record.spdx in record.aliases:
        yield ("aliases",), "the SPDX identifier names the licence already"
    forbidden = record.terms.commercial_use and record.terms.commercial_use.value == "forbidden"
    if (record.category == "non-commercial") != bool(forbidden):
        yield (
            ("category",),
            "category 'non-commercial' goes with commercial_use 'forbidden', and only with it",
        )


@rule(Organization)
def check_organization(record: Organization, today: dt.date) -> Iterator[Finding]:
    if record.parent == record.id:
        yield ("parent",), "an organization cannot be its own parent"


#: First path segments of Hugging Face URLs that are not ``owner/repository`` model pages.
_HF_NOT_OWNERS = frozenset(
    {"blog", "docs", "papers", "spaces", "datasets", "collections", "posts", "learn", "models"}
)


def _check_reupload(record: Model) -> Iterator[Finding]:
    """A model's first source on the Hub must be a repository of the developer's own account."""
    parts = urlsplit(record.sources[0].url)
    if (parts.hostname or "").lower() not in ("huggingface.co", "www.huggingface.co"):
        return
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2 or segments[0] in _HF_NOT_OWNERS:
        return
    owners = {repo.split("/")[0].lower() for repo in record.huggingface}
    if segments[0].lower() not in owners:
        yield (
            ("sources", 0, "url"),
            f"the first source is a repository of {segments[0]!r}, an account that none of "
            "the record's huggingface repositories belongs to; cite the developer's own "
            "repository or page first",
        )


def check_record(record: Record, today: dt.date | None = None) -> list[Finding]:
    """Every rule for the record's kind, in order."""
    today = today or dt.date.today()
    checks = [check for kind in reversed(type(record).__mro__) for check in _RULES.get(kind, [])]
    return [finding for check in checks for finding in check(record, today)]
