"""A collector run: fetch every source concurrently, then normalise, validate, de-duplicate
and write the new candidates as record files. Every drop has a reason in the report."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from pydantic import ValidationError

from collectors.candidates import Candidate, SourceResult
from collectors.context import Context, SourceError
from collectors.dedupe import DEFAULT_REJECTED, DuplicateIndex, load_rejected
from collectors.http import Client
from collectors.registry import Source
from collectors.robots import RobotsCache
from collectors.settings import DEFAULT_LIMITS, Limits
from collectors.sources import COLLECTORS
from collectors.state import load_state, save_state
from schemas import KnowledgeBase, load_records
from schemas.files import write_atomic
from schemas.problems import field_name
from schemas.record_yaml import render_record
from schemas.records import MODELS, model_for


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
    sources: list[Source], context: Context, on_done: Callable[[str], None] | None
) -> list[SourceResult]:
    async def one(source: Source) -> SourceResult:
        result = SourceResult(source.id)
        try:
            await COLLECTORS[source.type](source, context, result)
        except SourceError as exc:
            result.error = str(exc)
        except Exception as exc:  # a bug in one source must not stop the others
            result.error = f"unexpected {exc.__class__.__name__}: {exc}"
        if on_done:
            on_done(source.id)
        return result

    async with context.client:
        return list(await asyncio.gather(*(one(source) for source in sources)))


def _check(candidate: Candidate, kb: KnowledgeBase) -> str | None:
    """Validate a candidate with the record models; None when it is a valid record."""
    model = model_for(candidate.data.get("kind"))
    if model is None:
        return f"unknown kind {candidate.data.get('kind')!r}"
    try:
        record = model.model_validate(candidate.data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        return f"invalid {field_name(tuple(error['loc']))}: {error['msg']}"
    for where, target, expected in record.references():
        found = kb.get(target)
        if found is None or (expected and found.kind_name != expected):
            return f"{field_name(where)} {target!r} is not a known {expected or 'record'}"
    return None


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
    """Run the given sources once and write (unless ``dry_run``) the new candidates."""
    kb = load_records([records_dir]) if records_dir.is_dir() else KnowledgeBase()
    index = DuplicateIndex.build(kb, load_rejected(rejected_path))
    state = load_state(state_path)
    client = Client(limits, transport)
    repo_index = {
        repo.lower(): record.id
        for record in kb.of_kind("model")
        for repo in getattr(record, "huggingface", [])
    }
    context = Context(client, RobotsCache(client), state, today or dt.date.today(), repo_index)
    results = asyncio.run(_fetch_all(sources, context, on_done))

    report = RunReport([], [], notes=[state.problem] if state.problem else [])
    if kb.problems:
        report.notes.append(f"{len(kb.problems)} problems in {records_dir}; run 'osai validate'")
    for result in results:
        source_report = SourceReport(result)
        for candidate in result.candidates:
            reason = _check(candidate, kb)
            if reason is None:
                reason = index.find(candidate)
                if reason is not None:
                    source_report.duplicates += 1
            if reason is not None:
                result.drop(candidate.title, reason)
                continue
            index.add(candidate, f"candidate {candidate.id} from {result.source_id}")
            source_report.new.append(candidate)
        report.sources.append(source_report)

    for source_report in report.sources:
        for candidate in source_report.new:
            folder = MODELS[candidate.data["kind"]].folder
            path = records_dir / folder / f"{candidate.id}.yaml"
            if not dry_run:
                try:
                    write_atomic(path, render_record(candidate.data), exclusive=True)
                except FileExistsError:
                    report.notes.append(f"{path} exists (an invalid record?); not overwritten")
                    continue
                state.proposed.setdefault(source_report.result.source_id, []).append(candidate.id)
            report.written.append(path)
    report.requests = client.requests
    if not dry_run:
        save_state(state, state_path)
    return report
