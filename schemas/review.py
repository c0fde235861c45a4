"""What a change does to the knowledge base: records added, changed and removed, validation,
possible duplicates and references that now dangle. Printed as Markdown for a pull request."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.knowledge_base import KnowledgeBase
from schemas.loading import display_path, find_record_files, load_records
from schemas.markdown import md_text
from schemas.records import KIND_BY_FOLDER, Record
from schemas.similarity import SimilarityIndex
from schemas.tombstones import load_tombstones, tombstones_dir


class ReviewError(Exception):
    """The base revision cannot be read (not a git checkout, unknown ref)."""


def records_at(ref: str, records_dir: Path, work: Path) -> Path:
    """Check the records folder of git revision ``ref`` out into ``work``; return the copy."""
    repo = _git(["rev-parse", "--show-toplevel"], records_dir).strip()
    relative = records_dir.resolve().relative_to(Path(repo).resolve())
    target = work / "records"
    target.mkdir(parents=True)
    listing = _git(["ls-tree", "-r", "--name-only", ref, "--", str(relative)], Path(repo))
    for name in listing.splitlines():
        if not name.endswith((".yaml", ".yml")):
            continue
        content = subprocess.run(
            ["git", "show", f"{ref}:{name}"], cwd=repo, capture_output=True, check=True
        ).stdout
        path = target / Path(name).relative_to(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return target


def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise ReviewError(f"git {' '.join(args)}: {detail.strip()}") from None
    return result.stdout


def _data(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True)


#: Changed values listed per record; the rest are counted in one line.
MAX_CHANGES_SHOWN = 30


def field_changes(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Where two record datas differ, as deep as both sides have the same shape: a status
    changed in the second action item is ``action_items[1].status``, not the whole list."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(old.keys() | new.keys()):
            found += field_changes(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return found
    if isinstance(old, list) and isinstance(new, list) and old and new:
        found = []
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else None
            after = new[index] if index < len(new) else None
            found += field_changes(before, after, f"{path}[{index}]")
        return found
    return [(path, old, new)]


def _short(value: Any, limit: int = 120) -> str:
    if value is None:
        return "(none)"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Change:
    record_id: str
    fields: list[tuple[str, Any, Any]]  # (field, before, after)


@dataclass
class NewFile:
    """A record file that is not in the base revision and is not (yet) a valid record."""

    path: str
    record_id: str
    kind: str


@dataclass
class Review:
    added: list[Record] = field(default_factory=list)
    #: Added files that do not validate on their own: listed as added, with their problems.
    added_invalid: list[NewFile] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (new, existing, why)
    dangling: list[tuple[str, str]] = field(default_factory=list)  # (record, missing id)

    @property
    def ok(self) -> bool:
        return not self.problems


def compare(base: KnowledgeBase, head: KnowledgeBase) -> Review:
    """Compare two loaded knowledge bases."""
    review = Review(problems=[str(problem) for problem in head.problems])
    before = {record.id: record for record in base.records}
    after = {record.id: record for record in head.records}
    review.added = [after[i] for i in sorted(after.keys() - before.keys())]
    review.removed = [before[i] for i in sorted(before.keys() - after.keys())]
    for record_id in sorted(before.keys() & after.keys()):
        old, new = _data(before[record_id]), _data(after[record_id])
        if old != new:
            review.changed.append(Change(record_id, field_changes(old, new)))
    index = SimilarityIndex()
    for record in before.values():
        index.add(_data(record), record.id)
    for record in review.added:
        match = index.find(_data(record))
        if match is not None and match.holder != record.id:
            review.duplicates.append((record.id, match.holder, match.reason))
    removed_ids = {record.id for record in review.removed}
    for record in after.values():
        for _, target, _ in record.references():
            if target in removed_ids:
                review.dangling.append((record.id, target))
    return review


def review_change(records_dir: Path, base_ref: str) -> Review:
    """Review the working tree's records against those of git revision ``base_ref``.

    Every record file in the working tree counts, staged or not; a new file that does not
    validate is still listed as added, beside its problems."""
    with tempfile.TemporaryDirectory() as work:
        base_dir = records_at(base_ref, records_dir, Path(work))
        base = load_records([base_dir])
    head = load_records([records_dir])
    review = compare(base, head)
    # Ids never break: a record on the base that is gone needs a tombstone.
    stones = load_tombstones(tombstones_dir(records_dir), head)
    review.problems += [str(problem) for problem in stones.problems]
    folder = display_path(tombstones_dir(records_dir))
    for record in review.removed:
        if record.id not in stones.by_id:
            review.problems.append(
                f"{record.folder}/{record.id}.yaml: removed without a tombstone: add "
                f"{folder}/{record.id}.yaml (the day, the reason, and moved_to when another "
                "record holds it now)"
            )
    known = {record.id for record in base.records} | {record.id for record in head.records}
    for path in find_record_files([records_dir]):
        if path.stem not in known:
            kind = KIND_BY_FOLDER.get(path.parent.name, "unknown kind")
            review.added_invalid.append(NewFile(display_path(path), path.stem, kind))
    return review


def render_markdown(review: Review, base_ref: str) -> str:
    """The review as Markdown, for a pull request's summary. Everything taken from the records
    is escaped (:func:`schemas.markdown.md_text`): a title cannot become a link, an image, a
    mention or a closing reference."""
    added = len(review.added) + len(review.added_invalid)
    lines = [f"## Knowledge base review (against `{md_text(base_ref)}`)", ""]
    lines.append(
        f"**{added}** added · **{len(review.changed)}** changed · "
        f"**{len(review.removed)}** removed · validation: "
        + ("passed" if review.ok else f"**{len(review.problems)} problems**")
    )
    if review.problems:
        lines += ["", "### Validation problems", ""]
        lines += [f"- {md_text(problem)}" for problem in review.problems]
    if added:
        lines += [
            "",
            "### Added",
            "",
            "| id | kind | title | date | primary source |",
            "|---|---|---|---|---|",
        ]
        for record in review.added:
            lines.append(
                f"| `{record.id}` | {record.kind_name} | {md_text(record.title)} | "
                f"{record.date} | {md_text(record.sources[0].url)} |"
            )
        for new in review.added_invalid:
            lines.append(
                f"| {md_text(new.record_id)} | {md_text(new.kind)} | not valid yet: see the "
                f"problems above | | {md_text(new.path)} |"
            )
    if review.changed:
        lines += ["", "### Changed", ""]
        for change in review.changed:
            lines.append(f"- `{change.record_id}`")
            for name, old, new in change.fields[:MAX_CHANGES_SHOWN]:
                lines.append(f"  - `{name}`: {md_text(_short(old))} → {md_text(_short(new))}")
            if len(change.fields) > MAX_CHANGES_SHOWN:
                lines.append(f"  - and {len(change.fields) - MAX_CHANGES_SHOWN} more changes")
    if review.removed:
        lines += ["", "### Removed", ""]
        lines += [f"- `{r.id}` ({r.kind_name}): {md_text(r.title)}" for r in review.removed]
    if review.duplicates:
        lines += ["", "### Possible duplicates", ""]
        lines += [f"- `{new}` may duplicate `{old}`: {why}" for new, old, why in review.duplicates]
    if review.dangling:
        lines += ["", "### References to removed records", ""]
        lines += [f"- `{rid}` refers to removed `{target}`" for rid, target in review.dangling]
    if not (added or review.changed or review.removed):
        lines += ["", "No record changed."]
    return "\n".join(lines) + "\n"
