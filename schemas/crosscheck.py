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
        self.owners: dict[str, list[LoadedRecord]] = defaultdict(list)
        self.links: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            self.add(entry)

    def add(self, entry: LoadedRecord) -> None:
        record = entry.record
        self.by_id[record.id].append(entry)
        for _, key in _urls(entry):
            self.owners[key].append(entry)
        for _, target, _ in record.references():
            self.links[record.id].add(target)
            self.links[target].add(record.id)

    def kind_of(self, record_id: str) -> str | None:
        found = self.by_id.get(record_id)
        return found[0].record.kind_name if found else None

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
        linked = self.links.get(record.id, set()) | {t for _, t, _ in record.references()}
        for where, key in _urls(entry):
            others = sorted(
                {
                    other.record.id
                    for other in self.owners.get(key, [])
                    if other.record.id != record.id and other.record.id not in linked
                }
            )
            if others:
                yield entry.problem(
                    where,
                    f"source {key} is also cited by {', '.join(others)}; "
                    "merge the records or list one as related to the other",
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
