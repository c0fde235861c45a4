"""What the collectors remember between runs: HTTP validators and the candidates proposed.

Saved atomically, as sorted JSON, and only when it changed: a run with nothing new leaves the
file's bytes as they were.
"""

from __future__ import annotations

import json
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


def save_state(state: State, path: Path) -> bool:
    """Write the state if it changed; True when the file was written."""
    text = state.to_json()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True
