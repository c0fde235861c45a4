"""The records' history read from a real git repository made in a temporary folder: a record
added, its status changed, a licence changed, one withdrawn, one renamed. The history shown on
the pages, the change feeds and their ids, the tombstone pages and what a shallow clone says."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from publish.build import generated_files, load_valid_tombstones
from publish.catalog import Catalog
from publish.history import blocks, describe, read_history
from publish.page_text import Page
from publish.paths import Site
from schemas import load_records
from schemas.review import review_change
from tests.conftest import FIXTURES

SITE = Site(url="https://tracker.example/", repo_url="https://git.example/tracker")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "Tests",
            "GIT_AUTHOR_EMAIL": "tests@example.org",
            "GIT_COMMITTER_NAME": "Tests",
            "GIT_COMMITTER_EMAIL": "tests@example.org",
            "GIT_AUTHOR_DATE": "2026-11-01T12:00:00Z",
            "GIT_COMMITTER_DATE": "2026-11-01T12:00:00Z",
            "PATH": "/usr/bin:/bin",
            "HOME": str(repo),
        },
    )
    return done.stdout


def commit(repo: Path, message: str, day: str) -> None:
    git(repo, "add", "-A")
    subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=repo,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "Tests",
            "GIT_AUTHOR_EMAIL": "tests@example.org",
            "GIT_COMMITTER_NAME": "Tests",
            "GIT_COMMITTER_EMAIL": "tests@example.org",
            "GIT_AUTHOR_DATE": f"{day}T12:00:00Z",
            "GIT_COMMITTER_DATE": f"{day}T12:00:00Z",
            "PATH": "/usr/bin:/bin",
            "HOME": str(repo),
        },
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose records went through every kind of change."""
    root = tmp_path_factory.mktemp("history")
    git(root, "init", "-q", "-b", "main")
    records = root / "records"
    shutil.copytree(FIXTURES / "valid" / "records", records)
    commit(root, "Add the first records", "2026-11-01")
    act = records / "policies" / "test-open-models-act.yaml"
    edit(act, "status: in-force", "status: adopted")
    commit(root, "Open Models Act: status as adopted", "2026-11-02")
    edit(act, "status: adopted", "status: in-force")
    edit(act, "dates: {signed: 2024-03-01,", "dates: {signed: 2024-03-01, adopted: 2024-02-20,")
    commit(root, "Open Models Act in force", "2026-11-03")
    model = records / "models" / "acme-7b.yaml"
    edit(model, "license: Apache-2.0", "license: MIT")
    commit(root, "Acme 7B: the licence is MIT", "2026-11-04")
    # Withdrawn: the file goes, a tombstone keeps the id.
    (records / "policies" / "test-regional-order.yaml").unlink()
    (root / "tombstones").mkdir()
    (root / "tombstones" / "test-regional-order.yaml").write_text(
        "id: test-regional-order\ntitle: Regional Order (a test)\nkind: policy\n"
        "date: 2026-11-05\nreason: The order was never issued; the record was a mistake.\n",
        encoding="utf-8",
    )
    commit(root, "Withdraw the regional order", "2026-11-05")
    # Renamed: the record moves to a new id; the old id moves to it.
    old = records / "news" / "acme-7b-tops-charts.yaml"
    new = records / "news" / "acme-7b-leads-downloads.yaml"
    git(root, "mv", str(old), str(new))
    edit(new, "id: acme-7b-tops-charts", "id: acme-7b-leads-downloads")
    (root / "tombstones" / "acme-7b-tops-charts.yaml").write_text(
        "id: acme-7b-tops-charts\ntitle: Acme 7B tops the download charts\nkind: news\n"
        "date: 2026-11-06\nreason: Renamed.\nmoved_to: acme-7b-leads-downloads\n",
        encoding="utf-8",
    )
    commit(root, "Rename the Acme news item", "2026-11-06")
    return root


def built(repo: Path) -> tuple[Catalog, dict[str, Page | bytes]]:
    records = repo / "records"
    kb = load_records([records])
    assert kb.ok, kb.problems
    tombstones = load_valid_tombstones(records, kb)
    assert isinstance(tombstones, dict), tombstones
    catalog = Catalog(kb, history=read_history(records), tombstones=tombstones)
    return catalog, generated_files(kb, SITE, catalog=catalog)


def text_of(files: dict[str, Page | bytes], path: str) -> str:
    found = files[path]
    return found.body if isinstance(found, Page) else found.decode()


def test_each_change_is_told_in_words_newest_first(repo: Path) -> None:
    history = read_history(repo / "records")
    assert history.available
    act = [
        (c.day.isoformat(), c.action, c.words, c.subject)
        for c in history.of("test-open-models-act")
    ]
    assert act == [
        (
            "2026-11-03",
            "changed",
            "status: adopted → in-force; dates.adopted added",
            "Open Models Act in force",
        ),
        (
            "2026-11-02",
            "changed",
            "status: in-force → adopted",
            "Open Models Act: status as adopted",
        ),
        ("2026-11-01", "added", "added", "Add the first records"),
    ]
    [licence, _] = history.of("acme-7b")
    assert licence.words == "license: Apache-2.0 → MIT" and licence.categories == ("licence",)
    [renamed, *_] = history.of("acme-7b-leads-downloads")
    assert renamed.action == "renamed"
    assert renamed.words.startswith("renamed from acme-7b-tops-charts; id: ")


def test_record_pages_show_their_history_and_how_to_cite_them(repo: Path) -> None:
    catalog, files = built(repo)
    page = text_of(files, "records/test-open-models-act.md")
    history = page[page.index('id="history"') :]
    assert history.index("2026-11-03") < history.index("2026-11-02") < history.index("2026-11-01")
    assert "status: adopted → in-force; dates.adopted added" in history
    assert "Open Models Act in force" in history
    commit_id = catalog.history.of("test-open-models-act")[0].commit
    assert f'href="https://git.example/tracker/commit/{commit_id}"' in history
    assert f'id="change-{commit_id[:12]}"' in history
    assert "last changed 2026-11-03. https://tracker.example/records/test-open-models-act/" in page
    assert "@misc{osai-test-open-models-act," in page and "year = {2026}" in page


def test_change_feeds_have_stable_ids_per_change(repo: Path) -> None:
    catalog, files = built(repo)
    feed = json.loads(text_of(files, "feeds/changes.json"))
    ids = [item["id"] for item in feed["items"]]
    newest = catalog.history.changes[0]
    assert ids[0] == (
        f"https://tracker.example/records/{newest.record_id}/#change-{newest.commit[:12]}"
    )
    assert len(ids) == len(set(ids)) == min(50, len(catalog.history.changes))
    titles = [item["title"] for item in feed["items"]]
    assert "Acme 7B: license: Apache-2.0 → MIT" in titles
    # Per kind, jurisdiction, organization and tag.
    for path in ("feeds/changes/kind/model.json", "feeds/changes/tag/open-weights.atom"):
        assert path in files, sorted(p for p in files if "changes/" in p)[:20]
    model_feed = json.loads(text_of(files, "feeds/changes/kind/model.json"))
    assert {item["_osai"]["kind"] for item in model_feed["items"]} == {"model"}
    # The same build twice gives the same bytes.
    _, again = built(repo)
    assert again["feeds/changes.atom"] == files["feeds/changes.atom"]


def test_withdrawn_and_moved_records_keep_their_pages(repo: Path) -> None:
    catalog, files = built(repo)
    withdrawn = text_of(files, "records/test-regional-order.md")
    assert "This policy record was withdrawn on" in withdrawn
    assert "The order was never issued" in withdrawn
    moved = text_of(files, "records/acme-7b-tops-charts.md")
    assert "merged into" in moved and 'href="../acme-7b-leads-downloads/"' in moved
    stone = json.loads(text_of(files, "data/records/test-regional-order.json"))["tombstone"]
    assert stone["state"] == "withdrawn" and stone["page_url"].endswith("/test-regional-order/")
    everything = json.loads(text_of(files, "data/records.json"))
    assert [s["id"] for s in everything["tombstones"]] == [
        "acme-7b-tops-charts",
        "test-regional-order",
    ]
    [gone, *_] = catalog.history.of("test-regional-order")
    assert gone.action == "withdrawn" and gone.categories == ("withdrawn",)
    changes = text_of(files, "changes.md")
    assert 'data-change="withdrawn"' in changes


def test_a_shallow_clone_builds_and_says_history_is_unavailable(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    _, files = built(clone)
    page = text_of(files, "records/acme-7b.md")
    assert "History is unavailable in this build: the checkout is shallow" in page
    assert "feeds/changes.atom" not in files
    assert "History is unavailable" in text_of(files, "changes.md")


def test_removing_a_record_without_a_tombstone_is_refused(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    (clone / "records" / "models" / "acme-7b-reasoner.yaml").unlink()
    review = review_change(clone / "records", "HEAD")
    assert any(
        problem.startswith("models/acme-7b-reasoner.yaml: removed without a tombstone")
        for problem in review.problems
    ), review.problems


def test_block_diff_ignores_comments_and_reads_nested_fields() -> None:
    old = "id: x\n# a comment\ndates: {signed: 2024-01-01}\nsummary: a\n"
    new = "id: x\ndates:\n  signed: 2024-01-02\n  effective: 2024-06\nsummary: b\n"
    assert set(blocks(old)) == {"id", "dates", "summary"}
    assert describe(old, new) == [
        "dates.effective added",
        "dates.signed: 2024-01-01 → 2024-01-02",
        "summary edited",
    ]
