"""What the collectors remember between runs: HTTP validators and the candidates proposed.

Saved atomically, as sorted JSON, and only when it changed: a run with nothing new leaves the
file's bytes as they were. Two runs may share one state file: saving takes a lock, reads what
is on disk and merges this run's changes into it, so neither run's update is lost.
"""

from __future__ import annotations

import fcntl
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from collectors.http import Validators
from schemas.files import write_atomic


@dataclass
class State:
    validators: dict[str, Validators] = field(default_factory=dict)
    #: source id -> ids of the candidates it has proposed.
    proposed: dict[str, list[str]] = field(default_factory=dict)
    problem: str | None = None
    #: URLs whose validators this run set or changed.
    touched: set[str] = field(default_factory=set)

    def remember(self, url: str, validators: Validators) -> None:
        self.validators[url] = validators
        self.touched.add(url)

    def merged_into(self, current: State) -> State:
        """This run's changes on top of ``current`` (what another run saved meanwhile)."""
        validators = dict(current.validators)
        validators.update({url: self.validators[url] for url in self.touched})
        proposed = {source: list(ids) for source, ids in current.proposed.items()}
        for source, ids in self.proposed.items():
            proposed[source] = sorted({*proposed.get(source, []), *ids})
        return State(validators, proposed)

    def to_json(self) -> str:
        payload = {
            "http": {
                url: {
                    k: v for k, v in (("etag", val.etag), ("last_modified", val.last_modified)) if v
                }
                for url, val in sorted(self.validators.items())
                if val.etag or val.last_modified
            },
            "proposed": {source: sorted(set(ids)) for source, ids in sorted(self.proposed.items())},
        }
        return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_state(path: Path) -> State:
    """The saved state, or an empty one (with ``problem`` set when the file was unreadable)."""
    if not path.exists():
        return State()
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        validators = {
            url: Validators(entry.get("etag"), entry.get("last_modified"))
            for url, entry in payload.get("http", {}).items()
        }
        proposed = {key: list(value) for key, value in payload.get("proposed", {}).items()}
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        return State(problem=f"ignored unreadable state file {path}: {exc}")
    return State(validators, proposed)


class StateLocked(Exception):
    """Another run held the state file's lock for longer than the wait allowed."""


def save_state(state: State, path: Path, *, wait: float = 30.0) -> bool:
    """Merge this run's changes into the file under a lock and write it if it changed; True
    when the file was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with lock_path.open("a") as lock:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StateLocked(
                        f"{path} is locked by another collector run (waited {wait:g} s)"
                    ) from None
                time.sleep(0.05)
        try:
            on_disk = load_state(path)
            text = state.merged_into(on_disk).to_json()
            if path.exists() and path.read_text(encoding="utf-8") == text:
                return False
            write_atomic(path, text)
            return True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
