"""The built site in headless Chromium, served on 127.0.0.1 (fixture records)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from publish.facets import search_filters

pytestmark = pytest.mark.browser

#: How long a search may take to show results: generous, because the first query loads the
#: WebAssembly index and a busy machine runs it slowly. Speed is measured in the benchmark.
SEARCH_WAIT_MS = 30_000


def wait_for_results(page, locator) -> None:  # type: ignore[no-untyped-def]
    """Wait for search results; on timeout, say what the page showed and logged."""
    try:
        locator.wait_for(timeout=SEARCH_WAIT_MS)
    except PlaywrightTimeout:
        status = page.locator(".osai-search-status").inner_text()
        raise AssertionError(
            f"no results in {SEARCH_WAIT_MS} ms at {page.url}: status {status!r}, "
            f"errors {page.problems.errors}, warnings {page.problems.warnings}"
        ) from None


def test_timeline_lists_the_year_and_filters_by_kind(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "timeline/2024/")
    entries = page.locator("li.osai-entry")
    # 2024 in the fixtures: acme-7b, acme-7b-reasoner, the act, the plan, the news (5 records).
    assert entries.count() == 5
    form = page.locator("form.osai-filters")
    assert form.is_visible()
    page.select_option("select[data-filter=kind]", "model")
    visible = page.locator("li.osai-entry:visible")
    assert visible.count() == 2
    assert sorted(visible.locator("a.osai-title").all_inner_texts()) == ["Acme 7B", "Acme 7B Reasoner"]
    assert page.locator(".osai-filter-count").inner_text() == "2 of 5 shown"
    page.select_option("select[data-filter=kind]", "")
    assert page.locator("li.osai-entry:visible").count() == 5
    assert page.problems.errors == []


def test_timeline_lists_everything_without_javascript(browser, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(valid_url + "timeline/2024/")
    assert page.locator("li.osai-entry:visible").count() == 5
    assert not page.locator("form.osai-filters").is_visible()
    context.close()


def test_search_finds_a_record_and_opens_it(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "search/")
    page.fill("#osai-query", "reasoner")
    result = page.locator(".osai-search-results a", has_text="Acme 7B Reasoner")
    wait_for_results(page, result)
    result.click()
    page.wait_for_url(re.compile(r".*/records/acme-7b-reasoner/$"))
    assert page.locator("h1").inner_text() == "Acme 7B Reasoner"
    assert page.problems.errors == []


def test_search_facets_filter_results(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "search/?q=acme")
    wait_for_results(page, page.locator(".osai-search-results li").first)
    all_results = page.locator(".osai-search-results li").count()
    page.select_option("select[name=kind]", "Organization")
    page.wait_for_function(
        "document.querySelector('.osai-search-status').textContent.startsWith('1 result')"
    )
    assert page.locator(".osai-search-results li").count() == 1 < all_results
    assert "kind=Organization" in page.url
    # Every declared filter is offered, licences and licence terms included.
    offered = page.eval_on_selector_all(".osai-search-facets select", "els => els.map(e => e.name)")
    assert offered == [name for name, _ in search_filters()]
    page.select_option("select[name=kind]", "")
    page.select_option("select[name=license]", "MIT License")
    page.wait_for_function(
        "document.querySelector('.osai-search-status').textContent.startsWith('1 result')"
    )
    assert page.locator(".osai-search-results a").inner_text() == "Acme 7B Reasoner"
    page.select_option("select[name=license]", "")
    page.select_option("select[name=license_term]", "OSI-approved")
    page.wait_for_function(
        "document.querySelector('.osai-search-status').textContent.startsWith('2 results')"
    )


def test_search_works_after_instant_navigation(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url)
    page.locator("a.md-tabs__link", has_text="Search").click()
    page.wait_for_url(re.compile(r".*/search/$"))
    page.fill("#osai-query", "Open Models Act")
    wait_for_results(page, page.locator(".osai-search-results a", has_text="a test law"))
    assert page.problems.errors == []


def test_record_page_shows_sources_backlinks_and_structured_data(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "records/acme-7b/")
    sources = page.locator("ol.osai-sources a")
    assert sources.first.get_attribute("href") == "https://acme.example/blog/acme-7b?utm_source=feed"
    backlinks = page.locator("#referenced-by + ul.osai-links li")
    texts = backlinks.all_inner_texts()
    assert any(text.startswith("Base of") and "Acme 7B Reasoner" in text for text in texts)
    assert any(text.startswith("Covered by") and "Acme 7B tops" in text for text in texts)
    assert any(text.startswith("Mentioned by") and "Open Models Act" in text for text in texts)
    edit = page.locator("p.osai-edit a", has_text="Edit this record")
    assert edit.get_attribute("href").endswith("/edit/main/records/models/acme-7b.yaml")
    import json

    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "SoftwareApplication"
    assert data["url"].endswith("/records/acme-7b/")
    assert page.problems.errors == []


def test_sortable_table(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "models/")
    first = page.locator("table[data-sortable] tbody tr td:first-child")
    page.locator("th button.osai-sort", has_text="Model").click()
    assert first.all_inner_texts() == ["Acme 7B", "Acme 7B Reasoner"]
    page.locator("th button.osai-sort", has_text="Model").click()
    assert first.all_inner_texts() == ["Acme 7B Reasoner", "Acme 7B"]


@pytest.mark.parametrize(
    "path",
    ["", "timeline/2024/", "records/test-open-models-act/", "search/", "charts/", "models/",
     "adoption/", "records/acme-7b/"],
)
def test_usable_at_390_pixels(browser, valid_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(valid_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.locator("h1").first.is_visible()
    context.close()


def test_no_console_errors_across_the_site(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    for path in ["", "timeline/", "timeline/2024/", "timeline/earlier/", "policies/", "news/", "organizations/",
                 "jurisdictions/", "jurisdictions/gb/", "jurisdictions/us-ca/", "tags/", "tags/open-weights/", "access/",
                 "vocabularies/", "charts/", "records/acme-lab/", "feeds/", "data/", "adoption/"]:
        page.goto(valid_url + path)
    assert page.problems.errors == []


def test_hostile_text_never_runs(page, hostile_url: str) -> None:  # type: ignore[no-untyped-def]
    for path in ["", "timeline/2025/", "records/evil-model/", "records/evil-lab/",
                 "records/evil-policy/", "records/evil-news/", "models/", "organizations/", "adoption/"]:
        page.goto(hostile_url + path)
        page.wait_for_timeout(50)
    assert page.problems.dialogs == []
    page.goto(hostile_url + "records/evil-model/")
    assert "<img src=x onerror=alert('model-title')> Evil Model" in page.locator("h1").inner_text()
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("[onclick], [onerror], [onload], [onmouseover]").count() == 0




def test_comparison_filters_by_licence_term(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "compare/")
    rows = page.locator("tr.osai-entry")
    assert rows.count() == 2
    # Both fixture models are under OSI-approved licences; a term none of them lacks filters
    # nothing out, and the licence filter narrows to one model.
    page.select_option("select[data-filter=terms]", "osi-approved")
    assert page.locator("tr.osai-entry:visible").count() == 2
    page.select_option("select[data-filter=license]", "mit")
    visible = page.locator("tr.osai-entry:visible")
    assert visible.count() == 1
    assert visible.locator("td").first.inner_text() == "Acme 7B Reasoner"
    assert page.locator(".osai-compare .osai-filter-count").inner_text() == "1 of 2 shown"
    page.select_option("select[data-filter=license]", "")
    page.select_option("select[data-filter=year]", "2024")
    assert page.locator("tr.osai-entry:visible").count() == 2
    assert page.problems.errors == []


def test_comparison_lists_every_model_without_javascript(browser, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(valid_url + "compare/")
    assert page.locator("tr.osai-entry:visible").count() == 2
    assert not page.locator("form.osai-filters").is_visible()
    context.close()


def test_provisions_filter_by_effect_and_subject_and_cells_open(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "open-source-policy/")
    rows = page.locator(".osai-provision-list tr.osai-entry")
    assert rows.count() == 3
    page.select_option("select[data-filter=effect]", "exemption")
    visible = page.locator(".osai-provision-list tr.osai-entry:visible")
    assert visible.count() == 1
    assert visible.locator("td").nth(2).inner_text() == "Section 4(2)"
    page.select_option("select[data-filter=effect]", "")
    page.select_option("select[data-filter=subject]", "frontier-models")
    assert page.locator(".osai-provision-list tr.osai-entry:visible").count() == 1
    assert page.locator(".osai-provision-list .osai-filter-count").inner_text() == "1 of 3 shown"
    # A matrix cell opens to its provisions, and a reference lands on the policy page's row.
    cell = page.locator(".osai-provision-matrix details").first
    cell.locator("summary").click()
    cell.locator("a", has_text="Section 4(2)").click()
    page.wait_for_url("**/records/test-open-models-act/#provision-section-4-2")
    assert page.locator("#provision-section-4-2").is_visible()
    assert page.problems.errors == []


def test_action_plan_tracker_links_each_item_to_its_row(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "action-plans/")
    items = page.locator("ol.osai-action-list li")
    assert items.count() == 3
    assert items.nth(0).locator(".osai-action--done").inner_text() == "Done"
    items.nth(1).locator("a", has_text="Action 2").click()
    page.wait_for_url("**/records/test-open-models-plan/#action-action-2")
    row = page.locator("#action-action-2")
    assert "Fund a public compute service" in row.inner_text()
    assert page.problems.errors == []


def test_search_merges_an_index_built_in_parts(page, split_site, split_url: str) -> None:  # type: ignore[no-untyped-def]
    import json

    listed = json.loads((split_site / "pagefind" / "osai-indexes.json").read_text())["merge"]
    assert len(listed) >= 3  # the fixture's searchable pages, three to a part
    for part in ["", *listed]:  # every part's entry file is complete
        entry = json.loads((split_site / "pagefind" / part / "pagefind-entry.json").read_text())
        assert entry["languages"]
    # Every record is found, whichever part holds it, and facets count across the parts.
    page.goto(split_url + "search/?q=acme")
    wait_for_results(page, page.locator(".osai-search-results li").first)
    page.wait_for_function(
        "document.querySelectorAll('.osai-search-results li').length >= 5"
    )
    titles = page.locator(".osai-search-results a").all_inner_texts()
    assert {"Acme 7B", "Acme 7B Reasoner", "Acme Lab"} <= set(titles)
    page.select_option("select[name=license]", "MIT License")
    page.wait_for_function(
        "document.querySelector('.osai-search-status').textContent.startsWith('1 result')"
    )
    assert page.locator(".osai-search-results a").inner_text() == "Acme 7B Reasoner"
    assert page.problems.errors == []


def test_adoption_page_shows_shares_over_time_top_models_and_sourced_figures(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "adoption/")
    assert page.locator("h1").inner_text() == "Who builds on whom"
    note = page.locator(".osai-note").first.inner_text()
    assert "2 snapshots, from 2026-11-29 to 2026-11-30" in note
    # Two days: each share is a line over time, with its data table.
    assert page.locator("#share-likes + figure svg polyline").count() == 4
    page.locator("details.osai-chart-data summary").first.click()
    table = page.locator("details.osai-chart-data table").first.inner_text()
    assert "2026-11-29" in table and "2026-11-30" in table
    top = page.locator("#top-likes + table tbody tr").first.inner_text()
    assert "Acme 7B" in top and "160" in top  # 120 + 40 likes over its two repositories
    assert "Acme-7B was downloaded 1,500 times in June." in page.locator("#sourced + p + table").inner_text()


def test_model_page_shows_its_latest_figures_and_their_history(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "records/acme-7b/")
    section = page.locator("#adoption + p").inner_text()
    assert "160 likes, 5,400 downloads in the last 30 days, 12 derived models" in section
    sparks = page.locator(".osai-adoption-history svg.osai-spark")
    assert sparks.count() == 3
    assert "2026-11-29 130, 2026-11-30 160" in sparks.first.get_attribute("aria-label")
    rows = page.locator("#adoption ~ table.osai-table tbody tr")
    assert rows.count() == 2 and "acme/acme-7b-instruct" in rows.nth(1).inner_text()



def test_a_filtered_timeline_downloads_what_it_shows(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "timeline/2024/")
    page.select_option("select[data-filter=kind]", "model")
    with page.expect_download() as caught:
        page.locator(".osai-export button[data-export=csv]").first.click()
    lines = Path(caught.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,kind,title,date,page_url,summary"
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["acme-7b", "acme-7b-reasoner"]
    with page.expect_download() as caught:
        page.locator(".osai-export button[data-export=json]").first.click()
    data = json.loads(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert data["count"] == 2 and {r["kind"] for r in data["records"]} == {"model"}
    assert page.problems.errors == []


def test_search_downloads_every_result(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "search/?q=reasoner")
    wait_for_results(page, page.locator(".osai-search-results li").first)
    with page.expect_download() as caught:
        page.locator(".osai-search .osai-export button[data-export=json]").click()
    data = json.loads(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert "acme-7b-reasoner" in [record["id"] for record in data["records"]]


def test_record_page_has_its_history_and_citation(page, valid_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(valid_url + "records/acme-7b/")
    # The fixtures are in this repository: their history is its history, unless the checkout
    # is shallow (then the page says so; tests/publish/test_history.py builds a real history).
    listed = page.locator("#history + ol.osai-history li").count()
    unavailable = page.locator("#history + p.osai-note", has_text="History is unavailable")
    assert listed >= 1 or unavailable.count() == 1
    assert "Open Source AI Tracker. “Acme 7B”." in page.locator(".osai-cite").inner_text()
    page.locator("details.osai-bibtex summary").click()
    assert "@misc{osai-acme-7b," in page.locator("details.osai-bibtex pre").inner_text()
    if not listed:
        return
    page.goto(valid_url + "changes/")
    page.select_option("select[data-filter=kind]", "model")
    kinds = page.locator("li.osai-entry:visible").evaluate_all(
        "els => els.map(e => e.getAttribute('data-kind'))"
    )
    assert kinds and set(kinds) == {"model"}
