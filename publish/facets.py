"""The facets: ways of grouping records, each declared once with everything the site needs.

Pages, feeds, timeline filters, search filters and the navigation all loop over :data:`FACETS`;
adding a facet is adding an entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from publish import paths
from publish.openness import licence_terms
from publish.page_text import label
from schemas import MODELS, Model, Record
from schemas.vocabularies import place_name, vocabulary

if TYPE_CHECKING:
    from publish.catalog import Catalog

Values = Callable[[Record, "Catalog"], list[str]]


@dataclass(frozen=True)
class Facet:
    """A way of grouping records, and how the site shows each group."""

    name: str
    #: What one value is called ("Jurisdiction or country").
    title: str
    #: A record's values of the facet.
    values: Values
    #: The text shown for a value.
    text: Callable[[str, Catalog], str]
    #: Feeds: ``feeds/<feed_group>/<slug>``, listed under ``feed_heading`` on the Feeds page.
    feed_group: str
    feed_heading: str
    #: The folder of the facet's own pages (an index and a page per value); None when a value's
    #: page is another page (a kind's index, an organization's record page).
    folder: str | None = None
    index_title: str = ""
    intro: str = ""
    #: The one-line meaning of a value, on its page (a vocabulary name: its meanings).
    vocabulary: str | None = None
    #: Label of the select that filters lists by this facet, and the ``data-`` attribute of
    #: list entries it reads; None: lists are not filtered by it.
    filter_title: str | None = None
    filter_attribute: str | None = None

    def slug(self, value: str) -> str:
        """URL segment of a value: ``US-CA`` -> ``us-ca``."""
        return value.lower()

    @property
    def of_records(self) -> bool:
        """A value is a record's id (an organization, a licence): its page is the record's."""
        return self.folder is None and self.name != "kind"

    def page(self, value: str) -> str:
        """The page of a value."""
        if self.folder is not None:
            return paths.facet_page(self.folder, self.slug(value))
        if self.of_records:
            return paths.record_page(value)
        return paths.folder_index(MODELS[value].folder)

    def feed(self, value: str) -> str:
        return paths.feed(self.feed_group, self.slug(value))

    def change_feed(self, value: str) -> str:
        """The feed of changes to the value's records: ``feeds/changes/<group>/<slug>``."""
        return paths.feed(f"changes/{self.feed_group}", self.slug(value))

    def describe(self, value: str) -> str:
        return vocabulary(self.vocabulary).terms[value].meaning if self.vocabulary else ""


def _kind(record: Record, catalog: Catalog) -> list[str]:
    return [record.kind_name]


def _place(record: Record, catalog: Catalog) -> list[str]:
    place = catalog.place(record)
    return [place] if place else []


def _organization(record: Record, catalog: Catalog) -> list[str]:
    org = catalog.organization_of(record)
    return [org.id] if org is not None and org.id != record.id else []


def _tags(record: Record, catalog: Catalog) -> list[str]:
    return list(record.tags)


def _access(record: Record, catalog: Catalog) -> list[str]:
    return [record.access] if isinstance(record, Model) else []


def _licence(record: Record, catalog: Catalog) -> list[str]:
    licence = catalog.licence_of(record)
    return [licence.id] if licence is not None else []


def _licence_terms(record: Record, catalog: Catalog) -> list[str]:
    return licence_terms(catalog.licence_of(record)) if isinstance(record, Model) else []


def _title_of(value: str, catalog: Catalog) -> str:
    record = catalog.by_id.get(value)
    return record.title if record else value


FACETS: dict[str, Facet] = {
    facet.name: facet
    for facet in (
        Facet(
            "kind",
            "Kind",
            _kind,
            lambda value, _: MODELS[value].label,
            feed_group="kind",
            feed_heading="By kind",
            filter_title="Kind",
            filter_attribute="kind",
        ),
        Facet(
            "place",
            "Jurisdiction or country",
            _place,
            lambda value, _: place_name(value),
            feed_group="jurisdiction",
            feed_heading="By jurisdiction or developer country",
            folder="jurisdictions",
            index_title="Jurisdictions and countries",
            intro="Records by jurisdiction (policies) or developer country (models and "
            "organizations).",
            filter_title="Jurisdiction or country",
            filter_attribute="place",
        ),
        Facet(
            "organization",
            "Organization",
            _organization,
            _title_of,
            feed_group="organization",
            feed_heading="By organization",
        ),
        Facet(
            "access",
            "Access level",
            _access,
            lambda value, _: label(value),
            feed_group="access",
            feed_heading="By access level",
            folder="access",
            index_title="Access levels",
            intro="Models by access level: how openly the weights were released.",
            vocabulary="access",
            filter_title="Access",
            filter_attribute="access",
        ),
        Facet(
            "tag",
            "Tag",
            _tags,
            lambda value, _: value,
            feed_group="tag",
            feed_heading="By tag",
            folder="tags",
            index_title="Tags",
            intro="Records by topic tag.",
            vocabulary="tags",
            filter_title="Tag",
            filter_attribute="tags",
        ),
        Facet(
            "license",
            "Licence",
            _licence,
            _title_of,
            feed_group="license",
            feed_heading="By licence",
            filter_title="Licence",
            filter_attribute="license",
        ),
        Facet(
            "license_term",
            "Licence term",
            _licence_terms,
            lambda value, _: label(value),
            feed_group="license-term",
            feed_heading="By licence term",
            folder="license-terms",
            index_title="Licence terms",
            intro="Models by what their licence allows, as the licence records' quoted terms "
            "establish it.",
            vocabulary="license-terms",
            filter_title="Licence term",
            filter_attribute="terms",
        ),
    )
}

#: Facets with pages of their own.
PAGED_FACETS = [facet for facet in FACETS.values() if facet.folder is not None]


def search_filters() -> list[tuple[str, str]]:
    """The search page's filters, as (Pagefind filter name, label): every facet that lists are
    filtered by, then the year (record pages mark both for the index)."""
    found = [(name, facet.filter_title) for name, facet in FACETS.items() if facet.filter_title]
    return [*found, ("year", "Year")]
