"""Load record files, validate each, and collect every problem with its file, line and field."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas.crosscheck import CrossIndex, cross_check
from schemas.knowledge_base import KnowledgeBase, LoadedRecord
from schemas.limits import MAX_FILE_BYTES, MAX_PROBLEMS_PER_FILE
from schemas.problems import FieldPath, Problem, field_name
from schemas.records import KIND_BY_FOLDER, MODELS, model_for
from schemas.rules import check_record
from schemas.yaml_loader import Document, YamlProblem, load_yaml

RECORD_SUFFIXES = (".yaml", ".yml")
#: Names pydantic puts in error locations for the branches of ``related`` and evidence items.
_UNION_BRANCHES = ("plain", "typed", "evidence-record", "evidence-page")


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path) if path.is_absolute() else str(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def find_record_files(paths: Iterable[Path]) -> list[Path]:
    """Record files in ``paths`` (files, or folders searched recursively), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.suffix in RECORD_SUFFIXES and p.is_file())
        else:
            found.add(path)
    return sorted(found)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _message(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "string_type":
        hint = "; put the value in quotes" if isinstance(value, bool | int | float) else ""
        return f"expected text, got {_describe(value)}{hint}"
    if kind == "int_type":
        return f"expected a whole number, got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {_describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind == "too_short" and isinstance(value, list):
        least = error.get("ctx", {}).get("min_length", 1)
        return "needs at least one entry" if least == 1 else f"needs at least {least} entries"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not in the expected form ({error['ctx']['pattern']})"
    return str(error["msg"])


def _data_path(data: Any, loc: tuple[Any, ...]) -> FieldPath:
    """Map a pydantic error location onto the document, skipping union branch names."""
    path: list[str | int] = []
    current = data
    for part in loc:
        in_mapping = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if in_mapping or in_list:
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and part not in _UNION_BRANCHES:
            # A missing key: name it even though the document has no value there.
            path.append(part)
            current = None
    return tuple(path)


def validation_problems(error: ValidationError, document: Document, shown: str) -> list[Problem]:
    """A pydantic error as located problems, one per failing field, sorted."""
    problems = []
    for detail in error.errors(include_url=False):
        field_path = _data_path(document.data, detail["loc"])
        line, column = document.mark(field_path)
        problems.append(Problem(shown, line, column, field_name(field_path), _message(detail)))
    return sorted(set(problems))


def load_file(
    path: Path, today: dt.date | None = None
) -> tuple[LoadedRecord | None, list[Problem]]:
    """Read and validate one record file. Never raises for bad data: problems are returned."""
    entry, problems = _read(path, today)
    return entry, capped(problems)


def _read(path: Path, today: dt.date | None) -> tuple[LoadedRecord | None, list[Problem]]:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [_too_large(shown, size)]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")]
    return _validate(raw, shown, path, today)


def _too_large(shown: str, size: int) -> Problem:
    return Problem(
        shown, 1, 1, "", f"the file has {size:,} bytes; a record has at most {MAX_FILE_BYTES:,}"
    )


def validate_text(
    raw: bytes | str,
    shown: str,
    *,
    path: Path | None = None,
    today: dt.date | None = None,
    index: CrossIndex | None = None,
) -> tuple[LoadedRecord | None, list[Problem]]:
    """Validate one record's text with every rule: the one entry point of validation.

    ``shown`` names the text in problems; ``path`` is where the file is (or would be) filed,
    for the id and folder checks; ``index`` holds the records to check references, ids and
    sources against. Returns the record (None when it is not a valid record on its own) and
    every problem, at most :data:`MAX_PROBLEMS_PER_FILE` of them plus a count of the rest.
    """
    entry, problems = _validate(raw, shown, path, today)
    if entry is not None and index is not None:
        problems.extend(index.problems(entry))
    return entry, capped(problems)


def _validate(
    raw: bytes | str, shown: str, path: Path | None, today: dt.date | None
) -> tuple[LoadedRecord | None, list[Problem]]:
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_FILE_BYTES:
        return None, [_too_large(shown, size)]
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            return None, [Problem(shown, line, column, "", f"not UTF-8 text ({exc.reason})")]
    else:
        text = raw
    try:
        document = load_yaml(text)
    except YamlProblem as exc:
        return None, [Problem(shown, exc.line, exc.column, field_name(exc.field), exc.message)]

    data = document.data
    if not isinstance(data, dict):
        return None, [Problem(shown, 1, 1, "", "a record must be a mapping of fields")]
    model = model_for(data.get("kind"))
    if model is None:
        line, column = document.mark(("kind",))
        allowed = ", ".join(MODELS)
        got = "missing" if "kind" not in data else f"{data['kind']!r} is unknown"
        return None, [Problem(shown, line, column, "kind", f"kind {got}; use one of {allowed}")]

    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        return None, validation_problems(exc, document, shown)

    loaded = LoadedRecord(record, shown, document)
    problems = list(_placement(loaded, path)) if path is not None else []
    problems.extend(
        loaded.problem(where, message) for where, message in check_record(record, today)
    )
    return loaded, problems


def capped(problems: list[Problem]) -> list[Problem]:
    """At most :data:`MAX_PROBLEMS_PER_FILE` problems per file, then one that counts the rest."""
    by_file: dict[str, list[Problem]] = {}
    for problem in sorted(problems):
        by_file.setdefault(problem.path, []).append(problem)
    kept: list[Problem] = []
    for shown, found in by_file.items():
        kept.extend(found[:MAX_PROBLEMS_PER_FILE])
        rest = len(found) - MAX_PROBLEMS_PER_FILE
        if rest > 0:
            last = found[MAX_PROBLEMS_PER_FILE - 1]
            kept.append(Problem(shown, last.line, last.column, "", f"… and {rest:,} more problems"))
    return kept


def _placement(loaded: LoadedRecord, path: Path) -> Iterator[Problem]:
    record = loaded.record
    if path.stem != record.id:
        yield loaded.problem(("id",), f"id {record.id!r} must equal the file name {path.stem!r}")
    folder = path.parent.name
    if KIND_BY_FOLDER.get(folder) != record.kind_name:
        yield loaded.problem(
            ("kind",),
            f"a {record.kind_name} record belongs in a folder named {record.folder!r}, "
            f"not {folder!r}",
        )


def load_records(
    paths: Iterable[Path],
    today: dt.date | None = None,
    context: KnowledgeBase | None = None,
) -> KnowledgeBase:
    """Load every record file under ``paths`` and run the cross-record checks.

    ``context`` holds records that are not being checked but may be referred to (the rest
    of the knowledge base when only a few files are validated).
    """
    kb = KnowledgeBase()
    for path in find_record_files(paths):
        kb.files += 1
        entry, problems = _read(path, today)
        kb.problems.extend(problems)
        if entry is not None:
            kb.loaded.append(entry)
    kb.problems.extend(cross_check(kb.loaded, kb.entries, context.loaded if context else None))
    kb.problems = capped(kb.problems)
    return kb


class KnowledgeBaseError(Exception):
    """A records folder that cannot be used: missing, not a records folder, or (when a valid
    one is required) holding invalid records, listed in ``problems``."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


#: Problems listed in a :class:`KnowledgeBaseError`; ``osai validate`` lists them all.
SHOWN_PROBLEMS = 50


def open_knowledge_base(
    records_dir: Path, *, require_valid: bool = False, today: dt.date | None = None
) -> KnowledgeBase:
    """Load the records folder: the one way commands, the site and the collectors open it.

    Raises :class:`KnowledgeBaseError` when the folder is missing or holds none of the kind
    folders (a mistyped path is not an empty knowledge base), and, with ``require_valid``,
    when any record has a problem.
    """
    if not records_dir.is_dir():
        raise KnowledgeBaseError(f"no records folder at {records_dir}")
    if not any((records_dir / model.folder).is_dir() for model in MODELS.values()):
        folders = ", ".join(f"{model.folder}/" for model in MODELS.values())
        raise KnowledgeBaseError(
            f"{records_dir} is not a records folder: it holds none of {folders}"
        )
    kb = load_records([records_dir], today)
    if require_valid and kb.problems:
        shown = "\n".join(str(problem) for problem in kb.problems[:SHOWN_PROBLEMS])
        rest = len(kb.problems) - SHOWN_PROBLEMS
        more = f"\n... and {rest} more" if rest > 0 else ""
        raise KnowledgeBaseError(
            f"{len(kb.problems)} problems in the records (run 'osai validate'):\n{shown}{more}",
            kb.problems,
        )
    return kb
