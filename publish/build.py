"""The generated part of the site as files, for the MkDocs plugin and the standalone command."""

from __future__ import annotations

from pathlib import Path

from publish import paths
from publish.calendar import calendar_files
from publish.catalog import Catalog
from publish.exports import export_files
from publish.feeds import feed_files
from publish.page_text import Page, page_meta
from publish.pages import PageWriter
from publish.paths import Site
from schemas import KnowledgeBase
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
    return Page(page_meta("Contributing", "How to add or correct a record."), text, markdown=True)


def generated_files(
    kb: KnowledgeBase, site: Site, project: Path | None = None, catalog: Catalog | None = None
) -> Generated:
    """Every generated file of the site: pages, feeds, calendars and data.

    ``project`` is the repository folder, for pages made from its own files (CONTRIBUTING.md);
    ``catalog`` the knowledge base's catalog when the caller keeps it.
    """
    catalog = catalog or Catalog(kb)
    feeds, feed_data = feed_files(catalog, site)
    calendars = calendar_files(catalog, site)
    writer = PageWriter(catalog, site)
    files: Generated = {}
    files.update(writer.pages())
    files[paths.FEEDS_PAGE] = writer.feeds_page(feeds, calendars)
    files[paths.DATA_PAGE] = writer.data_page()
    contributing = contributing_page(project) if project else None
    if contributing is not None:
        files[paths.CONTRIBUTING_PAGE] = contributing
    files.update(feed_data)
    files.update(calendars)
    files.update(export_files(catalog, site))
    return files


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
