""" "Probably the same record": one definition for validation, review and the collectors.

Two records are probably the same when they share an identity key — a canonical source URL,
a Hugging Face repository, a Federal Register document number or an id — or when they are of
one kind, carry near-same titles with the same numbers, and fall within :data:`TITLE_DAYS` of
each other.

Titles are compared only inside a block (same kind, same numbers) and only with titles that
share one of the new title's rarest words, so finding near-same titles among *n* records costs
about *n* comparisons in all, not *n²*; :data:`MAX_TITLE_COMPARISONS` bounds the rest.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from schemas.dates import PartialDate
from schemas.urls import canonical_url

TITLE_SIMILARITY = 0.92
TITLE_DAYS = 31
#: Earlier titles compared in full with one new title, at most.
MAX_TITLE_COMPARISONS = 50
#: How many of a title's rarest words select the titles it is compared with.
RARE_WORDS = 2

_FEDERAL_REGISTER = re.compile(
    r"federalregister\.gov/(?:d|documents/\d{4}/\d{2}/\d{2}|api/v1/documents)/([0-9]{4}-[0-9]{4,6})"
)
#: A CELEX number in an EUR-Lex address: ``uri=CELEX:32024R1689`` (``:`` may be escaped).
_CELEX = re.compile(r"eur-lex\.europa\.eu/.*?CELEX(?::|%3A)([0-9A-Z()]{6,20})", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\d+")

#: What each kind of identity key is called in reasons.
KEY_NAMES = {
    "url": "same source URL",
    "hf": "same Hugging Face repository",
    "fr": "same Federal Register document",
    "celex": "same EU document (CELEX number)",
    "govuk": "same GOV.UK document",
    "congress": "same bill in Congress",
    "id": "same id",
}


def federal_register_number(url: str) -> str | None:
    """The document number of a Federal Register URL, if it is one."""
    match = _FEDERAL_REGISTER.search(url)
    return match.group(1) if match else None


def celex_number(url: str) -> str | None:
    """The CELEX number in an EUR-Lex address (``...?uri=CELEX:32024R1689``), uppercase."""
    match = _CELEX.search(url)
    return match.group(1).upper() if match else None


def normal_title(title: str) -> str:
    """Lowercase words and numbers, single spaces: the form titles are compared in."""
    return " ".join(_WORD.findall(title.lower()))


def _date(value: Any) -> PartialDate | None:
    if isinstance(value, PartialDate):
        return value
    try:
        return PartialDate.parse(str(value))
    except ValueError:
        return None


def record_urls(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every URL a record's data cites, with where it stands: its sources, and the fields that
    hold the address of what it is about (a news item's ``url``)."""
    for index, source in enumerate(data.get("sources") or []):
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            yield ("sources", index, "url"), source["url"]
    if data.get("kind") == "news" and isinstance(data.get("url"), str):
        yield ("url",), data["url"]


def identity_keys(data: dict[str, Any]) -> set[str]:
    """The keys that reveal two records' data as one: ``url:``, ``fr:``, ``celex:``, ``hf:`` and
    ``id:``."""
    keys: set[str] = set()
    for _, url in record_urls(data):
        keys.add("url:" + canonical_url(url))
        number = federal_register_number(url)
        if number:
            keys.add("fr:" + number)
        celex = celex_number(url)
        if celex:
            keys.add("celex:" + celex)
    repos = data.get("huggingface")
    # A model lists repositories; an organization's single value is an account, not a release.
    for repo in repos if isinstance(repos, list) else []:
        if isinstance(repo, str):
            keys.add("hf:" + repo.lower())
    if isinstance(data.get("id"), str):
        keys.add("id:" + data["id"])
    return keys


@dataclass(frozen=True)
class Match:
    """Why a record is probably the same as one seen before, and which one."""

    holder: str
    #: ``url``, ``hf``, ``fr`` or ``id`` for an identity key; ``title`` for a near-same title.
    key: str
    ratio: float = 1.0

    @property
    def reason(self) -> str:
        if self.key == "title":
            return f"near-same title ({self.ratio:.0%}) and date"
        return KEY_NAMES[self.key]


@dataclass
class _Title:
    text: str
    date: PartialDate | None
    holder: str


@dataclass
class SimilarityIndex:
    """Records seen so far, to find the one a new record probably duplicates."""

    keys: dict[str, str] = field(default_factory=dict)
    #: (kind, numbers) -> titles of that block; word -> positions in the block.
    _blocks: dict[tuple[str, tuple[str, ...]], list[_Title]] = field(default_factory=dict)
    _words: dict[tuple[str, tuple[str, ...]], dict[str, list[int]]] = field(default_factory=dict)

    def add(self, data: dict[str, Any], holder: str, *, keys: set[str] | None = None) -> None:
        """Remember a record's data under ``holder`` (a description such as ``record x``)."""
        for key in identity_keys(data) if keys is None else keys:
            self.keys.setdefault(key, holder)
        title = normal_title(str(data.get("title", "")))
        if not title:
            return
        block = (str(data.get("kind")), tuple(_NUMBER.findall(title)))
        titles = self._blocks.setdefault(block, [])
        words = self._words.setdefault(block, defaultdict(list))
        for word in set(title.split()):
            words[word].append(len(titles))
        titles.append(_Title(title, _date(data.get("date")), holder))

    def add_key(self, key: str, holder: str) -> None:
        self.keys.setdefault(key, holder)

    def find(self, data: dict[str, Any], *, keys: set[str] | None = None) -> Match | None:
        """The record ``data`` probably duplicates, or None."""
        for key in sorted(identity_keys(data) if keys is None else keys):
            if key in self.keys:
                return Match(self.keys[key], key.split(":", 1)[0])
        title = normal_title(str(data.get("title", "")))
        if not title:
            return None
        block = (str(data.get("kind")), tuple(_NUMBER.findall(title)))
        titles = self._blocks.get(block)
        if not titles:
            return None
        words = self._words[block]
        # Numbers tell versions and sizes apart ("v1.0" and "v1.1" are two releases), so they
        # are part of the block; inside it, a near-same title shares its rarest words.
        rare = sorted(set(title.split()), key=lambda word: (len(words.get(word, ())), word))
        positions = sorted(
            {position for word in rare[:RARE_WORDS] for position in words.get(word, ())},
            reverse=True,
        )[:MAX_TITLE_COMPARISONS]
        day = _date(data.get("date"))
        for position in positions:
            other = titles[position]
            if day and other.date and _days_apart(day, other.date) > TITLE_DAYS:
                continue
            matcher = difflib.SequenceMatcher(None, title, other.text)
            if matcher.quick_ratio() < TITLE_SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= TITLE_SIMILARITY:
                return Match(other.holder, "title", ratio)
        return None


def _days_apart(a: PartialDate, b: PartialDate) -> int:
    """Days between two dates of any precision (zero when their spans overlap)."""
    if a.latest() < b.earliest():
        return (b.earliest() - a.latest()).days
    if b.latest() < a.earliest():
        return (a.earliest() - b.latest()).days
    return 0
