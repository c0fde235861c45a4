from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from schemas.json_schema import json_schema, stale_schema_files
from schemas.records import MODELS
from schemas.yaml_loader import load_yaml


def test_committed_schema_files_are_current() -> None:
    assert stale_schema_files() == [], "run 'osai schema' and commit the result"


@pytest.mark.parametrize("kind", list(MODELS))
def test_schema_is_valid_and_refuses_unknown_keys(kind: str) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False


def test_valid_fixtures_pass_their_json_schema(valid_records: Path) -> None:
    for path in sorted(valid_records.rglob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8")).data
        jsonschema.validate(data, json_schema(data["kind"]))


def test_json_schema_catches_an_unknown_vocabulary_value() -> None:
    record = {"kind": "model", "access": "sort-of-open"}
    validator = jsonschema.Draft202012Validator(json_schema("model"))
    assert any(error.path and error.path[0] == "access" for error in validator.iter_errors(record))
