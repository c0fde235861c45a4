"""Contributed text to safe HTML: Markdown, then an allow-list sanitiser (nh3).

Records may use a small Markdown subset in summaries. Whatever they contain, the output holds
only the tags and attributes below, and links only to http(s) URLs.
"""

from __future__ import annotations

import html
import re
from functools import cache

import markdown
import nh3

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https"}

_SPACE = re.compile(r"\s+")
# One converter, reset between texts: building a new one per summary dominates the cost.
_MARKDOWN = markdown.Markdown(output_format="html")


#: Text with none of these characters, on one line, and not opening with a block marker reads
#: the same as Markdown and as plain text: it skips the (slow) Markdown converter.
_MARKUP = re.compile(r"[\\`*_\[\]{}<>#+!&|~=\n]")
_BLOCK_START = re.compile(r"^\s*(\d+[.)]|[-+*>]|\s{4})")


@cache
def _render(text: str) -> str:
    if not _MARKUP.search(text) and not _BLOCK_START.match(text):
        return f"<p>{text.strip()}</p>" if text.strip() else ""
    return _MARKDOWN.reset().convert(text)


@cache
def summary_html(text: str) -> str:
    """A record summary as sanitised HTML, on one line (no blank lines that could end an
    HTML block in the Markdown page around it)."""
    rendered = _render(text)
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
    )
    return _SPACE.sub(" ", clean).strip()


@cache
def plain_text(text: str) -> str:
    """A summary as plain text: Markdown rendered, every tag removed, entities decoded."""
    rendered = _render(text)
    stripped = nh3.clean(rendered, tags=set())
    return _SPACE.sub(" ", html.unescape(stripped)).strip()


#: The longest one-line summary in lists (timeline, facet pages, home): every record appears
#: in several lists, so this weighs on the site's size.
ONE_LINE_CHARACTERS = 160


def one_line(text: str, limit: int = ONE_LINE_CHARACTERS) -> str:
    """The first sentence of a summary as plain text, at most ``limit`` characters."""
    plain = plain_text(text)
    match = re.match(r"(.+?[.!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
