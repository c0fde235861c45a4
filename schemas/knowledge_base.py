"""The loaded knowledge base: valid records with where they came from, and the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.problems import FieldPath, Problem, field_name
from schemas.records import MODELS, License, Record
from schemas.yaml_loader import Document


@dataclass
class LoadedRecord:
    """A valid record, the file it came from, and where each of its keys stands."""

    record: Record
    path: str
    document: Document

    def problem(self, field_path: FieldPath, message: str) -> Problem:
        line, column = self.document.mark(field_path)
        return Problem(self.path, line, column, field_name(field_path), message)


@dataclass
class KnowledgeBase:
    """Every valid record by id, and the problems found while loading and checking."""

    entries: dict[str, LoadedRecord] = field(default_factory=dict)
    #: How many record files were read.
    files: int = 0
    #: Every file that passed validation on its own, duplicates of an id included.
    loaded: list[LoadedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def records(self) -> list[Record]:
        return [entry.record for entry in self.entries.values()]

    def get(self, record_id: str) -> Record | None:
        entry = self.entries.get(record_id)
        return entry.record if entry else None

    def of_kind(self, kind: str) -> list[Record]:
        return [entry.record for entry in self.entries.values() if entry.record.kind_name == kind]

    def licences(self) -> dict[str, License]:
        """Every name of a licence record (id, SPDX identifier, aliases) -> the licence."""
        return {
            name: entry.record
            for entry in self.entries.values()
            if isinstance(entry.record, License)
            for name in entry.record.names
        }

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(MODELS, 0)
        for entry in self.entries.values():
            counts[entry.record.kind_name] += 1
        return counts
