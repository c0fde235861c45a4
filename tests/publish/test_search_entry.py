"""A written search index is checked before the indexer stops: an entry file that is empty or
cut short is waited for, and one that stays so fails the build naming the file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from publish import search_index
from publish.search_index import ENTRY_FILE, SearchIndexError

COMPLETE = '{"version":"1.5.2","languages":{"en":{"page_count":3}}}'


def test_an_entry_file_that_stays_empty_fails_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "ENTRY_WAIT_SECONDS", 0.3)
    (tmp_path / ENTRY_FILE).write_text("", encoding="utf-8")
    with pytest.raises(SearchIndexError, match=f"{ENTRY_FILE}: .*incomplete"):
        search_index._wait_for_entry(tmp_path)


def test_an_entry_file_cut_short_fails_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "ENTRY_WAIT_SECONDS", 0.3)
    (tmp_path / ENTRY_FILE).write_text(COMPLETE[:20], encoding="utf-8")
    with pytest.raises(SearchIndexError):
        search_index._wait_for_entry(tmp_path)


def test_an_entry_file_completed_meanwhile_is_waited_for(tmp_path: Path) -> None:
    (tmp_path / ENTRY_FILE).write_text("", encoding="utf-8")

    def complete_later() -> None:
        time.sleep(0.3)
        (tmp_path / ENTRY_FILE).write_text(COMPLETE, encoding="utf-8")

    writer = threading.Thread(target=complete_later)
    writer.start()
    started = time.monotonic()
    search_index._wait_for_entry(tmp_path)
    writer.join()
    assert time.monotonic() - started >= 0.3
