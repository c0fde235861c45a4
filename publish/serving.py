"""The edit loop of ``mkdocs serve``: a saved record's page first, then the whole site.

MkDocs rebuilds the whole site on every change and holds back every request until the rebuild
ends: seconds at a thousand records, more than a minute at ten thousand. Here a change to
record files is handled in two steps:

1. the pages of the changed records are rendered straight into the served folder (with the
   MkDocs objects of the last full build), and the browser reloads: a record with problems
   shows them on its page, and in the terminal;
2. the full build runs into a folder of its own, which replaces the served folder only when it
   is complete: pages, indexes, feeds and search that depend on the record are never stale
   once it ends, and no reader is served a half-written site.

Step 1 only handles records that already have a page; an added or removed file, or a change
outside ``records/``, goes straight to step 2 as MkDocs would.

The hand-over to the browser uses the epochs of MkDocs 1.6's live-reload server (the version
``pyproject.toml`` allows); :func:`serve_early` and :func:`reload_after` are the only places
that know them.
"""

from __future__ import annotations

import html
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from publish import paths
from publish.catalog import Catalog
from publish.page_text import Page, page_meta
from publish.pages import PageWriter
from publish.paths import Site
from schemas import Problem, validate_text
from schemas.loading import display_path

_log = get_plugin_logger(__name__)

#: More changed files than this at once (a branch switch, a bulk edit) skip the first step.
MAX_QUICK_RECORDS = 20

Stamps = dict[str, tuple[int, int]]


def record_stamps(records: Path) -> Stamps:
    """Every record file's modification time and size, by path."""
    found: Stamps = {}
    for folder in os.scandir(records):
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder.path):
            if entry.name.endswith(".yaml") and entry.is_file():
                stat = entry.stat()
                found[entry.path] = (stat.st_mtime_ns, stat.st_size)
    return found


def error_page(shown: str, problems: list[Problem]) -> Page:
    """A record page replaced by the problems of its file, until the file is fixed."""
    items = "".join(
        f"<li><code>{html.escape(f'{p.path}:{p.line}:{p.column}')}</code> "
        f"{html.escape(p.field + ': ' if p.field else '')}{html.escape(p.message)}</li>"
        for p in problems
    )
    body = (
        '<div class="admonition failure"><p class="admonition-title">'
        f"{html.escape(shown)} has problems</p><ul>{items}</ul>"
        "<p>The page comes back when the file validates (<code>osai validate</code>).</p></div>"
    )
    return Page(page_meta(f"Problems in {shown}"), body)


@dataclass
class LastBuild:
    """What the last full build made, for rendering single pages until the next one."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any  # jinja2.Environment
    catalog: Catalog
    site: Site
    stamps: Stamps = field(default_factory=dict)


class QuickPages:
    """Renders the pages of changed record files into the served folder."""

    def __init__(self, records: Path, pages: dict[str, Page]) -> None:
        self.records = records
        #: The plugin's generated pages by source path: updated here, read by its events.
        self.pages = pages
        self.last: LastBuild | None = None

    def changed_records(self) -> list[Path] | None:
        """Record files changed since the last full build; None when files were added or
        removed, or too many changed, so only a full build will do."""
        if self.last is None:
            return None
        now = record_stamps(self.records)
        if now.keys() != self.last.stamps.keys():
            return None
        changed = [Path(path) for path, stamp in now.items() if self.last.stamps[path] != stamp]
        if len(changed) > MAX_QUICK_RECORDS:
            return None
        for path in changed:
            self.last.stamps[str(path)] = now[str(path)]
        return changed

    def render(self, served: Path) -> int:
        """Render the changed records' pages into ``served``; the number of pages written."""
        changed = self.changed_records()
        if not changed or self.last is None:
            return 0
        last = self.last
        writer = PageWriter(last.catalog, last.site)
        written = 0
        for path in changed:
            source = paths.record_page(path.stem)
            file = last.files.get_file_from_path(source)
            if file is None or file.page is None:
                continue
            shown = display_path(path)
            try:
                raw = path.read_bytes()
            except OSError:
                continue
            entry, problems = validate_text(raw, shown, path=path)
            if entry is None or problems:
                for problem in problems:
                    _log.error("%s", problem)
                self.pages[source] = error_page(shown, problems)
            else:
                last.catalog.by_id[entry.record.id] = entry.record
                self.pages[source] = writer.record_page(entry.record)
            # The build wrote into its own folder, since swapped in as the served one.
            file.abs_dest_path = os.path.join(served, file.dest_uri)
            _populate_page(file.page, last.config, last.files)
            _build_page(
                file.page, last.config, last.files.documentation_pages(), last.nav, last.env
            )
            written += 1
        return written


# -- the live-reload server's epochs (MkDocs 1.6) ------------------------------------------------


def serve_early(server: Any) -> None:
    """Serve the folder as it is now and reload the browsers, while a build is under way."""
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch
        server._epoch_cond.notify_all()


def reload_after(server: Any) -> None:
    """Make the server reload the browsers once more when the running build has ended."""
    with server._epoch_cond:
        server._wanted_epoch = max(server._visible_epoch + 1, round(time.monotonic() * 1000))


# -- the full build's own folder ------------------------------------------------------------------


def staging_dir(served: Path) -> Path:
    return served.with_name(served.name + "-next")


def replace_served(served: Path) -> None:
    """Put the completed build in place of the served folder (two renames, no copy)."""
    staged = staging_dir(served)
    old = served.with_name(served.name + "-old")
    shutil.rmtree(old, ignore_errors=True)
    if served.exists():
        os.rename(served, old)
    os.rename(staged, served)
    shutil.rmtree(old, ignore_errors=True)
