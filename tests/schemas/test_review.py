from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from osai.cli import main
from tests.conftest import FIXTURES


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "T",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "T",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "PATH": "/usr/bin:/bin",
        },
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "valid" / "records", tmp_path / "records")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def test_review_reports_added_changed_removed_and_duplicates(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = repo / "records"
    (records / "policies" / "test-regional-order.yaml").unlink()
    # Removed records keep their ids: a tombstone says what became of it.
    (repo / "tombstones").mkdir()
    (repo / "tombstones" / "test-regional-order.yaml").write_text(
        "id: test-regional-order\ntitle: Regional order on model registers\nkind: policy\n"
        "date: 2026-11-30\nreason: Withdrawn by the tests.\n",
        encoding="utf-8",
    )
    lab = records / "organizations" / "acme-lab.yaml"
    lab.write_text(
        lab.read_text().replace(
            "A fictional research lab used by the tests.", "A fictional lab | with a pipe."
        ),
        encoding="utf-8",
    )
    new = records / "models" / "acme-7b-v2.yaml"
    new.write_text(
        (records / "models" / "acme-7b.yaml")
        .read_text()
        .replace("id: acme-7b", "id: acme-7b-v2")
        .replace("title: Acme 7B", "title: Acme 7B v2")
        .replace("https://acme.example/blog/acme-7b?utm_source=feed", "https://acme.example/v2"),
        encoding="utf-8",
    )
    assert main(["review", "--base", "main", "--records", str(records)]) == 0
    report = capsys.readouterr().out
    assert "**1** added · **1** changed · **1** removed · validation: passed" in report
    assert "| `acme-7b-v2` | model | Acme 7B v2 | 2024-05 | https://acme.example/v2 |" in report
    assert "- `acme-lab`" in report
    assert (
        "  - `summary`: A fictional research lab used by the tests. → "
        "A fictional lab \\| with a pipe."
    ) in report
    assert "- `test-regional-order` (policy): Regional order on model registers" in report
    assert "- `acme-7b-v2` may duplicate `acme-7b`: same Hugging Face repository" in report


def test_review_flags_dangling_references_and_fails(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "records" / "models" / "acme-7b.yaml").unlink()
    assert main(["review", "--base", "main", "--records", str(repo / "records")]) == 1
    report = capsys.readouterr().out
    assert "validation: **" in report and "no record has the id 'acme-7b'" in report
    assert "- `acme-7b-reasoner` refers to removed `acme-7b`" in report
    assert "- `acme-7b-tops-charts` refers to removed `acme-7b`" in report


def test_review_needs_a_known_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--base", "no-such-ref", "--records", str(repo / "records")]) == 2
    assert "git ls-tree" in capsys.readouterr().err


def test_review_lists_an_invalid_unstaged_record_as_added(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = repo / "records"
    assert main(["new", "model", "--title", "Fresh Model", "--records", str(records)]) == 0
    capsys.readouterr()
    assert main(["review", "--base", "main", "--records", str(records)]) == 1
    report = capsys.readouterr().out
    assert "**1** added" in report
    (row,) = [line for line in report.splitlines() if line.startswith("| fresh-model |")]
    assert row.startswith("| fresh-model | model | not valid yet: see the problems above | |")
    assert row.endswith("/records/models/fresh-model.yaml |")
    assert "records/models/fresh-model.yaml:6:1: summary: must not be empty" in report


def test_review_shows_hostile_text_as_text(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = repo / "records"
    lab = records / "organizations" / "acme-lab.yaml"
    hostile = (
        "Acme ![x](https://evil.example/p.png) [Approve](https://evil.example/) @octocat "
        "fixes #1 ```"
    )
    lab.write_text(
        lab.read_text().replace("title: Acme Lab", f"title: {hostile!r}"), encoding="utf-8"
    )
    bad = records / "news" / "acme-7b-tops-charts.yaml"
    bad.write_text(bad.read_text() + '"```\\n@octocat": 1\n', encoding="utf-8")
    main(["review", "--base", "main", "--records", str(records)])
    report = capsys.readouterr().out
    assert "![" not in report and "](" not in report
    assert "```" not in report.replace("\\`", "")
    assert "@octocat" not in report and "#1" not in report
    assert "\r" not in report


def test_changes_are_shown_at_the_depth_they_happened() -> None:
    from schemas.review import field_changes

    old = {
        "title": "Plan",
        "action_items": [
            {"text": "Fund compute", "status": "not-started", "evidence": []},
            {"text": "Publish a register", "status": "done", "evidence": [{"record": "a"}]},
        ],
        "tags": ["open-source"],
    }
    new = {
        "title": "Plan",
        "action_items": [
            {
                "text": "Fund compute",
                "status": "under-way",
                "since": "2026-11",
                "evidence": [{"record": "b"}],
            },
            {"text": "Publish a register", "status": "done", "evidence": [{"record": "a"}]},
            {"text": "Open a call", "status": "not-started"},
        ],
        "tags": ["open-source", "compute"],
    }
    assert field_changes(old, new) == [
        ("action_items[0].evidence", [], [{"record": "b"}]),
        ("action_items[0].since", None, "2026-11"),
        ("action_items[0].status", "not-started", "under-way"),
        ("action_items[2]", None, {"text": "Open a call", "status": "not-started"}),
        ("tags[1]", None, "compute"),
    ]
    assert field_changes(old, old) == []
