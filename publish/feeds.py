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
from publish.catalog import Catalog
from publish.facets import FACETS
from publish.kinds import where
from publish.markup import summary_html
from publish.paths import Site
from schemas import MODELS, Record
from schemas.dates import PartialDate

ENTRIES_PER_FEED = 50
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
                )
            )
    return feeds


class FeedWriter:
    """Renders feeds for one site URL; entry fragments are cached per record."""

    def __init__(self, catalog: Catalog, site: Site) -> None:
        self.catalog = catalog
        self.site = site
        self._atom: dict[str, str] = {}
        self._rss: dict[str, str] = {}
        self._json: dict[str, dict] = {}
        self._content: dict[str, str] = {}

    # -- shared entry facts ---------------------------------------------------------------

    def _content_html(self, record: Record) -> str:
        cached = self._content.get(record.id)
        if cached is None:
            cached = self._content[record.id] = self._render_content(record)
        return cached

    def _render_content(self, record: Record) -> str:
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
        return clean(facts + summary_html(record.summary) + source)

    def _categories(self, record: Record) -> list[str]:
        return [record.kind_name, *record.tags]

    # -- per-format entries ---------------------------------------------------------------

    def atom_entry(self, record: Record) -> str:
        cached = self._atom.get(record.id)
        if cached is not None:
            return cached
        url = self.site.record_url(record.id)
        categories = "".join(
            f"<category term={xml_attr(term)}/>" for term in self._categories(record)
        )
        where_ = where(record, self.catalog)
        text = (
            "<entry>"
            f"<id>{xml_text(url)}</id>"
            f'<title type="text">{xml_text(record.title)}</title>'
            f'<link rel="alternate" type="text/html" href={xml_attr(url)}/>'
            f'<link rel="related" href={xml_attr(record.sources[0].url)}/>'
            f"<published>{rfc3339(published_time(record))}</published>"
            f"<updated>{rfc3339(updated_time(record))}</updated>"
            f'<content type="html">{xml_text(self._content_html(record))}</content>'
            f"{categories}"
            f"<osai:event date={xml_attr(record.date.isoformat())} "
            f"precision={xml_attr(record.date.precision.value)} "
            f"kind={xml_attr(record.kind_name)}"
            f"{' where=' + xml_attr(where_) if where_ else ''}/>"
            "</entry>"
        )
        self._atom[record.id] = text
        return text

    def rss_item(self, record: Record) -> str:
        cached = self._rss.get(record.id)
        if cached is not None:
            return cached
        url = self.site.record_url(record.id)
        categories = "".join(
            f"<category>{xml_text(term)}</category>" for term in self._categories(record)
        )
        text = (
            "<item>"
            f"<title>{xml_text(record.title)}</title>"
            f"<link>{xml_text(url)}</link>"
            f'<guid isPermaLink="true">{xml_text(url)}</guid>'
            f"<pubDate>{rfc822(published_time(record))}</pubDate>"
            f"<description>{xml_text(self._content_html(record))}</description>"
            f"{categories}"
            f"<osai:event date={xml_attr(record.date.isoformat())} "
            f"precision={xml_attr(record.date.precision.value)} kind={xml_attr(record.kind_name)}/>"
            "</item>"
        )
        self._rss[record.id] = text
        return text

    def json_item(self, record: Record) -> dict:
        cached = self._json.get(record.id)
        if cached is not None:
            return cached
        url = self.site.record_url(record.id)
        item = {
            "id": url,
            "url": url,
            "external_url": record.sources[0].url,
            "title": clean(record.title),
            "content_html": self._content_html(record),
            "date_published": rfc3339(published_time(record)),
            "date_modified": rfc3339(updated_time(record)),
            "tags": [clean(term) for term in self._categories(record)],
            "_osai": {
                "kind": record.kind_name,
                "event_date": record.date.isoformat(),
                "event_date_precision": record.date.precision.value,
                "where": clean(where(record, self.catalog)),
            },
        }
        self._json[record.id] = item
        return item

    # -- whole feeds ----------------------------------------------------------------------

    def render(self, feed: Feed) -> dict[str, bytes]:
        """The feed in every format: path with extension -> bytes."""
        entries = list(feed.records[:ENTRIES_PER_FEED])
        updated = max((updated_time(r) for r in entries), default=_midnight(PartialDate(2000)))
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


def feed_files(catalog: Catalog, site: Site) -> tuple[list[Feed], dict[str, bytes]]:
    """Every feed file, path -> bytes, with the feeds that produced them."""
    feeds = site_feeds(catalog, site)
    writer = FeedWriter(catalog, site)
    files: dict[str, bytes] = {}
    for feed in feeds:
        files.update(writer.render(feed))
    for folder in feed_folders(feeds):
        files[f"{folder}/sitemap.xml"] = EMPTY_SITEMAP
    return feeds, files
