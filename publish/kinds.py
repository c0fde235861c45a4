"""How the site shows each kind of record, declared once per kind.

A :class:`KindView` holds a kind's index intro and table, its JSON-LD type, its record-page
template and its "who and where" line. Everything that treats kinds alike loops over
:data:`KIND_VIEWS`; adding a kind is adding its model (``schemas/records.py``), its view here,
its template (``templates/record-<kind>.md.j2``) and its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from publish import paths
from publish.catalog import Catalog
from publish.page_text import label, relative_url
from schemas import MODELS, License, Model, News, Organization, Policy, Record
from schemas.vocabularies import place_name


@dataclass
class Cell:
    html: Markup | str
    sort: str | int | None = None


@dataclass(frozen=True)
class Column:
    heading: str
    #: The cell of a record, given the catalog and the page the table is on.
    cell: Callable[[Any, Catalog, str], Cell]


@dataclass(frozen=True)
class KindView:
    """Everything the site shows differently for one kind."""

    kind: str
    intro: str
    columns: tuple[Column, ...]
    #: schema.org type and the kind's own properties.
    jsonld_type: str
    jsonld: Callable[[Any, Catalog], dict[str, Any]]
    #: Developer and country, jurisdiction and issuer, publisher...: one line under a title.
    where: Callable[[Any, Catalog], str]

    @property
    def model(self) -> type[Record]:
        return MODELS[self.kind]

    @property
    def template(self) -> str:
        return f"record-{self.kind}.md.j2"

    @property
    def index(self) -> str:
        return paths.folder_index(self.model.folder)

    @property
    def title(self) -> str:
        """The kind's name as a heading: "Policies"."""
        return self.model.plural.capitalize()


def parameters(count: int) -> str:
    """A parameter count as people write it: 7B, 671B, 1T."""
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M")):
        if count >= size:
            value = count / size
            return f"{value:.3g}{suffix}" if value < 100 else f"{value:.0f}{suffix}"
    return f"{count:,}"


# -- table cells --------------------------------------------------------------------------


def _title(record: Record, catalog: Catalog, page: str) -> Cell:
    href = relative_url(page, paths.record_page(record.id))
    return Cell(Markup('<a href="{}">{}</a>').format(href, record.title), record.title.lower())


def _date(record: Record, catalog: Catalog, page: str) -> Cell:
    html = Markup('<time datetime="{}">{}</time>').format(
        record.date.isoformat(), record.date.display()
    )
    return Cell(html, record.date.isoformat())


def _text(get: Callable[[Any, Catalog], str]) -> Callable[[Any, Catalog, str], Cell]:
    return lambda record, catalog, page: Cell(get(record, catalog))


def _place(record: Record, catalog: Catalog) -> str:
    place = catalog.place(record)
    return place_name(place) if place else ""


def _developer(record: Record, catalog: Catalog) -> str:
    org = catalog.organization_of(record)
    return org.title if org else ""


def _parameters(record: Model, catalog: Catalog, page: str) -> Cell:
    total = record.parameters.total if record.parameters else None
    return Cell(parameters(total) if total else "", total or 0)


def _backlink_count(relation: str) -> Callable[[Any, Catalog, str], Cell]:
    def cell(record: Record, catalog: Catalog, page: str) -> Cell:
        count = sum(1 for b in catalog.backlinks.get(record.id, []) if b.relation == relation)
        return Cell(str(count), count)

    return cell


# -- who and where ------------------------------------------------------------------------


def _org_title(record: Record, catalog: Catalog) -> str | None:
    org = catalog.organization_of(record)
    return org.title if org is not None and org.id != record.id else None


def _place_then_org(record: Record, catalog: Catalog) -> str:
    parts = [_place(record, catalog), _org_title(record, catalog)]
    return " · ".join(part for part in parts if part)


def _org_then_place(record: Record, catalog: Catalog) -> str:
    parts = [_org_title(record, catalog), _place(record, catalog)]
    return " · ".join(part for part in parts if part)


# -- structured data ----------------------------------------------------------------------


def _policy_jsonld(record: Policy, catalog: Catalog) -> dict[str, Any]:
    data: dict[str, Any] = {
        "legislationDate": record.date.isoformat(),
        "legislationJurisdiction": place_name(record.jurisdiction),
        "legislationType": record.instrument,
    }
    if record.document_number:
        data["legislationIdentifier"] = record.document_number
    issuer = catalog.by_id.get(record.issuer)
    if issuer is not None:
        data["legislationPassedBy"] = {"@type": "Organization", "name": issuer.title}
    return data


def _model_jsonld(record: Model, catalog: Catalog) -> dict[str, Any]:
    licence = catalog.licence(record.license)
    data: dict[str, Any] = {
        "applicationCategory": "AI model",
        "datePublished": record.date.isoformat(),
        "license": licence.url or licence.name if licence else record.license,
    }
    developer = catalog.by_id.get(record.organization)
    if developer is not None:
        data["author"] = {"@type": "Organization", "name": developer.title}
    if record.huggingface:
        data["sameAs"] = [f"https://huggingface.co/{repo}" for repo in record.huggingface]
    return data


def _news_jsonld(record: News, catalog: Catalog) -> dict[str, Any]:
    data: dict[str, Any] = {
        "headline": record.title,
        "datePublished": record.date.isoformat(),
        "publisher": {"@type": "Organization", "name": record.publisher},
        "sameAs": record.url,
    }
    if record.author:
        data["author"] = {"@type": "Person", "name": record.author}
    return data


def _license_jsonld(record: License, catalog: Catalog) -> dict[str, Any]:
    data: dict[str, Any] = {
        "datePublished": record.date.isoformat(),
        "publisher": {"@type": "Organization", "name": record.publisher_name},
    }
    if record.url:
        data["sameAs"] = record.url
    if record.version:
        data["version"] = record.version
    return data


def _commercial_use(record: License, catalog: Catalog) -> str:
    term = record.terms.commercial_use
    return label(term.value) if term else ""


def _threshold(record: License, catalog: Catalog, page: str) -> Cell:
    term = record.terms.user_threshold
    if term is None:
        return Cell("", 0)
    credit = " (credit only)" if term.effect == "attribution" else ""
    return Cell(f"{term.value:,} {term.unit}{credit}", term.value)


def _organization_jsonld(record: Organization, catalog: Catalog) -> dict[str, Any]:
    data: dict[str, Any] = {
        "legalName": record.name,
        "foundingDate": record.date.isoformat(),
        "sameAs": record.url,
    }
    if record.aliases:
        data["alternateName"] = list(record.aliases)
    return data


KIND_VIEWS: dict[str, KindView] = {
    view.kind: view
    for view in (
        KindView(
            "policy",
            "Plans, strategies, orders, laws, regulations and declarations that shape "
            "open-source AI. Click a column heading to sort.",
            (
                Column("Title", _title),
                Column("Date", _date),
                Column("Jurisdiction", _text(_place)),
                Column("Instrument", _text(lambda r, _: label(r.instrument))),
                Column("Status", _text(lambda r, _: label(r.status))),
                Column("Open-source stance", _text(lambda r, _: label(r.open_source_stance))),
            ),
            "Legislation",
            _policy_jsonld,
            _place_then_org,
        ),
        KindView(
            "model",
            "Model releases, open and closed, with developer, licence and access level. "
            "Click a column heading to sort.",
            (
                Column("Model", _title),
                Column("Date", _date),
                Column("Developer", _text(_developer)),
                Column("Country", _text(_place)),
                Column("Access", _text(lambda r, _: label(r.access))),
                Column("Licence", _text(lambda r, _: r.license)),
                Column("Parameters", _parameters),
            ),
            "SoftwareApplication",
            _model_jsonld,
            _org_then_place,
        ),
        KindView(
            "news",
            "Articles and announcements that marked a turn in the story.",
            (
                Column("Title", _title),
                Column("Date", _date),
                Column("Publisher", _text(lambda r, _: r.publisher)),
            ),
            "NewsArticle",
            _news_jsonld,
            lambda record, _: record.publisher,
        ),
        KindView(
            "organization",
            "Labs, companies, governments and bodies referenced by the records.",
            (
                Column("Organization", _title),
                Column("Founded", _date),
                Column("Country", _text(_place)),
                Column("Type", _text(lambda r, _: label(r.type))),
                Column("Models", _backlink_count("organization")),
                Column("Policies", _backlink_count("issuer")),
            ),
            "Organization",
            _organization_jsonld,
            _place_then_org,
        ),
        KindView(
            "license",
            "The licences of the tracked models, with the terms that decide how open the weights "
            "are, each quoted from the licence text. Click a column heading to sort.",
            (
                Column("Licence", _title),
                Column("Date", _date),
                Column("Licensor", _text(lambda r, _: r.publisher_name)),
                Column("Category", _text(lambda r, _: label(r.category))),
                Column("Commercial use", _text(_commercial_use)),
                Column("User threshold", _threshold),
                Column("OSI-approved", _text(lambda r, _: "yes" if r.osi_approved else "")),
                Column("Models", _backlink_count("license")),
            ),
            "CreativeWork",
            _license_jsonld,
            lambda record, _: record.publisher_name,
        ),
    )
}


def view_of(record: Record) -> KindView:
    return KIND_VIEWS[record.kind_name]


def where(record: Record, catalog: Catalog) -> str:
    """Who and where, in one line, by the record's kind."""
    return view_of(record).where(record, catalog)


def kind_table(
    kind: str, records: list[Record], catalog: Catalog, page: str
) -> tuple[list[str], list[list[Cell]]]:
    """Column headings and rows (with sort keys) for the index page of one kind."""
    columns = KIND_VIEWS[kind].columns
    rows = [[column.cell(record, catalog, page) for column in columns] for record in records]
    return [column.heading for column in columns], rows
