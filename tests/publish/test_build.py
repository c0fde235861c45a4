"""The generated files made by two processes: the same files, in the same order, with the same
bytes as one process makes, over the whole shipped knowledge base; and a second process that
fails or dies is an error that says so, never a hang or a partial site."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from publish.build import GenerationError, generated_files
from publish.catalog import Catalog
from publish.page_text import Page
from publish.pages import PageWriter
from publish.paths import Site
from schemas import KnowledgeBase, Record, open_knowledge_base

ROOT = Path(__file__).resolve().parents[2]
SITE = Site(url="https://tracker.example/")


@pytest.fixture(scope="module")
def shipped() -> tuple[KnowledgeBase, Catalog]:
    kb = open_knowledge_base(ROOT / "records", require_valid=True)
    return kb, Catalog(kb)


def test_two_processes_make_what_one_makes(shipped: tuple[KnowledgeBase, Catalog]) -> None:
    kb, catalog = shipped
    one = generated_files(kb, SITE, ROOT, catalog, workers=1)
    two = generated_files(kb, SITE, ROOT, catalog, workers=2)
    assert list(two) == list(one)
    different = [path for path in one if one[path] != two[path]]
    assert different == []
    record_pages = [path for path, page in two.items() if path.startswith("records/")]
    assert len(record_pages) == len(catalog.newest_first) + len(catalog.tombstones)
    assert all(isinstance(two[path], Page) for path in record_pages)


def _fails_in_child(monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    parent = os.getpid()
    original = PageWriter.record_pages

    def record_pages(self: PageWriter, records: Iterable[Record]) -> dict[str, Page]:
        if os.getpid() != parent:
            if failure == "raise":
                raise ValueError("a record page could not be made")
            os._exit(3)
        return original(self, records)

    monkeypatch.setattr(PageWriter, "record_pages", record_pages)


def test_a_failure_in_the_second_process_is_reported_with_its_traceback(
    shipped: tuple[KnowledgeBase, Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb, catalog = shipped
    _fails_in_child(monkeypatch, "raise")
    with pytest.raises(GenerationError) as error:
        generated_files(kb, SITE, ROOT, catalog, workers=2)
    assert "second build process failed" in str(error.value)
    assert "ValueError: a record page could not be made" in str(error.value)


def test_a_second_process_that_dies_is_reported(
    shipped: tuple[KnowledgeBase, Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb, catalog = shipped
    _fails_in_child(monkeypatch, "exit")
    with pytest.raises(GenerationError, match=r"stopped \(exit code 3\)"):
        generated_files(kb, SITE, ROOT, catalog, workers=2)
