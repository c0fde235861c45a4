"""Benchmark: an adoption snapshot of 1,000 repositories against a local server that answers as
the Hugging Face Hub does and enforces the Hub's published limit for anonymous API use (500
requests per fixed 5-minute window, 429 past it, a ``RateLimit`` header on every answer).

Run: python -m benchmarks.adoption

Time is scaled down by ``SCALE`` for the window, the pause between requests and the server's
latency; the work of each request (HTTP on loopback, JSON) is not. The client's schedule is
simple: each request waits for the pause after the previous one and for a place in the
sliding window. The benchmark checks that the measured run follows that schedule at the
scaled times, then gives the same schedule's duration at full scale, with the per-request work
as measured. Baseline, measured in the same run: the same snapshot
from a server without a limit and a client without a window. Budget: the limited run
receives no 429 (it stays inside the window) and its full-scale duration is under 15
minutes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from benchmarks.synthetic import write_synthetic_records
from collectors.adoption import WINDOW_MARGIN, take_snapshot
from collectors.registry import AdoptionSettings
from collectors.settings import DEFAULT_LIMITS
from schemas import load_records

REPOSITORIES = 1_000
SCALE = 20
#: The Hub's anonymous API limit and window, its latency, and the client's pause between
#: two requests, at full scale.
QUOTA, WINDOW, LATENCY, HOST_DELAY = 500, 300.0, 0.1, 0.25
BUDGET_SECONDS = 15 * 60


class Hub(BaseHTTPRequestHandler):
    """Figures and model-tree listings in the Hub's shapes, behind a fixed window."""

    quota: int | None = None
    window = WINDOW / SCALE
    lock = threading.Lock()
    start = 0.0
    used = 0
    refused = 0

    def do_GET(self) -> None:
        cls = type(self)
        with cls.lock:
            now = time.monotonic()
            if now - cls.start >= cls.window:
                cls.start, cls.used = now, 0
            cls.used += 1
            quota = cls.quota or 10**9
            reset = max(1, round((cls.window - (now - cls.start)) * SCALE)) / SCALE
            left = max(0, quota - cls.used)
            over = cls.used > quota
            if over:
                cls.refused += 1
        time.sleep(LATENCY / SCALE)
        headers = {"RateLimit": f'"api";r={left};t={reset:.3f}'}
        if over:
            return self._send(429, b'{"error":"rate-limited"}', headers)
        if self.path == "/robots.txt":
            return self._send(404, b"", headers)
        parts = urlsplit(self.path)
        if parts.path == "/api/models":
            base = parse_qs(parts.query)["filter"][0].removeprefix("base_model:")
            children = [
                {
                    "id": f"fan/{base.replace('/', '-')}-{n}",
                    "tags": [
                        f"base_model:{base}",
                        f"base_model:{'finetune' if n % 2 else 'quantized'}:{base}",
                    ],
                }
                for n in range(_children(base))
            ]
            return self._send(200, json.dumps(children).encode(), headers)
        repo = parts.path.removeprefix("/api/models/")
        figures = {
            "_id": "x",
            "id": repo,
            "likes": 5,
            "downloads": 100,
            "downloadsAllTime": 2_000,
            "childrenModelCount": _children(repo),
        }
        return self._send(200, json.dumps(figures).encode(), headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _children(repo: str) -> int:
    """A third of the repositories have derived models (one listing page each)."""
    return random.Random(repo).choice([0, 0, 3])


def schedule(requests: int, quota: int | None, scale: float, work: float) -> float:
    """When the last of ``requests`` ends: each waits for the pause after the previous one
    and, with a ``quota``, for the request ``quota`` places before it to leave the window."""
    step = (HOST_DELAY + LATENCY) / scale + work
    starts: list[float] = []
    for index in range(requests):
        start = starts[-1] + step if starts else 0.0
        if quota is not None and index >= quota:
            start = max(start, starts[index - quota] + WINDOW * (1 + WINDOW_MARGIN) / scale)
        starts.append(start)
    return (starts[-1] + step) if starts else 0.0


def main() -> int:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/api/models"
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            records = write_synthetic_records(Path(tmp), 2_300)
            kb = load_records([records])
            limits = dataclasses.replace(
                DEFAULT_LIMITS,
                allow_loopback=True,
                host_delay=HOST_DELAY / SCALE,
                backoff_base=1.0 / SCALE,
                run_deadline=BUDGET_SECONDS,
            )
            for label, quota, window_requests in (
                ("no limit anywhere (baseline)", None, 10**9),
                (f"the Hub's window ({QUOTA} per {WINDOW:.0f} s)", QUOTA, QUOTA),
            ):
                Hub.quota, Hub.refused, Hub.used, Hub.start = quota, 0, 0, time.monotonic()
                settings = AdoptionSettings(
                    url=url,
                    max_repositories=REPOSITORIES,
                    window_requests=window_requests,
                    window_seconds=WINDOW / SCALE,
                )
                out = Path(tmp) / label.split()[0]
                started = time.perf_counter()
                report = take_snapshot(kb, out, dt.date(2026, 11, 30), settings, limits=limits)
                elapsed = time.perf_counter() - started
                rows.append((label, report, Hub.refused, elapsed))
    finally:
        server.shutdown()
    _, base_report, _, base_elapsed = rows[0]
    # The unscaled work per request, as the baseline shows it (its scaled part taken out).
    work = max(0.0, base_elapsed / base_report.requests - (HOST_DELAY + LATENCY) / SCALE)
    print(
        f"{'run':<34} | {'repos read':>10} | {'requests':>8} | {'429s':>4} | "
        f"{'measured s':>10} | {'schedule s':>10} | {'full scale':>10} | vs baseline"
    )
    print("-" * 113)
    base_full = schedule(base_report.requests, None, 1.0, work)
    for (label, report, refused, elapsed), quota in zip(rows, (None, QUOTA), strict=True):
        scaled = schedule(report.requests, quota, SCALE, work)
        full = schedule(report.requests, quota, 1.0, work)
        print(
            f"{label:<34} | {len(report.rows):>10} | {report.requests:>8} | {refused:>4} | "
            f"{elapsed:>10.2f} | {scaled:>10.2f} | {full / 60:>6.1f} min | "
            f"{full / base_full:>6.2f}x"
        )
    print(
        f"time scale 1/{SCALE}; unscaled work {work * 1000:.1f} ms per request; full scale: "
        f"{LATENCY * 1000:.0f} ms latency, {HOST_DELAY * 1000:.0f} ms between requests"
    )
    _, limited, refused, elapsed = rows[1]
    scaled = schedule(limited.requests, QUOTA, SCALE, work)
    full = schedule(limited.requests, QUOTA, 1.0, work)
    follows = abs(elapsed - scaled) <= 0.15 * scaled
    ok = refused == 0 and len(limited.rows) == REPOSITORIES and follows and full <= BUDGET_SECONDS
    print(
        f"budget: {'ok' if ok else 'OVER'} (no 429 from the limited server; {REPOSITORIES} "
        f"repositories; the run within 15% of its schedule; {full / 60:.1f} min at full "
        f"scale, at most {BUDGET_SECONDS / 60:.0f})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
