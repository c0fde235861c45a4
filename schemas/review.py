"""What a change does to the knowledge base: records added, changed and removed, validation,
possible duplicates and references that now dangle. Printed as Markdown for a pull request."""

from __future__ import annotations

import difflib
import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.knowledge_base import KnowledgeBase
from schemas.loading import load_records
from schemas.records import Record
from schemas.urls import canonical_url

TITLE_SIMILARITY = 0.85
CLOSE_DAYS = 45


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


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Change:
    record_id: str
    fields: list[tuple[str, Any, Any]]  # (field, before, after)


@dataclass
class Review:
    added: list[Record] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (new, existing, why)
    dangling: list[tuple[str, str]] = field(default_factory=list)  # (record, missing id)

    @property
    def ok(self) -> bool:
        return not self.problems


def _similar(a: Record, b: Record) -> str | None:
    """Why two records of one kind may describe the same thing, or None."""
    urls_a = {canonical_url(s.url) for s in a.sources}
    urls_b = {canonical_url(s.url) for s in b.sources}
    if urls_a & urls_b:
        return "same source URL"
    repos_a = {r.lower() for r in getattr(a, "huggingface", [])}
    repos_b = {r.lower() for r in getattr(b, "huggingface", [])}
    if repos_a & repos_b:
        return "same Hugging Face repository"
    ratio = difflib.SequenceMatcher(None, a.title.lower(), b.title.lower()).ratio()
    if ratio >= TITLE_SIMILARITY:
        days = abs((a.date.earliest() - b.date.earliest()).days)
        return f"similar title ({ratio:.0%})" + (
            f", dates {days} days apart" if days <= CLOSE_DAYS else ""
        )
    return None


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
            fields = [
                (name, old.get(name), new.get(name))
                for name in sorted(old.keys() | new.keys())
                if old.get(name) != new.get(name)
            ]
            review.changed.append(Change(record_id, fields))
    for record in review.added:
        for other in before.values():
            if other.kind_name == record.kind_name and other.id != record.id:
                why = _similar(record, other)
                if why:
                    review.duplicates.append((record.id, other.id, why))
    removed_ids = {record.id for record in review.removed}
    for record in after.values():
        for _, target, _ in record.references():
            if target in removed_ids:
                review.dangling.append((record.id, target))
    return review


def review_change(records_dir: Path, base_ref: str) -> Review:
    """Review the working tree's records against those of git revision ``base_ref``."""
    with tempfile.TemporaryDirectory() as work:
        base_dir = records_at(base_ref, records_dir, Path(work))
        base = load_records([base_dir])
    head = load_records([records_dir])
    return compare(base, head)


def render_markdown(review: Review, base_ref: str) -> str:
    """The review as Markdown, for a pull request's summary."""
    lines = [f"## Knowledge base review (against `{base_ref}`)", ""]
    lines.append(
        f"**{len(review.added)}** added · **{len(review.changed)}** changed · "
        f"**{len(review.removed)}** removed · validation: "
        + ("passed" if review.ok else f"**{len(review.problems)} problems**")
    )
    if review.problems:
        lines += ["", "### Validation problems", "", "```", *review.problems, "```"]
    if review.added:
        lines += [
            "",
            "### Added",
            "",
            "| id | kind | title | date | primary source |",
            "|---|---|---|---|---|",
        ]
        for record in review.added:
            lines.append(
                f"| `{record.id}` | {record.kind_name} | {_cell(record.title)} | "
                f"{record.date} | {_cell(record.sources[0].url)} |"
            )
    if review.changed:
        lines += ["", "### Changed", ""]
        for change in review.changed:
            lines.append(f"- `{change.record_id}`")
            for name, old, new in change.fields:
                lines.append(f"  - `{name}`: {_cell(_short(old))} → {_cell(_short(new))}")
    if review.removed:
        lines += ["", "### Removed", ""]
        lines += [f"- `{r.id}` ({r.kind_name}): {_cell(r.title)}" for r in review.removed]
    if review.duplicates:
        lines += ["", "### Possible duplicates", ""]
        lines += [f"- `{new}` may duplicate `{old}`: {why}" for new, old, why in review.duplicates]
    if review.dangling:
        lines += ["", "### References to removed records", ""]
        lines += [f"- `{rid}` refers to removed `{target}`" for rid, target in review.dangling]
    if not (review.added or review.changed or review.removed):
        lines += ["", "No record changed."]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell or list item: no pipes, no raw HTML."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")
