"""De-duplication: by canonical URL, Hugging Face repository, Federal Register document number,
record id, and near-same title and date; against the knowledge base, earlier candidates of the
run, and the rejection list."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from collectors.candidates import Candidate
from schemas import KnowledgeBase
from schemas.yaml_loader import YamlProblem, load_yaml

TITLE_SIMILARITY = 0.92
TITLE_DAYS = 31
DEFAULT_REJECTED = Path(__file__).parent / "rejected.yaml"


def _normal_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def _numbers(title: str) -> list[str]:
    return re.findall(r"\d+", title)


def _day(value: str) -> dt.date | None:
    try:
        parts = [int(part) for part in value.split("-")]
        return dt.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )
    except (ValueError, IndexError):
        return None


def load_rejected(path: Path) -> dict[str, str]:
    """key -> reason, from the rejection list (missing file: nothing rejected)."""
    if not path.exists():
        return {}
    try:
        data = load_yaml(path.read_text(encoding="utf-8")).data
    except YamlProblem as exc:
        raise ValueError(f"{path}:{exc.line}:{exc.column}: {exc.message}") from None
    entries = (data or {}).get("rejected") or [] if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a mapping with a 'rejected' list")
    found = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise ValueError(f"{path}: rejected[{index}] needs a key")
        found[entry["key"]] = str(entry.get("reason", "rejected"))
    return found


@dataclass
class DuplicateIndex:
    keys: dict[str, str] = field(default_factory=dict)
    titles: list[tuple[str, str, dt.date | None, str]] = field(default_factory=list)

    @classmethod
    def build(cls, kb: KnowledgeBase, rejected: dict[str, str]) -> DuplicateIndex:
        index = cls()
        for key, reason in rejected.items():
            index.keys[key] = f"rejected before: {reason}"
        for record in kb.records:
            known = Candidate("records", record.model_dump(mode="json"))
            known.add_url_keys()
            index.add(known, f"record {record.id}")
        return index

    def add(self, candidate: Candidate, holder: str) -> None:
        for key in candidate.keys:
            self.keys.setdefault(key, holder)
        self.titles.append(
            (
                str(candidate.data.get("kind")),
                _normal_title(candidate.title),
                _day(str(candidate.data.get("date", ""))),
                holder,
            )
        )

    def find(self, candidate: Candidate) -> str | None:
        """Why the candidate is a duplicate, or None when it is new."""
        for key in sorted(candidate.keys):
            if key in self.keys:
                return f"duplicate of {self.keys[key]} ({key.split(':', 1)[0]})"
        kind = str(candidate.data.get("kind"))
        title = _normal_title(candidate.title)
        day = _day(str(candidate.data.get("date", "")))
        for other_kind, other_title, other_day, holder in self.titles:
            if other_kind != kind or not title or not other_title:
                continue
            if day and other_day and abs((day - other_day).days) > TITLE_DAYS:
                continue
            # Numbers tell versions and sizes apart: "v1.0" and "v1.1" are two releases.
            if _numbers(title) != _numbers(other_title):
                continue
            if difflib.SequenceMatcher(None, title, other_title).ratio() >= TITLE_SIMILARITY:
                return f"duplicate of {holder} (near-same title and date)"
        return None
