"""Atom 1.0, RSS 2.0 and JSON Feed 1.1 for everything and for every facet.

Each record's entry is rendered once per format and reused by every feed it belongs to, so
hundreds of facet feeds cost little more than one. Nothing here reads the clock: times come
from the records (``added``, ``last_verified``), so building twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from publish import paths
from publish.catalog import CHANGE_FACETS, Catalog
from publish.facets import FACETS
from publish.history import Change
from publish.kinds import where
from publish.markup import summary_html
from publish.paths import Site
from publish.provisions import PolicyNote, policy_notes
from schemas import MODELS, Policy, Record
from schemas.dates import PartialDate

ENTRIES_PER_FEED = 50
#: What a feed's entry stands for.
Item = Record | PolicyNote | Change
FORMATS = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}
#: Namespace of the tracker's feed extension (event date, precision, kind); a name, not a page.
OSAI_NS = "urn:x-open-source-ai-tracker:feed:1"

#: Characters XML 1.0 forbids, and the C1 controls and non-characters it discourages.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text safe for an XML 1.0 document: forbidden characters dropped, markup escaped."""
    return escape(_NOT_XML.sub("", text))


def xml_attr(text: str) -> str:
    return quoteattr(_NOT_XML.sub("", text))


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _midnight(date: PartialDate) -> dt.datetime:
    return dt.datetime.combine(date.earliest(), dt.time(0, 0), tzinfo=dt.UTC)


def published_time(record: Record) -> dt.datetime:
    """When the record entered the tracker."""
    return _midnight(record.added)


def updated_time(record: Record) -> dt.datetime:
    """When the record last changed, as far as its data says: its last check, or its addition."""
    dates = [record.added] + ([record.last_verified] if record.last_verified else [])
    return _midnight(max(dates))


def rfc3339(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc822(moment: dt.datetime) -> str:
    return format_datetime(moment, usegmt=True)


@dataclass(frozen=True)
class Feed:
    """One feed: where it lives and what it holds (newest additions first)."""

    path: str  # without extension, e.g. "feeds/kind/model"
    title: str
    description: str
    page: str  # the page the feed belongs to, e.g. "models/index.md"
    records: tuple[Record, ...]
    #: The heading it is listed under on the Feeds page.
    group: str = "Everything"
    #: Provisions and action items of policies, or changes to records, merged with the
    #: records by date.
    notes: tuple[PolicyNote | Change, ...] = ()

    #: The notes are newest first already (changes, in the history's order).
    ordered: bool = False

    @property
    def size(self) -> int:
        """Entries the feed holds (before the cap per feed)."""
        return len(self.records) + len(self.notes)


def newest_additions(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.added.key, r.date.key, r.id), reverse=True)


def site_feeds(catalog: Catalog, site: Site) -> list[Feed]:
    """Every feed of the site, in a stable order: everything, then each facet's values."""
    feeds = [
        Feed(
            paths.ALL_FEED,
            f"{site.name}: all records",
            "Every record added to the tracker.",
            paths.HOME,
            tuple(catalog.latest_added),
        ),
    ]
    notes_by_place: dict[str, list[PolicyNote]] = {}
    for record in catalog.of_kind("policy"):
        if isinstance(record, Policy):
            notes_by_place.setdefault(record.jurisdiction, []).extend(policy_notes(record, catalog))
    feeds.append(
        Feed(
            paths.OPEN_SOURCE_POLICY_FEED,
            f"{site.name}: open source in AI policy",
            "Provisions of AI policies on open-source and open-weight AI, and the status of "
            "the open-source actions of plans.",
            paths.OPEN_SOURCE_POLICY_PAGE,
            (),
            notes=tuple(note for notes in notes_by_place.values() for note in notes),
        )
    )
    feeds += change_feeds(catalog, site)
    for facet in FACETS.values():
        groups = catalog.groups[facet.name]
        # Kinds keep the order the site shows them in; other values go alphabetically.
        values = [k for k in MODELS if k in groups] if facet.name == "kind" else list(groups)
        for value in values:
            if facet.name == "kind":
                plural = MODELS[value].plural
                title, description = plural, f"{plural.capitalize()} added to the tracker."
            else:
                title = facet.text(value, catalog)
                description = f"Records for {title}."
            feeds.append(
                Feed(
                    facet.feed(value),
                    f"{site.name}: {title}",
                    description,
                    facet.page(value),
                    tuple(newest_additions(groups[value])),
                    facet.feed_heading,
                    tuple(notes_by_place.get(value, ())) if facet.name == "place" else (),
                )
            )
    return feeds


def change_feeds(catalog: Catalog, site: Site) -> list[Feed]:
    """The feeds of changes: site-wide, and per kind, jurisdiction, organization and tag.
    Additions stay in the other feeds; these hold every change, additions included, so a
    subscriber to changes misses nothing."""
    history = catalog.history
    if not history.available:
        return []
    feeds = [
        Feed(
            paths.CHANGES_FEED,
            f"{site.name}: changes",
            "Every change to a record: additions, corrections, new statuses, licences, dates.",
            paths.CHANGES_PAGE,
            (),
            "Changes",
            tuple(history.changes),
            ordered=True,
        )
    ]
    for name in CHANGE_FACETS:
        facet = FACETS[name]
        for value in catalog.groups[name]:
            changes = catalog.change_groups.get((name, value))
            if not changes:
                continue
            title = MODELS[value].plural if name == "kind" else facet.text(value, catalog)
            feeds.append(
                Feed(
                    facet.change_feed(value),
                    f"{site.name}: changes to {title}",
                    f"Every change to the records for {title}.",
                    facet.page(value),
                    (),
                    f"Changes {facet.feed_heading[0].lower()}{facet.feed_heading[1:]}",
                    tuple(changes),
                    ordered=True,
                )
            )
    return feeds


@dataclass(frozen=True)
class Entry:
    """What every format says about one entry: a record, or a note on a policy's provision or
    action item."""

    key: tuple  # newest first when sorted in reverse
    id: str
    url: str
    external_url: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    content_html: str
    categories: list[str]
    event: PartialDate
    kind: str
    where: str


class FeedWriter:
    """Renders feeds for one site URL; entries are rendered once per format and cached."""

    def __init__(self, catalog: Catalog, site: Site) -> None:
        self.catalog = catalog
        self.site = site
        self._entries: dict[str, Entry] = {}
        self._atom: dict[str, str] = {}
        self._rss: dict[str, str] = {}
        self._json: dict[str, dict] = {}

    # -- shared entry facts ---------------------------------------------------------------

    def entry(self, item: Item) -> Entry:
        if isinstance(item, Record):
            key = item.id
        elif isinstance(item, Change):
            key = self._change_id(item)
        else:
            key = item.entry_id(self.site)
        cached = self._entries.get(key)
        if cached is None:
            if isinstance(item, Record):
                cached = self._record_entry(item)
            elif isinstance(item, Change):
                cached = self._change_entry(item)
            else:
                cached = self._note_entry(item)
            self._entries[key] = cached
        return cached

    def _change_id(self, change: Change) -> str:
        """A change's stable id: its record's URL and the commit (the anchor on the page)."""
        return self.site.record_url(change.record_id) + "#" + change.anchor

    def _change_entry(self, change: Change) -> Entry:
        record = self.catalog.by_id.get(change.record_id)
        title = record.title if record else change.record_id
        url = self._change_id(change)
        where_ = where(record, self.catalog) if record else ""
        moment = dt.datetime(change.day.year, change.day.month, change.day.day, tzinfo=dt.UTC)
        body = (
            f"<p>{escape(change.action.capitalize())} · {escape(change.day.isoformat())}"
            f"{' · ' + escape(where_) if where_ else ''}</p>"
            f"<p>{escape(change.words)}</p><p>{escape(change.subject)}</p>"
        )
        day = PartialDate.parse(change.day.isoformat())
        return Entry(
            key=(day.key, day.key, url),
            id=url,
            url=url,
            external_url=self.site.record_url(change.record_id),
            title=f"{title}: {change.words}",
            published=moment,
            updated=moment,
            content_html=clean(body),
            categories=[change.record_kind, *change.categories],
            event=day,
            kind=change.record_kind,
            where=where_,
        )

    def _record_entry(self, record: Record) -> Entry:
        where_ = where(record, self.catalog)
        facts = (
            f"<p>{escape(record.kind_name.capitalize())} · {escape(record.date.display())}"
            f"{' · ' + escape(where_) if where_ else ''}</p>"
        )
        primary = record.sources[0]
        source = (
            f'<p>Source: <a href="{escape(primary.url, {chr(34): "&quot;"})}">'
            f"{escape(primary.title)}</a> ({escape(primary.publisher)})</p>"
        )
        url = self.site.record_url(record.id)
        return Entry(
            key=(record.added.key, record.date.key, record.id),
            id=url,
            url=url,
            external_url=primary.url,
            title=record.title,
            published=published_time(record),
            updated=updated_time(record),
            content_html=clean(facts + summary_html(record.summary) + source),
            categories=[record.kind_name, *record.tags],
            event=record.date,
            kind=record.kind_name,
            where=where_,
        )

    def _note_entry(self, note: PolicyNote) -> Entry:
        policy = note.policy
        checked = policy.last_verified or policy.added
        url = self.site.record_url(policy.id) + "#" + note.anchor
        entry_id = note.entry_id(self.site)
        where_ = where(policy, self.catalog)
        facts = (
            f"<p>{escape(note.what)} · {escape(note.event.display())}"
            f"{' · ' + escape(where_) if where_ else ''}</p>"
        )
        back = (
            f'<p>From <a href="{escape(url, {chr(34): "&quot;"})}">{escape(policy.title)}</a></p>'
        )
        return Entry(
            key=(checked.key, note.event.key, entry_id),
            id=entry_id,
            url=url,
            external_url=note.external_url,
            title=note.title,
            published=_midnight(checked),
            updated=_midnight(checked),
            content_html=clean(facts + note.body_html + back),
            categories=[note.category, *policy.tags],
            event=note.event,
            kind=note.category,
            where=where_,
        )

    # -- per-format entries ---------------------------------------------------------------

    def atom_entry(self, item: Item) -> str:
        entry = self.entry(item)
        cached = self._atom.get(entry.id)
        if cached is not None:
            return cached
        categories = "".join(f"<category term={xml_attr(term)}/>" for term in entry.categories)
        text = (
            "<entry>"
            f"<id>{xml_text(entry.id)}</id>"
            f'<title type="text">{xml_text(entry.title)}</title>'
            f'<link rel="alternate" type="text/html" href={xml_attr(entry.url)}/>'
            f'<link rel="related" href={xml_attr(entry.external_url)}/>'
            f"<published>{rfc3339(entry.published)}</published>"
            f"<updated>{rfc3339(entry.updated)}</updated>"
            f'<content type="html">{xml_text(entry.content_html)}</content>'
            f"{categories}"
            f"<osai:event date={xml_attr(entry.event.isoformat())} "
            f"precision={xml_attr(entry.event.precision.value)} "
            f"kind={xml_attr(entry.kind)}"
            f"{' where=' + xml_attr(entry.where) if entry.where else ''}/>"
            "</entry>"
        )
        self._atom[entry.id] = text
        return text

    def rss_item(self, item: Item) -> str:
        entry = self.entry(item)
        cached = self._rss.get(entry.id)
        if cached is not None:
            return cached
        categories = "".join(f"<category>{xml_text(term)}</category>" for term in entry.categories)
        permalink = "true" if entry.id == entry.url else "false"
        text = (
            "<item>"
            f"<title>{xml_text(entry.title)}</title>"
            f"<link>{xml_text(entry.url)}</link>"
            f'<guid isPermaLink="{permalink}">{xml_text(entry.id)}</guid>'
            f"<pubDate>{rfc822(entry.published)}</pubDate>"
            f"<description>{xml_text(entry.content_html)}</description>"
            f"{categories}"
            f"<osai:event date={xml_attr(entry.event.isoformat())} "
            f"precision={xml_attr(entry.event.precision.value)} kind={xml_attr(entry.kind)}/>"
            "</item>"
        )
        self._rss[entry.id] = text
        return text

    def json_item(self, item: Item) -> dict:
        entry = self.entry(item)
        cached = self._json.get(entry.id)
        if cached is not None:
            return cached
        found = {
            "id": entry.id,
            "url": entry.url,
            "external_url": entry.external_url,
            "title": clean(entry.title),
            "content_html": entry.content_html,
            "date_published": rfc3339(entry.published),
            "date_modified": rfc3339(entry.updated),
            "tags": [clean(term) for term in entry.categories],
            "_osai": {
                "kind": entry.kind,
                "event_date": entry.event.isoformat(),
                "event_date_precision": entry.event.precision.value,
                "where": clean(entry.where),
            },
        }
        self._json[entry.id] = found
        return found

    # -- whole feeds ----------------------------------------------------------------------

    def newest_entries(self, feed: Feed) -> list[Item]:
        """The feed's records and notes, newest first, at most ``ENTRIES_PER_FEED``."""
        if not feed.notes:
            return list(feed.records[:ENTRIES_PER_FEED])
        if feed.ordered and not feed.records:
            return list(feed.notes[:ENTRIES_PER_FEED])
        items: list[Item] = [*feed.records[:ENTRIES_PER_FEED], *feed.notes]
        items.sort(key=lambda item: self.entry(item).key, reverse=True)
        return items[:ENTRIES_PER_FEED]

    def render(self, feed: Feed) -> dict[str, bytes]:
        """The feed in every format: path with extension -> bytes."""
        entries = self.newest_entries(feed)
        updated = max(
            (self.entry(item).updated for item in entries), default=_midnight(PartialDate(2000))
        )
        page_url = self.site.absolute(feed.page)
        urls = {fmt: self.site.absolute(paths.feed_file(feed.path, fmt)) for fmt in FORMATS}
        atom = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:osai="{OSAI_NS}">'
            f"<id>{xml_text(urls['atom'])}</id>"
            f'<title type="text">{xml_text(feed.title)}</title>'
            f'<subtitle type="text">{xml_text(feed.description)}</subtitle>'
            f'<link rel="self" type="application/atom+xml" href={xml_attr(urls["atom"])}/>'
            f'<link rel="alternate" type="text/html" href={xml_attr(page_url)}/>'
            f"<updated>{rfc3339(updated)}</updated>"
            f"<author><name>{xml_text(self.site.name)}</name></author>"
            f"<generator>{xml_text(self.site.name)}</generator>"
            + "".join(self.atom_entry(r) for r in entries)
            + "</feed>\n"
        )
        rss = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            f'xmlns:osai="{OSAI_NS}"><channel>'
            f"<title>{xml_text(feed.title)}</title>"
            f"<link>{xml_text(page_url)}</link>"
            f"<description>{xml_text(feed.description)}</description>"
            f'<atom:link rel="self" type="application/rss+xml" href={xml_attr(urls["rss"])}/>'
            f"<lastBuildDate>{rfc822(updated)}</lastBuildDate>"
            "<docs>https://www.rssboard.org/rss-specification</docs>"
            + "".join(self.rss_item(r) for r in entries)
            + "</channel></rss>\n"
        )
        json_feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": clean(feed.title),
            "description": clean(feed.description),
            "home_page_url": page_url,
            "feed_url": urls["json"],
            "language": "en",
            "items": [self.json_item(r) for r in entries],
        }
        return {
            paths.feed_file(feed.path, "atom"): atom.encode("utf-8"),
            paths.feed_file(feed.path, "rss"): rss.encode("utf-8"),
            paths.feed_file(feed.path, "json"): (
                json.dumps(json_feed, ensure_ascii=False, separators=(",", ":")) + "\n"
            ).encode("utf-8"),
        }


#: Folders that hold feeds. The theme fetches ``sitemap.xml`` next to every
#: ``<link rel="alternate">`` of a page (it expects translations there); an empty sitemap in
#: each feed folder answers it instead of a 404.
def feed_folders(feeds: Iterable[Feed]) -> list[str]:
    return sorted({feed.path.rsplit("/", 1)[0] for feed in feeds})


EMPTY_SITEMAP = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def feed_files(
    catalog: Catalog, site: Site, feeds: list[Feed] | None = None
) -> tuple[list[Feed], dict[str, bytes]]:
    """Every feed file, path -> bytes, with the feeds that produced them (``feeds``: the
    site's feeds when the caller has them already)."""
    feeds = site_feeds(catalog, site) if feeds is None else feeds
    writer = FeedWriter(catalog, site)
    files: dict[str, bytes] = {}
    for feed in feeds:
        files.update(writer.render(feed))
    for folder in feed_folders(feeds):
        files[f"{folder}/sitemap.xml"] = EMPTY_SITEMAP
    return feeds, files
