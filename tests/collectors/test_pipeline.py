"""Fetching defensively and running politely: every failure path against a real server."""

from __future__ import annotations

import gzip
import json
import time

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.collectors.conftest import Runner, fixture_bytes, osai_cli, tree

RSS = "application/rss+xml"


def feed_source(path: str = "/rss.xml", **extra: object) -> dict[str, object]:
    return {
        "id": extra.pop("id", "lab-news"),
        "type": "feed",
        "path": path,
        "defaults": {"publisher": "Test Lab"},
        "keywords": ["open"],
        **extra,
    }


def error_of(report, index: int = 0) -> str:  # type: ignore[no-untyped-def]
    return report.sources[index].result.error or ""


def test_304_with_etag_parses_nothing_and_changes_nothing(
    runner: Runner, server: HTTPServer
) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(fixture_bytes("news.rss"), content_type=RSS, headers={"ETag": '"v1"'})

    server.expect_request("/rss.xml").respond_with_handler(handler)
    sources = runner.sources(feed_source())
    first = runner.run(sources)
    assert first.sources[0].result.fetched == 1 and len(first.written) == 1
    before = tree(runner.records.parent)
    second = runner.run(sources)
    result = second.sources[0].result
    assert result.not_modified == 1 and result.fetched == 0 and result.items == 0
    assert second.written == []
    assert tree(runner.records.parent) == before  # records and state: not a byte changed
    assert json.loads(runner.state.read_text())["http"][server.url_for("/rss.xml")] == {
        "etag": '"v1"'
    }


def test_second_run_without_validators_writes_nothing(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes("news.rss"), content_type=RSS)
    sources = runner.sources(feed_source())
    assert len(runner.run(sources).written) == 1
    before = tree(runner.records.parent)
    again = runner.run(sources)
    assert again.written == [] and again.sources[0].duplicates == 1
    assert tree(runner.records.parent) == before


def test_429_with_retry_after_then_success(runner: Runner, server: HTTPServer) -> None:
    server.expect_oneshot_request("/rss.xml").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes("news.rss"), content_type=RSS)
    start = time.monotonic()
    report = runner.run(runner.sources(feed_source()))
    assert error_of(report) == "" and len(report.written) == 1
    assert time.monotonic() - start >= 1.0  # the Retry-After was honoured


def test_500_then_success(runner: Runner, server: HTTPServer) -> None:
    server.expect_oneshot_request("/rss.xml").respond_with_data("oops", status=500)
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes("news.rss"), content_type=RSS)
    report = runner.run(runner.sources(feed_source()))
    assert error_of(report) == "" and report.requests == 3  # robots, 500, 200


def test_persistent_500_fails_after_the_attempts(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data("oops", status=503)
    report = runner.run(runner.sources(feed_source()))
    assert "HTTP 503 (2 attempts)" in error_of(report)


def test_timeout(runner: Runner, server: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.5)  # longer than the 1 s read timeout
        return Response(fixture_bytes("news.rss"), content_type=RSS)

    server.expect_request("/rss.xml").respond_with_handler(slow)
    report = runner.run(runner.sources(feed_source()))
    assert "timed out" in error_of(report)


def test_slow_drip_body_hits_the_total_deadline(runner: Runner, server: HTTPServer) -> None:
    def drip(request: Request) -> Response:
        def body():  # type: ignore[no-untyped-def]
            for _ in range(100):
                time.sleep(0.3)  # each read is quick enough; the whole is not
                yield b" "

        return Response(body(), content_type=RSS)

    server.expect_request("/rss.xml").respond_with_handler(drip)
    start = time.monotonic()
    report = runner.run(runner.sources(feed_source()))
    assert "timed out" in error_of(report)
    assert time.monotonic() - start < 8  # two attempts of the 2 s deadline, plus backoff


def test_oversized_body(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(b"x" * 300_000, content_type=RSS)
    report = runner.run(runner.sources(feed_source()))
    assert "response larger than 200,000 bytes" in error_of(report)


def test_gzip_bomb_stops_at_the_cap(runner: Runner, server: HTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    server.expect_request("/rss.xml").respond_with_data(
        bomb, content_type=RSS, headers={"Content-Encoding": "gzip"}
    )
    start = time.monotonic()
    report = runner.run(runner.sources(feed_source()))
    assert "response larger than 200,000 bytes" in error_of(report)
    assert time.monotonic() - start < 2


def test_gzip_body_within_the_cap_is_read(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(
        gzip.compress(fixture_bytes("news.rss")),
        content_type=RSS,
        headers={"Content-Encoding": "gzip"},
    )
    report = runner.run(runner.sources(feed_source()))
    assert error_of(report) == "" and len(report.written) == 1


@pytest.mark.parametrize("name", ["malformed.rss", "billion_laughs.rss"])
def test_malformed_and_entity_bomb_feeds_fail_safely(
    runner: Runner, server: HTTPServer, name: str
) -> None:
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes(name), content_type=RSS)
    start = time.monotonic()
    report = runner.run(runner.sources(feed_source()))
    assert "malformed feed" in error_of(report)
    assert report.written == [] and time.monotonic() - start < 5


def test_wrong_content_type(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/api/models").respond_with_data(
        "<html></html>", content_type="text/html"
    )
    report = runner.run(
        runner.sources(
            {
                "id": "hf",
                "type": "huggingface",
                "path": "/api/models",
                "params": {"author": "acme"},
                "defaults": {"organization": "acme-lab"},
            }
        )
    )
    assert "expected application/json, got text/html" in error_of(report)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "javascript:alert(1)"])
def test_redirects_only_to_http(runner: Runner, server: HTTPServer, location: str) -> None:
    server.expect_request("/rss.xml").respond_with_data(
        "", status=302, headers={"Location": location}
    )
    report = runner.run(runner.sources(feed_source()))
    assert "only http and https URLs" in error_of(report)


def test_too_many_redirects(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(
        "", status=301, headers={"Location": server.url_for("/rss.xml")}
    )
    report = runner.run(runner.sources(feed_source()))
    assert "more than 3 redirects" in error_of(report)


def test_robots_txt_is_honoured(runner: Runner, server: HTTPServer) -> None:
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    server.expect_request("/private/rss.xml").respond_with_data(
        fixture_bytes("news.rss"), content_type=RSS
    )
    report = runner.run(runner.sources(feed_source("/private/rss.xml")))
    assert "robots.txt forbids" in error_of(report)
    assert all("/private/" not in str(entry[0].path) for entry in server.log)


def test_a_failing_source_does_not_stop_the_others(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/broken.xml").respond_with_data("gone", status=404)
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes("news.rss"), content_type=RSS)
    report = runner.run(runner.sources(feed_source("/broken.xml", id="broken"), feed_source()))
    assert "HTTP 404" in error_of(report, 0)
    assert len(report.sources[1].new) == 1 and len(report.written) == 1
    assert not report.ok


def test_rejected_candidates_never_come_back(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes("news.rss"), content_type=RSS)
    runner.rejected.write_text(
        yaml.safe_dump(
            {
                "rejected": [
                    {
                        "key": "url:https://lab.example/news/acme-9b",
                        "reason": "a press release, not news",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    report = runner.run(runner.sources(feed_source()))
    assert report.written == []
    reasons = [d.reason for d in report.sources[0].result.drops]
    assert "duplicate of rejected before: a press release, not news (url)" in reasons


def test_near_same_title_and_date_is_a_duplicate(runner: Runner, server: HTTPServer) -> None:
    rss = (
        fixture_bytes("news.rss")
        .replace(
            b"<title>Releasing Acme-9B with open weights</title>",
            "<title>Acme 7B tops the download charts — 日本語 ✓!</title>".encode(),
        )
        .replace(b"Tue, 04 Mar 2025", b"Sat, 15 Jun 2024")
    )
    server.expect_request("/rss.xml").respond_with_data(rss, content_type=RSS)
    report = runner.run(runner.sources(feed_source(keywords=[])))
    reasons = {d.title: d.reason for d in report.sources[0].result.drops}
    assert reasons["Acme 7B tops the download charts — 日本語 ✓!"] == (
        "duplicate of record acme-7b-tops-charts (near-same title and date)"
    )


def test_dry_run_writes_nothing(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes("news.rss"), content_type=RSS)
    sources = runner.sources(feed_source())
    before = tree(runner.records.parent)
    report = runner.run(sources, dry_run=True)
    assert len(report.written) == 1 and not report.written[0].exists()
    assert tree(runner.records.parent) == before


def test_concurrent_sources_overlap(runner: Runner, server: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.4)
        return Response(fixture_bytes("news.rss"), content_type=RSS)

    for index in range(4):
        server.expect_request(f"/feed{index}.xml").respond_with_handler(slow)
    sources = runner.sources(*[feed_source(f"/feed{i}.xml", id=f"feed-{i}") for i in range(4)])
    start = time.monotonic()
    report = runner.run(sources, dry_run=True)
    elapsed = time.monotonic() - start
    assert report.ok
    # One host: requests to it are serialised (politeness); four of them take 4 x 0.4 s.
    assert elapsed >= 1.6


def test_cli_dry_run_prints_the_table_and_exits_1_when_a_source_fails(
    runner: Runner, server: HTTPServer
) -> None:
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes("news.rss"), content_type=RSS)
    server.expect_request("/broken.xml").respond_with_data("gone", status=404)
    runner.sources(feed_source(), feed_source("/broken.xml", id="broken"))
    command = [
        "collect",
        "--dry-run",
        "--sources",
        str(runner.registry),
        "--records",
        str(runner.records),
        "--state",
        str(runner.state),
        "--rejected",
        str(runner.rejected),
    ]
    result = osai_cli(*command)
    assert result.returncode == 1, result.stderr
    assert "Collector run (dry run: nothing written)" in result.stdout
    assert "lab-news" in result.stdout and "HTTP 404" in result.stdout
    assert "would write 1 record files" in result.stdout
    assert "Traceback" not in result.stderr
    only_good = osai_cli(*command, "--source", "lab-news")
    assert only_good.returncode == 0
    unknown = osai_cli(*command, "--source", "nope")
    assert unknown.returncode == 2 and "no source with the id nope" in unknown.stderr


def test_429_with_a_ratelimit_header_waits_for_the_window(
    runner: Runner, server: HTTPServer
) -> None:
    server.expect_oneshot_request("/rss.xml").respond_with_data(
        "rate limited", status=429, headers={"RateLimit": '"api";r=0;t=1'}
    )
    server.expect_request("/rss.xml").respond_with_data(fixture_bytes("news.rss"), content_type=RSS)
    start = time.monotonic()
    report = runner.run(runner.sources(feed_source()))
    assert error_of(report) == "" and time.monotonic() - start >= 1.0


def test_a_retry_after_beyond_the_limit_fails_at_once(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(
        "come back tomorrow", status=429, headers={"Retry-After": "86400"}
    )
    start = time.monotonic()
    report = runner.run(runner.sources(feed_source()))
    assert "Retry-After 86400 s is too long" in error_of(report)
    assert time.monotonic() - start < 2
