"""The real MkDocs build: strict, byte-stable, feeds discoverable, invalid records refused."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from publish.catalog import Catalog
from publish.charts import site_charts
from schemas import load_records
from tests.conftest import FIXTURES, ROOT
from tests.site.conftest import build_site

FEED_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml", "json": "application/feed+json"}


def digest_tree(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    records = FIXTURES / "valid" / "records"
    first = digest_tree(build_site(records, tmp_path / "one"))
    second = digest_tree(build_site(records, tmp_path / "two"))
    # Pagefind's filter and metadata indexes are not byte-stable across runs (a known
    # upstream limitation); every page, feed, calendar and data file is.
    stable = {path for path in first if not path.startswith("pagefind/")}
    assert stable == {path for path in second if not path.startswith("pagefind/")}
    assert {p: first[p] for p in stable} == {p: second[p] for p in stable}
    fragments = {p for p in first if p.startswith("pagefind/fragment/")}
    assert fragments and fragments == {p for p in second if p.startswith("pagefind/fragment/")}


def feed_link(page: Path, html: str, mime: str, main: bool = True) -> Path | None:
    """The file a page's first (main) or last (own) feed link of a type points at."""
    links = re.findall(rf'<link rel="alternate" type="{re.escape(mime)}" [^>]*href="([^"]+)"', html)
    if not links:
        return None
    return (page.parent / (links[0] if main else links[-1])).resolve()


def test_every_page_links_the_main_feeds_and_facet_pages_link_their_own(valid_site: Path) -> None:
    pages = sorted(valid_site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for fmt, mime in FEED_TYPES.items():
            assert feed_link(page, html, mime) == (valid_site / f"feeds/all.{fmt}").resolve(), page
    facet_pages = {
        "jurisdictions/gb/index.html": "feeds/jurisdiction/gb",
        "tags/open-weights/index.html": "feeds/tag/open-weights",
        "access/open-weights/index.html": "feeds/access/open-weights",
        "records/acme-lab/index.html": "feeds/organization/acme-lab",
        "records/mit/index.html": "feeds/license/mit",
        "license-terms/osi-approved/index.html": "feeds/license-term/osi-approved",
        "models/index.html": "feeds/kind/model",
    }
    for page, feed in facet_pages.items():
        html = (valid_site / page).read_text(encoding="utf-8")
        for fmt, mime in FEED_TYPES.items():
            target = feed_link(valid_site / page, html, mime, main=False)
            assert target == (valid_site / f"{feed}.{fmt}").resolve(), (page, fmt)
            assert target.is_file()


def test_feeds_page_lists_every_feed_and_they_exist(valid_site: Path) -> None:
    html = (valid_site / "feeds" / "index.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'<code>/(feeds/[^<]+|calendar/[^<]+)</code>', html))
    on_disk = {
        str(path.relative_to(valid_site))
        for path in valid_site.glob("feeds/**/*")
        if path.suffix in (".atom", ".rss", ".json")
    } | {str(path.relative_to(valid_site)) for path in valid_site.glob("calendar/**/*.ics")}
    assert listed == on_disk
    for path in on_disk:
        if path.endswith((".atom", ".rss")):
            assert feedparser.parse((valid_site / path).read_bytes()).bozo == 0, path


def test_data_files_are_published(valid_site: Path) -> None:
    for path in ["data/records.json", "data/records.csv", "data/records/acme-7b.json",
                 "data/schema/model.schema.json", "calendar/all.ics", "sitemap.xml"]:
        assert (valid_site / path).is_file(), path
    html = (valid_site / "data" / "index.html").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in html and "parameters_total" in html


def test_record_pages_are_not_in_the_navigation(valid_site: Path) -> None:
    html = (valid_site / "index.html").read_text(encoding="utf-8")
    assert "records/acme-7b/" in html  # the latest additions link it...
    navigation = re.findall(r"<nav\b.*?</nav>", html, re.S)
    assert navigation and not any("records/" in nav for nav in navigation)  # ...the nav does not


def test_invalid_records_stop_the_build_with_located_errors(tmp_path: Path) -> None:
    with pytest.raises(AssertionError) as failure:
        build_site(FIXTURES / "broken" / "records", tmp_path, search_index=False)
    message = str(failure.value)
    assert "problems in the records (run 'osai validate')" in message
    assert "models/duplicate-key.yaml:4:1: title: duplicate key 'title'" in message
    assert "Traceback" not in message


def test_the_shipped_corpus_builds_strictly(tmp_path: Path) -> None:
    site = build_site(ROOT / "records", tmp_path, search_index=False)
    assert (site / "records" / "deepseek-r1" / "index.html").is_file()
    assert (site / "feeds" / "kind" / "model.atom").is_file()


def test_generate_command_writes_the_tree_outside_docs(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    command = [sys.executable, "-m", "osai", "generate", "--out", str(out),
               "--records", str(FIXTURES / "valid" / "records")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (out / "records" / "acme-7b" / "index.md").is_file()
    assert (out / "feeds" / "all.atom").is_file()
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert again.stdout.strip().endswith(", 0 written")
    refused = subprocess.run([*command[:4], str(ROOT / "docs" / "generated")], cwd=ROOT,
                             capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and not (ROOT / "docs" / "generated").exists()


def test_contributing_page_is_made_from_the_guide(valid_site: Path) -> None:
    html = (valid_site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert "osai review --base origin/main" in html
    assert 'href="../record-format/"' in html


def test_charts_are_inline_svg_with_their_data(valid_site: Path) -> None:
    html = (valid_site / "charts" / "index.html").read_text(encoding="utf-8")
    # The site's own charts, and the stances over time.
    charts = len(site_charts(Catalog(load_records([FIXTURES / "valid" / "records"])))) + 1
    assert charts >= 6
    assert html.count('<svg class="osai-chart"') == charts
    assert "&lt;svg" not in html
    assert html.count('<details class="osai-chart-data">') == charts
    home = (valid_site / "index.html").read_text(encoding="utf-8")
    assert '<svg class="osai-chart"' in home and "&lt;svg" not in home
