"""Tombstones: what keeps a record's id and URL alive after the record is withdrawn or merged
into another.

A tombstone is ``tombstones/<id>.yaml`` beside the records folder: the id, the title and kind
the record had, the day it was withdrawn or merged, why, and (when merged) ``moved_to``, the
record that holds it now. Its page says so and links onward; feeds and exports mark it; a
record file removed without one is refused by ``osai review``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from schemas.dates import PartialDate
from schemas.knowledge_base import KnowledgeBase
from schemas.loading import display_path, validation_problems
from schemas.problems import Problem
from schemas.records import MODELS, RecordId, Text
from schemas.yaml_loader import YamlProblem, load_yaml

FOLDER = "tombstones"
#: A tombstone file larger than this is refused before it is parsed.
MAX_TOMBSTONE_BYTES = 10_000

KindName = Literal.__getitem__(tuple(MODELS))


class Tombstone(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: RecordId
    #: The title and kind the record had.
    title: Text
    kind: KindName  # type: ignore[valid-type]
    #: When it was withdrawn or merged.
    date: PartialDate
    #: Why, in a sentence.
    reason: Text
    #: The record that holds it now, when it was merged into another.
    moved_to: RecordId | None = None

    @property
    def state(self) -> str:
        return "moved" if self.moved_to else "withdrawn"


@dataclass
class Tombstones:
    by_id: dict[str, Tombstone] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0


def tombstones_dir(records_dir: Path) -> Path:
    """The tombstones folder beside a records folder."""
    return records_dir.resolve().parent / FOLDER


def load_tombstones(folder: Path, kb: KnowledgeBase) -> Tombstones:
    """Every tombstone in ``folder``, checked against the records: a tombstone's id is no
    record's, and ``moved_to`` is one (a missing folder holds none)."""
    found = Tombstones()
    if not folder.is_dir():
        return found
    live = {entry.record.id for entry in kb.entries.values()}
    for path in sorted(folder.glob("*.yaml")):
        found.files += 1
        shown = display_path(path)
        if path.stat().st_size > MAX_TOMBSTONE_BYTES:
            found.problems.append(
                Problem(shown, 1, 1, "", f"larger than {MAX_TOMBSTONE_BYTES:,} bytes")
            )
            continue
        try:
            document = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            found.problems.append(Problem(shown, 1, 1, "", f"cannot read: {exc}"))
            continue
        except YamlProblem as exc:
            found.problems.append(Problem(shown, exc.line, exc.column, "", exc.message))
            continue
        try:
            stone = Tombstone.model_validate(document.data)
        except ValidationError as exc:
            found.problems += validation_problems(exc, document, shown)
            continue
        line, column = document.mark(("id",))
        if stone.id != path.stem:
            found.problems.append(
                Problem(shown, line, column, "id", f"{stone.id!r} is not the file's name")
            )
        elif stone.id in live:
            found.problems.append(
                Problem(shown, line, column, "id", f"{stone.id!r} is a record: remove one")
            )
        elif stone.moved_to is not None and stone.moved_to not in live:
            line, column = document.mark(("moved_to",))
            found.problems.append(
                Problem(shown, line, column, "moved_to", f"{stone.moved_to!r} is not a record")
            )
        else:
            found.by_id[stone.id] = stone
    return found
