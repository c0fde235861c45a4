"""Small pieces every generated page uses: labels, relative links, front matter."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from schemas import MODELS

KIND_PLURAL = {
    "policy": "policies",
    "model": "models",
    "news": "news",
    "organization": "organizations",
}
KIND_LABEL = {"policy": "Policy", "model": "Model", "news": "News", "organization": "Organization"}
KIND_INDEX = {kind: f"{MODELS[kind].folder}/index.md" for kind in MODELS}
LATEST_ON_HOME = 12

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
    "parent": "Parent of",
    "about": "Covered by",
}


def label(value: str) -> str:
    """A vocabulary value as words: ``open-weights`` -> ``Open weights``."""
    if value in _LABELS:
        return _LABELS[value]
    text = value.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def slug_of(value: str) -> str:
    """URL segment of a facet value: ``US-CA`` -> ``us-ca``."""
    return value.lower()


def slug(text: str) -> str:
    """An HTML id from a heading."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def inverse(relation: str) -> str:
    """How a relation reads from the other record's page."""
    return _INVERSE.get(relation, label(relation))


def page_dir(doc_path: str) -> str:
    """The URL folder a Markdown file is served from, with directory URLs."""
    if doc_path == "index.md":
        return ""
    stem = doc_path.removesuffix(".md")
    return stem.removesuffix("/index") if stem.endswith("/index") else stem


def relative_url(from_doc: str, to_path: str) -> str:
    """Link from one generated page to a page (``.md``) or file, relative so that the site
    works under any base URL. (Called for every link of every page: plain string work, not
    ``posixpath.relpath``, which resolves both paths against the working directory.)"""
    start = [part for part in page_dir(from_doc).split("/") if part]
    is_page = to_path.endswith(".md")
    target = [part for part in (page_dir(to_path) if is_page else to_path).split("/") if part]
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    rel = "/".join([".."] * (len(start) - common) + target[common:])
    if not is_page:
        return rel
    return rel + "/" if rel else "./"


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


def is_pure_html(page: str) -> bool:
    """A generated Markdown page whose body (after the front matter) is HTML only."""
    body = page.split("\n---\n", 1)[-1]
    return not any(line.startswith("#") for line in body.splitlines())


def split_front_matter(page: str) -> tuple[dict[str, Any], str]:
    """The meta and body of a page written by :func:`front_matter` (one JSON value a line),
    read without a YAML parser."""
    if not page.startswith("---\n"):
        return {}, page
    head, body = page[4:].split("\n---\n", 1)
    meta = {}
    for line in head.splitlines():
        key, value = line.split(": ", 1)
        meta[key] = json.loads(value)
    return meta, body.lstrip("\n")


def front_matter(title: str, description: str = "", **extra: Any) -> str:
    meta: dict[str, Any] = {"title": html.escape(title)}
    if description:
        meta["description"] = html.escape(description)
    meta.update(extra)
    # JSON is valid YAML, and quoting every string keeps titles like "no" or "1.10" as text.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"
