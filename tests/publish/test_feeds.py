from __future__ import annotations

import json
import re

import feedparser
import pytest

from publish.catalog import Catalog
from publish.feeds import ENTRIES_PER_FEED, feed_files
from publish.paths import Site
from schemas import PartialDate
from tests.publish.conftest import catalog_of, news

SITE = "https://tracker.example.org/"
SITE_AT = Site(url=SITE)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$"
)
JSON_FEED_KEYS = {
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
}
JSON_ITEM_KEYS = {
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
}


def files_of(catalog: Catalog) -> dict[str, bytes]:
    return feed_files(catalog, SITE_AT)[1]


def feeds_in(files: dict[str, bytes], ext: str) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.endswith(ext)}


def check_json_feed(data: bytes) -> dict:
    """JSON Feed 1.1, checked against its specification (feedparser cannot read it)."""
    feed = json.loads(data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    assert all(key in JSON_FEED_KEYS or key.startswith("_") for key in feed)
    for key in ("home_page_url", "feed_url"):
        assert feed[key].startswith("https://")
    for item in feed["items"]:
        assert all(key in JSON_ITEM_KEYS or key.startswith("_") for key in item)
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        for key in ("date_published", "date_modified"):
            assert RFC3339.match(item[key]), item[key]
        assert all(isinstance(tag, str) for tag in item["tags"])
    return feed


@pytest.mark.parametrize("fixture", ["valid_catalog", "hostile_catalog"])
def test_every_feed_is_valid(fixture: str, request: pytest.FixtureRequest) -> None:
    files = files_of(request.getfixturevalue(fixture))
    for path, data in feeds_in(files, ".atom").items():
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.id and parsed.feed.title and parsed.feed.updated
        for entry in parsed.entries:
            assert entry.id and entry.title and entry.updated and entry.link
            assert RFC3339.match(entry.updated) and RFC3339.match(entry.published)
    for path, data in feeds_in(files, ".rss").items():
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20"
        assert RFC822.match(parsed.feed.updated)
        for entry in parsed.entries:
            assert RFC822.match(entry.published), entry.published
    for data in feeds_in(files, ".json").values():
        check_json_feed(data)


def test_facets_and_urls(valid_catalog: Catalog) -> None:
    files = files_of(valid_catalog)
    for path in [
        "feeds/all.atom",
        "feeds/kind/model.rss",
        "feeds/jurisdiction/gb.json",
        "feeds/jurisdiction/us-ca.atom",
        "feeds/organization/acme-lab.atom",
        "feeds/tag/open-weights.rss",
        "feeds/access/open-weights.json",
    ]:
        assert path in files, path
    model_feed = feedparser.parse(files["feeds/kind/model.atom"])
    assert {e.title for e in model_feed.entries} == {"Acme 7B", "Acme 7B Reasoner"}
    gb = check_json_feed(files["feeds/jurisdiction/gb.json"])
    assert {item["title"] for item in gb["items"]} == {
        "Open Models Act: a test law",
        "Open Models Act: a test law: Section 4(2) (exemption)",
        "Open Models Act: a test law: Section 4(3) (obligation)",
        "Open Models Action Plan: a test plan",
        "Open Models Action Plan: a test plan: Chapter 2 (procurement)",
        "Open Models Action Plan: a test plan: done: Legislate to exempt open-weight models "
        "from registration.",
        "Open Models Action Plan: a test plan: under way: Fund a public compute service for "
        "open-model research.",
        "Open Models Action Plan: a test plan: not started: Publish a register of open models "
        "used in government.",
        "Ministry of Tests",
    }
    assert gb["feed_url"] == SITE + "feeds/jurisdiction/gb.json"


def test_provisions_and_action_items_are_entries_of_their_jurisdiction(
    valid_catalog: Catalog,
) -> None:
    files = files_of(valid_catalog)
    plan = SITE + "records/test-open-models-plan/"
    for path in ["feeds/jurisdiction/gb.json", "feeds/open-source-policy.json"]:
        items = {item["id"]: item for item in check_json_feed(files[path])["items"]}
        done = items[plan + "#action-action-1/done"]
        # The entry links to the item's row on the policy page and dates the status change.
        assert done["url"] == plan + "#action-action-1"
        assert done["_osai"] == {
            "kind": "action-item",
            "event_date": "2024-03-01",
            "event_date_precision": "day",
            "where": "United Kingdom · Ministry of Tests",
        }
        assert "Open Models Act: a test law" in done["content_html"]  # evidence by title
        exemption = items[SITE + "records/test-open-models-act/#provision-section-4-2"]
        assert exemption["_osai"]["event_date"] == "2025-01-01"  # applies_from
        assert exemption["external_url"] == "https://ministry.example/acts/open-models"
        limit = items[SITE + "records/test-open-models-act/#provision-section-4-3"]
        assert limit["external_url"] == "https://ministry.example/acts/open-models/notes"
    # Policies of other places carry no notes; the everything feed stays records only.
    assert not any("#" in item["id"] for item in check_json_feed(files["feeds/all.json"])["items"])
    atom = feedparser.parse(files["feeds/open-source-policy.atom"])
    assert len(atom.entries) == 6
    assert len({entry.id for entry in atom.entries}) == 6


def test_same_entries_in_every_format(valid_catalog: Catalog) -> None:
    files = files_of(valid_catalog)
    for atom_path in feeds_in(files, ".atom"):
        stem = atom_path.removesuffix(".atom")
        atom = [e.id for e in feedparser.parse(files[atom_path]).entries]
        rss = [e.id for e in feedparser.parse(files[stem + ".rss"]).entries]
        items = [item["id"] for item in json.loads(files[stem + ".json"])["items"]]
        assert atom == rss == items, stem
        assert atom, stem


def test_entry_carries_event_date_precision_kind_and_sources(valid_catalog: Catalog) -> None:
    files = files_of(valid_catalog)
    item = next(
        i
        for i in json.loads(files["feeds/all.json"])["items"]
        if i["id"].endswith("/records/acme-7b/")
    )
    assert item["url"] == SITE + "records/acme-7b/"
    assert item["external_url"] == "https://acme.example/blog/acme-7b?utm_source=feed"
    assert item["_osai"] == {
        "kind": "model",
        "event_date": "2024-05",
        "event_date_precision": "month",
        "where": "Acme Lab · Norway",
    }
    assert item["tags"] == ["model", "open-weights", "small-models"]
    atom = files["feeds/all.atom"].decode()
    assert (
        '<osai:event date="2024-05" precision="month" kind="model" where="Acme Lab · Norway"/>'
        in atom
    )
    entry = next(
        e
        for e in feedparser.parse(files["feeds/all.atom"]).entries
        if e.id.endswith("/records/acme-7b/")
    )
    assert [t.term for t in entry.tags] == ["model", "open-weights", "small-models"]
    assert any(
        link.rel == "related" and link.href.startswith("https://acme.example/")
        for link in entry.links
    )


def test_newest_additions_first_and_at_most_50() -> None:
    records = [
        news(f"item-{i:02d}", f"Item {i}", f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}")
        for i in range(60)
    ]
    files = files_of(catalog_of(records))
    items = json.loads(files["feeds/all.json"])["items"]
    assert len(items) == ENTRIES_PER_FEED
    published = [item["date_published"] for item in items]
    assert published == sorted(published, reverse=True)
    newest = max(r.added.key for r in records)
    assert json.loads(files["feeds/all.json"])["items"][0]["date_published"].startswith(
        "{:04d}-{:02d}-{:02d}".format(*newest)
    )
    assert "2025-12-" in feedparser.parse(files["feeds/all.atom"]).feed.updated


def test_ids_stay_and_updated_follows_the_data_when_a_record_is_edited() -> None:
    before = files_of(catalog_of([news("story", "Story", "2025-02-01")]))
    edited = news(
        "story",
        "Story, corrected",
        "2025-02-01",
        summary="A better summary.",
        last_verified=PartialDate.parse("2025-03-04"),
    )
    after = files_of(catalog_of([edited]))
    old = feedparser.parse(before["feeds/all.atom"]).entries[0]
    new = feedparser.parse(after["feeds/all.atom"]).entries[0]
    assert old.id == new.id == SITE + "records/story/"
    assert old.updated == "2025-02-01T00:00:00Z"
    assert new.updated == "2025-03-04T00:00:00Z"
    assert new.published == old.published


def test_hostile_text_gives_valid_safe_feeds() -> None:
    hostile = [
        news(
            "control",
            "Bell\x07 and\x0b tab\x1b and \x00 null",
            "2025-01-01",
            summary="Vertical\x0btab <script>alert(1)</script> ]]> <![CDATA[ x ]]> & <b>bold</b>",
        ),
        news("long", "Long " + "title " * 2000, "2025-01-02"),
        news(
            "scripts",
            "日本語 العربية עברית 🚀 ‮reversed‬",
            "2025-01-03",
            summary="[link](javascript:alert(2)) <img src=x onerror=alert(3)>",
        ),
    ]
    files = files_of(catalog_of(hostile))
    for path, data in files.items():
        if path.endswith((".atom", ".rss")):
            assert feedparser.parse(data).bozo == 0, path
            assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data), path
            text = data.decode()
            assert "<script" not in text and "]]>" not in text
            assert "javascript:" not in text and "onerror" not in text.replace(
                "onerror=alert(3)", ""
            )
        if path.endswith(".json"):
            check_json_feed(data)
    parsed = feedparser.parse(files["feeds/all.atom"])
    titles = {e.title for e in parsed.entries}
    assert "Bell and tab and  null" in titles
    assert "日本語 العربية עברית 🚀 ‮reversed‬" in titles
    assert any(len(t) > 10000 for t in titles)


def test_building_twice_gives_identical_bytes(
    valid_catalog: Catalog, hostile_catalog: Catalog
) -> None:
    for catalog in (valid_catalog, hostile_catalog):
        assert files_of(catalog) == files_of(catalog)
