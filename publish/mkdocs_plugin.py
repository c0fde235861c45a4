"""The MkDocs adapter: load the records, add the generated pages in memory, index for search.

Everything it adds comes from :func:`publish.build.generated_files`; this module only maps
MkDocs events onto it. ``mkdocs serve`` watches the records folder: a saved record's page is
served first, then the whole site is rebuilt (:mod:`publish.serving`).
"""

from __future__ import annotations

import gc
import html
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pathspec
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.templates import TemplateContext

from publish import paths, serving
from publish.build import (
    WORKERS,
    GenerationError,
    generated_files,
    load_valid_adoption,
    load_valid_tombstones,
)
from publish.catalog import Catalog
from publish.facets import PAGED_FACETS, search_filters
from publish.history import HistoryReader
from publish.page_text import Page, compact_html
from publish.paths import site_from_config
from publish.search_index import PAGES_PER_INDEX, SearchIndexError, SearchIndexes
from schemas import KnowledgeBaseError, open_knowledge_base

log = get_plugin_logger(__name__)


class TrackerConfig(Config):
    records = config_options.Type(str, default="records")
    #: The adoption snapshots and sourced figures (a missing folder: no figures yet); by
    #: default the ``adoption`` folder beside the records folder.
    adoption = config_options.Type(str, default="")
    search_index = config_options.Type(bool, default=True)
    #: Read the records' history from git (record pages, recent changes, change feeds).
    history = config_options.Type(bool, default=True)
    #: Pages per part of the search index (each part is indexed by its own process in turn).
    search_pages_per_index = config_options.Type(int, default=PAGES_PER_INDEX)
    #: Processes that make the generated files (1 or 2; see publish.build.WORKERS).
    workers = config_options.Choice((1, 2), default=WORKERS)


#: Stands in for a generated page's HTML while MkDocs runs its Markdown converter.
PLACEHOLDER = "OSAI-GENERATED-HTML-PLACEHOLDER"
#: Stands in for the page title in a header rendered once for many pages (main.html); a
#: title never holds a NUL character.
TITLE_MARKER = "\x00osai-title\x00"
#: Where the search page (docs/search.md) takes its filters.
SEARCH_FACETS = '<div class="osai-search-facets"></div>'


def not_in_nav_patterns() -> list[str]:
    """Pages reached from indexes, never from the navigation: a nav entry per record would
    repeat the whole list on every page."""
    return [
        f"/{paths.RECORDS_FOLDER}/",
        f"/{paths.TIMELINE_FOLDER}/*.md",
        *(f"/{facet.folder}/*.md" for facet in PAGED_FACETS),
    ]


class TrackerPlugin(BasePlugin[TrackerConfig]):
    """``plugins: [osai]`` in mkdocs.yml."""

    def __init__(self) -> None:
        #: src_uri -> every generated page, as built in on_files.
        self._pages: dict[str, Page] = {}
        self._indexer: SearchIndexes | None = None
        self._nav_pages: set[str] = set()
        self._layout_cache: dict[str, str] = {}
        #: Under ``mkdocs serve``: the folder the server serves (builds go to a folder of their
        #: own and replace it when complete), and the single-page renderer.
        self._serving = False
        self._served: Path | None = None
        self._quick: serving.QuickPages | None = None
        self._catalog: Catalog | None = None
        self._stamps: serving.Stamps = {}
        self._nav: Navigation | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this event keeps one plugin object across the rebuilds of `mkdocs serve`.
        # A dirty build writes only what changed, so it must go on writing into the served
        # folder: only full builds get a folder of their own and the record pages ahead.
        self._serving = command == "serve" and not dirty

    def _records_dir(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.records).resolve()

    def _adoption_dir(self, config: MkDocsConfig) -> Path:
        if not self.config.adoption:
            return self._records_dir(config).parent / "adoption"
        return (Path(config.config_file_path).parent / self.config.adoption).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self._serving:
            self._served = Path(config.site_dir)
            config.site_dir = str(serving.staging_dir(self._served))
        records = self._records_dir(config)
        if str(records) not in config.watch:
            config.watch.append(str(records))
        adoption = self._adoption_dir(config)
        if adoption.is_dir() and str(adoption) not in config.watch:
            config.watch.append(str(adoption))
        own = config.not_in_nav.patterns if config.not_in_nav else []
        lines = [str(pattern.pattern) for pattern in own if pattern.pattern]
        lines += [line for line in not_in_nav_patterns() if line not in lines]
        config.not_in_nav = pathspec.gitignore.GitIgnoreSpec.from_lines(lines)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        records = self._records_dir(config)
        stamps = serving.record_stamps(records) if self._serving else {}
        # The history is read in a process of its own while the records load.
        reader = HistoryReader(records) if self.config.history else None
        try:
            kb = open_knowledge_base(records, require_valid=True)
        except KnowledgeBaseError as exc:
            if reader is not None:
                reader.cancel()
            raise PluginError(str(exc)) from None
        self._pages.clear()
        project = Path(config.config_file_path).parent
        adoption = load_valid_adoption(self._adoption_dir(config), kb)
        if isinstance(adoption, str):
            raise PluginError(adoption)
        tombstones = load_valid_tombstones(self._records_dir(config), kb)
        if isinstance(tombstones, str):
            raise PluginError(tombstones)
        history = reader.result() if reader is not None else None
        self._catalog = Catalog(kb, adoption, history, tombstones)
        # The records, their history and the catalog live until the build ends: kept out of
        # the garbage collector's passes, which would otherwise walk them again and again
        # while the pages are made (and in the forked process, which would copy them).
        gc.freeze()
        self._stamps = stamps
        site = site_from_config(config)
        try:
            generated = generated_files(
                kb, site, project, self._catalog, workers=self.config.workers
            )
        except GenerationError as exc:
            raise PluginError(str(exc)) from None
        for path, content in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide a generated page; rename it")
            if isinstance(content, Page):
                self._pages[path] = content
            body = content.body if isinstance(content, Page) else content
            files.append(File.generated(config, path, content=body))
        self._start_search_index(config)
        return files

    def on_page_read_source(self, /, *, page: MkDocsPage, config: MkDocsConfig) -> str | None:
        # Generated pages come with their meta already made: MkDocs gets the body alone and
        # the meta in on_page_markdown. Pages without Markdown skip Python-Markdown's raw-HTML
        # pass, which costs more than the rest of the build.
        generated = self._pages.get(page.file.src_uri)
        if generated is None:
            return None
        return generated.body if generated.markdown else PLACEHOLDER

    def on_page_markdown(self, markdown: str, /, *, page: MkDocsPage, **_: object) -> str:
        generated = self._pages.get(page.file.src_uri)
        if generated is not None:
            page.meta = dict(generated.meta)
        if page.file.src_uri == paths.SEARCH:
            # The search page's filters are the facets' own declaration.
            declared = html.escape(json.dumps(search_filters()), quote=True)
            markdown = markdown.replace(
                SEARCH_FACETS, SEARCH_FACETS.replace("></div>", f' data-facets="{declared}"></div>')
            )
        return markdown

    def on_page_content(self, html: str, /, *, page: MkDocsPage, **_: object) -> str:
        generated = self._pages.get(page.file.src_uri)
        if generated is not None and not generated.markdown:
            return generated.body
        return html

    def _start_search_index(self, config: MkDocsConfig) -> None:
        # Started once the generated files are made: the indexer's reader thread would
        # otherwise be running when the second build process is forked.
        self._indexer = None
        if self.config.search_index:
            try:
                self._indexer = SearchIndexes(
                    Path(config.site_dir) / "pagefind", self.config.search_pages_per_index
                )
            except SearchIndexError as exc:
                raise PluginError(f"cannot start the search indexer: {exc}") from None

    def on_page_context(
        self,
        context: TemplateContext,
        /,
        *,
        page: MkDocsPage,
        config: MkDocsConfig,
        nav: Navigation,
    ) -> TemplateContext:
        # Generated pages outside the navigation have no table of contents and no active nav
        # item, so their tabs and sidebars depend only on the folder they are served from
        # (relative links) and on what they hide: the theme override renders those once per
        # key. (The depth alone is not enough: "timeline/2024/" and "records/x/" are as deep,
        # but the Timeline tab is "../" from one and "../../timeline/" from the other.)
        key = ""
        generated = self._pages.get(page.file.src_uri)
        outside_nav = page.file.src_uri not in self._nav_pages
        if generated is not None and not generated.markdown and outside_nav:
            hide = ",".join(sorted((page.meta or {}).get("hide", [])))
            folder = page.url.rstrip("/").rpartition("/")[0]
            key = f"{folder}:{hide}"
        # Read by docs/overrides/main.html; MkDocs' TypedDict does not know the theme's keys.
        context["osai_layout_key"] = key  # type: ignore[typeddict-unknown-key]
        context["osai_layout_cache"] = self._layout_cache  # type: ignore[typeddict-unknown-key]
        context["osai_title_marker"] = TITLE_MARKER  # type: ignore[typeddict-unknown-key]
        return context

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav_pages = {page.file.src_uri for page in nav.pages}
        self._layout_cache.clear()
        self._nav = nav
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self._serving and self._catalog is not None and self._nav is not None:
            if self._quick is None:
                self._quick = serving.QuickPages(self._records_dir(config), self._pages)
            self._quick.last = serving.LastBuild(
                config, files, self._nav, env, self._catalog, site_from_config(config), self._stamps
            )
        return env

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        full_build = server.builder

        def quick_then_full() -> None:
            if self._quick is not None and self._served is not None:
                started = time.perf_counter()
                written = self._quick.render(self._served)
                if written:
                    serving.serve_early(server)
                    log.info(
                        "%d record page(s) served in %.2f s; rebuilding the rest",
                        written,
                        time.perf_counter() - started,
                    )
            try:
                full_build()
            except BaseException:
                serving.serve_early(server)  # serve the last good site, not a stalled one
                raise
            serving.reload_after(server)

        server.builder = quick_then_full
        return server

    def on_post_page(self, output: str, /, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        output = compact_html(output)
        if self._indexer is not None:
            self._indexer.add(output, "/" + page.url)
        return output

    @event_priority(-100)  # after every other plugin has written its files
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.unfreeze()  # what this build kept can be collected once the next one replaces it
        self._write_search_index(config)
        if self._served is not None:
            serving.replace_served(self._served)

    def on_shutdown(self) -> None:
        if self._served is not None:
            shutil.rmtree(serving.staging_dir(self._served), ignore_errors=True)

    def _write_search_index(self, config: MkDocsConfig) -> None:
        if self._indexer is None:
            return
        started = time.perf_counter()
        try:
            count = self._indexer.finish()
        except SearchIndexError as exc:
            raise PluginError(f"search indexing failed: {exc}") from None
        finally:
            self._indexer = None
        log.info(
            "search index of %d pages written to %s/pagefind (%.1f s after the last page)",
            count,
            config.site_dir,
            time.perf_counter() - started,
        )

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()
        if self._indexer is not None:
            self._indexer.close()
            self._indexer = None
