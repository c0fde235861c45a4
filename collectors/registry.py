"""The source registry: which public sources the collectors watch, read from a YAML file.

Every problem is located (``file:line:column: field: message``): an unknown type, a missing or
wrong parameter of the type, a duplicate id. A registry that loads is one that can run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from collectors.sources import SOURCE_TYPES
from schemas.adoption import MAX_SNAPSHOT_ROWS
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


class AdoptionSettings(BaseModel):
    """What ``osai adoption`` may fetch from the Hugging Face Hub in one run."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    #: The Hub's models API (``<url>/<repository>`` for one repository's figures).
    url: Url = "https://huggingface.co/api/models"
    #: Repositories read in one run (the rest are listed as not read).
    max_repositories: Annotated[int, Field(ge=1, le=MAX_SNAPSHOT_ROWS)] = 2_000
    #: Requests in one run, figures and model-tree listings together.
    max_requests: Annotated[int, Field(ge=1)] = 1_400
    #: The Hub's published limit for its API: requests per window, and the window. The
    #: anonymous limit is 500 per 5 minutes; a token (``token_env``) raises it.
    window_requests: Annotated[int, Field(ge=1)] = 500
    window_seconds: Annotated[float, Field(gt=0)] = 300.0
    #: Pages of 1,000 derived models listed per repository to count them by relation;
    #: a repository with more derived models keeps its total but no split.
    max_tree_pages: Annotated[int, Field(ge=0, le=20)] = 2
    #: The environment variable that may hold a Hub token (sent as a header, never logged).
    token_env: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")] = "HF_TOKEN"


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    sources: list[Source] = Field(min_length=1)
    adoption: AdoptionSettings = AdoptionSettings()


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


def _read(path: Path) -> tuple[Registry, Document, str]:
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
    return registry, document, shown


def load_adoption_settings(path: Path = DEFAULT_SOURCES) -> AdoptionSettings:
    """The registry's ``adoption`` settings (the defaults when it has none)."""
    return _read(path)[0].adoption


def load_registry(path: Path = DEFAULT_SOURCES) -> list[Source]:
    """Every source in a registry file; raises :class:`RegistryError` with file:line problems."""
    registry, document, shown = _read(path)
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
