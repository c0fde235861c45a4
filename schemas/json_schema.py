"""JSON Schema of each record kind, for editors and for the open-data downloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas.records import MODELS, SCHEMA_VERSION

JSON_SCHEMA_DIR = Path(__file__).parent / "json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one record kind."""
    schema = MODELS[kind].model_json_schema(mode="validation")
    return {
        "$schema": DIALECT,
        "title": f"Open Source AI Tracker {kind} record",
        "description": f"{schema.pop('description', '')} Schema version {SCHEMA_VERSION}.".strip(),
        **{key: value for key, value in schema.items() if key != "title"},
    }


def render(kind: str) -> str:
    """The schema as the exact text written to disk."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def schema_files() -> dict[Path, str]:
    """Every schema file with its content."""
    return {JSON_SCHEMA_DIR / f"{kind}.schema.json": render(kind) for kind in MODELS}


def stale_schema_files() -> list[Path]:
    """Schema files missing or different from what the models produce."""
    return [
        path
        for path, text in schema_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
