"""The source registry: which public sources the collectors watch, read from a YAML file.

Every problem is located (``file:line:column: field: message``): an unknown type, a missing or
wrong parameter of the type, a duplicate id. A registry that loads is one that can run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from collectors.sources import SOURCE_TYPES
from schemas.loading import display_path, validation_problems
from schemas.problems import Problem
from schemas.records import RecordId, Url
from schemas.yaml_loader import Document, YamlProblem, load_yaml

DEFAULT_SOURCES = Path(__file__).parent / "sources.yaml"

#: The source types, as the registry accepts them: derived from the one list of types.
SourceTypeName = Literal.__getitem__(tuple(SOURCE_TYPES))  # type: ignore[attr-defined]


class Source(BaseModel):
    """One watched source. After loading, ``params`` holds the type's validated parameters."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: RecordId
    type: SourceTypeName  # type: ignore[valid-type]
    url: Url
    #: The type's parameters (author, term, limit, max_pages, ...).
    params: Any = {}
    #: Field values every candidate from this source starts with (kind-specific).
    defaults: dict[str, Any] = {}
    #: Relevance filter: an item is kept when its title or summary holds one of these.
    keywords: list[str] = []
    enabled: bool = True
    description: str = ""


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    sources: list[Source] = Field(min_length=1)


class RegistryError(Exception):
    """A registry file that cannot be used, with one located problem per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _typed(source: Source, index: int, document: Document, shown: str) -> Source | list[Problem]:
    """The source with its parameters checked against its type, or the problems found."""
    kind = SOURCE_TYPES[source.type]
    raw = source.params if source.params is not None else {}
    if not isinstance(raw, dict):
        line, column = document.mark(("sources", index, "params"))
        return [Problem(shown, line, column, f"sources[{index}].params", "expected a mapping")]
    try:
        params = kind.params.model_validate(raw)
    except ValidationError as exc:
        # Locate the errors inside this source's params in the registry document.
        nested = Document(raw, _marks_under(document, ("sources", index, "params")))
        found = validation_problems(exc, nested, shown)
        prefix = f"sources[{index}].params"
        return [
            Problem(
                p.path, p.line, p.column, f"{prefix}.{p.field}" if p.field else prefix, p.message
            )
            for p in found
        ]
    return source.model_copy(update={"params": params})


def _marks_under(document: Document, path: tuple[str | int, ...]) -> dict[Any, tuple[int, int]]:
    marks = {
        key[len(path) :]: mark for key, mark in document.marks.items() if key[: len(path)] == path
    }
    marks.setdefault((), document.mark(path))
    return marks


def load_registry(path: Path = DEFAULT_SOURCES) -> list[Source]:
    """Every source in a registry file; raises :class:`RegistryError` with file:line problems."""
    shown = display_path(path)
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError([Problem(shown, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    except YamlProblem as exc:
        raise RegistryError([Problem(shown, exc.line, exc.column, "", exc.message)]) from None
    try:
        registry = Registry.model_validate(document.data)
    except ValidationError as exc:
        raise RegistryError(validation_problems(exc, document, shown)) from None
    problems: list[Problem] = []
    sources: list[Source] = []
    seen: set[str] = set()
    for index, source in enumerate(registry.sources):
        if source.id in seen:
            line, column = document.mark(("sources", index, "id"))
            problems.append(
                Problem(shown, line, column, f"sources[{index}].id", f"duplicate id {source.id!r}")
            )
        seen.add(source.id)
        typed = _typed(source, index, document, shown)
        if isinstance(typed, list):
            problems.extend(typed)
        else:
            sources.append(typed)
    if problems:
        raise RegistryError(sorted(problems))
    return sources
