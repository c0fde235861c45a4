from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from publish.catalog import Catalog
from publish.markup import one_line, summary_html
from publish.page_text import compact_html, relative_url, tidy_markdown
from publish.pages import PageWriter
from publish.paths import Site

SETTINGS = Site(
    url="https://tracker.example.org/",
    edit_base="https://git.example/repo/edit/main/",
    view_base="https://git.example/repo/blob/main/",
)


def test_relative_urls() -> None:
    assert relative_url("records/a.md", "records/b.md") == "../b/"
    assert relative_url("records/a.md", "index.md") == "../../"
    assert relative_url("index.md", "timeline/index.md") == "timeline/"
    assert relative_url("timeline/index.md", "timeline/2024.md") == "2024/"
    assert relative_url("timeline/2024.md", "timeline/2024.md") == "./"
    # The Feeds page is served at /feeds/, beside the feed files.
    assert relative_url("feeds.md", "feeds/all.atom") == "all.atom"
    assert (
        relative_url("records/a.md", "feeds/organization/a.atom")
        == "../../feeds/organization/a.atom"
    )


def test_tidy_markdown_keeps_html_blocks_whole() -> None:
    text = "<div>\n\n<p>x</p>\n\n</div>\n## Heading\n<ul><li>a</li></ul>\n"
    assert tidy_markdown(text) == "<div>\n<p>x</p>\n</div>\n\n## Heading\n\n<ul><li>a</li></ul>\n"


def test_summary_markup_is_sanitised() -> None:
    html = summary_html(
        "**Bold** [ok](https://ok.example) [bad](javascript:alert(1)) <script>x()</script>"
        ' <a href="https://x.example" onclick="y()">a</a> {onclick=z}\n\nsecond paragraph'
    )
    assert "<strong>Bold</strong>" in html
    assert 'href="https://ok.example"' in html
    assert "javascript:" not in html and "<script" not in html and 'onclick="' not in html
    assert "\n" not in html
    assert one_line("First sentence. Second one.") == "First sentence."


def test_every_page_is_generated_deterministically(valid_catalog: Catalog) -> None:
    first = PageWriter(valid_catalog, SETTINGS).pages()
    second = PageWriter(valid_catalog, SETTINGS).pages()
    assert first == second
    assert "records/acme-7b.md" in first and "timeline/2024.md" in first
    assert "jurisdictions/us-ca.md" in first and "tags/open-weights.md" in first
    assert "access/open-weights.md" in first and "timeline/earlier.md" in first


def test_record_page_fields_backlinks_and_json_ld(valid_catalog: Catalog) -> None:
    page = PageWriter(valid_catalog, SETTINGS).pages()["records/test-open-models-act.md"].text()
    assert page.startswith('---\ntitle: "Open Models Act: a test law"\n')
    assert "Registration duties apply" in page
    assert "Models whose weights are published under a free licence are exempt." in page
    assert (
        'href="https://git.example/repo/edit/main/records/policies/test-open-models-act.yaml"'
        in page
    )
    # The order declares that it supersedes the act: the act shows it as a backlink.
    assert re.search(
        r"Referenced by.*Superseded by</span> <a href=\"../test-regional-order/\">", page, re.S
    )
    assert re.search(r"Mentions</span> <a href=\"../acme-7b/\">Acme 7B</a>", page)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )
    assert data["@type"] == "Legislation"
    assert data["legislationJurisdiction"] == "United Kingdom"
    assert data["legislationDate"] == "2024-03-01"


class TagCollector(HTMLParser):
    """Every tag and attribute a browser would see in the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_hostile_text_is_escaped_everywhere(hostile_catalog: Catalog) -> None:
    pages = {
        path: page.text() for path, page in PageWriter(hostile_catalog, SETTINGS).pages().items()
    }
    for path, text in pages.items():
        collector = TagCollector()
        collector.feed(text)
        for tag, attrs in collector.tags:
            assert tag not in {"img", "iframe", "style", "b", "i"}, (path, tag)
            assert tag != "script" or attrs.get("type") == "application/ld+json", path
            assert tag != "svg" or attrs.get("class") == "osai-chart", path
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            href = (attrs.get("href") or "").strip().lower()
            assert not href.startswith(("javascript:", "data:")), (path, href)
    evil = pages["records/evil-model.md"]
    assert 'title: "&lt;img src=x onerror=alert(&#x27;model-title&#x27;)&gt; Evil Model"' in evil
    assert "&lt;/script&gt;&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in evil
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', evil, re.S).group(1)
    assert "<" not in jsonld and json.loads(jsonld)["name"].startswith("<img")


def test_plain_summaries_skip_markdown_but_render_the_same() -> None:
    import markdown
    import nh3

    from publish import markup
    from schemas import load_records
    from tests.conftest import ROOT

    texts = [record.summary for record in load_records([ROOT / "records"]).records]
    texts += ["Plain text, with (parentheses), 'quotes' and \"double\" ones; 50% off.", "  ", "-"]
    fast = 0
    for text in texts:
        slow = markdown.markdown(text, output_format="html")
        if not markup._MARKUP.search(text) and not markup._BLOCK_START.match(text):
            fast += 1
        assert markup._render(text) == slow or nh3.clean(markup._render(text)) == nh3.clean(slow), (
            text
        )
    assert fast > len(texts) / 2


def test_chart_counts_match_the_records(valid_catalog: Catalog) -> None:
    from publish.charts import site_charts

    charts = {chart.slug: chart.html for chart in site_charts(valid_catalog)}
    assert set(charts) == {
        "open-weight-by-country",
        "models-by-access",
        "policies-by-jurisdiction",
        "policies-by-stance",
        "osi-approved-share",
    }
    # Both fixture models are open-weight, from a Norwegian lab, dated 2024 Q2 and 2024 Q4.
    headline = charts["open-weight-by-country"]
    assert '<th scope="row">2024 Q2</th><td>1</td><td>1</td>' in headline
    assert '<th scope="row">2024 Q4</th><td>1</td><td>1</td>' in headline
    assert "<title id=" in headline and "<desc id=" in headline
    stances = charts["policies-by-stance"]
    assert '<th scope="row">2023</th>' in stances and '<th scope="row">2024</th>' in stances


def test_typed_dates_are_listed_in_the_order_they_happened(valid_catalog: Catalog) -> None:
    page = PageWriter(valid_catalog, SETTINGS).pages()["records/test-open-models-act.md"].text()
    order = [page.index(f"<th>{name}</th>") for name in ("Signed", "Published", "Effective")]
    assert order == sorted(order)


def test_policy_page_shows_provisions_and_action_items(valid_catalog: Catalog) -> None:
    pages = PageWriter(valid_catalog, SETTINGS).pages()
    act = pages["records/test-open-models-act.md"].text()
    rows = re.findall(r'<tr id="(provision-[^"]+)">(.*?)</tr>', act, re.S)
    assert [anchor for anchor, _ in rows] == ["provision-section-4-2", "provision-section-4-3"]
    assert 'href="https://ministry.example/acts/open-models/notes">Section 4(3)</a>' in rows[1][1]
    assert "applies from <time" in rows[0][1] and "Open weight models</span>, <span" in rows[1][1]
    plan = pages["records/test-open-models-plan.md"].text()
    assert "1 done · 1 under way · 1 not started, as of" in plan
    items = re.findall(r'<tr id="(action-[^"]+)">(.*?)</tr>', plan, re.S)
    assert [anchor for anchor, _ in items] == [
        "action-action-1",
        "action-action-2",
        "action-action-3",
    ]
    assert 'href="../test-open-models-act/">Open Models Act: a test law</a>' in items[0][1]
    assert "osai-action--under-way" in items[1][1] and "compute-call" in items[1][1]
    assert "osai-action--not-started" in items[2][1]


def test_open_source_policy_page_and_action_plan_tracker(valid_catalog: Catalog) -> None:
    pages = PageWriter(valid_catalog, SETTINGS).pages()
    page = pages["open-source-policy.md"].text()
    assert "3 provisions from 2 policies in 1 jurisdictions" in page
    matrix = re.search(r'<table class="osai-table osai-provision-matrix">(.*?)</table>', page, re.S)
    assert matrix is not None
    (row,) = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", matrix.group(1), re.S)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    counts = [re.search(r"<summary>(\d+)</summary>", c) for c in cells]
    # Effects in vocabulary order: exemption, obligation, support, procurement, ...
    assert [int(c.group(1)) if c else 0 for c in counts] == [1, 1, 0, 1, 0, 0, 0, 0]
    assert 'href="../records/test-open-models-act/#provision-section-4-2"' in cells[0]
    listed = re.findall(r'<tr class="osai-entry" data-effect="([^"]+)" data-place="GB"', page)
    assert sorted(listed) == ["exemption", "obligation", "procurement"]
    assert 'data-subject="open-weight-models frontier-models" data-year="2024"' in page
    assert "<svg" in page and "Open-source stance of policies over time" in page
    tracker = pages["action-plans.md"].text()
    assert "Across 1 plans: 1 done · 1 under way · 1 not started · 0 dropped." in tracker
    assert 'href="../records/test-open-models-plan/#action-action-2"' in tracker
    # A plan's line counts the statuses it has, and only those.
    assert "</a>: 1 done, 1 under way, 1 not started</p>" in tracker


class TextCollector(HTMLParser):
    """The text a browser lays out, with each run of whitespace as one space, and the raw text
    of the elements that keep their whitespace."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.kept: list[str] = []
        self._keep = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._keep += tag in ("pre", "textarea", "script", "style")
        self.text.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self._keep -= tag in ("pre", "textarea", "script", "style")
        self.text.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._keep:
            self.kept.append(data)
        self.text.append(" " if data.isspace() else data)

    def layout(self) -> tuple[str, list[str]]:
        return re.sub(r"\s+", " ", "".join(self.text)), self.kept


def test_compacted_pages_read_the_same() -> None:
    page = (
        "<html>\n  <body>\n    <p>One  <a href='x'>link</a>\n      <b>bold</b></p>\n\n\n"
        "    <pre>  keep\n    this\n\n  </pre>\n  <textarea>\n  a\n</textarea>\n"
        '    <script type="application/ld+json">{\n  "a": 1\n}</script>\n  </body>\n</html>\n'
    )
    compacted = compact_html(page)
    assert len(compacted) < len(page)
    assert "<pre>  keep\n    this\n\n  </pre>" in compacted
    assert '{\n  "a": 1\n}' in compacted and "<textarea>\n  a\n</textarea>" in compacted
    before, after = TextCollector(), TextCollector()
    before.feed(page)
    after.feed(compacted)
    assert before.layout() == after.layout()


def test_every_generated_page_reads_the_same_compacted(valid_catalog: Catalog) -> None:
    import markdown

    for path, page in PageWriter(valid_catalog, SETTINGS).pages().items():
        html = markdown.markdown(page.body, extensions=["md_in_html", "attr_list", "tables"])
        before, after = TextCollector(), TextCollector()
        before.feed(html)
        after.feed(compact_html(html))
        assert before.layout() == after.layout(), path
