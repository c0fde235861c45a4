"""The generated files made by two processes: the same files, in the same order, with the same
bytes as one process makes, over the whole shipped knowledge base; and a second process that
fails or dies is an error that says so, never a hang or a partial site."""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from publish import build
from publish.build import GenerationError, generated_files
from publish.catalog import Catalog
from publish.page_text import Page
from publish.pages import PageWriter
from publish.paths import Site
from schemas import KnowledgeBase, open_knowledge_base

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
    """The data files are made by the second process alone: make them fail there."""
    parent = os.getpid()
    original = build.export_files

    def export_files(catalog: Catalog, site: Site) -> dict[str, bytes]:
        if os.getpid() != parent:
            if failure == "raise":
                raise ValueError("a data file could not be made")
            os._exit(3)
        return original(catalog, site)

    monkeypatch.setattr(build, "export_files", export_files)


def test_a_failure_in_the_second_process_is_reported_with_its_traceback(
    shipped: tuple[KnowledgeBase, Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb, catalog = shipped
    _fails_in_child(monkeypatch, "raise")
    with pytest.raises(GenerationError) as error:
        generated_files(kb, SITE, ROOT, catalog, workers=2)
    assert "second build process failed" in str(error.value)
    assert "ValueError: a data file could not be made" in str(error.value)


def test_a_second_process_that_dies_is_reported(
    shipped: tuple[KnowledgeBase, Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb, catalog = shipped
    _fails_in_child(monkeypatch, "exit")
    with pytest.raises(GenerationError, match=r"stopped \(exit code 3\)"):
        generated_files(kb, SITE, ROOT, catalog, workers=2)


def _take_all(chunks: build._Chunks, send: Connection) -> None:
    taken: list[int] = []
    while (chunk := chunks.take()) is not None:
        taken.extend(chunk)
    send.send(taken)


def test_chunks_are_shared_out_once_each_between_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(build, "RECORDS_PER_CHUNK", 7)
    context = multiprocessing.get_context("fork")
    chunks = build._Chunks(1000, shared=True)
    receive, send = context.Pipe(duplex=False)
    others = [context.Process(target=_take_all, args=(chunks, send)) for _ in range(2)]
    for process in others:
        process.start()
    mine: list[int] = []
    while (chunk := chunks.take()) is not None:
        mine.extend(chunk)
    theirs = [receive.recv() for _ in others]
    for process in others:
        process.join()
    everything = mine + theirs[0] + theirs[1]
    assert sorted(everything) == list(range(1000))


def test_a_failure_here_stops_the_second_process(
    shipped: tuple[KnowledgeBase, Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb, catalog = shipped

    def site_pages(self: PageWriter) -> dict[str, Page]:
        raise ValueError("a site page could not be made")

    monkeypatch.setattr(PageWriter, "site_pages", site_pages)
    with pytest.raises(ValueError, match="a site page could not be made"):
        generated_files(kb, SITE, ROOT, catalog, workers=2)
    assert multiprocessing.active_children() == []
