"""Benchmark: twenty feed sources on twenty loopback hosts, each answering after 50 ms.

Run: python -m benchmarks.collect

Baseline, measured in the same run: the same sources fetched one request at a time
(concurrency 1), which costs about the sum of the latencies. Budget: the concurrent run takes
well under that sum, and a re-run where every source answers 304 parses nothing.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from collectors.pipeline import run
from collectors.registry import load_registry
from collectors.settings import DEFAULT_LIMITS

SOURCES = 20
LATENCY = 0.05
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>
<link>https://bench.example/</link><description>x</description>
<item><title>Open model NUMBER released</title><link>https://bench.example/NUMBER</link>
<pubDate>Tue, 04 Mar 2025 15:00:00 GMT</pubDate><description>An open model.</description></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(LATENCY)
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == '"same"':
            self.send_response(304)
            self.send_header("ETag", '"same"')
            self.end_headers()
            return
        body = FEED.replace(b"NUMBER", self.server.server_address[0].encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", '"same"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    servers = []
    for index in range(SOURCES):
        server = ThreadingHTTPServer((f"127.0.0.{index + 1}", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    rows = []
    ok = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            registry = work / "sources.yaml"
            entries = [
                {
                    "id": f"bench-{i}",
                    "type": "feed",
                    "defaults": {"publisher": "Bench"},
                    "url": f"http://127.0.0.{i + 1}:{port}/feed.xml",
                }
                for i, port in enumerate(server.server_address[1] for server in servers)
            ]
            registry.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
            sources = load_registry(registry)
            (work / "records" / "news").mkdir(parents=True)
            # The sources listen on 127.0.0.x: loopback must be allowed explicitly.
            polite = dataclasses.replace(DEFAULT_LIMITS, host_delay=0.0, allow_loopback=True)
            sequential = dataclasses.replace(polite, concurrency=1)
            for label, limits, state in (
                ("one request at a time (baseline)", sequential, work / "a.json"),
                ("concurrent", polite, work / "b.json"),
                ("concurrent re-run, all 304", polite, work / "b.json"),
            ):
                start = time.perf_counter()
                report = run(
                    sources, work / "records", state, dry_run=label.startswith("one"), limits=limits
                )
                elapsed = time.perf_counter() - start
                parsed = sum(s.result.items for s in report.sources)
                not_modified = sum(s.result.not_modified for s in report.sources)
                rows.append((label, report.requests, parsed, not_modified, elapsed))
                ok = ok and report.ok
    finally:
        for server in servers:
            server.shutdown()
    baseline = rows[0][4]
    print(
        f"{'run':<34} | {'requests':>8} | {'items parsed':>12} | {'304s':>4} | "
        f"{'seconds':>7} | vs baseline"
    )
    print("-" * 90)
    for label, requests, parsed, not_modified, elapsed in rows:
        print(
            f"{label:<34} | {requests:>8} | {parsed:>12} | {not_modified:>4} | "
            f"{elapsed:>7.2f} | {elapsed / baseline:>6.2f}x"
        )
    print(
        f"sum of latencies: {2 * SOURCES * LATENCY:.2f} s ({SOURCES} sources, robots.txt + feed, "
        f"{LATENCY * 1000:.0f} ms each)"
    )
    concurrent, rerun = rows[1], rows[2]
    ok = ok and concurrent[4] < baseline / 2 and rerun[2] == 0 and rerun[3] == SOURCES
    print(
        "budget:",
        "ok" if ok else "OVER",
        "(concurrent run under half the baseline; re-run parses nothing)",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
