"""Records to Markdown pages: the whole generated part of the site, as path -> text.

Contributed text never reaches a Markdown context: record fields are placed in HTML written
by Jinja2 with autoescape on, summaries go through :mod:`publish.markup`, and page titles in
the front matter are HTML-escaped (the theme prints them unescaped).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from publish.catalog import FACETS, Catalog
from publish.charts import headline_chart, site_charts
from publish.exports import COLUMNS, DATA_LICENSE, DATA_LICENSE_NAME
from publish.feeds import ENTRIES_PER_FEED, Feed
from publish.jsonld import record_jsonld
from publish.markup import one_line, summary_html
from publish.page_text import (
    KIND_INDEX,
    KIND_LABEL,
    KIND_PLURAL,
    LATEST_ON_HOME,
    front_matter,
    inverse,
    label,
    relative_url,
    slug,
    slug_of,
    tidy_markdown,
)
from publish.tables import kind_table, parameters
from schemas import MODELS, SCHEMA_VERSION, PartialDate, Record
from schemas.vocabularies import place_name, vocabulary, vocabulary_names


@dataclass(frozen=True)
class SiteSettings:
    """What the generator needs to know about where the site and the repository live."""

    site_url: str = ""
    #: Base for "edit this record": the repository's edit URL for the root folder.
    edit_base: str = ""
    #: Base for "view the record file".
    view_base: str = ""
    #: Path of the records folder inside the repository.
    records_path: str = "records"


class PageWriter:
    """Renders every generated page from one catalog."""

    def __init__(self, catalog: Catalog, settings: SiteSettings) -> None:
        self.catalog = catalog
        self.settings = settings
        self.env = Environment(
            loader=PackageLoader("publish", "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
        )
        self._entries: dict[str, tuple[str, str]] = {}
        self.env.filters.update(label=label, slug=slug)
        self.env.globals.update(
            catalog=catalog,
            label=label,
            kind_label=KIND_LABEL.get,
            kind_plural=KIND_PLURAL.get,
            place_name=place_name,
            one_line=one_line,
            summary_html=lambda text: Markup(summary_html(text)),
            term=lambda name, value: vocabulary(name).terms[value].meaning,
            license_name=lambda value: vocabulary("licenses").terms[value].attributes["name"],
            epoch=lambda value: vocabulary("access").terms[value].attributes["epoch"],
            inverse=inverse,
            params=parameters,
            slug_of=slug_of,
            kind_index=KIND_INDEX,
            filter_label=self.filter_label,
            entry_html=self.entry_html,
            feed=None,
        )

    def entry_html(self, record: Record, doc_path: str) -> Markup:
        """One line of a timeline or facet list. The same record appears on many lists, so
        its HTML is built once; only the link differs from page to page."""
        parts = self._entries.get(record.id)
        if parts is None:
            parts = self._entries[record.id] = self._entry_parts(record)
        href = relative_url(doc_path, f"records/{record.id}.md")
        return Markup("".join((parts[0], str(escape(href)), parts[1])))

    def _entry_parts(self, record: Record) -> tuple[str, str]:
        facets = self.catalog.facet_values(record)
        kind = record.kind_name
        head = (
            f'<li class="osai-entry" data-kind="{kind}" '
            f'data-place="{escape(" ".join(facets["place"]))}" '
            f'data-access="{escape(" ".join(facets["access"]))}" '
            f'data-tags="{escape(" ".join(facets["tag"]))}">'
            f'<time datetime="{record.date.isoformat()}">{record.date.display()}</time> '
            f'<span class="osai-badge osai-kind osai-kind--{kind}">{KIND_LABEL[kind]}</span> '
            f'<span class="osai-where">{escape(self.catalog.where(record))}</span> '
            '<a class="osai-title" href="'
        )
        tail = (
            f'">{escape(record.title)}</a> '
            f'<span class="osai-oneline">{escape(one_line(record.summary))}</span></li>'
        )
        return head, tail

    def filter_label(self, facet: str, value: str) -> str:
        """The text a search facet shows for a value."""
        if facet == "kind":
            return KIND_LABEL[value]
        if facet == "place":
            return place_name(value)
        if facet == "organization":
            record = self.catalog.by_id.get(value)
            return record.title if record else value
        if facet == "access":
            return label(value)
        return value

    def render(self, template: str, doc_path: str, **context: Any) -> str:
        def url(target: str) -> str:
            return relative_url(doc_path, target)

        def record_link(record_id: str) -> Markup:
            record = self.catalog.by_id.get(record_id)
            title = record.title if record else record_id
            return Markup('<a href="{}">{}</a>').format(url(f"records/{record_id}.md"), title)

        text = self.env.get_template(template).render(
            url=url, record_link=record_link, doc_path=doc_path, **context
        )
        return tidy_markdown(text)

    # -- pages -------------------------------------------------------------------------

    def pages(self) -> dict[str, str]:
        """Every generated page, path -> Markdown text, in a stable order."""
        found: dict[str, str] = {}
        found["index.md"] = self.home()
        found.update(self.timeline())
        for record in self.catalog.newest_first:
            found[f"records/{record.id}.md"] = self.record_page(record)
        for kind in MODELS:
            found[KIND_INDEX[kind]] = self.kind_index(kind)
        for facet in ("place", "tag", "access"):
            found.update(self.facet_pages(facet))
        found["vocabularies.md"] = self.vocabularies()
        found["charts.md"] = self.charts()
        return found

    def home(self) -> str:
        counts = self.catalog.kb.counts()
        body = self.render(
            "home.md.j2",
            "index.md",
            counts=counts,
            total=sum(counts.values()),
            latest=self.catalog.latest_added[:LATEST_ON_HOME],
            headline_chart=Markup(headline_chart(self.catalog)),
        )
        return (
            front_matter(
                "Open Source AI Tracker",
                "A sourced timeline of open-source AI policy and open-model launches.",
                hide=["toc"],
            )
            + body
        )

    def _filters(self, records: Iterable[Record], skip: str = "") -> list[tuple[str, str, list]]:
        """The filter selects for a list of records: only values that occur in it."""
        present: dict[str, Counter[str]] = defaultdict(Counter)
        for record in records:
            for name, values in self.catalog.facet_values(record).items():
                present[name].update(values)
        filters = []
        for name, title, attr in (
            ("kind", "Kind", "kind"),
            ("place", "Jurisdiction or country", "place"),
            ("access", "Access", "access"),
            ("tag", "Tag", "tags"),
        ):
            if name == skip or not present[name]:
                continue
            options = sorted(
                ((value, self.filter_label(name, value)) for value in present[name]),
                key=lambda item: item[1].lower(),
            )
            filters.append((attr, title, options))
        return filters

    def timeline(self) -> dict[str, str]:
        """The timeline index and one page per year (records before ``FIRST_YEAR_PAGE`` share
        one page, so old founding dates do not make dozens of near-empty pages)."""
        found: dict[str, str] = {}
        by_page: dict[str, list[Record]] = defaultdict(list)
        for record in self.catalog.newest_first:
            by_page[_year_page(record.date.year)].append(record)
        pages = list(by_page)  # newest first, "earlier" last
        nav = [(page, _year_page_title(page)) for page in pages]
        per_page = [
            (page, _year_page_title(page), Counter(r.kind_name for r in by_page[page]))
            for page in pages
        ]
        found["timeline/index.md"] = front_matter(
            "Timeline",
            "Every record of the tracker, year by year.",
            search={"exclude": True},
            hide=["toc"],
        ) + self.render(
            "timeline-index.md.j2", "timeline/index.md", per_page=per_page, kinds=list(MODELS)
        )
        for page in pages:
            months: dict[str, list[Record]] = {}
            for record in by_page[page]:
                year, month = record.date.year, record.date.month
                if page == EARLIER:
                    heading = str(year)
                elif month:
                    heading = PartialDate(year, month).display()
                else:
                    heading = f"{year}, month not known"
                months.setdefault(heading, []).append(record)
            path = f"timeline/{page}.md"
            title = _year_page_title(page)
            found[path] = front_matter(
                f"Timeline: {title}",
                f"Open-source AI policy and model launches: {title}.",
                search={"exclude": True},
                hide=["toc"],
            ) + self.render(
                "timeline-year.md.j2",
                path,
                page=page,
                nav=nav,
                months=list(months.items()),
                filters=self._filters(by_page[page]),
            )
        return found

    def record_page(self, record: Record) -> str:
        path = f"records/{record.id}.md"
        file_path = f"{self.settings.records_path}/{record.folder}/{record.id}.yaml"
        body = self.render(
            "record.md.j2",
            path,
            record=record,
            typed_dates=_typed_dates(record),
            edit_url=self.settings.edit_base + file_path,
            source_url=self.settings.view_base + file_path,
            jsonld=Markup(record_jsonld(record, self.catalog, self.settings.site_url)),
        )
        extra: dict[str, Any] = {"hide": ["toc"]}
        if record.kind_name == "organization":
            extra["feeds"] = f"feeds/organization/{record.id}"
        return front_matter(record.title, one_line(record.summary, 160), **extra) + body

    def kind_index(self, kind: str) -> str:
        path = KIND_INDEX[kind]
        records = self.catalog.of_kind(kind)
        columns, rows = kind_table(kind, records, self.catalog, path)
        intros = {
            "policy": "Plans, strategies, orders, laws, regulations and declarations that shape "
            "open-source AI. Click a column heading to sort.",
            "model": "Model releases, open and closed, with developer, licence and access level. "
            "Click a column heading to sort.",
            "news": "Articles and announcements that marked a turn in the story.",
            "organization": "Labs, companies, governments and bodies referenced by the records.",
        }
        title = KIND_PLURAL[kind].capitalize()
        return front_matter(
            title, intros[kind], search={"exclude": True}, hide=["toc"], feeds=f"feeds/kind/{kind}"
        ) + self.render(
            "kind-index.md.j2",
            path,
            intro=intros[kind],
            columns=columns,
            rows=rows,
            feed=f"feeds/kind/{kind}",
        )

    def facet_pages(self, facet_name: str) -> dict[str, str]:
        facet = FACETS[facet_name]
        groups = self.catalog.groups[facet_name]
        found: dict[str, str] = {}
        entries = [
            (value, self.filter_label(facet_name, value), records)
            for value, records in groups.items()
        ]
        entries.sort(key=lambda item: item[1].lower())
        index_path = f"{facet.folder}/index.md"
        intros = {
            "place": "Records by jurisdiction (policies) or developer country (models and "
            "organizations).",
            "tag": "Records by topic tag.",
            "access": "Models by access level: how openly the weights were released.",
        }
        found[index_path] = front_matter(
            facet.title + "s" if facet_name != "place" else "Jurisdictions and countries",
            intros[facet_name],
            search={"exclude": True},
            hide=["toc"],
        ) + self.render(
            "facet-index.md.j2",
            index_path,
            intro=intros[facet_name],
            facet_title=facet.title,
            groups=entries,
            folder=facet.folder,
            kinds=[k for k in MODELS if any(r.kind_name == k for _, _, rs in entries for r in rs)],
        )
        for value, text, records in entries:
            path = f"{facet.folder}/{slug_of(value)}.md"
            description = ""
            if facet_name == "tag":
                description = vocabulary("tags").terms[value].meaning
            elif facet_name == "access":
                description = vocabulary("access").terms[value].meaning
            feed_folder = {"place": "jurisdiction", "tag": "tag", "access": "access"}[facet_name]
            found[path] = front_matter(
                text,
                description or f"Records for {text}.",
                search={"exclude": True},
                hide=["toc"],
                feeds=f"feeds/{feed_folder}/{slug_of(value)}",
            ) + self.render(
                "facet-page.md.j2",
                path,
                description=description,
                records=records,
                filters=self._filters(records, skip=facet_name),
                feed=f"feeds/{feed_folder}/{slug_of(value)}",
            )
        return found

    def vocabularies(self) -> str:
        titles = {
            "access": "Access levels",
            "instruments": "Policy instruments",
            "kinds": "Record kinds",
            "licenses": "Licences",
            "modalities": "Modalities",
            "organization-types": "Organization types",
            "relations": "Relation types",
            "released": "Released artefacts",
            "stances": "Open-source stances",
            "statuses": "Policy statuses",
            "tags": "Tags",
        }
        vocabularies = [
            (titles.get(name, label(name)), name, list(vocabulary(name).terms.values()))
            for name in vocabulary_names()
        ]
        return front_matter(
            "Vocabularies", "Every controlled value a record may use, with its meaning."
        ) + self.render("vocabularies.md.j2", "vocabularies.md", vocabularies=vocabularies)

    def feeds_page(self, feeds: list[Feed], calendars: Iterable[str]) -> str:
        groups: dict[str, list[Feed]] = {}
        for feed in feeds:
            groups.setdefault(feed_group(feed), []).append(feed)
        calendar_list = []
        for path in calendars:
            code = path.rsplit("/", 1)[-1].removesuffix(".ics")
            title = "All jurisdictions" if code == "all" else place_name(code.upper())
            calendar_list.append((path, title))
        return front_matter(
            "Feeds",
            "Atom, RSS and JSON feeds for every kind, jurisdiction, organization, tag "
            "and access level, and calendars of policy milestones.",
        ) + self.render(
            "feeds.md.j2",
            "feeds.md",
            groups=list(groups.items()),
            per_feed=ENTRIES_PER_FEED,
            calendars=calendar_list,
        )

    def data_page(self) -> str:
        records = sorted(self.catalog.by_id)
        return front_matter(
            "Open data", "Download every record as JSON or CSV, or one record at a time."
        ) + self.render(
            "data.md.j2",
            "data.md",
            license=DATA_LICENSE,
            license_name=DATA_LICENSE_NAME,
            schema_version=SCHEMA_VERSION,
            count=len(records),
            example=records[0] if records else "",
            kinds=list(MODELS),
            columns=COLUMNS,
        )

    def charts(self) -> str:
        return front_matter(
            "Charts", "Model releases and policies over time, by country, access and stance."
        ) + self.render("charts.md.j2", "charts.md", charts=site_charts(self.catalog))


#: Records dated before this year share the "earlier" timeline page.
FIRST_YEAR_PAGE = 2015
EARLIER = "earlier"


def _year_page(year: int) -> str:
    return str(year) if year >= FIRST_YEAR_PAGE else EARLIER


def _year_page_title(page: str) -> str:
    return f"before {FIRST_YEAR_PAGE}" if page == EARLIER else page


def feed_group(feed: Feed) -> str:
    """The heading a feed is listed under on the Feeds page."""
    parts = feed.path.split("/")
    if len(parts) == 2:
        return "Everything"
    return {
        "kind": "By kind",
        "jurisdiction": "By jurisdiction or developer country",
        "organization": "By organization",
        "tag": "By tag",
        "access": "By access level",
    }[parts[1]]


def _typed_dates(record: Record) -> list[tuple[str, Any]]:
    """A record's typed dates in the order they happened."""
    dates = getattr(record, "dates", None)
    if dates is None:
        return []
    found = [(name, value) for name, value in dates if value is not None]
    return sorted(found, key=lambda item: item[1].key)


def generate_pages(catalog: Catalog, settings: SiteSettings) -> dict[str, str]:
    """Every generated Markdown page, path -> text."""
    return PageWriter(catalog, settings).pages()
