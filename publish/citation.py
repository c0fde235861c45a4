"""How to cite a record: a plain-text citation and a BibTeX entry, with the record's URL, title
and the day it last changed (from the history; else the day its sources were last checked, or
the day it was added). Nothing reads the clock, so the text is the same in every build."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from publish.paths import Site
from schemas import Record

#: Characters BibTeX treats as commands or groups, escaped in a field's text.
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&#$_^~])")


@dataclass(frozen=True)
class Citation:
    text: str
    bibtex: str
    last_changed: str


#: Characters that cannot be escaped with a backslash alone.
_BIBTEX_WORDS = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


def bibtex_text(text: str) -> str:
    """Text as a BibTeX field's content: special characters escaped, one line."""
    flat = " ".join(text.split())
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_WORDS.get(m.group(1), "\\" + m.group(1)), flat)


def citation(record: Record, site: Site, last_changed: dt.date | None) -> Citation:
    changed = (
        last_changed.isoformat()
        if last_changed
        else (record.last_verified or record.added).isoformat()
    )
    url = site.record_url(record.id)
    year = changed[:4]
    text = (
        f"{site.name}. “{' '.join(record.title.split())}”. {record.label} record "
        f"{record.id}, last changed {changed}. {url}"
    )
    key = "osai-" + record.id
    bibtex = (
        f"@misc{{{key},\n"
        f"  title = {{{{{bibtex_text(record.title)}}}}},\n"
        f"  author = {{{{{bibtex_text(site.name)}}}}},\n"
        f"  year = {{{year}}},\n"
        f"  note = {{{record.label} record {bibtex_text(record.id)}, last changed {changed}}},\n"
        f"  url = {{{url}}},\n"
        f"  howpublished = {{\\url{{{url}}}}}\n"
        "}"
    )
    return Citation(text, bibtex, changed)
