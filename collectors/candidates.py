"""Candidate records: what a source proposes, with the keys that identify it, and safe text."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import nh3

from schemas.knowledge_base import LoadedRecord

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain(text: str | None, limit: int | None = None) -> str:
    """Collected text as plain, safe text: tags removed, entities decoded, one line."""
    if not text:
        return ""
    stripped = html.unescape(nh3.clean(text, tags=set()))
    flat = _SPACE.sub(" ", _CONTROL.sub("", stripped)).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1].rsplit(" ", 1)[0] + "…"
    return flat


def web_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (javascript:, data:, relative...)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if any(char.isspace() or ord(char) < 32 for char in url):
        return None
    return url


@dataclass
class Candidate:
    """A proposed record and the keys that would reveal it as a duplicate."""

    source_id: str
    data: dict[str, Any]
    #: Identity keys (``url:``, ``hf:``, ``fr:``, ``id:``); sources may add their own.
    keys: set[str] = field(default_factory=set)
    #: The record file's text and the validated record, once the validation step passed.
    text: str = ""
    entry: LoadedRecord | None = None

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))


@dataclass
class Drop:
    """An item or candidate left out, and why."""

    source_id: str
    title: str
    reason: str


@dataclass
class SourceResult:
    """What one source produced in one run."""

    source_id: str
    fetched: int = 0
    not_modified: int = 0
    items: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    error: str | None = None
    #: Why the source was not read this run, when it was skipped by design.
    skipped: str | None = None

    def drop(self, title: str, reason: str) -> None:
        self.drops.append(Drop(self.source_id, title, reason))
