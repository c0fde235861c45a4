"""Every broken fixture file states the exact problems it must produce, as ``# expect:`` lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osai.cli import main
from schemas import load_records
from tests.conftest import FIXTURES, ROOT

BROKEN = FIXTURES / "broken" / "records"
BROKEN_FILES = sorted(BROKEN.rglob("*.yaml"))


def expectations(path: Path) -> list[str]:
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


@pytest.fixture(scope="module")
def problems_by_file() -> dict[str, list[str]]:
    kb = load_records([BROKEN.relative_to(ROOT)])
    found: dict[str, list[str]] = {}
    for problem in kb.problems:
        text = str(problem).removeprefix(f"{problem.path}:")
        found.setdefault(problem.path, []).append(text)
    return found


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_gives_exactly_its_expected_problems(
    path: Path, problems_by_file: dict[str, list[str]], in_root: Path
) -> None:
    shown = str(path.relative_to(ROOT))
    assert problems_by_file.get(shown, []) == expectations(path)


def test_every_error_path_is_covered() -> None:
    messages = "\n".join(line for path in BROKEN_FILES for line in expectations(path))
    for needle in [
        "invalid YAML",
        "duplicate key",
        "unknown field",
        "expected text, got the number 1.1",
        "is not an http or https URL",
        "no record has the id",
        "must equal the file name",
        "is used by several files",
        "is also cited by",
        "is not a date of the form",
        "is in the future",
        "is an organization, expected a model",
        "anchors and aliases are not allowed",
        "not UTF-8 text",
        "needs a stance_quote",
        "required field is missing",
        "put the developer's or the official page first",
        "cite a page once",
        "an account that none of the record's huggingface repositories belongs to",
        "the record's licence is the most permissive one",
        "a court ruling needs case",
        "case belongs to instrument 'court-ruling'",
        "needs at least 2 entries",
        "cannot be its own parent",
        "unknown provision effect",
        "not one of the record's sources",
        "the same reference and quote",
        "needs evidence",
        "a not-started item has no status date",
        "is before the plan's date",
    ]:
        assert needle in messages, needle


def test_cli_prints_one_line_per_problem_and_exits_1(
    in_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["validate", "tests/fixtures/broken/records", "--records", "tests/fixtures/broken/records"]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert len(out) == sum(len(expectations(path)) for path in BROKEN_FILES)
    duplicate = "tests/fixtures/broken/records/models/duplicate-key.yaml:4:1: title: "
    assert duplicate + "duplicate key 'title' (first written on line 3)" in out
    assert all(line.startswith("tests/fixtures/broken/records/") for line in out)


def test_cli_json_output(in_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--format", "json", "--records", "tests/fixtures/broken/records"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 1
    assert payload["valid"] is False
    assert all(
        set(p) == {"path", "line", "column", "field", "message"} for p in payload["problems"]
    )
    first = next(p for p in payload["problems"] if p["path"].endswith("models/bad-urls.yaml"))
    assert first["path"] == "tests/fixtures/broken/records/models/bad-urls.yaml"
    assert (first["line"], first["column"], first["field"]) == (11, 5, "sources[0].url")


def test_no_traceback_for_any_broken_file(
    in_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in BROKEN_FILES:
        code = main(
            ["validate", str(path.relative_to(ROOT)), "--records", "tests/fixtures/broken/records"]
        )
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        assert code == (1 if expectations(path) else 0), path
