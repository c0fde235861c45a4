"""From a validated knowledge base to the site's pages, charts, feeds and data files."""

from publish.build import generated_files
from publish.catalog import Catalog
from publish.pages import generate_pages
from publish.paths import Site

__all__ = ["Catalog", "Site", "generate_pages", "generated_files"]
