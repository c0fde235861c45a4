"""Checks across records: unique ids, references that resolve, no duplicate sources.

A :class:`CrossIndex` holds the records checked against; :meth:`CrossIndex.problems` checks one
more record against it without rescanning the others, so a collector run can check each new
candidate against thousands of records cheaply.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from schemas.knowledge_base import LoadedRecord
from schemas.problems import FieldPath, Problem
from schemas.records import License, Model, Record
from schemas.similarity import record_urls
from schemas.urls import canonical_url


def _urls(entry: LoadedRecord) -> Iterator[tuple[FieldPath, str]]:
    """Each canonical URL the record cites, once, with where it first stands."""
    seen: set[str] = set()
    record = entry.record
    data = {
        "kind": record.kind_name,
        "sources": [{"url": source.url} for source in record.sources],
        **{name: getattr(record, name) for name in record.url_fields},
    }
    for where, url in record_urls(data):
        key = canonical_url(url)
        if key not in seen:
            seen.add(key)
            yield where, key


class CrossIndex:
    """Records by id, by cited URL and by the links between them."""

    def __init__(self, entries: Iterable[LoadedRecord] = ()) -> None:
        self.by_id: dict[str, list[LoadedRecord]] = defaultdict(list)
        #: Other identifiers of records (a licence's SPDX identifier and aliases) -> the records.
        self.names: dict[str, list[LoadedRecord]] = defaultdict(list)
        self.owners: dict[str, list[LoadedRecord]] = defaultdict(list)
        self.links: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            self.add(entry)

    def add(self, entry: LoadedRecord) -> None:
        record = entry.record
        self.by_id[record.id].append(entry)
        if isinstance(record, License):
            for name in record.names[1:]:
                self.names[name].append(entry)
        for _, key in _urls(entry):
            self.owners[key].append(entry)
        for _, target, _ in record.references():
            self.links[record.id].add(target)
            self.links[target].add(record.id)

    def resolve(self, name: str) -> LoadedRecord | None:
        """The record an id names, or the licence an SPDX identifier or alias names."""
        found = self.by_id.get(name) or self.names.get(name)
        return found[0] if found else None

    def kind_of(self, record_id: str) -> str | None:
        found = self.resolve(record_id)
        return found.record.kind_name if found else None

    def _linked(self, record: Record) -> set[str]:
        """Ids of the records this one points at or that point at it, under any name."""
        names = record.names if isinstance(record, License) else [record.id]
        raw = {t for _, t, _ in record.references()}
        for name in names:
            raw |= self.links.get(name, set())
        return {found.record.id if (found := self.resolve(n)) else n for n in raw}

    def problems(self, entry: LoadedRecord) -> Iterator[Problem]:
        """Every cross-record problem of ``entry`` (which may or may not be in the index)."""
        record = entry.record
        group = [other for other in self.by_id.get(record.id, []) if other is not entry]
        if group:
            places = ", ".join(sorted(other.path for other in [*group, entry]))
            yield entry.problem(("id",), f"id {record.id!r} is used by several files: {places}")
        for where, target, expected in record.references():
            found = self.kind_of(target)
            if found is None:
                yield entry.problem(where, f"no record has the id {target!r}")
            elif expected is not None and found != expected:
                yield entry.problem(
                    where, f"{target!r} is {_article(found)}, expected {_article(expected)}"
                )
        if isinstance(record, License):
            yield from self._names_taken(entry)
        if isinstance(record, Model):
            yield from _model_licence(entry, self)
        linked = self._linked(record)
        # A licence and the records of other kinds cite the same licence files and repositories
        # without being the same thing: licences are compared with licences only.
        licence = isinstance(record, License)
        for where, key in _urls(entry):
            others = sorted(
                {
                    other.record.id
                    for other in self.owners.get(key, [])
                    if other.record.id != record.id
                    and other.record.id not in linked
                    and isinstance(other.record, License) == licence
                }
            )
            if others:
                yield entry.problem(
                    where,
                    f"source {key} is also cited by {', '.join(others)}; "
                    "merge the records or list one as related to the other",
                )

    def _names_taken(self, entry: LoadedRecord) -> Iterator[Problem]:
        """A name is one licence's: an SPDX identifier may not be another licence's id or SPDX
        identifier; an alias may not be any other licence's name."""
        record = entry.record
        assert isinstance(record, License)
        named: list[tuple[tuple[str | int, ...], str]] = (
            [(("spdx",), record.spdx)] if record.spdx else []
        )
        named += [(("aliases", index), alias) for index, alias in enumerate(record.aliases)]
        for where, name in named:
            holders = [*self.by_id.get(name, []), *self.names.get(name, [])]
            others = {
                other.record.id
                for other in holders
                if other.record.id != record.id
                and (
                    where[0] == "aliases"
                    or other.record.id == name
                    or getattr(other.record, "spdx", None) == name
                )
            }
            if others:
                shown = ", ".join(sorted(others))
                yield entry.problem(where, f"{name!r} also names {shown}; a name is one licence's")


#: How much a licence allows, for comparing a family's licences: more is more permissive.
_COMMERCIAL_RANK = {"allowed": 2, "conditional": 1, "forbidden": 0}


def _rank(licence: License) -> int:
    terms = licence.terms
    if licence.category == "proprietary" or terms.commercial_use is None:
        return -1
    return _COMMERCIAL_RANK[terms.commercial_use.value] * 2 + (not licence.restrictions())


def _model_licence(entry: LoadedRecord, index: CrossIndex) -> Iterator[Problem]:
    """A model's access level follows from its licence's terms; its own licence is the most
    permissive of its family's."""
    record = entry.record
    assert isinstance(record, Model)
    found = index.resolve(record.license)
    if found is None or not isinstance(found.record, License):
        return
    licence = found.record
    restrictions = licence.restrictions()
    if record.access in ("open-source", "open-weights") and restrictions:
        yield entry.problem(
            ("access",),
            f"licence {record.license!r} {', '.join(restrictions)}: "
            "use access 'open-weights-restricted'",
        )
    if record.access == "open-weights-restricted" and licence.category == "proprietary":
        yield entry.problem(("license",), f"access {record.access!r} needs a public licence")
    for position, variant in enumerate(record.variant_licenses):
        other = index.resolve(variant.license)
        if (
            other is not None
            and isinstance(other.record, License)
            and _rank(other.record) > _rank(licence)
        ):
            yield entry.problem(
                ("variant_licenses", position, "license"),
                f"{variant.license!r} is more permissive than {record.license!r}: the "
                "record's licence is the most permissive one, the others are variants",
            )


def cross_check(
    loaded: list[LoadedRecord],
    entries: dict[str, LoadedRecord],
    context: list[LoadedRecord] | None = None,
) -> Iterator[Problem]:
    """Check ``loaded`` records against each other and ``context`` (records not being checked).

    Fills ``entries`` with one record per id, and yields every problem found in ``loaded``.
    """
    checked_paths = {entry.path for entry in loaded}
    others = [entry for entry in context or [] if entry.path not in checked_paths]
    index = CrossIndex([*loaded, *others])
    for entry in loaded:
        entries.setdefault(entry.record.id, entry)
    for entry in loaded:
        yield from index.problems(entry)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
