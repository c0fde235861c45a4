"""Hostile records: huge, deep, odd or invisible input gives problems with file:line, quickly,
never a traceback or a hang. (Broken fixtures with ``# expect:`` lines cover the rest.)"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from osai.cli import main
from schemas import load_records, validate_text
from schemas.limits import MAX_FILE_BYTES
from tests.conftest import FIXTURES, ROOT

NEWS = """id: big
kind: news
title: Big
date: 2025
summary: {summary}
publisher: P
url: https://news.example/big
sources:
  - url: https://news.example/big-source
    title: T
    publisher: P
tags: [{tags}]
added: 2025-01-02
"""


def test_a_seven_megabyte_summary_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "news" / "big.yaml"
    path.parent.mkdir()
    path.write_text(NEWS.format(summary="*Open* " * 1_000_000, tags="open-source"), "utf-8")
    start = time.monotonic()
    kb = load_records([tmp_path])
    assert [p.message for p in kb.problems] == [
        f"the file has {path.stat().st_size:,} bytes; a record has at most {MAX_FILE_BYTES:,}"
    ]
    assert time.monotonic() - start < 5


def test_a_long_summary_within_the_file_size_is_a_located_problem() -> None:
    text = NEWS.format(summary="x " * 3_000, tags="open-source")
    _, problems = validate_text(text, "big.yaml")
    assert [str(p) for p in problems] == ["big.yaml:5:1: summary: 5999 characters; at most 4000"]


def test_half_a_million_tags_print_one_problem(tmp_path: Path) -> None:
    text = NEWS.format(summary="s", tags=", ".join(["open-source"] * 500_000))
    start = time.monotonic()
    _, problems = validate_text(text.encode(), "big.yaml")
    assert len(problems) == 1 and "a record has at most" in problems[0].message
    _, problems = validate_text(NEWS.format(summary="s", tags=", ".join(["x"] * 5_000)), "b.yaml")
    assert [p.message for p in problems] == ["a list of 5,000 items; at most 200"]
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("bad_id", ["nl\n", "a--b", "A", "x" * 81, "ok\u200b"])
def test_new_refuses_ids_that_are_not_whole_slugs(
    tmp_path: Path, bad_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["new", "news", "--title", "T", "--id", bad_id, "--records", str(tmp_path)])
    assert code == 2 and "is not a record id" in capsys.readouterr().err
    assert not any(tmp_path.rglob("*"))


def test_each_summary_is_converted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from publish import markup

    markup._render.cache_clear()
    markup.summary_html.cache_clear()
    markup.plain_text.cache_clear()
    calls: list[str] = []
    convert = markup._MARKDOWN.convert
    monkeypatch.setattr(
        markup._MARKDOWN, "convert", lambda text: calls.append(text) or convert(text)
    )
    text = "An *open* model with [a link](https://example.org)."
    markup.summary_html(text)
    markup.plain_text(text)
    markup.one_line(text)
    assert calls == [text]


def test_stats_into_a_closed_pipe_ends_quietly() -> None:
    command = f"{sys.executable} -m osai stats --records {FIXTURES / 'valid' / 'records'} | head -1"
    result = subprocess.run(
        ["bash", "-c", "set -o pipefail; " + command], cwd=ROOT, capture_output=True, text=True
    )
    assert result.stdout == "records by kind:\n"
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_validating_another_records_folder_checks_it_on_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    other = tmp_path / "records"
    shutil.copytree(FIXTURES / "valid" / "records", other)
    # The same ids as --records: a records folder given as PATH is a knowledge base of its own.
    args = ["validate", str(other), "--records", str(FIXTURES / "valid" / "records")]
    assert main(args) == 0
    assert "used by several files" not in capsys.readouterr().out
