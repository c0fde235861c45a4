"""Every path and URL of the generated site, and where the site and the repository live.

Pages are named by their Markdown source path (``records/<id>.md``); files by their path in the
built site (``feeds/all.atom``). Nothing else in the project spells these paths out, so moving a
part of the site is a change here and nowhere else.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HOME = "index.md"
TIMELINE = "timeline/index.md"
SEARCH = "search.md"
FEEDS_PAGE = "feeds.md"
DATA_PAGE = "data.md"
CHARTS_PAGE = "charts.md"
VOCABULARIES_PAGE = "vocabularies.md"
CONTRIBUTING_PAGE = "contributing.md"
RECORD_FORMAT_PAGE = "record-format.md"
OPENNESS_PAGE = "openness.md"
COMPARE_PAGE = "compare.md"
OPEN_SOURCE_POLICY_PAGE = "open-source-policy.md"
ACTION_PLANS_PAGE = "action-plans.md"
ADOPTION_PAGE = "adoption.md"
CHANGES_PAGE = "changes.md"
API_PAGE = "api.md"
#: The site-wide change feed (without extension); facets' change feeds are under
#: ``feeds/changes/<facet>/<value>``.
CHANGES_FEED = "feeds/changes"
#: The adoption exports: every snapshot in one CSV, and a JSON document per snapshot.
ADOPTION_CSV = "data/adoption.csv"
#: The static JSON API's index, its list of the latest changes, and the SQLite database.
API_INDEX = "data/api.json"
API_CHANGES = "data/changes.json"
DATABASE = "data/records.db"
ADOPTION_FOLDER = "data/adoption"

#: Folders whose pages are reached from indexes, never from the navigation.
RECORDS_FOLDER = "records"
TIMELINE_FOLDER = "timeline"

ALL_FEED = "feeds/all"
OPEN_SOURCE_POLICY_FEED = "feeds/open-source-policy"
ALL_CALENDAR = "calendar/all.ics"
DATA_JSON = "data/records.json"
DATA_CSV = "data/records.csv"
DATA_PROVISIONS_CSV = "data/provisions.csv"
DATA_ACTIONS_CSV = "data/action-items.csv"


def record_page(record_id: str) -> str:
    return f"{RECORDS_FOLDER}/{record_id}.md"


def timeline_page(page: str) -> str:
    return f"{TIMELINE_FOLDER}/{page}.md"


def folder_index(folder: str) -> str:
    """The index page of a folder: a kind's (``policies/index.md``) or a facet's."""
    return f"{folder}/index.md"


def facet_page(folder: str, slug: str) -> str:
    return f"{folder}/{slug}.md"


def feed(group: str, slug: str) -> str:
    """A facet feed without its extension: ``feeds/jurisdiction/us``."""
    return f"feeds/{group}/{slug}"


def feed_file(path: str, fmt: str) -> str:
    return f"{path}.{fmt}"


def calendar(slug: str) -> str:
    return f"calendar/jurisdiction/{slug}.ics"


def data_record(record_id: str) -> str:
    return f"data/records/{record_id}.json"


def data_kind(kind: str) -> str:
    """The API's list of one kind's records."""
    return f"data/kinds/{kind}.json"


def data_facet(group: str, slug: str) -> str:
    """The API's list of one facet value's records."""
    return f"data/facets/{group}/{slug}.json"


def data_schema(kind: str) -> str:
    return f"data/schema/{kind}.schema.json"


def page_dir(path: str) -> str:
    """The URL folder a page is served from, with directory URLs (no trailing slash)."""
    if path == HOME:
        return ""
    stem = path.removesuffix(".md")
    return stem.removesuffix("/index") if stem.endswith("/index") else stem


def relative_url(from_page: str, to_path: str) -> str:
    """Link from one generated page to a page (``.md``) or file, relative so that the site
    works under any base URL. (Called for every link of every page: plain string work, not
    ``posixpath.relpath``, which resolves both paths against the working directory, and
    remembered per folder, since every record page links the same indexes.)"""
    return _relative_from_folder(page_dir(from_page), to_path)


@functools.lru_cache(maxsize=1 << 16)
def _relative_from_folder(folder: str, to_path: str) -> str:
    start = [part for part in folder.split("/") if part]
    is_page = to_path.endswith(".md")
    target = [part for part in (page_dir(to_path) if is_page else to_path).split("/") if part]
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    rel = "/".join([".."] * (len(start) - common) + target[common:])
    if not is_page:
        return rel
    return rel + "/" if rel else "./"


def page_url(path: str) -> str:
    """The URL path of a page, with directory URLs: ``records/x.md`` -> ``records/x/``."""
    if path == HOME:
        return ""
    stem = path.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


@dataclass(frozen=True)
class Site:
    """Where the site is served and where its repository lives."""

    name: str = "Open Source AI Tracker"
    url: str = ""
    repo_url: str = ""
    #: Base for "edit this record": the repository's edit URL for the root folder.
    edit_base: str = ""
    #: Base for "view the record file".
    view_base: str = ""
    #: Path of the records folder inside the repository.
    records_path: str = "records"

    def absolute(self, path: str) -> str:
        """The full URL of a page or file (a path relative to the root if no address is set)."""
        if path.endswith(".md"):
            path = page_url(path)
        return f"{self.url.rstrip('/')}/{path}" if self.url else f"/{path}"

    def record_url(self, record_id: str) -> str:
        """The permanent URL of a record page."""
        return self.absolute(record_page(record_id))

    def record_file(self, folder: str, record_id: str) -> str:
        """The record's file, as a path inside the repository."""
        return f"{self.records_path}/{folder}/{record_id}.yaml"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def site_from_config(config: Any) -> Site:
    """The site as an MkDocs configuration describes it: ``site_name``, ``site_url``,
    ``repo_url`` and ``edit_uri``.

    The edit link of a record is built like the edit link of a page, with the records
    folder in place of the docs folder, so the repository location is set in one place.
    """
    repo = (config.get("repo_url") or "").rstrip("/")
    edit_uri = (config.get("edit_uri") or "edit/main/docs/").strip("/")
    docs_dir_name = Path(config["docs_dir"]).name
    root = edit_uri.removesuffix(docs_dir_name).strip("/")
    edit_base = f"{repo}/{root}/" if repo else ""
    view_base = f"{repo}/{root.replace('edit/', 'blob/', 1)}/" if repo else ""
    return Site(
        name=config.get("site_name") or Site.name,
        url=config.get("site_url") or "",
        repo_url=repo,
        edit_base=edit_base,
        view_base=view_base,
    )


class SiteConfigError(Exception):
    """The site configuration file cannot be read."""


def load_site_config(config_file: Path) -> Any:
    """Read ``mkdocs.yml`` with MkDocs' own loader (so ``!ENV`` and defaults work as in a
    build), without running plugins."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        raise SiteConfigError(f"no site configuration at {config_file}")
    try:
        return load_config(str(config_file))
    except (ConfigurationError, OSError) as exc:
        raise SiteConfigError(f"{config_file}: {exc}") from None
