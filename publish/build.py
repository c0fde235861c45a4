"""The generated part of the site as files, for the MkDocs plugin and the standalone command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publish.calendar import calendar_files
from publish.catalog import Catalog
from publish.errors import InvalidRecords
from publish.exports import export_files
from publish.feeds import feed_files
from publish.page_text import front_matter
from publish.pages import PageWriter, SiteSettings
from schemas import KnowledgeBase, load_records
from schemas.files import write_atomic


def load_valid(records_dir: Path) -> KnowledgeBase:
    """Load the knowledge base, or raise :class:`InvalidRecords` listing its problems."""
    kb = load_records([records_dir])
    if kb.problems:
        raise InvalidRecords(kb.problems)
    return kb


def settings_from(config: Any) -> SiteSettings:
    """Site settings from an MkDocs config: ``site_url``, ``repo_url`` and ``edit_uri``.

    The edit link of a record is built like the edit link of a page, with the records
    folder in place of the docs folder, so the repository location is set in one place.
    """
    repo = (config.get("repo_url") or "").rstrip("/")
    edit_uri = (config.get("edit_uri") or "edit/main/docs/").strip("/")
    docs_dir_name = Path(config["docs_dir"]).name
    root = edit_uri.removesuffix(docs_dir_name).strip("/")
    edit_base = f"{repo}/{root}/" if repo else ""
    view_base = f"{repo}/{root.replace('edit/', 'blob/', 1)}/" if repo else ""
    return SiteSettings(
        site_url=config.get("site_url") or "", edit_base=edit_base, view_base=view_base
    )


def contributing_page(project: Path) -> str | None:
    """The site's Contributing page, made from the repository's CONTRIBUTING.md."""
    guide = project / "CONTRIBUTING.md"
    if not guide.is_file():
        return None
    text = guide.read_text(encoding="utf-8").replace(
        "(docs/record-format.md)", "(record-format.md)"
    )
    return front_matter("Contributing", "How to add or correct a record.") + text


def generated_files(
    kb: KnowledgeBase, settings: SiteSettings, project: Path | None = None
) -> dict[str, str | bytes]:
    """Every generated file of the site: pages, feeds, calendars and data; path -> content.

    ``project`` is the repository folder, for pages made from its own files (CONTRIBUTING.md).
    """
    catalog = Catalog(kb)
    feeds, feed_data = feed_files(catalog, settings.site_url)
    calendars = calendar_files(catalog, settings.site_url)
    writer = PageWriter(catalog, settings)
    files: dict[str, str | bytes] = {}
    files.update(writer.pages())
    files["feeds.md"] = writer.feeds_page(feeds, calendars)
    files["data.md"] = writer.data_page()
    contributing = contributing_page(project) if project else None
    if contributing is not None:
        files["contributing.md"] = contributing
    files.update(feed_data)
    files.update(calendars)
    files.update(export_files(catalog, settings.site_url))
    return files


def write_tree(files: dict[str, str | bytes], out_dir: Path) -> list[Path]:
    """Write generated files under ``out_dir`` atomically, leaving unchanged files untouched."""
    written = []
    for relative, content in sorted(files.items()):
        path = out_dir / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path.exists() and path.read_bytes() == data:
            continue
        write_atomic(path, data)
        written.append(path)
    return written
