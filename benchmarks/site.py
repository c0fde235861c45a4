"""Benchmark: the full site build and search, against MkDocs Material on plain pages.

Run: python -m benchmarks.site [--sizes 1000 10000]

For each size it builds, in the same run:
- the baseline: MkDocs Material building as many plain Markdown pages of the same average size
  as the generated record pages, outside the navigation, with no plugins;
- the site: record generation, MkDocs and the Pagefind search index, from synthetic records.
Then it serves the site on 127.0.0.1 and times a search in headless Chromium, and runs
`mkdocs serve` to time the edit loop: from saving a record to its page served changed, and to
the full rebuild. It prints the number of output files and their size beside the limits of
common static hosts.

Budgets, for 10,000 records: build at most 1.5x a default Material build (its search plugin
included, as the site's build includes its search index; the ratio to a build without any
plugin is printed too); at most 40 KB of output per record; peak memory under 1 GB; first
search results within 1.5 s of typing, with at most 1 MB transferred. The edit loop: the
saved record's page within 2 s at 1,000 records and 5 s at 10,000.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.synthetic import write_synthetic_records

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SIZE = 10_000
BUDGET_RATIO = 1.5
BUDGET_KB_PER_RECORD = 40
BUDGET_MEMORY_MB = 1024
#: A saved record's page served changed under `mkdocs serve`, by number of records.
BUDGET_EDIT_S = {1000: 2.0, 10000: 5.0}
EDIT_START_S = 900.0
EDIT_WAIT_S = 120.0
EDIT_POLL_S = 0.05
#: Limits of static hosts that the output is compared with (README, "Deploying"): files per
#: deployment on Cloudflare Pages, and the size of a published GitHub Pages site.
CLOUDFLARE_PAGES_MAX_FILES = 20_000
GITHUB_PAGES_MAX_MB = 1024
BUDGET_SEARCH_S = 1.5
BUDGET_SEARCH_KB = 1024
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed_build(config: Path) -> tuple[float, float]:
    """Run ``mkdocs build`` and return (seconds, peak resident memory in MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(
            f"build failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss / 1024


def site_config(work: Path, records: Path) -> Path:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "docs")
    config["site_dir"] = str(work / "site")
    config["theme"]["custom_dir"] = str(ROOT / "docs" / "overrides")
    config["plugins"] = [{"osai": {"records": str(records)}}]
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.copy(ROOT / "CONTRIBUTING.md", work / "CONTRIBUTING.md")
    return path


def baseline_config(work: Path, pages: int, page_bytes: int, search: bool = False) -> Path:
    docs = work / "plain-docs"
    (docs / "pages").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Plain pages\n", encoding="utf-8")
    paragraph = (
        "Open models and the policies that shape them, written out as plain text. " * 8
    ).strip()
    for index in range(pages if not (docs / "pages" / f"page-{pages - 1}.md").exists() else 0):
        body = [f"# Plain page {index}\n"]
        while sum(len(part) for part in body) < page_bytes:
            body.append(f"\n{paragraph}\n")
        (docs / "pages" / f"page-{index}.md").write_text("".join(body), encoding="utf-8")
    config = {
        "site_name": "Baseline",
        "docs_dir": str(docs),
        "site_dir": str(work / "plain-site"),
        "theme": {"name": "material", "font": False},
        # Material's default build includes its own search index; measured with and without.
        "plugins": ["search"] if search else [],
        "nav": ["index.md"],
        "not_in_nav": "/pages/\n",
    }
    path = work / ("baseline-search.yml" if search else "baseline.yml")
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def average_record_page(records: Path) -> int:
    from publish.build import generated_files
    from publish.page_text import Page
    from publish.paths import Site
    from schemas import open_knowledge_base

    files = generated_files(open_knowledge_base(records, require_valid=True), Site())
    pages = [
        len(page.text())
        for path, page in files.items()
        if isinstance(page, Page) and path.startswith("records/")
    ]
    return sum(pages) // len(pages)


def directory_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def file_count(path: Path) -> int:
    return sum(1 for file in path.rglob("*") if file.is_file())


def _get(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=EDIT_WAIT_S) as answer:
            return answer.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, text: str, limit: float) -> float | None:
    """Seconds until ``url`` is served holding ``text``, or None after ``limit`` seconds."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        page = _get(url)
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(EDIT_POLL_S)
    return None


def edit_loop(config: Path, records: Path) -> tuple[float | None, float | None]:
    """Under ``mkdocs serve``: seconds from saving a changed record title to its page served
    with the new title, and to the models index served with it (the full rebuild)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    record = sorted((records / "models").glob("*.yaml"))[0]
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if _wait_for(base + f"records/{record.stem}/", "</html>", EDIT_START_S) is None:
            raise SystemExit("mkdocs serve did not serve the site")
        time.sleep(1)  # let the watcher settle after the first build
        title = f"Edited title {time.time_ns()}"
        text = record.read_text(encoding="utf-8")
        record.write_text(
            "\n".join(
                f'title: "{title}"' if line.startswith("title:") else line
                for line in text.splitlines()
            )
            + "\n",
            encoding="utf-8",
        )
        page = _wait_for(base + f"records/{record.stem}/", title, EDIT_WAIT_S)
        index = _wait_for(base + "models/", title, EDIT_START_S)
        return page, None if index is None else (page or 0) + index
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def search_timing(site: Path, query: str) -> tuple[float, int]:
    """Seconds from typing to the first result, and bytes fetched for the query."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/search/"
    chromium = os.environ.get("OSAI_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: apt-get install -y chromium")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=[
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            page = browser.new_page()
            page.goto(url)
            page.locator(".osai-search-facets select").first.wait_for(timeout=30000)
            fetched: list[int] = []
            page.on("response", lambda response: fetched.append(len(response.body())))
            start = time.perf_counter()
            page.fill("#osai-query", query)
            page.locator(".osai-search-results li").first.wait_for(timeout=30000)
            elapsed = time.perf_counter() - start
            page.wait_for_timeout(300)  # let the remaining result fragments arrive
            browser.close()
    finally:
        server.shutdown()
    return elapsed, sum(fetched)


def _seconds(value: float | None) -> str:
    return f"{value:>5.2f} s" if value is not None else "  never"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows = []
    ok = True
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            records = write_synthetic_records(work, size)
            page_bytes = average_record_page(records)
            base_s, base_mb = timed_build(baseline_config(work, size, page_bytes))
            default_s, _ = timed_build(baseline_config(work, size, page_bytes, search=True))
            site_s, site_mb = timed_build(site_config(work, records))
            kb_per_record = directory_size(work / "site") / 1024 / size
            files = file_count(work / "site")
            size_mb = directory_size(work / "site") / 1024 / 1024
            search_s, search_bytes = search_timing(work / "site", "Synthetic record 1234")
            edit_page, edit_full = edit_loop(site_config(work, records), records)
            edit_budget = BUDGET_EDIT_S.get(size)
            ratio = site_s / base_s
            ratio_default = site_s / default_s
            checks = [
                ratio_default <= BUDGET_RATIO,
                kb_per_record <= BUDGET_KB_PER_RECORD,
                site_mb < BUDGET_MEMORY_MB,
                search_s <= BUDGET_SEARCH_S,
                search_bytes / 1024 <= BUDGET_SEARCH_KB,
                edit_page is not None and (edit_budget is None or edit_page <= edit_budget),
            ]
            # The budgets are set for 10,000 records, the edit loop's for 1,000 as well; other
            # runs are printed for the trend.
            if size < BUDGET_SIZE:
                checks = checks[-1:] if edit_budget is not None else []
            ok = ok and all(checks)
            verdict = ("ok" if all(checks) else "OVER") if checks else "-"
            rows.append(
                f"{size:>8} | {page_bytes:>6} | {base_s:>6.1f} s | {default_s:>6.1f} s | "
                f"{site_s:>6.1f} s | {ratio:>5.2f} | {ratio_default:>5.2f} | "
                f"{kb_per_record:>6.1f} | {base_mb:>7.0f} | {site_mb:>7.0f} | "
                f"{search_s:>5.2f} s | {search_bytes / 1024:>8.0f} | {files:>6} | "
                f"{size_mb:>6.0f} | {_seconds(edit_page)} | {_seconds(edit_full)} | " + verdict
            )
    print(
        f"{'records':>8} | {'page B':>6} | {'baseline':>8} | {'+search':>8} | {'site':>8} | "
        f"{'ratio':>5} | {'ratio+':>5} | {'KB/rec':>6} | {'MB base':>7} | {'MB site':>7} | "
        f"{'search':>7} | {'KB/query':>8} | {'files':>6} | {'MB out':>6} | {'edit':>7} | "
        f"{'rebuilt':>7} | budget"
    )
    print("-" * 176)
    print("\n".join(rows))
    print(
        "baseline: MkDocs Material, plain pages, no plugins; +search: the same with Material's "
        "default search plugin (a default Material build); ratio and ratio+: the site's time "
        "over each; the build budget is checked against +search, as the site's build includes "
        "its search index too"
    )
    print(
        "edit: under `mkdocs serve`, a saved record's page served changed; rebuilt: the models "
        "index served changed (the full rebuild); files and MB out: the built site, against "
        f"Cloudflare Pages' {CLOUDFLARE_PAGES_MAX_FILES:,} files per deployment and GitHub "
        f"Pages' {GITHUB_PAGES_MAX_MB} MB per site"
    )
    print(
        f"budgets: ratio <= {BUDGET_RATIO}, <= {BUDGET_KB_PER_RECORD} KB/record, "
        f"< {BUDGET_MEMORY_MB} MB, search <= {BUDGET_SEARCH_S} s and <= {BUDGET_SEARCH_KB} KB, "
        "edit <= " + ", ".join(f"{s:.0f} s at {n:,}" for n, s in sorted(BUDGET_EDIT_S.items()))
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
