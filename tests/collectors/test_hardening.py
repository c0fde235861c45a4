"""Hostile sources: each attack against a real server on loopback, with a bounded, clear outcome.
Time limits are asserted with generous margins; they prove "bounded", not "fast"."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from collectors.report import markdown_report
from collectors.state import State, load_state, save_state
from schemas.similarity import SimilarityIndex
from tests.collectors.conftest import LIMITS, Runner, fixture_bytes, osai_cli
from tests.collectors.test_pipeline import RSS, error_of, feed_source

HF = {
    "id": "hf-acme",
    "type": "huggingface",
    "path": "/api/models",
    "params": {"author": "acme", "limit": 3, "max_pages": 3},
    "defaults": {"organization": "acme-lab"},
}


def rss(*items: tuple[str, str, str]) -> bytes:
    """An RSS 2.0 document with (title, link, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
        "<description>An open model release.</description></item>"
        for title, link, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Lab</title>'
        f"<link>https://lab.example/</link><description>d</description>{entries}</channel></rss>"
    ).encode()


DAY = "Sun, 01 Jun 2025 09:00:00 GMT"
HOSTILE_TITLES = [
    "Open weights ```</details> ![track](https://evil.example/pixel.png)",
    "Open weights @octocat please review, Closes #1 and fixes #2",
    "Open <img src=x onerror=alert(1)> [Approve](https://evil.example/approve)",
]


def test_hostile_titles_stay_text_in_the_pull_request_description(
    runner: Runner, server: HTTPServer
) -> None:
    items = [
        (title.replace("&", "&amp;").replace("<", "&lt;"), f"https://lab.example/{n}", DAY)
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    server.expect_request("/rss.xml").respond_with_data(rss(*items), content_type=RSS)
    report = runner.run(runner.sources(feed_source()), dry_run=True)
    assert len(report.written) == 3
    text = markdown_report(report, dry_run=True)
    assert "```" not in text.replace("\\`", "")
    assert "![" not in text and "](" not in text and "<img" not in text
    assert re.search(r"@(?!\u200b)\w", text) is None  # every mention is broken
    assert re.search(r"#(?!\u200b)\d", text) is None  # every issue reference is broken
    assert all(len(line.split(" | ")) in (1, 8) for line in text.splitlines() if "|" in line[:2])


def test_a_redirect_chain_of_slow_hops_stops_at_the_url_deadline(
    runner: Runner, server: HTTPServer
) -> None:
    def slow_hop(number: int):  # type: ignore[no-untyped-def]
        def answer(request: Request) -> Response:
            time.sleep(0.6)
            return Response("", status=302, headers={"Location": f"/hop{number + 1}"})

        return answer

    for number in range(4):
        server.expect_request(f"/hop{number}").respond_with_handler(slow_hop(number))
    limits = dataclasses.replace(LIMITS, url_deadline=1.5, max_redirects=10)
    start = time.monotonic()
    report = runner.run(runner.sources(feed_source("/hop0")), limits=limits)
    elapsed = time.monotonic() - start
    assert "gave up after 1.5 s for this URL (redirects and retries included)" in error_of(report)
    assert elapsed < 6


def test_a_source_that_pages_slowly_stops_at_the_source_deadline(
    runner: Runner, server: HTTPServer
) -> None:
    def page(request: Request) -> Response:
        time.sleep(0.4)
        cursor = int(request.args.get("cursor", "0")) + 1
        link = f'<{server.url_for("/api/models")}?cursor={cursor}>; rel="next"'
        return Response("[]", content_type="application/json", headers={"Link": link})

    server.expect_request("/api/models").respond_with_handler(page)
    entry = dict(HF, params={"author": "acme", "limit": 3, "max_pages": 20})
    limits = dataclasses.replace(LIMITS, source_deadline=1.0)
    start = time.monotonic()
    report = runner.run(runner.sources(entry), limits=limits)
    assert "a source may take 1 s" in error_of(report)
    assert time.monotonic() - start < 6


def test_the_run_deadline_stops_every_unfinished_source(runner: Runner, server: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response(rss(), content_type=RSS)

    server.expect_request("/slow.xml").respond_with_handler(slow)
    limits = dataclasses.replace(LIMITS, run_deadline=0.5, total_deadline=5.0, read_timeout=5.0)
    report = runner.run(runner.sources(feed_source("/slow.xml")), limits=limits)
    assert error_of(report) == "stopped: the whole run may take 0.5 s"
    assert not report.ok


def test_near_duplicate_detection_is_not_quadratic() -> None:
    index = SimilarityIndex()
    words = ["open", "model", "release", "weights", "policy", "agent", "vision", "audio"]
    start = time.monotonic()
    for n in range(10_000):
        title = f"{words[n % 8]} {words[(n // 8) % 8]} study of lab{n} systems"
        data = {"kind": "news", "title": title, "date": "2025-06-01"}
        assert index.find(data) is None or "lab" in title
        index.add(data, f"n{n}")
    again = {"kind": "news", "title": "open model study of lab9 systems!", "date": "2025-06-03"}
    match = index.find(again)
    assert match is not None and match.holder == "n9" and match.key == "title"
    assert time.monotonic() - start < 20  # seconds; the pairwise version took minutes


def test_a_flood_of_items_proposes_at_most_the_cap(runner: Runner, server: HTTPServer) -> None:
    items = [
        (f"Open model number {n} released", f"https://lab.example/{n}", DAY) for n in range(120)
    ]
    server.expect_request("/rss.xml").respond_with_data(rss(*items), content_type=RSS)
    limits = dataclasses.replace(LIMITS, max_candidates_per_source=7)
    report = runner.run(runner.sources(feed_source()), limits=limits)
    assert len(report.written) == 7
    reasons = [drop.reason for drop in report.sources[0].result.drops]
    assert reasons.count("over the limit of 7 candidates per source and run") == 113


def test_a_malformed_hub_item_is_skipped_not_fatal(runner: Runner, server: HTTPServer) -> None:
    models = json.loads(fixture_bytes("hf_models_page2.json"))
    server.expect_request("/api/models").respond_with_data(
        json.dumps([{"id": "noslash"}, {"id": 7}, "text", *models]),
        content_type="application/json",
    )
    report = runner.run(runner.sources(dict(HF)))
    result = report.sources[0].result
    assert result.error is None and result.items == len(models)
    skipped = [d for d in result.drops if d.reason == "not a model item with an owner/name id"]
    assert [d.title for d in skipped] == ["'noslash'", "7", "'text'"]


def test_pagination_stays_on_the_sources_host(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/api/models").respond_with_data(
        "[]",
        content_type="application/json",
        headers={"Link": '<http://127.0.0.1:9/api/models?cursor=x>; rel="next"'},
    )
    report = runner.run(runner.sources(dict(HF)))
    assert "refusing a next-page link to another host" in error_of(report)


@pytest.mark.parametrize(
    ("location", "why"),
    [
        ("http://10.1.2.3/feed.xml", "refusing 10.1.2.3: it resolves to a private address"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "refusing 169.254.169.254: it resolves to a link-local address",
        ),
        ("http://[::ffff:192.168.0.1]/", "it resolves to a private address"),
    ],
)
def test_redirects_to_private_addresses_are_refused(
    runner: Runner, server: HTTPServer, location: str, why: str
) -> None:
    server.expect_request("/rss.xml").respond_with_data(
        "", status=302, headers={"Location": location}
    )
    start = time.monotonic()
    report = runner.run(runner.sources(feed_source()))
    assert why in error_of(report)
    assert time.monotonic() - start < 3  # refused before any connection is tried


def test_loopback_is_refused_unless_allowed(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(rss(), content_type=RSS)
    limits = dataclasses.replace(LIMITS, allow_loopback=False)
    report = runner.run(runner.sources(feed_source()), limits=limits)
    assert "refusing 127.0.0.1: it resolves to a loopback address" in error_of(report)
    assert len(server.log) == 0


def test_robots_txt_is_read_for_every_host_a_redirect_reaches(
    runner: Runner, server: HTTPServer
) -> None:
    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        other.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /\n")
        other.expect_request("/feed.xml").respond_with_data(rss(), content_type=RSS)
        server.expect_request("/rss.xml").respond_with_data(
            "", status=302, headers={"Location": other.url_for("/feed.xml")}
        )
        report = runner.run(runner.sources(feed_source()))
        assert "robots.txt forbids" in error_of(report) and "/feed.xml" in error_of(report)
        assert [entry[0].path for entry in other.log] == ["/robots.txt"]
    finally:
        other.stop()


def test_two_runs_on_one_state_file_keep_both_updates(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    first, second = State(), State()
    first.proposed["a"] = ["one"]
    second.proposed["b"] = ["two"]
    from collectors.http import Validators

    first.remember("https://a.example/feed", Validators('"e1"', None))
    second.remember("https://b.example/feed", Validators('"e2"', None))
    save_state(first, path)
    save_state(second, path)  # loaded before the first run saved: must not lose it
    merged = load_state(path)
    assert merged.proposed == {"a": ["one"], "b": ["two"]}
    assert set(merged.validators) == {"https://a.example/feed", "https://b.example/feed"}


def test_a_held_state_lock_fails_clearly_after_the_wait(tmp_path: Path) -> None:
    import fcntl

    from collectors.state import StateLocked

    path = tmp_path / "state.json"
    with (tmp_path / "state.json.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        start = time.monotonic()
        with pytest.raises(StateLocked, match="locked by another collector run"):
            save_state(State(), path, wait=0.3)
        assert time.monotonic() - start < 3


def test_temporary_files_of_an_interrupted_run_are_removed(
    runner: Runner, server: HTTPServer
) -> None:
    left = runner.records / "news" / ".story.yaml.a1b2c3.tmp"
    left.write_text("half a reco", encoding="utf-8")
    os.utime(left, (time.time() - 3600, time.time() - 3600))
    fresh = runner.records / "news" / ".other.yaml.d4e5f6.tmp"
    fresh.write_text("being written", encoding="utf-8")
    server.expect_request("/rss.xml").respond_with_data(rss(), content_type=RSS)
    report = runner.run(runner.sources(feed_source()))
    assert not left.exists() and fresh.exists()  # a write still under way is left alone
    assert "removed 1 temporary files left by an interrupted run" in report.notes


def test_a_candidate_the_validator_would_refuse_is_never_written(
    runner: Runner, server: HTTPServer
) -> None:
    item = ("Open model thread", "https://www.reddit.com/r/LocalLLaMA/comments/x/open/", DAY)
    server.expect_request("/rss.xml").respond_with_data(rss(item), content_type=RSS)
    report = runner.run(runner.sources(feed_source()))
    assert report.written == []
    (drop,) = report.sources[0].result.drops
    assert drop.reason.startswith("not a valid record: sources[0].url: the first source is on")


def test_a_mistyped_records_folder_is_an_error_not_an_empty_knowledge_base(
    runner: Runner, server: HTTPServer
) -> None:
    runner.sources(feed_source())
    result = osai_cli(
        "collect",
        "--sources",
        str(runner.registry),
        "--records",
        str(runner.records.parent / "recrods"),
        "--state",
        str(runner.state),
    )
    assert result.returncode == 2
    assert "no records folder at" in result.stderr and "recrods" in result.stderr
    assert not (runner.records.parent / "recrods").exists()
    assert len(server.log) == 0


def test_errors_are_listed_whole_under_the_table(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/broken.xml").respond_with_data("gone", status=404)
    runner.sources(feed_source("/broken.xml", id="broken"))
    result = osai_cli(
        "collect",
        "--dry-run",
        "--sources",
        str(runner.registry),
        "--records",
        str(runner.records),
        "--state",
        str(runner.state),
        columns=80,
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    error = next(line for line in lines if line.startswith("  broken: "))
    assert error.endswith("/broken.xml: HTTP 404")
    assert max(len(line) for line in lines[: lines.index("1 sources failed:")]) <= 80
