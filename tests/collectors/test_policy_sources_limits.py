"""Every policy source type under the same trials, each against a real server on loopback
serving its real format: empty answers, a changed layout, pagination past the last page,
text that is not UTF-8, oversize and slow answers, 429 with Retry-After, a 304 re-run that
parses nothing, and a second run over the same answers that writes nothing."""

from __future__ import annotations

import copy
import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from schemas import load_records
from tests.collectors import test_policy_sources as formats
from tests.collectors.conftest import LIMITS, Runner, fixture_bytes, tree


@dataclasses.dataclass(frozen=True)
class Trial:
    """A source type as the trials need it: its registry entry, the answers of a good run,
    the path of its first request, and what an empty answer and a changed layout are."""

    source: dict[str, Any]
    #: Serves the answers of a good run; the first answer carries the ETag when given one.
    serve: Callable[[HTTPServer, str | None], None]
    content_type: str
    #: An answer with nothing in it (None: an empty page is a failure for this type).
    empty: bytes | None
    #: An answer in the right content type whose layout is not the one the parser knows.
    changed: bytes


TRIALS = {
    "govuk": Trial(
        formats.GOVUK,
        formats.serve_govuk,
        "application/atom+xml",
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
        b"<html><body><p>We have moved</p>",
    ),
    "eur-lex": Trial(
        formats.EUR_LEX,
        formats.serve_eur_lex,
        "application/sparql-results+json",
        json.dumps({"head": {"link": [], "vars": ["celex"]}, "results": {"bindings": []}}).encode(),
        json.dumps({"head": {}, "boolean": True}).encode(),
    ),
    "govcn": Trial(
        formats.GOVCN,
        formats.serve_govcn,
        "application/json",
        fixture_bytes("govcn_no_match.json"),
        json.dumps({"code": 200, "msg": "ok", "result": {"list": []}}).encode(),
    ),
    "html-list": Trial(
        formats.MEITY,
        formats.serve_meity,
        "text/html",
        None,
        b"<html><body><section class='cards'><article>Redesigned</article></section>",
    ),
    "congress": Trial(
        formats.CONGRESS,
        formats.serve_congress,
        "application/json",
        json.dumps({"bills": [], "pagination": {"count": 0}, "request": {}}).encode(),
        json.dumps({"items": [], "page": 1}).encode(),
    ),
}
NAMES = sorted(TRIALS)


@pytest.fixture(autouse=True)
def _congress_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGRESS_API_KEY", "test-key")


def _entry(name: str) -> dict[str, Any]:
    return copy.deepcopy(TRIALS[name].source)


def _first_path(name: str) -> str:
    return str(TRIALS[name].source["path"])


@pytest.mark.parametrize("name", NAMES)
def test_a_good_run_writes_valid_records_and_a_second_run_writes_nothing(
    name: str, runner: Runner, server: HTTPServer, records: Path
) -> None:
    TRIALS[name].serve(server, None)
    first = runner.run(runner.sources(_entry(name)))
    assert first.ok and first.written, name
    assert load_records([records]).problems == []
    before = tree(records)
    # The same answers again, without validators: everything is known now.
    runner.state.unlink()
    second = runner.run(runner.sources(_entry(name)))
    assert second.ok and second.written == []
    policies = [path for path in first.written if path.parent.name == "policies"]
    assert second.sources[0].duplicates == len(policies)  # issuers are records now
    assert tree(records) == before


@pytest.mark.parametrize("name", NAMES)
def test_a_304_re_run_parses_nothing(name: str, runner: Runner, server: HTTPServer) -> None:
    seen: list[str] = []

    def not_modified(request: Request) -> Response:
        seen.append(request.headers["If-None-Match"])
        return Response(status=304)

    server.expect_request(
        _first_path(name), headers={"If-None-Match": '"v1"'}
    ).respond_with_handler(not_modified)
    TRIALS[name].serve(server, '"v1"')
    first = runner.run(runner.sources(_entry(name)), dry_run=False)
    assert first.ok and first.sources[0].result.items > 0
    second = runner.run(runner.sources(_entry(name)))
    result = second.sources[0].result
    assert result.not_modified == 1 and result.items == 0 and result.fetched == 0
    assert second.written == [] and seen == ['"v1"']


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_answer(name: str, runner: Runner, server: HTTPServer) -> None:
    trial = TRIALS[name]
    body = trial.empty if trial.empty is not None else b"<html><body></body></html>"
    server.expect_request(_first_path(name)).respond_with_data(
        body, content_type=trial.content_type
    )
    report = runner.run(runner.sources(_entry(name)))
    result = report.sources[0].result
    assert report.written == [] and result.items == 0
    if trial.empty is None:  # a listing page with no items has changed its layout
        assert result.error is not None and "layout" in result.error
    else:
        assert result.error is None and result.drops == []


@pytest.mark.parametrize("name", NAMES)
def test_a_changed_layout_is_a_failure_not_nothing_new(
    name: str, runner: Runner, server: HTTPServer
) -> None:
    trial = TRIALS[name]
    server.expect_request(_first_path(name)).respond_with_data(
        trial.changed, content_type=trial.content_type
    )
    report = runner.run(runner.sources(_entry(name)))
    error = report.sources[0].result.error
    assert error is not None and not report.ok and report.written == []
    assert "Traceback" not in error and "unexpected" not in error, error


#: The types that read JSON, which must be UTF-8. Feeds and pages declare their own encoding
#: and are decoded by it (the Shift_JIS listing in test_policy_sources).
JSON_NAMES = [name for name in NAMES if "json" in TRIALS[name].content_type]


@pytest.mark.parametrize("name", JSON_NAMES)
def test_json_that_is_not_utf8_fails_clearly(name: str, runner: Runner, server: HTTPServer) -> None:
    """JSON in GBK is not JSON: a clear failure naming the URL, not a traceback."""
    trial = TRIALS[name]
    body = '{"title": "人工智能", "bills": [], "searchVO": {"listVO": []}}'.encode("gbk")
    server.expect_request(_first_path(name)).respond_with_data(
        body, content_type=trial.content_type
    )
    report = runner.run(runner.sources(_entry(name)))
    error = report.sources[0].result.error
    assert error is not None and ("invalid JSON" in error or "not a SPARQL JSON" in error), error


@pytest.mark.parametrize("name", NAMES)
def test_an_oversize_answer_stops_at_the_cap(name: str, runner: Runner, server: HTTPServer) -> None:
    trial = TRIALS[name]
    body = b" " * (LIMITS.max_bytes + 1)
    server.expect_request(_first_path(name)).respond_with_data(
        body, content_type=trial.content_type
    )
    report = runner.run(runner.sources(_entry(name)))
    error = report.sources[0].result.error
    assert error is not None and f"larger than {LIMITS.max_bytes:,} bytes" in error


@pytest.mark.parametrize("name", NAMES)
def test_a_slow_answer_times_out(name: str, runner: Runner, server: HTTPServer) -> None:
    trial = TRIALS[name]

    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(b"{}", content_type=trial.content_type)

    server.expect_request(_first_path(name)).respond_with_handler(slow)
    limits = dataclasses.replace(LIMITS, read_timeout=0.2, total_deadline=0.3, attempts=1)
    report = runner.run(runner.sources(_entry(name)), limits=limits)
    error = report.sources[0].result.error
    assert error is not None and "timed out" in error


@pytest.mark.parametrize("name", NAMES)
def test_429_with_retry_after_is_waited_for_then_read(
    name: str, runner: Runner, server: HTTPServer
) -> None:
    server.expect_oneshot_request(_first_path(name)).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    TRIALS[name].serve(server, None)
    started = time.monotonic()
    report = runner.run(runner.sources(_entry(name)), dry_run=True)
    assert report.ok and report.written
    assert time.monotonic() - started >= 1.0
