"""Documentation stays true: every command, field and vocabulary value is described."""

from __future__ import annotations

import re

from osai.cli import build_parser
from schemas.records import MODELS
from schemas.vocabularies import vocabulary, vocabulary_names
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
RECORD_FORMAT = (ROOT / "docs" / "record-format.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    # Both install from the hashed lock files, then the project itself without dependencies.
    assert blocks[0] == (
        "python3 -m venv .venv && .venv/bin/pip install --require-hashes -r requirements/site.txt"
        " && .venv/bin/pip install --no-deps -e . && .venv/bin/mkdocs serve"
    )
    assert blocks[1] == (
        "python3 -m venv .venv && .venv/bin/pip install --require-hashes -r requirements/test.txt"
        " && .venv/bin/pip install --no-deps -e . && .venv/bin/python -m pytest"
    )
    assert README.index(blocks[1]) < README.index("---")


def test_ci_runs_the_readme_test_command() -> None:
    test_command = re.findall(r"```sh\n(.*?)\n```", README, re.S)[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()
    assert "set -euo pipefail" in ci
    assert "apt-get install -y" in ci and "chromium" in ci


def test_every_cli_command_is_documented() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, command in commands.items():
        assert f"`osai {name}" in README, name
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in README, f"osai {name} {option}"


def test_every_record_field_is_documented() -> None:
    for kind, model in MODELS.items():
        for field in model.model_fields:
            assert f"`{field}`" in RECORD_FORMAT, f"{kind}.{field}"


def test_every_vocabulary_value_has_a_meaning() -> None:
    for name in vocabulary_names():
        for term in vocabulary(name).terms.values():
            assert term.meaning.strip(), f"{name}: {term.value}"


def test_every_limit_is_in_the_readme_table() -> None:
    import dataclasses

    import schemas.limits
    from collectors.settings import Limits

    table = README[README.index("## Limits") :]
    names = [name for name in vars(schemas.limits) if name.isupper()]
    names += [field.name for field in dataclasses.fields(Limits)]
    # The build's and the edit loop's bounds.
    import publish.search_index
    import publish.serving

    for module in (publish.search_index, publish.serving):
        names += [
            name
            for name, value in vars(module).items()
            if name.isupper() and isinstance(value, int)
        ]
    for name in names:
        assert f"`{name}`" in table, name


def test_every_collector_type_and_parameter_is_documented() -> None:
    from collectors.sources import SOURCE_TYPES

    section = README[README.index("## Collectors") : README.index("## Limits")]
    for name, kind in SOURCE_TYPES.items():
        assert f"| `{name}` |" in section, name
        for parameter in kind.params.model_fields:
            assert f"`{parameter}`" in section, (name, parameter)
