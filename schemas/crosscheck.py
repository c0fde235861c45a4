"""Checks across records: unique ids, references that resolve, no duplicate sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from schemas.knowledge_base import LoadedRecord
from schemas.problems import Problem
from schemas.urls import canonical_url


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
    by_id: dict[str, list[LoadedRecord]] = defaultdict(list)
    for entry in [*loaded, *others]:
        by_id[entry.record.id].append(entry)
    for entry in loaded:
        group = by_id[entry.record.id]
        if len(group) > 1:
            places = ", ".join(sorted(other.path for other in group))
            yield entry.problem(
                ("id",), f"id {entry.record.id!r} is used by several files: {places}"
            )
        entries.setdefault(entry.record.id, entry)
    context_ids = {entry.record.id: entry for entry in others}

    def kind_of(record_id: str) -> str | None:
        entry = entries.get(record_id) or context_ids.get(record_id)
        return entry.record.kind_name if entry else None

    links: dict[str, set[str]] = defaultdict(set)
    for entry in [*loaded, *others]:
        for _, target, _ in entry.record.references():
            links[entry.record.id].add(target)
            links[target].add(entry.record.id)
    for entry in loaded:
        for where, target, expected in entry.record.references():
            found = kind_of(target)
            if found is None:
                yield entry.problem(where, f"no record has the id {target!r}")
            elif expected is not None and found != expected:
                yield entry.problem(
                    where, f"{target!r} is {_article(found)}, expected {_article(expected)}"
                )

    yield from _duplicate_sources(loaded, others, links)


def _source_urls(entry: LoadedRecord) -> Iterator[tuple[tuple[str | int, ...], str]]:
    record = entry.record
    for index, source in enumerate(record.sources):
        yield ("sources", index, "url"), source.url
    url = getattr(record, "url", None)
    if url is not None and record.kind_name == "news":
        yield ("url",), url


def _duplicate_sources(
    loaded: list[LoadedRecord],
    others: list[LoadedRecord],
    links: Mapping[str, set[str]],
) -> Iterator[Problem]:
    """Two records citing one canonical URL are likely duplicates, unless they are linked."""
    owners: dict[str, list[tuple[LoadedRecord, tuple[str | int, ...]]]] = defaultdict(list)
    checked = {entry.record.id for entry in loaded}
    for entry in [*loaded, *others]:
        seen_here: set[str] = set()
        for where, url in _source_urls(entry):
            key = canonical_url(url)
            if key not in seen_here:
                seen_here.add(key)
                owners[key].append((entry, where))
    for key, holders in owners.items():
        if len(holders) < 2:
            continue
        for entry, where in holders:
            if entry.record.id not in checked:
                continue
            others = [
                other.record.id
                for other, _ in holders
                if other.record.id != entry.record.id
                and other.record.id not in links.get(entry.record.id, set())
            ]
            if others:
                yield entry.problem(
                    where,
                    f"source {key} is also cited by {', '.join(sorted(others))}; "
                    "merge the records or list one as related to the other",
                )


def _article(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
