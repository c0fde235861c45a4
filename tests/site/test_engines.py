"""The second engine: ProperDocs builds the project's own configuration strictly, and every page,
feed and data file is the same as MkDocs makes it, byte for byte, apart from the generator tag."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.site.test_build import digest_tree

#: The one line the engines may write differently: ``<meta name="generator" ...>``.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def build_with(engine: str, out: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-q", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, f"{engine}: {result.stdout}{result.stderr}"
    return out


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("engines")
    return build_with("mkdocs", work / "mkdocs"), build_with("properdocs", work / "properdocs")


def test_properdocs_builds_the_same_site(both_builds: tuple[Path, Path]) -> None:
    mkdocs_site, properdocs_site = both_builds
    first, second = digest_tree(mkdocs_site), digest_tree(properdocs_site)
    # Pagefind's filter and metadata indexes differ even between two builds of one engine.
    stable = sorted(path for path in first if not path.startswith("pagefind/"))
    assert stable == sorted(path for path in second if not path.startswith("pagefind/"))
    assert len(stable) > 1000
    different = []
    for path in stable:
        if first[path] == second[path]:
            continue
        one = (mkdocs_site / path).read_bytes()
        two = (properdocs_site / path).read_bytes()
        if not path.endswith(".html") or GENERATOR.sub(b"", one) != GENERATOR.sub(b"", two):
            different.append(path)
    assert different == []
    page = (properdocs_site / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-ProperDocs' in page  # the build really was ProperDocs'
