"""A real HTTP server on 127.0.0.1 serving each source's format, and a scratch knowledge base."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer

from collectors.pipeline import RunReport, run
from collectors.registry import Source, load_registry
from collectors.settings import Limits
from tests.conftest import FIXTURES

HERE = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 6, 1)
#: Fast, small limits so that failure paths take fractions of a second.
LIMITS = Limits(
    connect_timeout=1.0,
    read_timeout=1.0,
    total_deadline=2.0,
    max_bytes=200_000,
    attempts=2,
    backoff_base=0.05,
    backoff_max=0.1,
    host_delay=0.0,
    max_retry_after=5.0,
    # The test server listens on 127.0.0.1, which the collectors refuse unless told otherwise.
    allow_loopback=True,
)


def fixture_bytes(name: str) -> bytes:
    return (HERE / name).read_bytes()


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def records(tmp_path: Path) -> Path:
    target = tmp_path / "records"
    shutil.copytree(FIXTURES / "valid" / "records", target)
    return target


class Runner:
    """Writes a registry for the test server and runs the pipeline on the scratch records."""

    def __init__(self, server: HTTPServer, records: Path, tmp: Path) -> None:
        self.server = server
        self.records = records
        self.registry = tmp / "sources.yaml"
        self.state = tmp / "state.json"
        self.rejected = tmp / "rejected.yaml"
        self.rejected.write_text("rejected: []\n", encoding="utf-8")

    def sources(self, *entries: dict[str, Any]) -> list[Source]:
        for entry in entries:
            entry["url"] = self.server.url_for(entry.pop("path"))
        self.registry.write_text(yaml.safe_dump({"sources": list(entries)}), encoding="utf-8")
        return load_registry(self.registry)

    def run(self, sources: list[Source], **options: Any) -> RunReport:
        options.setdefault("limits", LIMITS)
        return run(
            sources, self.records, self.state, rejected_path=self.rejected, today=TODAY, **options
        )


@pytest.fixture
def runner(server: HTTPServer, records: Path, tmp_path: Path) -> Runner:
    return Runner(server, records, tmp_path)


def tree(path: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def osai_cli(*args: str, columns: int = 200) -> subprocess.CompletedProcess[str]:
    """``python -m osai ARGS`` in the repository, with loopback allowed for the test server."""
    from tests.conftest import ROOT

    return subprocess.run(
        [sys.executable, "-m", "osai", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"COLUMNS": str(columns), "PATH": "/usr/bin:/bin", "OSAI_ALLOW_LOOPBACK": "1"},
    )
