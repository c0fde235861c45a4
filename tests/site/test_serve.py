"""`mkdocs serve` on a copy of the fixture records: a saved record's page is served changed
before the full rebuild ends, every page is current once it has, and a record with problems
shows them on its page and in the terminal while the server keeps serving."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT

#: Generous: this checks what is served, not how fast (the site benchmark times it).
WAIT_S = 60.0


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=WAIT_S) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def wait_until(url: str, text: str) -> str:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        status, page = fetch(url)
        if status == 200 and text in page:
            return page
        time.sleep(0.05)
    raise AssertionError(f"{url} never served {text!r} within {WAIT_S} s")


class Served:
    def __init__(self, url: str, records: Path, log: Path) -> None:
        self.url, self.records, self.log = url, records, log

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.records / "models" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[Served]:
    records = tmp_path / "records"
    shutil.copytree(FIXTURES / "valid" / "records", records)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "docs" / "overrides")
    config["plugins"] = [{"osai": {"records": str(records), "search_index": False}}]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    shutil.copy(ROOT / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
            cwd=tmp_path,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until(url + "records/acme-7b/", "Acme 7B")
            time.sleep(1)  # the watcher starts after the first build
            yield Served(url, records, log)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def test_a_saved_record_is_served_first_then_everywhere(served: Served) -> None:
    served.edit("acme-7b.yaml", "title: Acme 7B\n", "title: Acme Seven B\n")
    wait_until(served.url + "records/acme-7b/", "Acme Seven B")
    # Once the full rebuild has ended, every page that lists the record has the new title:
    # its kind's index, the timeline, its organization's page and the feeds.
    wait_until(served.url + "models/", "Acme Seven B")
    for path in ["timeline/2024/", "records/acme-lab/", "feeds/all.json", "compare/"]:
        status, page = fetch(served.url + path)
        assert status == 200 and "Acme Seven B" in page, path
    log = served.log.read_text(encoding="utf-8")
    assert "record page(s) served in" in log


def test_a_record_with_problems_shows_them_and_the_server_keeps_serving(served: Served) -> None:
    served.edit("acme-7b.yaml", "access: open-weights\n", "access: very-open\n")
    page = wait_until(served.url + "records/acme-7b/", "has problems")
    assert "records/models/acme-7b.yaml" in page and "very-open" in page
    status, index = fetch(served.url + "models/")
    assert status == 200 and "Acme 7B" in index  # the last good build, not a stalled server
    deadline = time.monotonic() + WAIT_S
    while "unknown access level 'very-open'" not in served.log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the problem never reached the terminal"
        time.sleep(0.1)
    served.edit("acme-7b.yaml", "access: very-open\n", "access: open-weights\n")
    wait_until(served.url + "records/acme-7b/", "Acme 7B")
    status, page = fetch(served.url + "records/acme-7b/")
    assert "has problems" not in page
