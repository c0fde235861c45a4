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
import time
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

    @property
    def pages(self) -> int:
        """Pages sent so far."""
        return self._sent_files

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
            _wait_for_entry(output)
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


#: Pagefind's entry file, which the search page reads first: written last.
ENTRY_FILE = "pagefind-entry.json"
#: How long a written index may take to show a complete entry file, checked every tenth of
#: a second before the indexer is stopped.
ENTRY_WAIT_SECONDS = 30.0


def _wait_for_entry(output: Path) -> None:
    """Wait until the index in ``output`` has a complete entry file: a build must not publish
    a search index whose entry file is empty or cut short (seen now and then at the end of a
    large build), which leaves the search page without results."""
    entry = output / ENTRY_FILE
    deadline = time.monotonic() + ENTRY_WAIT_SECONDS
    while True:
        try:
            if "languages" in json.loads(entry.read_text(encoding="utf-8")):
                return
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise SearchIndexError(f"{entry}: the search index's entry file is incomplete")
        time.sleep(0.1)


#: Pages in one Pagefind index. Pagefind's indexer holds about 100 KB per page until it writes
#: the index (1 GB at 10,000 pages), so larger sites are indexed in parts, one at a time, that
#: the search page merges (``mergeIndex``).
PAGES_PER_INDEX = 4000
#: Where the parts after the first go, under the main index, and the file that lists them.
MORE_INDEXES = "more"
INDEX_LIST = "osai-indexes.json"


class SearchIndexes:
    """The site's search index in parts of at most ``pages_per_index`` pages.

    When a part is full it is written in a thread while the build goes on; the pages rendered
    meanwhile wait in a list, and the next part starts once the full one's process has ended,
    so one indexer process at a time holds pages.
    """

    def __init__(self, output: Path, pages_per_index: int = PAGES_PER_INDEX) -> None:
        self.output = output
        self.pages_per_index = pages_per_index
        # The first part starts at once, so a missing or broken indexer stops the build early.
        self._current: SearchIndexer | None = SearchIndexer()
        self._writing: threading.Thread | None = None
        self._write_error: BaseException | None = None
        self._waiting: list[tuple[str, str]] = []
        self._parts = 0
        self._pages = 0

    def _part_dir(self, number: int) -> Path:
        return self.output if number == 0 else self.output / MORE_INDEXES / str(number)

    def _write_in_background(self, index: SearchIndexer, number: int) -> None:
        def write() -> None:
            try:
                self._pages += index.finish(self._part_dir(number))
            except BaseException as exc:  # reported by the next add or by finish
                self._write_error = exc

        self._writing = threading.Thread(target=write, daemon=True)
        self._writing.start()

    def _written(self, wait: bool) -> bool:
        """True when no part is being written (after waiting for it, with ``wait``)."""
        if self._writing is None:
            return True
        if not wait and self._writing.is_alive():
            return False
        self._writing.join()
        self._writing = None
        if self._write_error is not None:
            raise SearchIndexError(str(self._write_error))
        return True

    def _send(self, html: str, url: str) -> None:
        if self._current is None:
            self._current = SearchIndexer()
        self._current.add(html, url)
        if self._current.pages >= self.pages_per_index:
            self._write_in_background(self._current, self._parts)
            self._parts += 1
            self._current = None

    def add(self, html: str, url: str) -> bool:
        """Queue a rendered page; False when it is not meant to be searched."""
        if BODY_MARK not in html:
            return False
        if not self._written(wait=False):
            self._waiting.append((html, url))
            return True
        waiting, self._waiting = self._waiting, []
        for page in [*waiting, (html, url)]:
            if self._writing is not None:
                self._waiting.append(page)  # the part just filled is being written
            else:
                self._send(*page)
        return True

    def finish(self) -> int:
        """Write the last part and the list of parts; return the number of pages indexed."""
        self._written(wait=True)
        waiting, self._waiting = self._waiting, []
        for page in waiting:
            self._written(wait=True)
            self._send(*page)
        self._written(wait=True)
        if self._current is None and self._parts == 0:
            self._current = SearchIndexer()  # no page at all: an empty index still loads
        if self._current is not None:
            self._pages += self._current.finish(self._part_dir(self._parts))
            self._current = None
            self._parts += 1
        more = [f"{MORE_INDEXES}/{number}/" for number in range(1, self._parts)]
        (self.output / INDEX_LIST).write_text(json.dumps({"merge": more}) + "\n", encoding="utf-8")
        return self._pages

    def close(self) -> None:
        if self._writing is not None:
            self._writing.join()
        if self._current is not None:
            self._current.close()
