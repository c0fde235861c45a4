"""New record files: every field in order, vocabulary choices in comments, nothing overwritten."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from schemas.dates import PartialDate
from schemas.files import write_atomic
from schemas.records import MODELS, RecordId
from schemas.vocabularies import vocabulary

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_ID_ADAPTER: TypeAdapter[str] = TypeAdapter(RecordId)


def slugify(text: str, limit: int = 80) -> str:
    """A record id from a title: ``"Llama 3.1 (405B)"`` -> ``llama-3-1-405b``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


class _Choices(dict[str, str]):
    """``{name}`` in a scaffold line: the values of the vocabulary ``name``."""

    def __missing__(self, name: str) -> str:
        return ", ".join(vocabulary(name))


def _kind_fields(kind: str) -> list[str]:
    return [line.format_map(_Choices()) for line in MODELS[kind].scaffold]


def render_new_record(
    kind: str, title: str, record_id: str, date: PartialDate | None, today: dt.date
) -> str:
    """The text of a new record file, with the fields still to fill left empty."""
    date_line = date.isoformat() if date else '""  # YYYY, YYYY-MM or YYYY-MM-DD'
    lines = [
        f"# yaml-language-server: $schema=../../schemas/json/{kind}.schema.json",
        f"id: {record_id}",
        f"kind: {kind}",
        f"title: {_quote(title)}",
        f"date: {date_line}",
        'summary: ""',
        *_kind_fields(kind),
        "sources:",
        '  - url: ""  # the primary source first',
        '    title: ""',
        '    publisher: ""',
        '    quote: ""  # the passage that supports the record; remove if none',
        "tags: []  # one of: " + ", ".join(vocabulary("tags")),
        "related: []  # ids, or {id: ..., type: ...}",
        f"added: {today.isoformat()}",
    ]
    return "\n".join(lines) + "\n"


def create_record(
    records_dir: Path,
    kind: str,
    title: str,
    *,
    record_id: str | None = None,
    date: PartialDate | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write a new record file and return its path.

    Raises ``ValueError`` for a bad kind or id and ``FileExistsError`` when the file exists.
    """
    if kind not in MODELS:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(MODELS)}")
    record_id = record_id or slugify(title)
    try:
        _ID_ADAPTER.validate_python(record_id)
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from None
    path = records_dir / MODELS[kind].folder / f"{record_id}.yaml"
    text = render_new_record(kind, title, record_id, date, today or dt.date.today())
    write_atomic(path, text, exclusive=True)
    return path
