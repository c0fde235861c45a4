"""The generated part of the site as files, for the MkDocs plugin and the standalone command."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, cast

from publish import paths
from publish.calendar import calendar_files
from publish.catalog import Catalog
from publish.exports import export_files
from publish.feeds import Feed, feed_files, site_feeds
from publish.page_text import Page, page_meta
from publish.pages import PageWriter
from publish.paths import Site
from schemas import KnowledgeBase, Record
from schemas.adoption import Adoption, load_adoption
from schemas.files import write_atomic
from schemas.tombstones import Tombstone, load_tombstones, tombstones_dir

#: What the build adds: pages (as objects) and other files (as bytes), by path.
Generated = dict[str, Page | bytes]


def load_valid_adoption(folder: Path, kb: KnowledgeBase) -> Adoption | str:
    """The adoption folder's snapshots and figures, or every problem found in it, one per
    line (the site is built from valid data only)."""
    kinds = {entry.record.id: entry.record.kind_name for entry in kb.entries.values()}
    adoption = load_adoption(folder, kinds)
    if adoption.problems:
        return "\n".join(str(problem) for problem in adoption.problems)
    return adoption


def load_valid_tombstones(records_dir: Path, kb: KnowledgeBase) -> dict[str, Tombstone] | str:
    """The tombstones beside the records, or every problem found in them, one per line."""
    found = load_tombstones(tombstones_dir(records_dir), kb)
    if found.problems:
        return "\n".join(str(problem) for problem in found.problems)
    return found.by_id


def contributing_page(project: Path) -> Page | None:
    """The site's Contributing page, made from the repository's CONTRIBUTING.md."""
    guide = project / "CONTRIBUTING.md"
    if not guide.is_file():
        return None
    # A link by URL, relative to the page: right in the site and in the generated tree alike.
    record_format = paths.relative_url(paths.CONTRIBUTING_PAGE, paths.RECORD_FORMAT_PAGE)
    text = guide.read_text(encoding="utf-8").replace(
        f"(docs/{paths.RECORD_FORMAT_PAGE})", f"({record_format})"
    )
    return Page(
        page_meta("Contributing", "How to add or correct a record."),
        text,
        markdown=True,
    )


#: Processes that make the generated files for the site's build: the second one makes the
#: feeds and the data files while the first makes the site's pages, then both make record
#: pages, a chunk at a time, until none is left. Where processes cannot be forked (Windows),
#: one process makes everything.
WORKERS = 2
#: Record pages taken at a time by a process: small enough that neither waits long for the
#: other at the end, large enough that taking one costs nothing.
RECORDS_PER_CHUNK = 200


class GenerationError(Exception):
    """The second process failed or stopped: its traceback, or how it ended."""


def generated_files(
    kb: KnowledgeBase,
    site: Site,
    project: Path | None = None,
    catalog: Catalog | None = None,
    *,
    workers: int = 1,
) -> Generated:
    """Every generated file of the site: pages, feeds, calendars and data.

    ``project`` is the repository folder, for pages made from its own files (CONTRIBUTING.md);
    ``catalog`` the knowledge base's catalog when the caller keeps it; ``workers`` the number
    of processes (1 or 2, see :data:`WORKERS`). The files and their order are the same
    whatever the number of processes.
    """
    catalog = catalog or Catalog(kb)
    feeds = site_feeds(catalog, site)
    records = catalog.newest_first
    fork = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    chunks = _Chunks(len(records), shared=fork)
    helper = _Forked(_feeds_data_records, catalog, site, feeds, chunks) if fork else None
    try:
        return _with_site_pages(catalog, site, project, feeds, chunks, helper)
    finally:
        if helper is not None:
            helper.stop()


def _with_site_pages(
    catalog: Catalog,
    site: Site,
    project: Path | None,
    feeds: list[Feed],
    chunks: _Chunks,
    helper: _Forked | None,
) -> Generated:
    """The site's pages made here, then record pages until none is left, and everything the
    other process made (or, without one, everything made here)."""
    records = catalog.newest_first
    writer = PageWriter(catalog, site)
    calendars = calendar_files(catalog, site)
    files: Generated = {}
    files.update(writer.site_pages())
    files[paths.FEEDS_PAGE] = writer.feeds_page(feeds, calendars)
    files[paths.DATA_PAGE] = writer.data_page()
    contributing = contributing_page(project) if project else None
    if contributing is not None:
        files[paths.CONTRIBUTING_PAGE] = contributing
    if helper is None:
        made = _feeds_data_records(catalog, site, feeds, chunks)
    else:
        made = helper.result(_record_pages(writer, records, chunks))
    for record in records:
        path = paths.record_page(record.id)
        files[path] = made.pages[path]
    files.update(made.feeds)
    files.update(calendars)
    files.update(made.data)
    return files


class _Part(NamedTuple):
    """What the process that makes the feeds makes: feed files, data files and record pages,
    by path."""

    feeds: dict[str, bytes]
    data: dict[str, bytes]
    pages: dict[str, Page]


class _Chunks:
    """The record pages still to make, handed out a chunk at a time. ``shared``: the count is
    in memory that both processes see (forked after it is made)."""

    def __init__(self, total: int, shared: bool) -> None:
        self.total = total
        self._next = multiprocessing.get_context("fork").Value("i", 0) if shared else None
        self._local = 0

    def take(self) -> range | None:
        """The positions of the next chunk, or None when every chunk is taken."""
        if self._next is None:
            start, self._local = self._local, self._local + RECORDS_PER_CHUNK
        else:
            with self._next.get_lock():
                start = self._next.value
                self._next.value = start + RECORDS_PER_CHUNK
        if start >= self.total:
            return None
        return range(start, min(start + RECORDS_PER_CHUNK, self.total))


def _record_pages(
    writer: PageWriter, records: Sequence[Record], chunks: _Chunks
) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    while (chunk := chunks.take()) is not None:
        pages.update(writer.record_pages(records[index] for index in chunk))
    return pages


def _feeds_data_records(catalog: Catalog, site: Site, feeds: list[Feed], chunks: _Chunks) -> _Part:
    """The feed files and the data files, then record pages until none is left."""
    feed_data = feed_files(catalog, site, feeds)[1]
    data = export_files(catalog, site)
    pages = _record_pages(PageWriter(catalog, site), catalog.newest_first, chunks)
    return _Part(feed_data, data, pages)


class _Forked:
    """A call made in a forked process. The process sees the caller's memory as it was when
    forked, so nothing is copied to it; its result comes back pickled through a pipe, read as
    it arrives (the pickle is never held whole)."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        receive, send = os.pipe()
        context = multiprocessing.get_context("fork")
        self._process = context.Process(
            target=_forked_call, args=(receive, send, function, args), daemon=True
        )
        self._process.start()
        os.close(send)
        self._receive = os.fdopen(receive, "rb")

    def stop(self) -> None:
        """End the process if it is still running (the caller failed before its result)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()

    def result(self, own_pages: dict[str, Page]) -> _Part:
        """What the process made, with ``own_pages`` (the record pages made here) added."""
        try:
            with self._receive:
                outcome, value = pickle.load(self._receive)
        except (EOFError, OSError, pickle.UnpicklingError):
            self._process.join()
            raise GenerationError(
                f"the second build process stopped (exit code {self._process.exitcode})"
            ) from None
        self._process.join()
        if outcome != "ok":
            raise GenerationError(f"the second build process failed:\n{value}")
        value.pages.update(own_pages)
        return cast(_Part, value)


def _forked_call(
    receive: int, send: int, function: Callable[..., Any], args: tuple[Any, ...]
) -> None:
    os.close(receive)
    try:
        result: tuple[str, Any] = ("ok", function(*args))
    except BaseException:  # reported to the caller, which raises it
        result = ("error", traceback.format_exc())
    with os.fdopen(send, "wb") as pipe:
        pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)


def page_source(path: str) -> str:
    """Where a generated page is written for another engine: ``records/x.md`` becomes
    ``records/x/index.md``, so the folder of the source file is the folder of the page's URL and
    every link, relative to the page, is relative to the source file too (which is how an
    engine that resolves links against the source file reads them)."""
    return paths.page_url(path) + "index.md"


def write_tree(files: Generated, out_dir: Path) -> list[Path]:
    """Write generated files under ``out_dir`` atomically, leaving unchanged files untouched.

    Pages become Markdown files with YAML front matter, each as ``<page>/index.md``."""
    written = []
    for relative, content in sorted(files.items()):
        if isinstance(content, Page):
            path, data = out_dir / page_source(relative), content.text().encode("utf-8")
        else:
            path, data = out_dir / relative, content
        if path.exists() and path.read_bytes() == data:
            continue
        write_atomic(path, data)
        written.append(path)
    return written
