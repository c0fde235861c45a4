"""Controlled vocabularies, read from the data files in ``schemas/vocabularies/``.

Each file maps a value to its one-line meaning (or to a small table of attributes with a
``meaning``), so the documentation and the validator read the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

VOCABULARY_DIR = Path(__file__).parent / "vocabularies"

#: Jurisdiction and country codes that are not ISO 3166 countries.
SPECIAL_CODES = {
    "EU": "European Union",
    "INT": "International (multilateral bodies)",
}


@dataclass(frozen=True)
class Term:
    """One allowed value of a vocabulary, with its meaning and any extra attributes."""

    value: str
    meaning: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """An ordered set of allowed values read from ``schemas/vocabularies/<name>.yaml``."""

    name: str
    terms: dict[str, Term]

    @property
    def file(self) -> str:
        return f"schemas/vocabularies/{self.name}.yaml"

    def __contains__(self, value: object) -> bool:
        return value in self.terms

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


@cache
def vocabulary(name: str) -> Vocabulary:
    """Load a vocabulary by file name (without ``.yaml``)."""
    path = VOCABULARY_DIR / f"{name}.yaml"
    with path.open(encoding="utf-8") as handle:
        raw = yaml.load(handle, Loader=yaml.CSafeLoader)
    terms: dict[str, Term] = {}
    for value, entry in raw.items():
        if isinstance(entry, dict):
            attributes = {key: val for key, val in entry.items() if key != "meaning"}
            terms[str(value)] = Term(str(value), str(entry.get("meaning", "")), attributes)
        else:
            terms[str(value)] = Term(str(value), str(entry))
    return Vocabulary(name, terms)


def vocabulary_names() -> list[str]:
    """Every vocabulary file, sorted by name."""
    return sorted(path.stem for path in VOCABULARY_DIR.glob("*.yaml"))


@dataclass(frozen=True)
class InVocabulary:
    """Pydantic metadata: a string must be a value of the vocabulary ``name``, with an error
    naming the vocabulary file. ``Annotated[str, InVocabulary("tags", "tag")]``."""

    name: str
    noun: str

    def _check(self, value: str) -> str:
        vocab = vocabulary(self.name)
        if value not in vocab:
            raise PydanticCustomError(
                "vocabulary",
                "unknown {noun} {value}; allowed values are listed in {file}",
                {"noun": self.noun, "value": repr(value), "file": vocab.file},
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        vocab = vocabulary(self.name)
        return {
            "type": "string",
            "enum": list(vocab),
            "description": f"One of the values in {vocab.file}.",
        }


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_country_code(code: str) -> bool:
    """ISO 3166-1 alpha-2 code, or one of the special codes ``EU`` and ``INT``."""
    return code in SPECIAL_CODES or code in _country_codes()


def is_jurisdiction_code(code: str) -> bool:
    """A country code, or an ISO 3166-2 subdivision such as ``US-CA``."""
    if is_country_code(code):
        return True
    return "-" in code and _subdivision(code) is not None


def _subdivision(code: str) -> Any:
    return pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]


def place_name(code: str) -> str:
    """Readable name of a country, subdivision or special code."""
    if code in SPECIAL_CODES:
        return SPECIAL_CODES[code]
    if "-" in code:
        subdivision = _subdivision(code)
        return str(subdivision.name) if subdivision else code
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name
