"""The source registry: which public sources the collectors watch, read from a YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.loading import display_path, validation_problems
from schemas.problems import Problem
from schemas.records import RecordId, Url
from schemas.yaml_loader import YamlProblem, load_yaml

DEFAULT_SOURCES = Path(__file__).parent / "sources.yaml"

SourceType = Literal["huggingface", "federal-register", "feed", "github-releases"]


class Source(BaseModel):
    """One watched source."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: RecordId
    type: SourceType
    url: Url
    #: Query parameters for API sources (author, term, limit, max_pages, ...).
    params: dict[str, str | int | list[str]] = {}
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
    seen: set[str] = set()
    for index, source in enumerate(registry.sources):
        if source.id in seen:
            line, column = document.mark(("sources", index, "id"))
            raise RegistryError(
                [
                    Problem(
                        shown, line, column, f"sources[{index}].id", f"duplicate id {source.id!r}"
                    )
                ]
            )
        seen.add(source.id)
    return list(registry.sources)
