"""The MkDocs adapter: load the records, add the generated pages in memory, index for search.

Everything it adds comes from :func:`publish.build.generated_files`; this module only maps
MkDocs events onto it. ``mkdocs serve`` watches the records folder and rebuilds on change.
"""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from publish.build import generated_files, load_valid, settings_from
from publish.errors import InvalidRecords
from publish.page_text import is_pure_html, split_front_matter
from publish.search_index import SearchIndexer, SearchIndexError

log = get_plugin_logger(__name__)


class TrackerConfig(Config):
    records = config_options.Type(str, default="records")
    search_index = config_options.Type(bool, default=True)


#: Stands in for a generated page's HTML while MkDocs runs its Markdown converter.
PLACEHOLDER = "OSAI-GENERATED-HTML-PLACEHOLDER"


class TrackerPlugin(BasePlugin[TrackerConfig]):
    """``plugins: [osai]`` in mkdocs.yml."""

    def __init__(self) -> None:
        #: src_uri -> meta and body of every generated page (parsed once, in on_files).
        self._meta: dict[str, dict[str, object]] = {}
        self._bodies: dict[str, str] = {}
        #: Generated pages that hold no Markdown at all: they skip Python-Markdown's raw-HTML
        #: pass, which costs more than the rest of the build.
        self._html_pages: set[str] = set()
        self._indexer: SearchIndexer | None = None
        self._nav_pages: set[str] = set()
        self._layout_cache: dict[str, str] = {}

    def _records_dir(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.records).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        records = self._records_dir(config)
        if str(records) not in config.watch:
            config.watch.append(str(records))
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        records = self._records_dir(config)
        if not records.is_dir():
            raise PluginError(f"no records folder at {records}")
        try:
            kb = load_valid(records)
        except InvalidRecords as exc:
            raise PluginError(str(exc)) from None
        self._html_pages.clear()
        self._meta.clear()
        self._bodies.clear()
        project = Path(config.config_file_path).parent
        for path, content in generated_files(kb, settings_from(config), project).items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide a generated page; rename it")
            files.append(File.generated(config, path, content=content))
            if isinstance(content, str) and path.endswith(".md"):
                self._meta[path], self._bodies[path] = split_front_matter(content)
                if is_pure_html(content):
                    self._html_pages.add(path)
        return files

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # Generated pages come with their meta already parsed: MkDocs gets the body alone
        # and the meta in on_page_markdown (its YAML front-matter parser is the slow part).
        src = page.file.src_uri
        if src in self._html_pages:
            return PLACEHOLDER
        return self._bodies.get(src)

    def on_page_markdown(self, markdown: str, /, *, page: Page, **_: object) -> str:
        if page.file.src_uri in self._meta:
            page.meta = dict(self._meta[page.file.src_uri])
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, **_: object) -> str:
        if page.file.src_uri in self._html_pages:
            return self._bodies[page.file.src_uri]
        return html

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._indexer = None
        if self.config.search_index:
            try:
                self._indexer = SearchIndexer()
            except SearchIndexError as exc:
                raise PluginError(f"cannot start the search indexer: {exc}") from None

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        # Generated pages outside the navigation have no table of contents and no active nav
        # item, so their tabs and sidebars depend only on the folder depth (relative links)
        # and on what they hide: the theme override renders those once per key.
        key = ""
        if page.file.src_uri in self._html_pages and page.file.src_uri not in self._nav_pages:
            hide = ",".join(sorted((page.meta or {}).get("hide", [])))
            key = f"{page.url.count('/')}:{hide}"
        context["osai_layout_key"] = key
        context["osai_layout_cache"] = self._layout_cache
        return context

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav_pages = {page.file.src_uri for page in nav.pages}
        self._layout_cache.clear()
        return nav

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self._indexer is not None:
            self._indexer.add(output, "/" + page.url)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._indexer is None:
            return
        started = time.perf_counter()
        try:
            count = self._indexer.finish(Path(config.site_dir) / "pagefind")
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
        if self._indexer is not None:
            self._indexer.close()
            self._indexer = None
