"""Benchmark: what the records' history costs a full build, at 10,000 records with five
commits each (the first adds every record; four more each change every record: a status, a
licence or a date, the summary, the sources' check date).

Run: python -m benchmarks.history [COUNT]

Baseline, measured in the same run: the same build with the plugin's ``history: false``.
Budget: history, record-page histories, the recent changes page and every change feed add
at most 10 % to the full build (search index included, as the site is deployed). The history
is read in a process of its own while the records load, so on two cores most of it is hidden.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.site import site_config, timed_build
from benchmarks.synthetic import write_synthetic_records

BUDGET = 1.10
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}
#: The four later commits: how each changes a record file's text.
EDITS = (
    ("added: 2025-", "added: 2025-", "last_verified: 2026-01-02\n"),
    ("summary: ", "summary: Revised. ", ""),
    ("last_verified: 2026-01-02", "last_verified: 2026-02-03", ""),
    ("summary: Revised. ", "summary: Revised twice. ", ""),
)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True)


def history_repo(root: Path, count: int) -> Path:
    """Synthetic records in a git repository, each changed in five commits."""
    git(root, "init", "-q", "-b", "main")
    records = write_synthetic_records(root, count)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the records")
    files = sorted(records.rglob("*.yaml"))
    for number, (marker, replacement, append) in enumerate(EDITS, start=2):
        for path in files:
            text = path.read_text(encoding="utf-8")
            if marker in text:
                text = text.replace(marker, replacement, 1)
            text += append
            path.write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Change every record ({number} of 5)")
    return records


def config(work: Path, records: Path, history: bool) -> Path:
    path = site_config(work, records)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["plugins"] = [{"osai": {"records": str(records), "history": history}}]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        (root / "repo").mkdir()
        records = history_repo(root / "repo", count)
        print(
            f"{count} records, 5 commits each: repository made in "
            f"{time.perf_counter() - started:.0f} s"
        )
        rows = []
        for label, history in (("without history (baseline)", False), ("with history", True)):
            work = root / label.split()[0]
            work.mkdir()
            seconds, memory = timed_build(config(work, records, history))
            files = sum(1 for p in (work / "site").rglob("*") if p.is_file())
            rows.append((label, seconds, memory, files))
    baseline = rows[0][1]
    print(f"{'build':<28} | {'seconds':>8} | {'peak MB':>8} | {'files':>7} | vs baseline")
    print("-" * 72)
    for label, seconds, memory, files in rows:
        print(
            f"{label:<28} | {seconds:>8.1f} | {memory:>8.0f} | {files:>7} | "
            f"{seconds / baseline:>6.2f}x"
        )
    ratio = rows[1][1] / baseline
    ok = ratio <= BUDGET
    print(
        f"budget: {'ok' if ok else 'OVER'} (history adds {ratio - 1:+.1%}; at most "
        f"{BUDGET - 1:.0%})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
