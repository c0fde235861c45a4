"""Errors shared by the publishing adapters."""

from __future__ import annotations

from schemas import Problem


class InvalidRecords(Exception):
    """The knowledge base has problems; nothing is published from invalid records."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(problem) for problem in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(
            f"{len(problems)} problems in the records (run 'osai validate'):\n{shown}{more}"
        )
