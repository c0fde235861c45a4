"""Benchmark: every feed, the calendars and the data exports, for synthetic knowledge bases.

Run: python -m benchmarks.feeds [--sizes 1000 10000]
Budget: under 3 seconds for 10,000 records. Baseline, measured in the same run: serialising
the same records once to JSON (model_dump + json.dumps), the least any export must do.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_synthetic_records
from publish.calendar import calendar_files
from publish.catalog import Catalog
from publish.exports import export_files
from publish.feeds import feed_files
from publish.paths import Site
from schemas import load_records

BUDGET_SECONDS = 3.0
SITE = "https://tracker.example.org/"
SITE_AT = Site(url=SITE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(
        f"{'records':>8} | {'feeds':>5} | {'files':>6} | {'baseline JSON':>13} | "
        f"{'feeds':>7} | {'calendar':>8} | {'exports':>7} | {'total':>7} | ratio | budget"
    )
    print("-" * 104)
    ok = True
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            kb = load_records([write_synthetic_records(Path(tmp), size)])
        assert kb.ok, kb.problems[:3]
        start = time.perf_counter()
        json.dumps([r.model_dump(mode="json") for r in kb.records])
        baseline = time.perf_counter() - start

        catalog = Catalog(kb)
        start = time.perf_counter()
        feeds, feed_data = feed_files(catalog, SITE_AT)
        t_feeds = time.perf_counter() - start
        start = time.perf_counter()
        calendars = calendar_files(catalog, SITE_AT)
        t_calendar = time.perf_counter() - start
        start = time.perf_counter()
        exports = export_files(catalog, SITE_AT)
        t_exports = time.perf_counter() - start
        total = t_feeds + t_calendar + t_exports
        files = len(feed_data) + len(calendars) + len(exports)
        verdict = "ok" if total < BUDGET_SECONDS else "OVER"
        ok = ok and total < BUDGET_SECONDS
        print(
            f"{len(kb.entries):>8} | {len(feeds):>5} | {files:>6} | {baseline:>11.3f} s | "
            f"{t_feeds:>5.2f} s | {t_calendar:>6.2f} s | {t_exports:>5.2f} s | {total:>5.2f} s | "
            f"{total / baseline:5.1f} | {verdict} (< {BUDGET_SECONDS:.0f} s)"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
