"""The rejection list: candidates refused before, by key (``url:``, ``hf:``, ``fr:``, ``id:``),
so that they never come back. What counts as "probably the same record" is decided in
:mod:`schemas.similarity`."""

from __future__ import annotations

from pathlib import Path

from schemas.yaml_loader import YamlProblem, load_yaml

DEFAULT_REJECTED = Path(__file__).parent / "rejected.yaml"


def load_rejected(path: Path) -> dict[str, str]:
    """key -> reason, from the rejection list (missing file: nothing rejected)."""
    if not path.exists():
        return {}
    try:
        data = load_yaml(path.read_text(encoding="utf-8")).data
    except YamlProblem as exc:
        raise ValueError(f"{path}:{exc.line}:{exc.column}: {exc.message}") from None
    entries = (data or {}).get("rejected") or [] if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a mapping with a 'rejected' list")
    found = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise ValueError(f"{path}: rejected[{index}] needs a key")
        found[entry["key"]] = str(entry.get("reason", "rejected"))
    return found
