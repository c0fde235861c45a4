"""A collector run: fetch every source concurrently, then pass each candidate through ordered
steps — normalise, identify, de-duplicate, validate, cap — and write the ones that pass as
record files. Every step either keeps a candidate or drops it with a reason for the report.

Candidates are validated by the same entry point as ``osai validate`` (their YAML text, with
every rule and the cross-record checks against the records and earlier candidates), so a
written candidate is always a valid record.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from collectors.candidates import Candidate, SourceResult
from collectors.context import Context, SourceError, SourceSkipped
from collectors.http import Client
from collectors.registry import Source
from collectors.rejected import DEFAULT_REJECTED, load_rejected
from collectors.robots import RobotsCache
from collectors.settings import DEFAULT_LIMITS, Limits
from collectors.sources import SOURCE_TYPES
from collectors.sources.policy import fold
from collectors.state import load_state, save_state
from schemas import KnowledgeBase, open_knowledge_base, validate_text
from schemas.crosscheck import CrossIndex
from schemas.files import remove_stale_temporaries, write_atomic
from schemas.limits import MAX_LINE_CHARS, MAX_SUMMARY_CHARS
from schemas.record_yaml import render_record
from schemas.records import MODELS
from schemas.scaffold import slugify
from schemas.similarity import SimilarityIndex, identity_keys

#: Problems of an invalid candidate quoted in its drop reason.
REASON_PROBLEMS = 3


@dataclass
class SourceReport:
    result: SourceResult
    new: list[Candidate] = field(default_factory=list)
    duplicates: int = 0

    @property
    def dropped(self) -> int:
        return len(self.result.drops) - self.duplicates


@dataclass
class RunReport:
    sources: list[SourceReport]
    written: list[Path]
    requests: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(report.result.error is None for report in self.sources)


async def _fetch_all(
    sources: list[Source],
    context: Context,
    limits: Limits,
    on_done: Callable[[str], None] | None,
) -> list[SourceResult]:
    results = [SourceResult(source.id) for source in sources]

    async def one(source: Source, result: SourceResult) -> None:
        started = time.monotonic()
        try:
            async with asyncio.timeout(limits.source_deadline):
                await SOURCE_TYPES[source.type].collect(source, context, result)
        except SourceSkipped as exc:
            result.skipped = str(exc)
        except SourceError as exc:
            result.error = str(exc)
        except TimeoutError:
            result.error = (
                f"stopped after {time.monotonic() - started:.0f} s: a source may take "
                f"{limits.source_deadline:g} s"
            )
        except Exception as exc:  # a bug in one source must not stop the others
            result.error = f"unexpected {exc.__class__.__name__}: {exc}"
        if on_done:
            on_done(source.id)

    async with context.client:
        tasks = [
            asyncio.create_task(one(source, result))
            for source, result in zip(sources, results, strict=True)
        ]
        _, pending = await asyncio.wait(tasks, timeout=limits.run_deadline)
        for task, result in zip(tasks, results, strict=True):
            if task in pending:
                task.cancel()
                result.error = f"stopped: the whole run may take {limits.run_deadline:g} s"
        if pending:
            await asyncio.wait(pending)
    return results


# -- the steps ----------------------------------------------------------------------------

#: Characters a reader cannot see or that reorder text: never kept in collected text.
_UNSEEN_CATEGORIES = ("Cc", "Cf")


def _visible_text(value: str, limit: int) -> str:
    text = "".join(c for c in value if unicodedata.category(c) not in _UNSEEN_CATEGORIES)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class Steps:
    """The ordered steps, with what they check candidates against."""

    records_dir: Path
    similar: SimilarityIndex
    cross: CrossIndex
    today: dt.date
    limits: Limits

    def normalise(self, candidate: Candidate) -> str | None:
        """Collected text made plain and bounded; an id that is a valid record id."""
        data = candidate.data
        for name, limit in (
            ("title", MAX_LINE_CHARS),
            ("summary", MAX_SUMMARY_CHARS),
            ("publisher", MAX_LINE_CHARS),
            ("author", MAX_LINE_CHARS),
        ):
            if isinstance(data.get(name), str):
                data[name] = _visible_text(data[name], limit)
                if not data[name]:
                    del data[name]
        for source in data.get("sources", []):
            for name in ("title", "publisher"):
                if isinstance(source.get(name), str):
                    source[name] = _visible_text(source[name], MAX_LINE_CHARS) or "(untitled)"
        if not data.get("title"):
            return "no visible title"
        data["id"] = slugify(str(data.get("id", ""))) or slugify(data["title"])
        if not data["id"]:
            return "no record id can be made from the title"
        return None

    def identify(self, candidate: Candidate) -> str | None:
        """The keys that would reveal the candidate as a known record."""
        candidate.keys |= identity_keys(candidate.data)
        return None

    def deduplicate(self, candidate: Candidate) -> str | None:
        match = self.similar.find(candidate.data, keys=candidate.keys)
        if match is None:
            return None
        what = match.key if match.key != "title" else "near-same title and date"
        return f"duplicate of {match.holder} ({what})"

    def validate(self, candidate: Candidate) -> str | None:
        """Validated as the file it would be, with every rule of ``osai validate``."""
        kind = MODELS[candidate.data["kind"]]
        path = self.records_dir / kind.folder / f"{candidate.id}.yaml"
        candidate.text = render_record(candidate.data)
        entry, problems = validate_text(
            candidate.text,
            f"candidate {candidate.id}",
            path=path,
            today=self.today,
            index=self.cross,
        )
        if not problems and entry is not None:
            candidate.entry = entry
            return None
        shown = "; ".join(
            f"{p.field}: {p.message}" if p.field else p.message for p in problems[:REASON_PROBLEMS]
        )
        rest = len(problems) - REASON_PROBLEMS
        more = f" (and {rest} more)" if rest > 0 else ""
        return f"not a valid record: {shown}{more}"

    def cap(self, candidate: Candidate, kept: int) -> str | None:
        limit = self.limits.max_candidates_per_source
        return f"over the limit of {limit} candidates per source and run" if kept >= limit else None

    def check(self, report: SourceReport, candidate: Candidate) -> None:
        """Run the steps in order; the first that objects drops the candidate with its reason."""
        result = report.result
        for step in (self.normalise, self.identify, self.deduplicate, self.validate):
            reason = step(candidate)
            if reason is not None:
                if step == self.deduplicate:
                    report.duplicates += 1
                result.drop(candidate.title, reason)
                return
        reason = self.cap(candidate, len(report.new))
        if reason is not None:
            result.drop(candidate.title, reason)
            return
        self.accept(candidate, result.source_id)
        report.new.append(candidate)

    def accept(self, candidate: Candidate, source_id: str) -> None:
        holder = f"candidate {candidate.id} from {source_id}"
        self.similar.add(candidate.data, holder, keys=candidate.keys)
        assert candidate.entry is not None
        self.cross.add(candidate.entry)


def _index(kb: KnowledgeBase, rejected: dict[str, str]) -> SimilarityIndex:
    index = SimilarityIndex()
    for key, reason in rejected.items():
        index.add_key(key, f"rejected before: {reason}")
    for record in kb.records:
        index.add(record.model_dump(mode="json"), f"record {record.id}")
    return index


def record_aliases(record: object) -> list[str]:
    return list(getattr(record, "aliases", []))


def _organizations(kb: KnowledgeBase) -> dict[str, str]:
    """Every name an organization record goes by (id, name, title, aliases) -> its id."""
    index: dict[str, str] = {}
    for record in kb.of_kind("organization"):
        names = (record.id, record.title, getattr(record, "name", ""), *record_aliases(record))
        for name in names:
            if name:
                index.setdefault(fold(name), record.id)
    return index


def run(
    sources: list[Source],
    records_dir: Path,
    state_path: Path,
    *,
    dry_run: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    rejected_path: Path = DEFAULT_REJECTED,
    today: dt.date | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    on_done: Callable[[str], None] | None = None,
) -> RunReport:
    """Run the given sources once and write (unless ``dry_run``) the new candidates.

    Raises :class:`schemas.KnowledgeBaseError` when ``records_dir`` is not a records folder
    (a mistyped path must not become an empty knowledge base that everything is new to), and
    ``ValueError`` for an unreadable rejection list.
    """
    kb = open_knowledge_base(records_dir)
    today = today or dt.date.today()
    report = RunReport([], [])
    if not dry_run:
        removed = remove_stale_temporaries([records_dir / m.folder for m in MODELS.values()])
        if removed:
            report.notes.append(f"removed {removed} temporary files left by an interrupted run")
    steps = Steps(
        records_dir, _index(kb, load_rejected(rejected_path)), CrossIndex(kb.loaded), today, limits
    )
    state = load_state(state_path)
    if state.problem:
        report.notes.append(state.problem)
    client = Client(limits, transport)
    repo_index = {
        repo.lower(): record.id
        for record in kb.of_kind("model")
        for repo in getattr(record, "huggingface", [])
    }
    context = Context(
        client, RobotsCache(client), state, today, repo_index, kb.licences(), _organizations(kb)
    )
    results = asyncio.run(_fetch_all(sources, context, limits, on_done))

    if kb.problems:
        report.notes.append(f"{len(kb.problems)} problems in {records_dir}; run 'osai validate'")
    report.sources = [SourceReport(result) for result in results]
    # New organizations first: the policies of every source may name them as issuers.
    for first in (True, False):
        for source_report in report.sources:
            for candidate in source_report.result.candidates:
                if (candidate.data.get("kind") == "organization") == first:
                    steps.check(source_report, candidate)

    for source_report in report.sources:
        for candidate in source_report.new:
            folder = MODELS[candidate.data["kind"]].folder
            path = records_dir / folder / f"{candidate.id}.yaml"
            if not dry_run:
                try:
                    write_atomic(path, candidate.text, exclusive=True)
                except FileExistsError:
                    report.notes.append(f"{path} exists (an invalid record?); not overwritten")
                    continue
                state.proposed.setdefault(source_report.result.source_id, []).append(candidate.id)
            report.written.append(path)
    report.requests = client.requests
    if not dry_run:
        save_state(state, state_path, wait=limits.state_lock_wait)
    return report
