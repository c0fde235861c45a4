"""Text from outside as inert Markdown, for reports that people read on GitHub.

Titles, URLs and messages come from feeds, pull requests and record files. Wherever a report
shows them as Markdown (a pull-request description, a job summary) they must read as what they
are: never a link, an image, a fence, HTML, a mention that notifies someone, or an issue
reference that a merge would close.
"""

from __future__ import annotations

import re

#: Characters with a meaning in GitHub Markdown, escaped with a backslash.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~])")
#: A zero-width space after these breaks mentions (@user) and references (#12, GH-12).
_ZWSP = "\u200b"


def md_text(text: str) -> str:
    """``text`` shown as written, on one line, in Markdown prose or a table cell."""
    flat = " ".join(text.split())  # newlines, carriage returns and tabs end table rows
    flat = flat.replace("&", "&amp;")  # no entity can be spelled out
    escaped = _SPECIAL.sub(r"\\\1", flat)
    return escaped.replace("@", "@" + _ZWSP).replace("\\#", "\\#" + _ZWSP)


def md_code(text: str) -> str:
    """``text`` as an inline code span (on one line): nothing inside is interpreted."""
    flat = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
