"""The sortable tables of the kind indexes (policies, models, news, organizations)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from publish.catalog import Catalog
from publish.page_text import label, relative_url
from schemas import Model, News, Organization, Policy, Record
from schemas.vocabularies import place_name


@dataclass
class Cell:
    html: Markup | str
    sort: str | int | None = None


def parameters(count: int) -> str:
    """A parameter count as people write it: 7B, 671B, 1T."""
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M")):
        if count >= size:
            value = count / size
            return f"{value:.3g}{suffix}" if value < 100 else f"{value:.0f}{suffix}"
    return f"{count:,}"


def kind_table(
    kind: str, records: list[Record], catalog: Catalog, path: str
) -> tuple[list[str], list[list[Cell]]]:
    """Column headings and rows (with sort keys) for the index page of one kind."""

    def link(record: Record) -> Cell:
        href = relative_url(path, f"records/{record.id}.md")
        return Cell(Markup('<a href="{}">{}</a>').format(href, record.title), record.title.lower())

    def date(record: Record) -> Cell:
        html = Markup('<time datetime="{}">{}</time>').format(
            record.date.isoformat(), record.date.display()
        )
        return Cell(html, record.date.isoformat())

    rows: list[list[Cell]] = []
    if kind == "policy":
        columns = ["Title", "Date", "Jurisdiction", "Instrument", "Status", "Open-source stance"]
        for record in records:
            assert isinstance(record, Policy)
            rows.append(
                [
                    link(record),
                    date(record),
                    Cell(place_name(record.jurisdiction)),
                    Cell(label(record.instrument)),
                    Cell(label(record.status)),
                    Cell(label(record.open_source_stance)),
                ]
            )
    elif kind == "model":
        columns = ["Model", "Date", "Developer", "Country", "Access", "Licence", "Parameters"]
        for record in records:
            assert isinstance(record, Model)
            org = catalog.organization_of(record)
            place = catalog.place(record)
            total = record.parameters.total if record.parameters else None
            rows.append(
                [
                    link(record),
                    date(record),
                    Cell(org.title if org else ""),
                    Cell(place_name(place) if place else ""),
                    Cell(label(record.access)),
                    Cell(record.license),
                    Cell(parameters(total) if total else "", total or 0),
                ]
            )
    elif kind == "news":
        columns = ["Title", "Date", "Publisher"]
        for record in records:
            assert isinstance(record, News)
            rows.append([link(record), date(record), Cell(record.publisher)])
    else:
        columns = ["Organization", "Founded", "Country", "Type", "Models", "Policies"]
        for record in records:
            assert isinstance(record, Organization)
            links = catalog.backlinks.get(record.id, [])
            models = sum(1 for b in links if b.relation == "organization")
            policies = sum(1 for b in links if b.relation == "issuer")
            rows.append(
                [
                    link(record),
                    date(record),
                    Cell(place_name(record.country)),
                    Cell(label(record.type)),
                    Cell(str(models), models),
                    Cell(str(policies), policies),
                ]
            )
    return columns, rows
