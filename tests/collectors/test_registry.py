from __future__ import annotations

from pathlib import Path

import pytest

from collectors.registry import DEFAULT_SOURCES, RegistryError, load_registry
from collectors.sources import SOURCE_TYPES
from schemas import load_records
from tests.conftest import ROOT


def test_shipped_registry_is_valid_and_points_at_known_records() -> None:
    sources = load_registry(DEFAULT_SOURCES)
    kb = load_records([ROOT / "records"])
    assert len(sources) >= 20
    assert {s.type for s in sources} == set(SOURCE_TYPES)
    for source in sources:
        for target in getattr(source.params, "issuers", {}).values():
            assert kb.get(target) is not None, (source.id, target)
        assert source.url.startswith("https://")
        for key in ("organization", "issuer"):
            if key in source.defaults:
                assert kb.get(source.defaults[key]) is not None, (source.id, key)
        for target in source.defaults.get("about", []):
            assert kb.get(target) is not None, (source.id, target)
        if source.type == "huggingface":
            assert source.params.author and source.defaults.get("organization")
        if source.type == "feed":
            assert source.defaults.get("publisher")
        if source.type in ("govuk", "eur-lex", "govcn", "html-list", "congress"):
            assert source.defaults.get("jurisdiction"), source.id


def test_every_organization_whose_models_are_recorded_is_watched_on_the_hub() -> None:
    """An organization with model records and a Hugging Face account in its record has a
    huggingface source for that account, whose candidates name the organization."""
    kb = load_records([ROOT / "records"])
    with_models = {getattr(m, "organization", None) for m in kb.of_kind("model")}
    watched = {
        (s.params.author.lower(), s.defaults.get("organization"))
        for s in load_registry(DEFAULT_SOURCES)
        if s.type == "huggingface"
    }
    missing = [
        (org.id, org.huggingface)
        for org in kb.of_kind("organization")
        if org.id in with_models
        and getattr(org, "huggingface", None)
        and (org.huggingface.lower(), org.id) not in watched
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "sources:\n  - id: a\n    type: ftp\n    url: https://x.example\n",
            "sources.yaml:3:5: sources[0].type: Input should be",
        ),
        (
            "sources:\n  - id: a\n    type: feed\n    url: file:///etc/passwd\n",
            "sources.yaml:4:5: sources[0].url: 'file:///etc/passwd' is not an http or https URL",
        ),
        (
            "sources:\n  - id: a\n    type: feed\n    url: https://x.example\n"
            "  - id: a\n    type: feed\n    url: https://y.example\n",
            "sources.yaml:5:5: sources[1].id: duplicate id 'a'",
        ),
        (
            "sources:\n  - id: a\n    type: feed\n    url: https://x.example\n    enabled: yes\n",
            "sources.yaml:5:5: sources[0].enabled: Input should be a valid boolean",
        ),
        ("sources: [\n", "sources.yaml:2:1: invalid YAML"),
        (
            "sources:\n  - id: a\n    type: huggingface\n    url: https://x.example\n"
            "    params: {limit: 10}\n",
            "sources.yaml:5:5: sources[0].params.author: required field is missing",
        ),
        (
            "sources:\n  - id: a\n    type: huggingface\n    url: https://x.example\n"
            "    params: {author: x, limit: ten}\n",
            "sources.yaml:5:25: sources[0].params.limit: expected a whole number, got 'ten'",
        ),
        (
            "sources:\n  - id: a\n    type: feed\n    url: https://x.example\n"
            "    params: {author: x}\n",
            "sources.yaml:5:14: sources[0].params.author: unknown field",
        ),
        (
            "sources:\n  - id: a\n    type: html-list\n    url: https://x.example\n"
            "    params: {item: 'div[[', date: span, date_format: '%d.%m.%Y'}\n",
            "sources.yaml:5:14: sources[0].params.item: 'div[[' is not a CSS selector",
        ),
        (
            "sources:\n  - id: a\n    type: html-list\n    url: https://x.example\n"
            "    params: {item: li, date: span, date_format: '%d.%m'}\n",
            "sources.yaml:5:36: sources[0].params.date_format: '%d.%m' has no year (%Y or %y)",
        ),
        (
            "sources:\n  - id: a\n    type: govuk\n    url: https://x.example\n"
            "    params: {issuers: {Some Office: Not An Id}}\n",
            "sources.yaml:5:24: sources[0].params.issuers.Some Office: 'Not An Id' is not a record",
        ),
    ],
)
def test_registry_errors_name_file_line_and_field(
    tmp_path: Path, text: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as exc:
        load_registry(path)
    assert str(exc.value).startswith(expected)
