"""Every internal link of the built site resolves to a file, and its fragment to an element of
that page: each ``href`` and ``src`` of every page, each site link in every feed, and each page
of the sitemap (the real records)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from publish.build import page_source
from schemas import Model, load_records
from tests.conftest import ROOT
from tests.site.conftest import build_site

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
ORIGIN = "https://osai.invalid/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(ROOT / "records", tmp_path_factory.mktemp("real-site"))


def _target(site: Path, page_url: str, link: str) -> Path | None:
    """The file a link points at, or None when it leaves the site."""
    if link.startswith(SITE_URL):
        link = "/" + link[len(SITE_URL) :]
    absolute = urljoin(ORIGIN + page_url, link)
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}/" != ORIGIN:
        return None
    path = unquote(parts.path).lstrip("/")
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") else target


_IDS: dict[Path, frozenset[str]] = {}


def _has_anchor(target: Path, link: str) -> bool:
    """True when the link has no fragment or the page has an element with that id."""
    fragment = unquote(urlsplit(link).fragment)
    if not fragment or target.suffix != ".html":
        return True
    if target not in _IDS:
        _IDS[target] = frozenset(re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8")))
    return fragment in _IDS[target]


def _broken(site: Path, page_url: str, links: list[str]) -> list[str]:
    """Links to files that do not exist, or to an anchor their page does not have."""
    return [
        link
        for link in links
        if not link.startswith(("mailto:", "data:", "#"))
        and (target := _target(site, page_url, link)) is not None
        and not (target.is_file() and _has_anchor(target, link))
    ]


def test_every_link_of_every_page_resolves(real_site: Path) -> None:
    broken: dict[str, list[str]] = {}
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > len(list((ROOT / "records").rglob("*.yaml")))  # a page per record, and more
    for page in pages:
        relative = page.relative_to(real_site).as_posix()
        page_url = relative.removesuffix("index.html")
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        missing = _broken(real_site, page_url, parser.links)
        if missing:
            broken[relative] = missing
    assert broken == {}, f"{sum(map(len, broken.values()))} broken links in {len(broken)} pages"


def test_every_site_link_of_every_feed_and_the_sitemap_resolves(real_site: Path) -> None:
    links: list[tuple[str, str]] = []
    for feed in sorted(real_site.glob("feeds/**/*")):
        if feed.suffix in (".atom", ".rss"):
            text = feed.read_text(encoding="utf-8")
            found = re.findall(r'href="([^"]+)"', text) + re.findall(r"<link>([^<]+)</link>", text)
            links += [(str(feed), link) for link in found]
        elif feed.suffix == ".json":
            data = json.loads(feed.read_text(encoding="utf-8"))
            found = [data["home_page_url"], data["feed_url"]] + [i["url"] for i in data["items"]]
            links += [(str(feed), link) for link in found]
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    links += [("sitemap.xml", link) for link in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert len(links) > len(list((ROOT / "records").rglob("*.yaml")))
    broken = [
        (where, link)
        for where, link in links
        if link.startswith(SITE_URL) and _broken(real_site, "", [link])
    ]
    assert broken == []


def test_comparison_page_lists_every_model_once(real_site: Path) -> None:
    html = (real_site / "compare" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="osai-entry"[^>]*>\s*<td[^>]*><a href="([^"]+)"', html)
    listed = sorted(link.rstrip("/").rsplit("/", 1)[-1] for link in rows)
    models = sorted(path.stem for path in (ROOT / "records" / "models").glob("*.yaml"))
    assert listed == models


def test_every_licence_page_lists_its_models(real_site: Path) -> None:
    corpus = load_records([ROOT / "records"])
    names = corpus.licences()
    models = [record for record in corpus.records if isinstance(record, Model)]
    assert models
    for model in models:
        licence = names[model.license]
        html = (real_site / "records" / licence.id / "index.html").read_text(encoding="utf-8")
        assert f'href="../{model.id}/"' in html, (licence.id, model.id)


def test_licences_are_on_the_timeline_but_the_proprietary_marker_is_not(real_site: Path) -> None:
    timeline = " ".join(
        page.read_text(encoding="utf-8") for page in (real_site / "timeline").rglob("*.html")
    )
    assert "records/llama-3-1-community/" in timeline
    assert "records/proprietary/" not in timeline


def test_the_generated_tree_builds_with_plain_mkdocs_and_its_links_resolve(tmp_path: Path) -> None:
    """`osai generate` writes pages that another engine builds without the osai plugin: with the
    hand-written pages beside them, plain MkDocs and the theme build every page, every link and
    fragment resolves, and only pages with a source file in the repository offer to edit it."""
    import os
    import shutil
    import subprocess
    import sys

    records = ROOT / "tests" / "fixtures" / "valid" / "records"
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("overrides"))
    generated = tmp_path / "generated"
    command = [sys.executable, "-m", "osai", "generate", "--out", str(generated)]
    result = subprocess.run(
        [*command, "--records", str(records)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    shutil.copytree(generated, docs, dirs_exist_ok=True)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(tmp_path / "site"), plugins=[])

    def as_written(entry: object) -> object:
        # The navigation names the generated pages where the tree has them.
        if isinstance(entry, str) and entry.endswith(".md") and not (docs / entry).exists():
            return page_source(entry)
        if isinstance(entry, list):
            return [as_written(item) for item in entry]
        if isinstance(entry, dict):
            return {key: as_written(value) for key, value in entry.items()}
        return entry

    config["nav"] = as_written(config["nav"])
    config["theme"]["custom_dir"] = str(ROOT / "docs" / "overrides")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    site = tmp_path / "site"
    hand_written = {p.relative_to(ROOT / "docs").with_suffix("").as_posix() for p in (ROOT / "docs").glob("*.md")}
    broken: dict[str, list[str]] = {}
    edit_links = {}
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        page_url = relative.removesuffix("index.html")
        parser = _Links()
        html = page.read_text(encoding="utf-8")
        parser.feed(html)
        missing = _broken(site, page_url, parser.links)
        if missing:
            broken[relative] = missing
        edit_links[page_url.rstrip("/")] = 'rel="edit"' in html
    assert broken == {}, f"{sum(map(len, broken.values()))} broken links in {len(broken)} pages"
    assert edit_links["records/acme-7b"] is False and edit_links["timeline/2024"] is False
    for name in hand_written:
        if name in edit_links:
            assert edit_links[name] is True, name
    assert len(edit_links) > 40
