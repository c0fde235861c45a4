"""Records to pages: the whole generated part of the site, as path -> :class:`Page`.

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

from publish import paths
from publish.adoption import MEASURES as ADOPTION_MEASURES
from publish.adoption import AdoptionView, sparkline
from publish.api import endpoints
from publish.catalog import Catalog
from publish.charts import Chart, headline_chart, site_charts
from publish.citation import citation
from publish.exports import (
    ACTION_COLUMNS,
    COLUMNS,
    DATA_LICENSE,
    DATA_LICENSE_NAME,
    PROVISION_COLUMNS,
)
from publish.facets import FACETS, PAGED_FACETS, Facet
from publish.feeds import ENTRIES_PER_FEED, Feed
from publish.history import CATEGORY_NAMES
from publish.jsonld import record_jsonld
from publish.kinds import KIND_VIEWS, kind_table, parameters, view_of, where
from publish.markup import one_line, summary_html
from publish.openness import Verdict, epoch_level, licence_term_rows, mof_class, osaid
from publish.page_text import Page, inverse, label, page_meta, relative_url, slug, tidy_markdown
from publish.paths import Site
from publish.provisions import (
    EFFECTS,
    STANCE_CHART_TITLE,
    STATUSES,
    PolicyProvisions,
    item_views,
    provision_views,
    stance_chart,
)
from schemas import (
    MODELS,
    SCHEMA_VERSION,
    License,
    Model,
    Organization,
    PartialDate,
    Policy,
    Record,
)
from schemas.tombstones import Tombstone
from schemas.vocabularies import place_name, vocabulary, vocabulary_names

LATEST_ON_HOME = 12
#: Changes listed on the recent changes page.
MAX_RECENT_CHANGES = 200
#: The adoption exports' columns, as the data page explains them.
ADOPTION_COLUMN_MEANINGS = (
    ("date", "The snapshot's day (UTC)."),
    ("repository", "The Hugging Face repository (owner/name)."),
    ("record", "The model record the repository belongs to."),
    ("likes", "Likes on the Hub that day."),
    ("downloads_30d", "Downloads over the last 30 days, as the Hub counts them."),
    ("downloads_all_time", "All-time downloads, where the Hub reports them (else empty)."),
    ("derived", "Models the Hub counts as derived from this one (its model tree)."),
    ("finetunes", "Derived models tagged as fine-tunes of this one (empty: not counted)."),
    ("adapters", "Derived models tagged as adapters of this one."),
    ("quantizations", "Derived models tagged as quantizations of this one."),
    ("merges", "Derived models tagged as merges including this one."),
    ("developer_country", "The country of the model's developer (CSV and JSON exports only)."),
)
#: A model page's small charts of its own figures.
SPARK_MEASURES = (
    ("likes", "Likes"),
    ("downloads_30d", "Downloads, last 30 days"),
    ("derived", "Derived models"),
)


@dataclass(frozen=True)
class Openness:
    """A model's components and the classes computed from them, for its page."""

    components: list[tuple[str, Any]]
    mof: Verdict
    osaid: Verdict
    epoch: str


#: Records dated before this year share the "earlier" timeline page.
FIRST_YEAR_PAGE = 2015
EARLIER = "earlier"
#: Headings of the vocabularies page (other vocabularies are titled from their file name).
VOCABULARY_TITLES = {
    "access": "Access levels",
    "instruments": "Policy instruments",
    "kinds": "Record kinds",
    "commercial-use": "Commercial use (licence term)",
    "component-statuses": "Component statuses",
    "components": "Model components",
    "license-categories": "Licence categories",
    "license-terms": "Licence terms (filters)",
    "output-training": "Use of outputs to train other models (licence term)",
    "modalities": "Modalities",
    "organization-types": "Organization types",
    "relations": "Relation types",
    "released": "Released artefacts",
    "secondary-domains": "Secondary sources (never a first source)",
    "stances": "Open-source stances",
    "statuses": "Policy statuses",
    "tags": "Tags",
}


class PageWriter:
    """Renders every generated page from one catalog."""

    def __init__(self, catalog: Catalog, site: Site) -> None:
        self.catalog = catalog
        self.site = site
        self.env = Environment(
            loader=PackageLoader("publish", "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
        )
        self._entries: dict[str, tuple[str, str]] = {}
        self.policy_provisions = PolicyProvisions(catalog)
        self.adoption = AdoptionView(catalog, catalog.adoption)
        self.env.filters.update(label=label, slug=slug, place_name=place_name)
        self.env.globals.update(
            catalog=catalog,
            site=site,
            paths=paths,
            kind_views=KIND_VIEWS,
            facet_page=lambda facet, value: FACETS[facet].page(value),
            label=label,
            place_name=place_name,
            one_line=one_line,
            summary_html=lambda text: Markup(summary_html(text)),
            term=lambda name, value: vocabulary(name).terms[value].meaning,
            licence_title=self.licence_title,
            inverse=inverse,
            params=parameters,
            filter_label=self.filter_label,
            entry_html=self.entry_html,
            feed=None,
        )

    def change_feed(self, facet: str, value: str) -> str | None:
        """The feed of changes to a facet value's records, when it has one."""
        if (facet, value) not in self.catalog.change_groups:
            return None
        return FACETS[facet].change_feed(value)

    def entry_html(self, record: Record, doc_path: str) -> Markup:
        """One line of a timeline or facet list. The same record appears on many lists, so
        its HTML is built once; only the link differs from page to page."""
        parts = self._entries.get(record.id)
        if parts is None:
            parts = self._entries[record.id] = self._entry_parts(record)
        href = relative_url(doc_path, paths.record_page(record.id))
        return Markup("".join((parts[0], str(escape(href)), parts[1])))

    def _filter_attributes(self, record: Record) -> str:
        """The ``data-`` attributes the list filters read, one per filterable facet."""
        facets = self.catalog.facet_values(record)
        return "".join(
            f' data-{facet.filter_attribute}="{escape(" ".join(facets[name]))}"'
            for name, facet in FACETS.items()
            if facet.filter_attribute
        )

    def _entry_parts(self, record: Record) -> tuple[str, str]:
        kind = record.kind_name
        head = (
            f'<li class="osai-entry" data-id="{record.id}"{self._filter_attributes(record)}>'
            f'<time datetime="{record.date.isoformat()}">{record.date.display()}</time> '
            f'<span class="osai-badge osai-kind osai-kind--{kind}">{record.label}</span> '
            f'<span class="osai-where">{escape(where(record, self.catalog))}</span> '
            '<a class="osai-title" href="'
        )
        tail = (
            f'">{escape(record.title)}</a> '
            f'<span class="osai-oneline">{escape(one_line(record.summary))}</span></li>'
        )
        return head, tail

    def licence_title(self, name: str) -> str:
        licence = self.catalog.licence(name)
        return licence.title if licence else name

    def filter_label(self, facet: str, value: str) -> str:
        """The text a facet value is shown as (filters, search facets, page titles)."""
        return FACETS[facet].text(value, self.catalog)

    def render(self, template: str, doc_path: str, **context: Any) -> str:
        def url(target: str) -> str:
            return relative_url(doc_path, target)

        def record_link(record_id: str) -> Markup:
            record = self.catalog.by_id.get(record_id)
            title = record.title if record else record_id
            return Markup('<a href="{}">{}</a>').format(url(paths.record_page(record_id)), title)

        def licence_link(name: str) -> Markup:
            licence = self.catalog.licence(name)
            return record_link(licence.id) if licence else Markup(escape(name))

        text = self.env.get_template(template).render(
            url=url,
            record_link=record_link,
            licence_link=licence_link,
            doc_path=doc_path,
            **context,
        )
        return tidy_markdown(text)

    # -- pages -------------------------------------------------------------------------

    def pages(self) -> dict[str, Page]:
        """Every generated page, path -> page, in a stable order: the pages of the site, then
        the records' own pages (newest first)."""
        found = self.site_pages()
        found.update(self.record_pages(self.catalog.newest_first))
        return found

    def record_pages(self, records: Iterable[Record]) -> dict[str, Page]:
        """The pages of these records, path -> page, in their order."""
        return {paths.record_page(record.id): self.record_page(record) for record in records}

    def site_pages(self) -> dict[str, Page]:
        """Every generated page but the records' own: home, timeline, tombstones, indexes,
        facets and the pages made of the whole knowledge base."""
        found: dict[str, Page] = {}
        found[paths.HOME] = self.home()
        found.update(self.timeline())
        for stone in self.catalog.tombstones.values():
            found[paths.record_page(stone.id)] = self.tombstone_page(stone)
        for view in KIND_VIEWS.values():
            found[view.index] = self.kind_index(view.kind)
        for facet in PAGED_FACETS:
            found.update(self.facet_pages(facet))
        found[paths.VOCABULARIES_PAGE] = self.vocabularies()
        found[paths.CHARTS_PAGE] = self.charts()
        found[paths.ADOPTION_PAGE] = self.adoption_page()
        found[paths.CHANGES_PAGE] = self.changes_page()
        found[paths.API_PAGE] = self.api_page()
        found[paths.COMPARE_PAGE] = self.compare()
        found[paths.OPEN_SOURCE_POLICY_PAGE] = self.open_source_policy()
        found[paths.ACTION_PLANS_PAGE] = self.action_plans()
        return found

    def home(self) -> Page:
        counts = self.catalog.kb.counts()
        body = self.render(
            "home.md.j2",
            paths.HOME,
            counts=counts,
            total=sum(counts.values()),
            latest=self.catalog.latest_added[:LATEST_ON_HOME],
            headline_chart=Markup(headline_chart(self.catalog)),
        )
        meta = page_meta(
            self.site.name,
            "A sourced timeline of open-source AI policy and open-model launches.",
            hide=["toc"],
        )
        return Page.of(meta, body)

    def _filters(
        self, records: Iterable[Record], skip: str | Iterable[str] = ""
    ) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """The filter selects for a list of records: only values that occur in it."""
        present: dict[str, Counter[str]] = defaultdict(Counter)
        for record in records:
            for name, values in self.catalog.facet_values(record).items():
                present[name].update(values)
        filters = []
        skipped = {skip} if isinstance(skip, str) else set(skip)
        for name, facet in FACETS.items():
            if not facet.filter_attribute or name in skipped or not present[name]:
                continue
            options = sorted(
                ((value, self.filter_label(name, value)) for value in present[name]),
                key=lambda item: item[1].lower(),
            )
            filters.append((facet.filter_attribute, facet.filter_title or facet.title, options))
        return filters

    def timeline(self) -> dict[str, Page]:
        """The timeline index and one page per year (records before ``FIRST_YEAR_PAGE`` share
        one page, so old founding dates do not make dozens of near-empty pages)."""
        found: dict[str, Page] = {}
        by_page: dict[str, list[Record]] = defaultdict(list)
        for record in self.catalog.newest_first:
            if record.is_event:
                by_page[_year_page(record.date.year)].append(record)
        pages = list(by_page)  # newest first, "earlier" last
        nav = [(page, _year_page_title(page)) for page in pages]
        per_page = [
            (page, _year_page_title(page), Counter(r.kind_name for r in by_page[page]))
            for page in pages
        ]
        found[paths.TIMELINE] = Page.of(
            page_meta(
                "Timeline",
                "Every record of the tracker, year by year.",
                search={"exclude": True},
                hide=["toc"],
            ),
            self.render(
                "timeline-index.md.j2", paths.TIMELINE, per_page=per_page, kinds=list(MODELS)
            ),
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
            path = paths.timeline_page(page)
            title = _year_page_title(page)
            found[path] = Page.of(
                page_meta(
                    f"Timeline: {title}",
                    f"Open-source AI policy and model launches: {title}.",
                    search={"exclude": True},
                    hide=["toc"],
                ),
                self.render(
                    "timeline-year.md.j2",
                    path,
                    page=page,
                    nav=nav,
                    months=list(months.items()),
                    filters=self._filters(by_page[page]),
                ),
            )
        return found

    def record_page(self, record: Record) -> Page:
        path = paths.record_page(record.id)
        file_path = self.site.record_file(record.folder, record.id)
        body = self.render(
            view_of(record).template,
            path,
            record=record,
            facets=self.catalog.facet_values(record),
            typed_dates=_typed_dates(record),
            edit_url=self.site.edit_base + file_path,
            source_url=self.site.view_base + file_path,
            jsonld=Markup(record_jsonld(record, self.catalog, self.site)),
            changes=self.catalog.history.of(record.id),
            history=self.catalog.history,
            cite=citation(record, self.site, self.catalog.history.last_changed(record.id)),
            change_feed=self.change_feed("organization", record.id)
            if isinstance(record, Organization)
            else None,
            **self._kind_context(record),
        )
        extra: dict[str, Any] = {"hide": ["toc"]}
        # An organization's or a licence's page is also its facet page: it links the feed of
        # the records that name it, when some do.
        for facet in FACETS.values():
            if facet.of_records and record.id in self.catalog.groups[facet.name]:
                extra["feeds"] = facet.feed(record.id)
        return Page.of(page_meta(record.title, one_line(record.summary, 160), **extra), body)

    def _kind_context(self, record: Record) -> dict[str, Any]:
        """What a kind's own template needs beyond the record: a model's openness, a
        licence's terms in reading order."""
        if isinstance(record, Model):
            licence = self.catalog.licence_of(record)
            components = record.components
            history = self.adoption.history.get(record.id, [])
            return {
                "adoption": {
                    "rows": self.adoption.latest_rows(record.id),
                    "latest": history[-1] if history else None,
                    "sparks": [
                        (label, Markup(sparkline(history, measure, label)))
                        for measure, label in SPARK_MEASURES
                    ],
                    "days": len(history),
                },
                "openness": Openness(
                    [(name, getattr(components, name, None)) for name in vocabulary("components")],
                    mof_class(record, licence),
                    osaid(record, licence),
                    epoch_level(record, licence),
                ),
            }
        if isinstance(record, License):
            return {"terms": licence_term_rows(record)}
        if isinstance(record, Policy):
            items = item_views(record)
            counts = Counter(view.item.status for view in items)
            return {
                "provisions": provision_views(record),
                "items": items,
                "item_counts": [(status, counts[status]) for status in STATUSES if counts[status]],
            }
        return {}

    def kind_index(self, kind: str) -> Page:
        view = KIND_VIEWS[kind]
        records = self.catalog.of_kind(kind)
        columns, rows = kind_table(kind, records, self.catalog, view.index)
        feed = FACETS["kind"].feed(kind)
        meta = page_meta(view.title, view.intro, search={"exclude": True}, hide=["toc"], feeds=feed)
        body = self.render(
            "kind-index.md.j2",
            view.index,
            intro=view.intro,
            columns=columns,
            rows=rows,
            ids=[record.id for record in records],
            feed=feed,
            change_feed=self.change_feed("kind", kind),
        )
        return Page.of(meta, body)

    def facet_pages(self, facet: Facet) -> dict[str, Page]:
        assert facet.folder is not None
        groups = self.catalog.groups[facet.name]
        found: dict[str, Page] = {}
        entries = [
            (value, self.filter_label(facet.name, value), records)
            for value, records in groups.items()
        ]
        entries.sort(key=lambda item: item[1].lower())
        index_path = paths.folder_index(facet.folder)
        found[index_path] = Page.of(
            page_meta(facet.index_title, facet.intro, search={"exclude": True}, hide=["toc"]),
            self.render(
                "facet-index.md.j2",
                index_path,
                intro=facet.intro,
                facet=facet,
                groups=entries,
                kinds=[
                    k for k in MODELS if any(r.kind_name == k for _, _, rs in entries for r in rs)
                ],
            ),
        )
        for value, text, records in entries:
            path = facet.page(value)
            description = facet.describe(value)
            feed = facet.feed(value)
            found[path] = Page.of(
                page_meta(
                    text,
                    description or f"Records for {text}.",
                    search={"exclude": True},
                    hide=["toc"],
                    feeds=feed,
                ),
                self.render(
                    "facet-page.md.j2",
                    path,
                    description=description,
                    records=records,
                    filters=self._filters(records, skip=facet.name),
                    feed=feed,
                    change_feed=self.change_feed(facet.name, value),
                ),
            )
        return found

    def vocabularies(self) -> Page:
        vocabularies = [
            (VOCABULARY_TITLES.get(name, label(name)), name, list(vocabulary(name).terms.values()))
            for name in vocabulary_names()
        ]
        return Page.of(
            page_meta("Vocabularies", "Every controlled value a record may use, with its meaning."),
            self.render("vocabularies.md.j2", paths.VOCABULARIES_PAGE, vocabularies=vocabularies),
        )

    def feeds_page(self, feeds: list[Feed], calendars: Iterable[str]) -> Page:
        groups: dict[str, list[Feed]] = {}
        for feed in feeds:
            groups.setdefault(feed.group, []).append(feed)
        calendar_list = []
        for path in calendars:
            code = path.rsplit("/", 1)[-1].removesuffix(".ics")
            title = "All jurisdictions" if path == paths.ALL_CALENDAR else place_name(code.upper())
            calendar_list.append((path, title))
        return Page.of(
            page_meta(
                "Feeds",
                "Atom, RSS and JSON feeds for every kind, jurisdiction, organization, tag "
                "and access level, and calendars of policy milestones.",
            ),
            self.render(
                "feeds.md.j2",
                paths.FEEDS_PAGE,
                groups=list(groups.items()),
                per_feed=ENTRIES_PER_FEED,
                calendars=calendar_list,
            ),
        )

    def data_page(self) -> Page:
        records = sorted(self.catalog.by_id)
        return Page.of(
            page_meta(
                "Open data", "Download every record as JSON or CSV, or one record at a time."
            ),
            self.render(
                "data.md.j2",
                paths.DATA_PAGE,
                license=DATA_LICENSE,
                license_name=DATA_LICENSE_NAME,
                schema_version=SCHEMA_VERSION,
                count=len(records),
                example=records[0] if records else "",
                kinds=list(MODELS),
                adoption_columns=ADOPTION_COLUMN_MEANINGS,
                columns=COLUMNS,
                provision_columns=PROVISION_COLUMNS,
                action_columns=ACTION_COLUMNS,
            ),
        )

    def compare(self) -> Page:
        """Every model as a row: its licence's key terms, its components and its classes."""
        models = [r for r in self.catalog.of_kind("model") if isinstance(r, Model)]
        rows = []
        for model in models:
            licence = self.catalog.licence_of(model)
            terms = licence.terms if licence else None
            facets = self.catalog.facet_values(model)
            rows.append(
                {
                    "model": model,
                    "licence": licence,
                    "place": facets["place"][0] if facets["place"] else "",
                    "commercial": terms.commercial_use.value
                    if terms and terms.commercial_use
                    else "",
                    "threshold": terms.user_threshold if terms else None,
                    "territories": terms.territories_excluded if terms else None,
                    "use_policy": bool(
                        terms and (terms.acceptable_use_policy or terms.field_of_use)
                    ),
                    "statuses": [
                        getattr(model.components, name, None) for name in vocabulary("components")
                    ],
                    "mof": mof_class(model, licence),
                    "osaid": osaid(model, licence),
                    "attributes": Markup(
                        self._filter_attributes(model) + f' data-year="{model.date.year}"'
                    ),
                }
            )
        years = sorted({model.date.year for model in models}, reverse=True)
        return Page.of(
            page_meta(
                "Openness compared",
                "Every model: what it published, on what licence terms, and how open that is.",
                search={"exclude": True},
                hide=["toc", "navigation"],
            ),
            self.render(
                "compare.md.j2",
                paths.COMPARE_PAGE,
                rows=rows,
                components=list(vocabulary("components")),
                filters=self._filters(models, skip=("kind", "tag")),
                years=years,
            ),
        )

    def open_source_policy(self) -> Page:
        """Jurisdictions against provision effects, and every provision with filters."""
        provisions = self.policy_provisions.provisions
        places = self.policy_provisions.jurisdictions()
        years = sorted({view.policy.date.year for view in provisions}, reverse=True)
        return Page.of(
            page_meta(
                "Open source in AI policy",
                "What AI laws, plans and guidance say about open-source and open-weight AI: "
                "every provision by jurisdiction and effect.",
                search={"exclude": True},
                hide=["toc", "navigation"],
                feeds=paths.OPEN_SOURCE_POLICY_FEED,
            ),
            self.render(
                "open-source-policy.md.j2",
                paths.OPEN_SOURCE_POLICY_PAGE,
                feed=paths.OPEN_SOURCE_POLICY_FEED,
                matrix=self.policy_provisions.matrix(),
                effects=EFFECTS,
                provisions=sorted(
                    provisions,
                    key=lambda v: (places.index(v.policy.jurisdiction), -v.policy.date.key[0]),
                ),
                places=places,
                years=years,
                subjects=list(vocabulary("provision-subjects")),
                stance_chart=Markup(
                    stance_chart(
                        self.catalog,
                        lambda target: relative_url(paths.OPEN_SOURCE_POLICY_PAGE, target),
                    )
                ),
            ),
        )

    def action_plans(self) -> Page:
        """Per plan, how many open-source items are done, under way or not started."""
        return Page.of(
            page_meta(
                "Action plan tracker",
                "The open-source actions of AI plans and strategies, and how far each has got.",
                search={"exclude": True},
                hide=["toc"],
            ),
            self.render(
                "action-plans.md.j2",
                paths.ACTION_PLANS_PAGE,
                plans=self.policy_provisions.plans,
                statuses=STATUSES,
                totals=self.policy_provisions.status_totals(),
            ),
        )

    def charts(self) -> Page:
        return Page.of(
            page_meta(
                "Charts", "Model releases and policies over time, by country, access and stance."
            ),
            self.render("charts.md.j2", paths.CHARTS_PAGE, charts=self._charts()),
        )

    def tombstone_page(self, stone: Tombstone) -> Page:
        """The page a withdrawn or merged record's URL keeps: what became of it, and its
        history."""
        what = f"merged into {stone.moved_to}" if stone.moved_to else "withdrawn"
        return Page.of(
            page_meta(stone.title, f"This record was {what}: {stone.reason}"),
            self.render(
                "record-tombstone.md.j2",
                paths.record_page(stone.id),
                stone=stone,
                kind_label=MODELS[stone.kind].label,
                changes=self.catalog.history.of(stone.id),
                history=self.catalog.history,
            ),
        )

    def api_page(self) -> Page:
        example = sorted(self.catalog.by_id)[0] if self.catalog.by_id else "example"
        return Page.of(
            page_meta("JSON API", "Every record, kind, facet and change as static JSON files."),
            self.render(
                "api.md.j2",
                paths.API_PAGE,
                endpoints=endpoints(self.catalog, self.site),
                license_name=DATA_LICENSE_NAME,
                example_record_url=self.site.absolute(paths.data_record(example)),
            ),
        )

    def changes_page(self) -> Page:
        history = self.catalog.history
        changes = history.changes[:MAX_RECENT_CHANGES]
        kinds = sorted({c.record_kind for c in changes}, key=list(MODELS).index)
        categories = [name for name in CATEGORY_NAMES if any(name in c.categories for c in changes)]
        filters = [
            ("kind", "Kind", [(kind, MODELS[kind].plural.capitalize()) for kind in kinds]),
            ("change", "Change", [(name, label(name)) for name in categories]),
        ]
        return Page.of(
            page_meta(
                "Recent changes",
                "The latest changes to the records: additions, corrections, statuses, licences.",
                search={"exclude": True},
                hide=["toc"],
                feeds=paths.CHANGES_FEED if history.available else None,
            ),
            self.render(
                "changes.md.j2",
                paths.CHANGES_PAGE,
                history=history,
                changes=changes,
                shown=MAX_RECENT_CHANGES,
                filters=filters,
                feed=paths.CHANGES_FEED if history.available else None,
            ),
        )

    def adoption_page(self) -> Page:
        view = self.adoption
        return Page.of(
            page_meta(
                "Who builds on whom",
                "Likes, downloads and derived models of the tracked open models on Hugging Face, "
                "by developer country, over time.",
            ),
            self.render(
                "adoption.md.j2",
                paths.ADOPTION_PAGE,
                view=view,
                charts=[
                    (measure, label, Markup(view.share_chart(measure, label)))
                    for measure, label in ADOPTION_MEASURES
                ],
                tops=[(measure, label, view.top(measure)) for measure, label in ADOPTION_MEASURES],
                releases=view.releases(),
                latest=view.adoption.latest,
                sourced=view.adoption.sourced,
            ),
        )

    def _charts(self) -> list[Chart]:
        """The charts of the charts page: the site's own, then the stances over time."""
        stances = stance_chart(self.catalog, lambda target: relative_url(paths.CHARTS_PAGE, target))
        return [*site_charts(self.catalog), Chart("stance-over-time", STANCE_CHART_TITLE, stances)]


def _year_page(year: int) -> str:
    return str(year) if year >= FIRST_YEAR_PAGE else EARLIER


def _year_page_title(page: str) -> str:
    return f"before {FIRST_YEAR_PAGE}" if page == EARLIER else page


def _typed_dates(record: Record) -> list[tuple[str, Any]]:
    """A record's typed dates in the order they happened."""
    dates = getattr(record, "dates", None)
    if dates is None:
        return []
    found = [(name, value) for name, value in dates if value is not None]
    return sorted(found, key=lambda item: item[1].key)


def generate_pages(catalog: Catalog, site: Site) -> dict[str, Page]:
    """Every generated page, path -> page."""
    return PageWriter(catalog, site).pages()
