from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from osai.cli import main
from schemas import MODELS, load_records
from schemas.scaffold import create_record, slugify
from schemas.yaml_loader import load_yaml


def test_slugify() -> None:
    assert slugify("Llama 3.1 (405B)") == "llama-3-1-405b"
    assert slugify("Tülu 3 — post-training") == "tulu-3-post-training"


@pytest.mark.parametrize("kind", ["policy", "model", "news", "organization"])
def test_new_writes_every_field_to_fill(tmp_path: Path, kind: str) -> None:
    path = create_record(tmp_path, kind, "A: new thing", today=dt.date(2026, 1, 2))
    text = path.read_text(encoding="utf-8")
    assert path == tmp_path / MODELS[kind].folder / "a-new-thing.yaml"
    assert text.startswith(
        f"# yaml-language-server: $schema=../../schemas/json/{kind}.schema.json\n"
    )
    data = load_yaml(text).data
    assert data["id"] == "a-new-thing" and data["title"] == "A: new thing"
    assert data["added"] == "2026-01-02"
    kb = load_records([tmp_path])
    # The file is shaped right: what is left are empty values to fill, never unknown fields.
    messages = {problem.message for problem in kb.problems}
    assert "unknown field" not in messages
    assert any(p.field == "summary" and p.message == "must not be empty" for p in kb.problems)


def test_filled_in_record_validates(tmp_path: Path, valid_records: Path) -> None:
    path = create_record(tmp_path, "organization", "Example Org", date=None)
    text = path.read_text(encoding="utf-8")
    for old, new in {
        'date: ""': "date: 2020",
        'summary: ""': "summary: An organisation.",
        'name: ""': "name: Example Org",
        'country: ""': "country: FR",
        'type: ""': "type: company",
        'url: ""': "url: https://org.example",
        '- url: ""': "- url: https://org.example/about",
        'title: ""': "title: About",
        'publisher: ""': "publisher: Example Org",
        'quote: ""': "quote: Founded in 2020.",
    }.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    kb = load_records([tmp_path])
    assert kb.problems == []


def test_new_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["new", "model", "--title", "Twin", "--records", str(tmp_path)]
    assert main(args) == 0
    path = tmp_path / "models" / "twin.yaml"
    path.write_text("edited", encoding="utf-8")
    assert main(args) == 2
    assert "exists already" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "edited"


def test_new_rejects_bad_id_and_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "news", "--title", "x", "--id", "Bad_Id", "--records", str(tmp_path)]) == 2
    assert (
        main(["new", "news", "--title", "x", "--date", "2025-13", "--records", str(tmp_path)]) == 2
    )
    assert not any(tmp_path.rglob("*.yaml"))
