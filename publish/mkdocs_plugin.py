"""The MkDocs adapter: load the records, add the generated pages in memory, index for search.

Everything it adds comes from :func:`publish.build.generated_files`; this module only maps
MkDocs events onto it. ``mkdocs serve`` watches the records folder and rebuilds on change.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from publish.build import generated_files, load_valid, settings_from
from publish.errors import InvalidRecords
from publish.pages import is_pure_html

log = get_plugin_logger(__name__)


class TrackerConfig(Config):
    records = config_options.Type(str, default="records")
    search_index = config_options.Type(bool, default=True)


#: Stands in for a generated page's HTML while MkDocs runs its Markdown converter.
PLACEHOLDER = "OSAI-GENERATED-HTML-PLACEHOLDER"


class TrackerPlugin(BasePlugin[TrackerConfig]):
    """``plugins: [osai]`` in mkdocs.yml."""

    def __init__(self) -> None:
        #: src_uri -> HTML body of generated pages that hold no Markdown at all.
        self._html_pages: dict[str, str] = {}

    def _records_dir(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.records).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        records = self._records_dir(config)
        if str(records) not in config.watch:
            config.watch.append(str(records))
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        try:
            kb = load_valid(self._records_dir(config))
        except InvalidRecords as exc:
            raise PluginError(str(exc)) from None
        self._html_pages.clear()
        for path, content in generated_files(kb, settings_from(config)).items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide a generated page; rename it")
            files.append(File.generated(config, path, content=content))
            if isinstance(content, str) and is_pure_html(content):
                self._html_pages[path] = ""
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, **_: object) -> str:
        # Generated pages are escaped HTML already; Python-Markdown's raw-HTML pass over them
        # costs more than the rest of the build, so they skip it.
        if page.file.src_uri in self._html_pages:
            self._html_pages[page.file.src_uri] = markdown
            return PLACEHOLDER
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, **_: object) -> str:
        if page.file.src_uri in self._html_pages:
            return self._html_pages[page.file.src_uri]
        return html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.search_index:
            return
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PluginError(f"search indexing failed:\n{result.stdout}{result.stderr}")
        log.info("search index written to %s/pagefind", config.site_dir)
