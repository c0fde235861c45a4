"""The search index: Pagefind, fed page by page while MkDocs renders.

Running ``pagefind`` over the finished site costs about as much as rendering it. Pagefind's
service mode indexes in its own process instead, so each page is handed over as soon as it is
rendered and the two run side by side on two cores. Only pages marked ``data-pagefind-body``
(records and hand-written pages) are sent.

The service speaks base64-encoded JSON messages separated by commas on stdin and stdout (the
protocol of the ``pagefind`` Python package). That package's client reads at most ten answers a
second, which makes ten thousand pages take a quarter of an hour; this client reads them in a
thread as fast as they come.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from pathlib import Path
from typing import Any

from pagefind.service import get_executable

BODY_MARK = "data-pagefind-body"


class SearchIndexError(Exception):
    """The search service failed."""


def searchable_part(html: str) -> str:
    """Only the part of a page that is indexed: the search service parses a quarter of the
    bytes (the theme's navigation and header are most of every page)."""
    start = html.find(f"<div {BODY_MARK}>")
    end = html.rfind("</article>")
    if start < 0 or end < start:
        return html
    return f'<html lang="en"><body>{html[start : end + len("</article>")]}</div></body></html>'


def _encode(message_id: int, payload: dict[str, Any]) -> bytes:
    text = json.dumps({"message_id": message_id, "payload": payload})
    return base64.b64encode(text.encode("utf-8")) + b","


class SearchIndexer:
    """One Pagefind index in a service process; ``add`` does not wait for the answer."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        executable = get_executable()
        if executable is None:
            raise SearchIndexError(
                "the pagefind binary is not installed (pip install 'pagefind[bin]')"
            )
        self._process = subprocess.Popen(
            [str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._lock = threading.Condition()
        self._answers: dict[int, dict[str, Any]] = {}
        self._errors: list[str] = []
        self._next_id = 0
        self._sent_files = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        answer = self._request({"type": "NewIndex", "config": config or {"force_language": "en"}})
        self._index_id = answer["index_id"]

    def _read(self) -> None:
        assert self._process.stdout is not None
        buffer = b""
        while True:
            chunk = self._process.stdout.read1(1 << 16)  # type: ignore[attr-defined]
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                if not raw.strip():
                    continue
                message = json.loads(base64.b64decode(raw))
                payload = message.get("payload") or {}
                with self._lock:
                    if payload.get("type") == "Error":
                        self._errors.append(str(payload.get("message")))
                    self._answers[message.get("message_id") or -1] = payload
                    self._lock.notify_all()
        with self._lock:
            self._errors.append("the search service stopped")
            self._lock.notify_all()

    def _send(self, payload: dict[str, Any]) -> int:
        assert self._process.stdin is not None
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
        try:
            self._process.stdin.write(_encode(message_id, payload))
            self._process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise SearchIndexError(f"the search service is gone: {exc}") from None
        return message_id

    def _wait(self, until: Any, timeout: float = 600) -> None:
        with self._lock:
            if not self._lock.wait_for(lambda: until() or self._errors, timeout=timeout):
                raise SearchIndexError("the search service did not answer in time")
            if self._errors:
                raise SearchIndexError("; ".join(self._errors[:3]))

    def _request(self, payload: dict[str, Any]) -> dict[str, Any]:
        message_id = self._send(payload)
        self._wait(lambda: message_id in self._answers)
        return self._answers.pop(message_id)

    def add(self, html: str, url: str) -> bool:
        """Queue a rendered page; False when it is not meant to be searched."""
        if BODY_MARK not in html:
            return False
        self._send(
            {
                "type": "AddFile",
                "index_id": self._index_id,
                "url": url,
                "file_contents": searchable_part(html),
                "file_path": None,
            }
        )
        self._sent_files += 1
        return True

    def finish(self, output: Path) -> int:
        """Wait for every queued page, write the index to ``output``; return the page count."""
        try:
            # NewIndex answered already; every AddFile answers once.
            self._wait(lambda: len(self._answers) >= self._sent_files)
            self._request(
                {
                    "type": "WriteFiles",
                    "index_id": self._index_id,
                    "output_path": str(output),
                }
            )
        finally:
            self.close()
        return self._sent_files

    def close(self) -> None:
        """Stop the service (safe to call twice)."""
        if self._process.poll() is None:
            if self._process.stdin is not None:
                self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
