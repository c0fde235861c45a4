"""What changed in each record, and when: the git history of the records folder, read in one
pass (one ``git log`` for every commit that touched a record file, one ``git cat-file --batch``
for every version of those files), with each change put in words from the fields it changed
("status: proposed → in-force", "dates.signed added", "summary edited").

A checkout without history (a tarball, a shallow clone) has none to read: the build goes on
and the pages say that history is unavailable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
from collections import defaultdict
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from schemas import MODELS

#: How long the git commands of one build may take, together.
GIT_TIMEOUT = 300
#: Characters of an old or new value quoted in a change's words.
MAX_VALUE_CHARS = 60
#: Fields whose old and new values are quoted; other scalar fields are "edited".
QUOTED = {
    "id",
    "status",
    "license",
    "access",
    "instrument",
    "jurisdiction",
    "issuer",
    "organization",
    "open_source_stance",
    "date",
    "document_number",
    "country",
    "type",
    "category",
    "base_model",
    "publisher",
    "last_verified",
    "moved_to",
}
#: Change categories, by the fields that make them, in the order a change is filed under.
CATEGORIES = (
    ("status", {"status"}),
    ("licence", {"license", "variant_licenses", "terms"}),
    ("dates", {"date", "dates", "milestones"}),
    ("openness", {"access", "open_source_stance", "components", "released", "provisions"}),
    ("sources", {"sources"}),
    ("text", {"title", "summary", "stance_quote", "name"}),
)
#: Every category a change can have, as the filters list them.
CATEGORY_NAMES = (
    "added",
    "status",
    "licence",
    "dates",
    "openness",
    "sources",
    "text",
    "renamed",
    "other",
    "withdrawn",
    "moved",
    "removed",
)
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):", re.M)
_FOLDERS = {model.folder: kind for kind, model in MODELS.items()}


@dataclass(frozen=True)
class Change:
    """One commit's change to one record."""

    record_id: str
    record_kind: str
    commit: str
    day: dt.date
    subject: str
    #: ``added``, ``changed``, ``removed`` or ``renamed``.
    action: str
    details: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The change's place on its record page (and its feed entry's id)."""
        return f"change-{self.commit[:12]}"

    @property
    def words(self) -> str:
        return "; ".join(self.details) if self.details else self.action


@dataclass
class History:
    """Every change to every record, newest first; ``available`` is False without history."""

    available: bool = False
    reason: str = "this build has no git history"
    changes: list[Change] = field(default_factory=list)
    by_record: dict[str, list[Change]] = field(default_factory=dict)

    def with_tombstones(self, tombstones: dict[str, Any]) -> History:
        """The history with each removal of a tombstoned record told as what it was: the
        record withdrawn, or moved to another."""
        if not tombstones or not self.available:
            return self
        changes = []
        for change in self.changes:
            stone = tombstones.get(change.record_id)
            if stone is not None and change.action == "removed":
                details = (f"moved to {stone.moved_to}",) if stone.moved_to else ()
                change = dataclasses.replace(
                    change,
                    action=stone.state,
                    details=(*details, stone.reason),
                    categories=(stone.state,),
                )
            changes.append(change)
        by_record: dict[str, list[Change]] = defaultdict(list)
        for change in changes:
            by_record[change.record_id].append(change)
        return History(True, "", changes, dict(by_record))

    def of(self, record_id: str) -> list[Change]:
        return self.by_record.get(record_id, [])

    def last_changed(self, record_id: str) -> dt.date | None:
        changes = self.of(record_id)
        return changes[0].day if changes else None


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


_COMMENT_LINE = re.compile(r"^[ \t]*#.*(?:\n|$)", re.M)


def blocks(text: str) -> dict[str, str]:
    """A record file's top-level fields as text, key -> its lines (comments left out)."""
    text = _COMMENT_LINE.sub("", text)
    found: dict[str, str] = {}
    starts = [(m.start(), m.group(1)) for m in _TOP_KEY.finditer(text)]
    for index, (start, key) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        found[key] = text[start:end].rstrip()
    return found


def _plain_scalar(block: str) -> bool:
    """A one-line field whose value is a plain or quoted scalar (no list, no mapping)."""
    if "\n" in block:
        return False
    value = block.partition(":")[2].strip()
    return not value.startswith(("{", "[", "|", ">", "&", "*", "!"))


def _value(block: str, key: str) -> Any:
    try:
        loaded = yaml.load(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return loaded.get(key) if isinstance(loaded, dict) else None


def _shown(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | dt.date) or value is None


def describe(old: str | dict[str, str], new: str | dict[str, str]) -> list[str]:
    """The change from one version of a record file to the next, in words, field by field
    (each version given as its text or as its :func:`blocks`)."""
    before = blocks(old) if isinstance(old, str) else old
    after = blocks(new) if isinstance(new, str) else new
    details: list[str] = []
    for key in [k for k in after if k not in before]:
        details.append(f"{key} added")
    for key in [k for k in before if k not in after]:
        details.append(f"{key} removed")
    for key in [k for k in after if k in before and before[k] != after[k]]:
        if key not in QUOTED and _plain_scalar(before[key]) and _plain_scalar(after[key]):
            details.append(f"{key} edited")  # a text: no need to read its value
            continue
        old_value, new_value = _value(before[key], key), _value(after[key], key)
        if isinstance(old_value, dict) and isinstance(new_value, dict):
            details += _mapping_change(key, old_value, new_value)
        elif isinstance(old_value, list) and isinstance(new_value, list):
            details.append(_list_change(key, old_value, new_value))
        elif key in QUOTED and _is_scalar(old_value) and _is_scalar(new_value):
            details.append(f"{key}: {_shown(old_value)} → {_shown(new_value)}")
        else:
            details.append(f"{key} edited")
    return details


def _mapping_change(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = [f"{key}.{sub} added" for sub in new if sub not in old]
    found += [f"{key}.{sub} removed" for sub in old if sub not in new]
    for sub in [s for s in new if s in old and old[s] != new[s]]:
        if _is_scalar(old[sub]) and _is_scalar(new[sub]):
            found.append(f"{key}.{sub}: {_shown(old[sub])} → {_shown(new[sub])}")
        else:
            found.append(f"{key}.{sub} edited")
    return found or [f"{key} edited"]


def _list_change(key: str, old: list[Any], new: list[Any]) -> str:
    if len(new) > len(old):
        return f"{key}: {len(new) - len(old)} added"
    if len(new) < len(old):
        return f"{key}: {len(old) - len(new)} removed"
    return f"{key} edited"


def categories(action: str, details: list[str]) -> tuple[str, ...]:
    if action in ("added", "removed"):
        return (action,)
    fields = {detail.split(":")[0].split(" ")[0].split(".")[0] for detail in details}
    found = tuple(name for name, keys in CATEGORIES if fields & keys)
    if action == "renamed":
        return ("renamed", *found)
    return found or ("other",)


def _record_path(path: str, records: str) -> tuple[str, str] | None:
    """(kind, id) of a record file's path in the repository, or None for other files."""
    prefix = f"{records}/" if records else ""
    if not path.startswith(prefix) or not path.endswith(".yaml"):
        return None
    parts = path[len(prefix) :].split("/")
    if len(parts) != 2 or parts[0] not in _FOLDERS:
        return None
    return _FOLDERS[parts[0]], parts[1].removesuffix(".yaml")


@dataclass
class _Raw:
    commit: str
    day: dt.date
    subject: str
    status: str
    old_blob: str
    new_blob: str
    path: str
    old_path: str


def _log(root: Path, records: str) -> list[_Raw] | None:
    """Every change to a file under ``records`` in the history, from one ``git log``."""
    out = _git(
        [
            "log",
            "--no-merges",
            "--raw",
            "--no-abbrev",
            "-M",
            "--format=%x1e%H%x1f%ct%x1f%s",
            "--",
            records or ".",
        ],
        root,
    )
    if out is None:
        return None
    found: list[_Raw] = []
    for chunk in out.decode("utf-8", errors="replace").split("\x1e")[1:]:
        head, _, body = chunk.partition("\n")
        commit, stamp, subject = [*head.split("\x1f"), "", ""][:3]
        day = dt.datetime.fromtimestamp(int(stamp or 0), dt.UTC).date()
        for line in body.splitlines():
            if not line.startswith(":"):
                continue
            meta, _, paths = line.partition("\t")
            fields = meta.split()
            if len(fields) < 5:
                continue
            names = paths.split("\t")
            status = fields[4][0]
            found.append(
                _Raw(commit, day, subject, status, fields[2], fields[3], names[-1], names[0])
            )
    return found


def _blobs(root: Path, ids: set[str]) -> dict[str, str]:
    """The contents of blobs, from one ``git cat-file --batch``."""
    wanted = sorted(ids)
    if not wanted:
        return {}
    out = _git(["cat-file", "--batch"], root, ("\n".join(wanted) + "\n").encode())
    found: dict[str, str] = {}
    if out is None:
        return found
    position = 0
    while position < len(out):
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        found[header[0].decode()] = out[position : position + size].decode("utf-8", "replace")
        position += size + 1
    return found


ZERO = "0" * 40


def read_history(records_dir: Path) -> History:
    """Every change to the records under ``records_dir``, newest first, from its repository."""
    records_dir = records_dir.resolve()
    top = _git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], records_dir)
    if top is None:
        return History(reason="this build has no git history (not a git checkout)")
    lines = top.decode().split()
    root = Path(lines[0])
    if len(lines) > 1 and lines[1] == "true":
        return History(reason="the checkout is shallow, so its history is incomplete")
    try:
        records = records_dir.relative_to(root).as_posix()
    except ValueError:
        return History(reason="the records are not in the repository's work tree")
    records = "" if records == "." else records
    raws = _log(root, records)
    if raws is None:
        return History(reason="git could not read the history")
    texts = _blobs(root, {b for r in raws for b in (r.old_blob, r.new_blob) if b != ZERO})
    # Each version is the new side of one change and the old side of the next: split once.
    split: dict[str, dict[str, str]] = {}

    def fields(blob: str) -> dict[str, str]:
        if blob not in split:
            split[blob] = blocks(texts.get(blob, ""))
        return split[blob]

    changes: list[Change] = []
    for raw in raws:
        located = _record_path(raw.path, records)
        if located is None:
            continue
        kind, record_id = located
        details: list[str] = []
        if raw.status == "A":
            action = "added"
        elif raw.status == "D":
            action = "removed"
        else:
            details = describe(fields(raw.old_blob), fields(raw.new_blob))
            action = "changed"
            if raw.status == "R" and raw.old_path != raw.path:
                moved = _record_path(raw.old_path, records)
                action = "renamed"
                details.insert(0, f"renamed from {moved[1] if moved else raw.old_path}")
            if not details:
                continue  # a change of layout only (comments, spacing)
        changes.append(
            Change(
                record_id,
                kind,
                raw.commit,
                raw.day,
                raw.subject,
                action,
                tuple(details),
                categories(action, details),
            )
        )
    by_record: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_record[change.record_id].append(change)
    return History(True, "", changes, dict(by_record))


class HistoryReader:
    """Reads the history in a process of its own while the caller loads the records (the
    history costs seconds at ten thousand records; the second core does it meanwhile)."""

    def __init__(self, records_dir: Path) -> None:
        self.records_dir = records_dir
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[History] | None = None
        try:
            self._pool = ProcessPoolExecutor(max_workers=1)
            self._future = self._pool.submit(read_history, records_dir)
        except (OSError, RuntimeError):
            self._pool = None  # no process to spare: read it here when asked

    def cancel(self) -> None:
        """Stop the worker (the build failed before it needed the history)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            self._future = None

    def result(self) -> History:
        history = None
        try:
            if self._future is not None:
                history = self._future.result(timeout=GIT_TIMEOUT)
        except Exception:  # a worker that failed: read it here instead
            pass
        finally:
            # An idle pool is waited for, so no thread of it is left when the build forks its
            # second process (publish.build); a stuck one is left behind.
            if self._pool is not None:
                self._pool.shutdown(wait=history is not None, cancel_futures=True)
        return history if history is not None else read_history(self.records_dir)
