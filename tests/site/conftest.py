"""Build fixture sites with the real MkDocs configuration, serve them on loopback, drive Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_site(
    records: Path, workdir: Path, *, search_index: bool = True, pages_per_index: int | None = None
) -> Path:
    """Run ``mkdocs build --strict`` with the project's configuration and other records."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "docs")
    config["site_dir"] = str(workdir / "site")
    config["theme"]["custom_dir"] = str(ROOT / "docs" / "overrides")
    options: dict[str, object] = {
        "records": str(records),
        # The fixture's adoption figures sit beside its records.
        "adoption": str(records.parent / "adoption"),
        "search_index": search_index,
    }
    if pages_per_index is not None:
        options["search_pages_per_index"] = pages_per_index
    config["plugins"] = [{"osai": options}]
    workdir.mkdir(parents=True, exist_ok=True)
    config_file = workdir / "mkdocs.yml"
    shutil.copy(ROOT / "CONTRIBUTING.md", workdir / "CONTRIBUTING.md")
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config_file)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return workdir / "site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def valid_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURES / "valid" / "records", tmp_path_factory.mktemp("valid-site"))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURES / "hostile" / "records", tmp_path_factory.mktemp("hostile-site"))


def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def valid_url(valid_site: Path) -> Iterator[str]:
    yield from serve(valid_site)


@pytest.fixture(scope="session")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with its search index in parts of three pages."""
    records = FIXTURES / "valid" / "records"
    return build_site(records, tmp_path_factory.mktemp("split-site"), pages_per_index=3)


@pytest.fixture(scope="session")
def split_url(split_site: Path) -> Iterator[str]:
    yield from serve(split_site)


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    yield from serve(hostile_site)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    chromium = os.environ.get("OSAI_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class PageProblems:
    """Console errors, uncaught exceptions, failed requests and dialogs seen by a page."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("console", lambda msg: msg.type == "warning" and self.warnings.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status}: {r.url}"))
        page.on("dialog", self._dialog)

    def _failed(self, request) -> None:  # type: ignore[no-untyped-def]
        # Leaving a page cancels its pending requests; that is not a failure of the site.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed: {request.url} ({request.failure})")

    def _dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page
    context.close()
