"""From a validated knowledge base to the site's pages, charts, feeds and data files."""

from publish.build import generated_files
from publish.catalog import Catalog
from publish.pages import SiteSettings, generate_pages

__all__ = ["Catalog", "SiteSettings", "generate_pages", "generated_files"]
