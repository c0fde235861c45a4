"""The search index: Pagefind, fed page by page while MkDocs renders.

Running ``pagefind`` over the finished site costs about as much as rendering it. Pagefind's
service indexes in its own process instead, so each page is handed over as soon as it is
rendered and the two run side by side on two cores. Only pages marked ``data-pagefind-body``
(records and hand-written pages) are sent.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BODY_MARK = "data-pagefind-body"


class SearchIndexError(Exception):
    """The search service failed."""


class SearchIndexer:
    """A Pagefind index in a background event loop; ``add`` returns at once."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._pending: list[concurrent.futures.Future[object]] = []
        self._index = PagefindIndex(config=IndexConfig(force_language="en"))
        self._run(self._index.__aenter__())

    def _run(self, coroutine):  # type: ignore[no-untyped-def]
        try:
            return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()
        except Exception as exc:  # the service reports its own errors as exceptions
            raise SearchIndexError(str(exc) or exc.__class__.__name__) from exc

    def add(self, html: str, url: str) -> bool:
        """Queue a rendered page; False when it is not meant to be searched."""
        if BODY_MARK not in html:
            return False
        self._pending.append(
            asyncio.run_coroutine_threadsafe(
                self._index.add_html_file(content=html, url=url), self._loop
            )
        )
        return True

    def finish(self, output: Path) -> int:
        """Wait for every queued page, write the index to ``output``; return the page count."""
        try:
            for future in self._pending:
                future.result()
        except Exception as exc:
            self.close()
            raise SearchIndexError(str(exc) or exc.__class__.__name__) from exc
        self._run(self._index.write_files(output_path=str(output)))
        count = len(self._pending)
        self.close()
        return count

    def close(self) -> None:
        """Stop the service and the loop (safe to call twice)."""
        if self._loop.is_closed():
            return
        service = getattr(self._index, "_service", None)
        if service is not None:
            # Closing a service that already failed may fail too; nothing is left to do then.
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(service.close(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()
