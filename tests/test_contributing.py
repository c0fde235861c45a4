"""The site's Contributing page is the repository's CONTRIBUTING.md, with links for the site."""

from __future__ import annotations

from tests.conftest import ROOT


def test_contributing_page_matches_the_guide() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    body = page[page.index("# Contributing") :]
    assert body == guide.replace("(docs/record-format.md)", "(record-format.md)")
    for command in ("osai new", "osai validate", "osai review", "pre-commit install"):
        assert command in guide
