"""A read-only view of the knowledge base for publishing: order, places, facets and backlinks.

Pages, charts and feeds all ask this one object, so a facet means the same thing everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from publish.facets import FACETS
from publish.history import Change, History
from schemas import KnowledgeBase, License, Model, Organization, Record
from schemas.adoption import Adoption
from schemas.tombstones import Tombstone
from schemas.vocabularies import place_name

#: Facets whose values get a feed of the changes to their records.
CHANGE_FACETS = ("kind", "place", "organization", "tag")

#: Access levels whose weights anyone can download.
OPEN_WEIGHT_ACCESS = ("open-source", "open-weights", "open-weights-restricted")

#: EU member states, for grouping developer countries in charts.
EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


@dataclass(frozen=True)
class Backlink:
    """Another record that points at this one, and how."""

    record: Record
    relation: str  # a relation type, or the field name (issuer, organization, about, base_model)


def sort_key(record: Record) -> tuple[tuple[int, int, int], str]:
    return (record.date.key, record.id)


class Catalog:
    """The knowledge base as the site sees it."""

    def __init__(
        self,
        kb: KnowledgeBase,
        adoption: Adoption | None = None,
        history: History | None = None,
        tombstones: dict[str, Tombstone] | None = None,
    ) -> None:
        self.kb = kb
        #: The adoption snapshots and sourced figures (none when the site has no folder).
        self.adoption = adoption or Adoption()
        #: Withdrawn or merged records' ids, which keep their pages.
        self.tombstones = tombstones or {}
        #: Every change to every record, from the repository (unavailable without one).
        self.history = (history or History()).with_tombstones(self.tombstones)
        self.by_id: dict[str, Record] = {record.id: record for record in kb.records}
        #: Every name of a licence (id, SPDX identifier, aliases) -> the licence.
        self.licences: dict[str, License] = kb.licences()
        #: id(record) -> (the record, its facet values); the record keeps its id unique.
        self._facet_values: dict[int, tuple[Record, dict[str, list[str]]]] = {}

    def licence(self, name: str) -> License | None:
        """The licence record a model's ``license`` value names."""
        return self.licences.get(name)

    def licence_of(self, record: Record) -> License | None:
        return self.licence(record.license) if isinstance(record, Model) else None

    @cached_property
    def newest_first(self) -> list[Record]:
        """Every record, newest event first; ties broken by id so order is stable."""
        return sorted(self.by_id.values(), key=sort_key, reverse=True)

    @cached_property
    def latest_added(self) -> list[Record]:
        """Newest additions first (by ``added``, then event date, then id)."""
        return sorted(
            self.by_id.values(), key=lambda r: (r.added.key, r.date.key, r.id), reverse=True
        )

    def of_kind(self, kind: str) -> list[Record]:
        return [record for record in self.newest_first if record.kind_name == kind]

    def organization_of(self, record: Record) -> Organization | None:
        """The organization behind a record (developer, issuer), or an organization itself."""
        if isinstance(record, Organization):
            return record
        org_id = record.organization_id()
        found = self.by_id.get(org_id) if org_id else None
        return found if isinstance(found, Organization) else None

    def place(self, record: Record) -> str | None:
        """Jurisdiction of a policy, developer country of a model, country of an organization.

        News has no place of its own.
        """
        if record.place_from_organization:
            org = self.organization_of(record)
            return org.country if org else None
        return record.own_place()

    @staticmethod
    def place_name(code: str) -> str:
        return place_name(code)

    def facet_values(self, record: Record) -> dict[str, list[str]]:
        """Every facet value of a record (a record can have several tags). Pages ask for them
        several times per record; they are worked out once per record object."""
        known = self._facet_values.get(id(record))
        if known is None or known[0] is not record:
            values = {name: facet.values(record, self) for name, facet in FACETS.items()}
            known = self._facet_values[id(record)] = (record, values)
        return known[1]

    @cached_property
    def change_groups(self) -> dict[tuple[str, str], list[Change]]:
        """(facet, value) -> the changes to its records, newest first, for the facets whose
        values have change feeds."""
        found: dict[tuple[str, str], list[Change]] = defaultdict(list)
        for change in self.history.changes:
            record = self.by_id.get(change.record_id)
            if record is None:
                continue
            values = self.facet_values(record)
            for name in CHANGE_FACETS:
                for value in values[name]:
                    found[(name, value)].append(change)
        return dict(found)

    @cached_property
    def groups(self) -> dict[str, dict[str, list[Record]]]:
        """facet name -> value -> records (newest first)."""
        found: dict[str, dict[str, list[Record]]] = {name: defaultdict(list) for name in FACETS}
        for record in self.newest_first:
            for name, values in self.facet_values(record).items():
                for value in values:
                    found[name][value].append(record)
        return {name: dict(sorted(groups.items())) for name, groups in found.items()}

    @cached_property
    def backlinks(self) -> dict[str, list[Backlink]]:
        """Record id -> the records that point at it, newest first."""
        found: dict[str, list[Backlink]] = defaultdict(list)
        for record in self.newest_first:
            for path, target, kind in record.references():
                if kind == "license" and (licence := self.licence(target)) is not None:
                    target = licence.id  # a licence's SPDX identifier or alias: its page
                relation = str(path[0])
                if relation == "related":
                    index = path[1]
                    assert isinstance(index, int)
                    relation = record.relations[index].type or "related"
                found[target].append(Backlink(record, relation))
        return dict(found)

    def forward_links(self, record: Record) -> list[Backlink]:
        """Records this one points at through ``related`` (other reference fields are shown
        as fields of their own)."""
        links = []
        for relation in record.relations:
            target = self.by_id.get(relation.id)
            if target is not None:
                links.append(Backlink(target, relation.type or "related"))
        return links

    def country_group(self, code: str | None) -> str:
        """US, China, EU countries, or the rest of the world (for the headline chart)."""
        if code == "US":
            return "United States"
        if code == "CN":
            return "China"
        if code in EU_MEMBERS or code == "EU":
            return "EU countries"
        return "Rest of world"
