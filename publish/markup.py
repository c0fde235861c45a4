"""Contributed text to safe HTML: Markdown, then an allow-list sanitiser (nh3).

Records may use a small Markdown subset in summaries. Whatever they contain, the output holds
only the tags and attributes below, and links only to http(s) URLs.
"""

from __future__ import annotations

import html
import re

import markdown
import nh3

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https"}

_SPACE = re.compile(r"\s+")


def summary_html(text: str) -> str:
    """A record summary as sanitised HTML, on one line (no blank lines that could end an
    HTML block in the Markdown page around it)."""
    rendered = markdown.markdown(text, output_format="html")
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
    )
    return _SPACE.sub(" ", clean).strip()


def plain_text(text: str) -> str:
    """A summary as plain text: Markdown rendered, every tag removed, entities decoded."""
    rendered = markdown.markdown(text, output_format="html")
    stripped = nh3.clean(rendered, tags=set())
    return _SPACE.sub(" ", html.unescape(stripped)).strip()


def one_line(text: str, limit: int = 200) -> str:
    """The first sentence of a summary as plain text, at most ``limit`` characters."""
    plain = plain_text(text)
    match = re.match(r"(.+?[.!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
