"""Benchmark: load + validate + cross-check against bare YAML parsing of the same files.

Run: python -m benchmarks.validate [--sizes 1000 10000]
Budget: validating 10,000 records takes at most 3x the bare parse with yaml.CSafeLoader.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.synthetic import write_synthetic_records
from schemas import load_records
from schemas.loading import find_record_files

BUDGET_RATIO = 3.0


def bare_parse(records: Path) -> float:
    start = time.perf_counter()
    for path in find_record_files([records]):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def full_validation(records: Path) -> tuple[float, int]:
    start = time.perf_counter()
    kb = load_records([records])
    elapsed = time.perf_counter() - start
    assert not kb.problems, kb.problems[:5]
    return elapsed, len(kb.entries)


def best_of(runs: int, func, *args):  # type: ignore[no-untyped-def]
    return min(
        (func(*args) for _ in range(runs)), key=lambda r: r if isinstance(r, float) else r[0]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    print(
        f"{'records':>8} | {'bare CSafeLoader parse':>22} | {'osai validate':>13} | ratio | budget"
    )
    print(f"{'-' * 8}-|-{'-' * 22}-|-{'-' * 13}-|-------|-------")
    worst = 0.0
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            records = write_synthetic_records(Path(tmp), size)
            bare = best_of(args.runs, bare_parse, records)
            full, loaded = best_of(args.runs, full_validation, records)
            ratio = full / bare
            worst = max(worst, ratio)
            verdict = "ok" if ratio <= BUDGET_RATIO else "OVER"
            print(
                f"{loaded:>8} | {bare:>20.3f} s | {full:>11.3f} s | {ratio:5.2f} | "
                f"{verdict} (<= {BUDGET_RATIO:.0f}x)"
            )
    return 0 if worst <= BUDGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
