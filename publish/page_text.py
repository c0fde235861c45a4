"""Small pieces every generated page uses: labels, the page object and its front matter."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

from publish.paths import relative_url

__all__ = ["Page", "inverse", "label", "page_meta", "relative_url", "slug", "tidy_markdown"]

#: Labels read better than raw values in a few places.
_LABELS = {
    "weights_released": "Weights released",
    "open-weights-restricted": "Open weights (restricted)",
    "api-only": "API only",
    "in-force": "In force",
    "not-addressed": "Not addressed",
    "derived-from": "Derived from",
    "responds-to": "Responds to",
    "training-data": "Training data",
    "technical-report": "Technical report",
    "court-ruling": "Court ruling",
    "applies_from": "Applies from",
    "osi-approved": "OSI-approved",
    "separate-licence": "Separate licence",
}
#: How a backlink reads from the target's page.
_INVERSE = {
    "revokes": "Revoked by",
    "implements": "Implemented by",
    "derived-from": "Base of",
    "responds-to": "Answered by",
    "supersedes": "Superseded by",
    "mentions": "Mentioned by",
    "amends": "Amended by",
    "related": "Related",
    "issuer": "Issued",
    "organization": "Developed",
    "base_model": "Base of",
    "license": "Governs",
    "variant_licenses": "Governs sizes of",
    "parent": "Parent of",
    "about": "Covered by",
}


def label(value: str) -> str:
    """A vocabulary value as words: ``open-weights`` -> ``Open weights``."""
    if value in _LABELS:
        return _LABELS[value]
    text = value.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def slug(text: str) -> str:
    """An HTML id from a heading."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def inverse(relation: str) -> str:
    """How a relation reads from the other record's page."""
    return _INVERSE.get(relation, label(relation))


def tidy_markdown(text: str) -> str:
    """Drop blank lines (which would end an HTML block early) but keep them around headings."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for line in lines:
        heading = line.startswith("#")
        if heading and out:
            out.append("")
        out.append(line)
        if heading:
            out.append("")
    return "\n".join(out).strip() + "\n"


@dataclass(frozen=True)
class Page:
    """A generated page: its metadata, its body, and whether the body needs Markdown.

    Pages travel to the site engine as objects; front matter is written only when a page is
    saved as a file for another engine (:meth:`text`).
    """

    meta: dict[str, Any] = field(hash=False)
    body: str
    #: False when the body is HTML only: the engine can skip its Markdown pass.
    markdown: bool = False

    @classmethod
    def of(cls, meta: dict[str, Any], body: str) -> Page:
        """A page whose body holds Markdown headings, or HTML only."""
        return cls(meta, body, any(line.startswith("#") for line in body.splitlines()))

    def text(self) -> str:
        """The page as a Markdown file with YAML front matter."""
        # JSON is valid YAML, and quoting every string keeps titles like "no" or "1.10" as text.
        lines = [
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in self.meta.items()
        ]
        return "---\n" + "\n".join(lines) + "\n---\n\n" + self.body


def page_meta(title: str, description: str = "", **extra: Any) -> dict[str, Any]:
    """A generated page's metadata. Titles and descriptions are HTML-escaped: the theme prints
    them as they are. ``generated`` tells the theme that no source file of the page exists."""
    meta: dict[str, Any] = {"title": html.escape(title), "generated": True}
    if description:
        meta["description"] = html.escape(description)
    meta.update(extra)
    return meta


#: Elements whose text keeps every space: never compacted.
_KEEP_WHITESPACE = re.compile(
    r"(<(?:pre|textarea|script|style)\b.*?</(?:pre|textarea|script|style)>)", re.S
)
#: A newline and the whitespace after it: indentation and blank lines, in one pass (a pattern
#: that starts with a newline is searched for that character alone, which is fast).
_NEWLINE_RUN = re.compile(r"\n\s+")
_BETWEEN_TAGS = re.compile(r">\s+<")


def compact_html(output: str) -> str:
    """A built page without the theme's indentation and blank lines. Each run of whitespace
    becomes one newline, which a browser renders as the run itself (one space), so the page
    looks and reads the same; ``pre``, ``textarea``, ``script`` and ``style`` stay as they
    are. At ten thousand pages this is a fifth of the site's weight."""
    parts = _KEEP_WHITESPACE.split(output)
    for index in range(0, len(parts), 2):
        parts[index] = _BETWEEN_TAGS.sub(">\n<", _NEWLINE_RUN.sub("\n", parts[index]))
    return "".join(parts)
