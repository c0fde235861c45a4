"""Writing files atomically: a crash mid-write leaves the old file or the new one, never half."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    With ``exclusive``, refuse (``FileExistsError``) when ``path`` already exists.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(payload)
            temp.flush()
            os.fsync(temp.fileno())
        if exclusive:
            # link() fails if the target exists, so a concurrent writer cannot be overwritten.
            os.link(temp_name, path)
            os.unlink(temp_name)
        else:
            os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise


#: A temporary file older than this was left by an interrupted writer, not one still writing.
STALE_TEMPORARY_SECONDS = 60.0


def remove_stale_temporaries(
    folders: list[Path], older_than: float = STALE_TEMPORARY_SECONDS
) -> int:
    """Delete the hidden ``.<name>.<random>.tmp`` files :func:`write_atomic` leaves behind when
    a run is killed mid-write; return how many were removed."""
    removed = 0
    now = time.time()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.glob(".*.tmp"):
            try:
                if now - path.stat().st_mtime >= older_than:
                    path.unlink()
                    removed += 1
            except OSError:
                continue  # gone meanwhile, or not ours to remove
    return removed
