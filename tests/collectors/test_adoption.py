"""``osai adoption`` against a real server on loopback answering as the Hugging Face Hub does:
figures, model-tree listings, repositories that are gone or gated, 429 with rate-limit
headers, a window the run must stay inside, a second run on the same day."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from collectors.adoption import take_snapshot
from collectors.registry import AdoptionSettings
from schemas import load_records
from schemas.adoption import SNAPSHOT_COLUMNS, load_adoption, read_snapshot
from tests.collectors.conftest import LIMITS, osai_cli, tree

DAY = dt.date(2026, 11, 30)
EXPAND = "expand[]=likes&expand[]=downloads&expand[]=downloadsAllTime&expand[]=childrenModelCount"


def figures(repo: str, likes: int, downloads: int, children: Any, **more: Any) -> dict[str, Any]:
    """A model's figures as the Hub answers ``/api/models/<repo>?expand[]=...``."""
    return {
        "_id": "66a0c1f2e4b0a1b2c3d4e5f6",
        "id": repo,
        "likes": likes,
        "downloads": downloads,
        "downloadsAllTime": downloads * 20,
        "childrenModelCount": children,
        **more,
    }


def child(repo: str, relation: str, base: str) -> dict[str, Any]:
    """An item of ``/api/models?filter=base_model:<base>``, with the tags the Hub sets."""
    return {
        "_id": "66b0" + repo.replace("/", "")[:20],
        "id": repo,
        "likes": 0,
        "downloads": 3,
        "tags": ["transformers", f"base_model:{base}", f"base_model:{relation}:{base}"],
        "pipeline_tag": "text-generation",
        "library_name": "transformers",
        "createdAt": "2026-10-01T00:00:00.000Z",
    }


@pytest.fixture
def records(records: Path) -> Path:
    model = records / "models" / "acme-7b.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(
        text.replace(
            "huggingface: [acme/acme-7b, acme/acme-7b-instruct]",
            "huggingface: [acme/acme-7b, acme/acme-7b-instruct, acme/acme-7b-gated, "
            "acme/acme-7b-old, acme/acme-7b-private]",
        ),
        encoding="utf-8",
    )
    return records


def settings(server: HTTPServer, **changes: Any) -> AdoptionSettings:
    return AdoptionSettings(url=server.url_for("/api/models"), **changes)


def serve_hub(server: HTTPServer) -> None:
    base = "acme/acme-7b"
    server.expect_request("/api/models/acme/acme-7b").respond_with_json(figures(base, 120, 4500, 4))
    page2 = server.url_for("/api/models") + "?filter=base_model%3Aacme%2Facme-7b&cursor=p2"
    server.expect_request(
        "/api/models", query_string={"filter": "base_model:acme/acme-7b", "cursor": "p2"}
    ).respond_with_json([child("x/merged", "merge", base)])
    server.expect_request(
        "/api/models", query_string={"filter": "base_model:acme/acme-7b", "limit": "1000"}
    ).respond_with_json(
        [
            child("x/tuned", "finetune", base),
            child("y/tuned", "finetune", base),
            child("x/acme-7b-GGUF", "quantized", base),
        ],
        headers={"Link": f'<{page2}>; rel="next"'},
    )
    # Split by relation already, as some answers give it: no listing needed.
    server.expect_request("/api/models/acme/acme-7b-instruct").respond_with_json(
        figures(
            "acme/acme-7b-instruct",
            40,
            900,
            {"finetune": 2, "adapter": 5, "quantized": 1, "merge": 0},
        )
    )
    server.expect_request("/api/models/acme/acme-7b-gated").respond_with_json(
        figures("acme/acme-7b-gated", 7, 80, 0, gated="manual")
    )
    server.expect_request("/api/models/acme/acme-7b-old").respond_with_json(
        {"error": "Repository not found"}, status=404, headers={"X-Error-Code": "RepoNotFound"}
    )
    server.expect_request("/api/models/acme/acme-7b-private").respond_with_json(
        {"error": "Invalid username or password."}, status=401
    )


def test_figures_out_of_range_are_a_reason_not_a_crash(
    server: HTTPServer, records: Path, tmp_path: Path
) -> None:
    serve_hub(server)
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/api/models/acme/acme-7b").respond_with_json(
        figures("acme/acme-7b", 10**15, 1, 0)
    )
    report = take_snapshot(
        load_records([records]),
        tmp_path / "a",
        DAY,
        settings(server, max_repositories=1),
        limits=LIMITS,
    )
    reasons = {f.repository: f.reason for f in report.failures}
    assert reasons["acme/acme-7b"].startswith("figures out of range")
    assert report.written is None


def test_a_snapshot_of_every_tracked_repository(
    server: HTTPServer, records: Path, tmp_path: Path
) -> None:
    serve_hub(server)
    kb = load_records([records])
    report = take_snapshot(kb, tmp_path / "adoption", DAY, settings(server), limits=LIMITS)
    assert report.written == tmp_path / "adoption" / "snapshots" / "2026-11-30.csv"
    assert report.repositories == 5
    assert report.without_repositories == ["acme-7b-reasoner"]  # no repository ids
    reasons = {f.repository: f.reason for f in report.failures}
    assert reasons == {
        "acme/acme-7b-old": "gone (HTTP 404, RepoNotFound)",
        "acme/acme-7b-private": "gone or private (HTTP 401)",
    }
    robots, first = server.log[0][0], server.log[1][0]  # robots.txt is honoured here too
    assert robots.path == "/robots.txt" and first.path == "/api/models/acme/acme-7b"
    assert first.args.getlist("expand[]") == [
        "likes",
        "downloads",
        "downloadsAllTime",
        "childrenModelCount",
    ]
    text = report.written.read_text(encoding="utf-8")
    assert text.splitlines() == [
        ",".join(SNAPSHOT_COLUMNS),
        "acme/acme-7b,acme-7b,120,4500,90000,4,2,0,1,1",
        "acme/acme-7b-gated,acme-7b,7,80,1600,0,0,0,0,0",
        "acme/acme-7b-instruct,acme-7b,40,900,18000,8,2,5,1,0",
    ]
    # The file is what the schema reads back, row for row.
    snapshot, problems = read_snapshot(report.written, {r.id: r.kind_name for r in kb.records})
    assert problems == [] and snapshot is not None and len(snapshot.rows) == 3


def test_a_second_run_on_the_same_day_changes_nothing(
    server: HTTPServer, records: Path, tmp_path: Path
) -> None:
    serve_hub(server)
    kb = load_records([records])
    folder = tmp_path / "adoption"
    take_snapshot(kb, folder, DAY, settings(server), limits=LIMITS)
    before, asked = tree(folder), len(server.log)
    again = take_snapshot(kb, folder, DAY, settings(server), limits=LIMITS)
    assert again.written is None and tree(folder) == before
    assert len(server.log) == asked  # nothing fetched
    assert again.notes == [
        f"{folder / 'snapshots' / '2026-11-30.csv'} exists: a snapshot is "
        "written once; nothing fetched"
    ]


def test_429_with_rate_limit_headers_is_waited_for(
    server: HTTPServer, records: Path, tmp_path: Path
) -> None:
    server.expect_oneshot_request("/api/models/acme/acme-7b").respond_with_json(
        {"error": "You have been rate-limited; you can retry this action in about 1 second."},
        status=429,
        headers={
            "RateLimit": '"api";r=0;t=1',
            "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
        },
    )
    serve_hub(server)
    started = time.monotonic()
    report = take_snapshot(
        load_records([records]), tmp_path / "a", DAY, settings(server), limits=LIMITS
    )
    assert time.monotonic() - started >= 1.0
    assert report.rows[0].repository == "acme/acme-7b"


def test_a_spent_window_announced_by_the_hub_is_waited_for_before_asking(
    server: HTTPServer, records: Path, tmp_path: Path
) -> None:
    """A 200 whose RateLimit says nothing is left: the next request waits for the reset."""
    sent: list[float] = []

    def spent(request: Request) -> Response:
        sent.append(time.monotonic())
        body = json.dumps(figures("acme/acme-7b", 1, 1, 0))
        return Response(
            body, content_type="application/json", headers={"RateLimit": '"api";r=0;t=1'}
        )

    def answer(request: Request) -> Response:
        sent.append(time.monotonic())
        return Response(status=404)

    server.expect_request("/api/models/acme/acme-7b").respond_with_handler(spent)
    server.expect_request("/api/models/acme/acme-7b-gated").respond_with_handler(answer)
    server.expect_request("/api/models/acme/acme-7b-instruct").respond_with_handler(answer)
    server.expect_request("/api/models/acme/acme-7b-old").respond_with_handler(answer)
    server.expect_request("/api/models/acme/acme-7b-private").respond_with_handler(answer)
    report = take_snapshot(
        load_records([records]), tmp_path / "a", DAY, settings(server), limits=LIMITS
    )
    assert sent[1] - sent[0] >= 0.95
    assert report.rate_limit_wait >= 0.9


class FixedWindow:
    """A server-side limit like the Hub's: at most ``quota`` requests per window, 429 after."""

    def __init__(self, quota: int, window: float) -> None:
        self.quota, self.window = quota, window
        self.lock = threading.Lock()
        self.start = time.monotonic()
        self.used = 0
        self.refused = 0

    def __call__(self, request: Request) -> Response:
        with self.lock:
            now = time.monotonic()
            if now - self.start >= self.window:
                self.start, self.used = now, 0
            self.used += 1
            left = self.window - (now - self.start)
            if self.used > self.quota:
                self.refused += 1
                return Response("{}", status=429, headers={"RateLimit": f'"api";r=0;t={left:.0f}'})
        repo = request.path.removeprefix("/api/models/")
        return Response(json.dumps(figures(repo, 1, 2, 0)), content_type="application/json")


def test_the_run_stays_inside_the_hubs_window(
    server: HTTPServer, records: Path, tmp_path: Path
) -> None:
    limiter = FixedWindow(quota=2, window=1.0)
    for name in ("acme-7b", "acme-7b-instruct", "acme-7b-gated", "acme-7b-old", "acme-7b-private"):
        server.expect_request(f"/api/models/acme/{name}").respond_with_handler(limiter)
    report = take_snapshot(
        load_records([records]),
        tmp_path / "a",
        DAY,
        settings(server, window_requests=2, window_seconds=1.0),
        limits=LIMITS,
    )
    assert limiter.refused == 0 and len(report.rows) == 5


def test_a_run_reads_at_most_what_the_registry_allows(
    server: HTTPServer, records: Path, tmp_path: Path
) -> None:
    serve_hub(server)
    report = take_snapshot(
        load_records([records]),
        tmp_path / "a",
        DAY,
        settings(server, max_repositories=2, max_requests=3),
        limits=LIMITS,
    )
    assert report.repositories == 2 and report.requests <= 3 + 1  # and robots.txt
    reasons = {f.repository: f.reason for f in report.failures}
    assert reasons["acme/acme-7b-private"] == "not read: a run reads 2 repositories"
    # The budget ran out before the model tree of acme/acme-7b could be listed in full.
    assert report.unsplit == 1
    written = report.written.read_text(encoding="utf-8").splitlines()
    assert written[1] == "acme/acme-7b,acme-7b,120,4500,90000,4,,,,"


def test_osai_adoption_command(server: HTTPServer, records: Path, tmp_path: Path) -> None:
    serve_hub(server)
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "sources:\n  - {id: x, type: feed, url: 'https://x.example/feed'}\n"
        f"adoption: {{url: '{server.url_for('/api/models')}'}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "adoption"
    done = osai_cli(
        "adoption",
        "--records",
        str(records),
        "--out",
        str(out),
        "--date",
        "2026-11-30",
        "--sources",
        str(registry),
    )
    assert done.returncode == 0, done.stderr
    assert "5 repositories, 3 read, 2 not read" in done.stdout
    assert "not read: acme/acme-7b-old — gone (HTTP 404, RepoNotFound)" in done.stdout
    assert (out / "snapshots" / "2026-11-30.csv").is_file()
    adoption = load_adoption(out)
    assert adoption.problems == [] and [s.day for s in adoption.snapshots] == [DAY]
    bad = osai_cli("adoption", "--date", "30/11/2026", "--sources", str(registry))
    assert bad.returncode == 2 and "--date: '30/11/2026' is not a day" in bad.stderr


def test_a_hub_token_goes_in_a_header_only_to_the_hub(
    server: HTTPServer, records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    serve_hub(server)
    take_snapshot(load_records([records]), tmp_path / "a", DAY, settings(server), limits=LIMITS)
    api = [r for r, _ in server.log if r.path.startswith("/api/")]
    assert api and all(r.headers.get("Authorization") == "Bearer hf_secret" for r in api)
    assert all("hf_secret" not in r.url for r, _ in server.log)


def test_limits_are_the_collectors_limits_with_the_hubs_window() -> None:
    from collectors.adoption import adoption_limits

    limits = adoption_limits(AdoptionSettings(), dataclasses.replace(LIMITS, host_delay=1.0))
    assert (limits.host_window_requests, limits.host_window_seconds) == (500, 306.0)
    assert limits.host_delay == 0.25 and limits.max_bytes == LIMITS.max_bytes
