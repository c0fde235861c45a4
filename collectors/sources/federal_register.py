"""Federal Register API: US presidential documents about AI, as policy candidates with their
signing and publication dates."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from collectors.candidates import Candidate, SourceResult, plain, web_url
from collectors.context import JSON_TYPES, Context, SourceError, matches, next_page
from schemas.scaffold import slugify

if TYPE_CHECKING:
    from collectors.registry import Source


class Params(BaseModel):
    """``params`` of a federal-register source."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    #: Full-text search term.
    term: str = "artificial intelligence"
    per_page: Annotated[int, Field(ge=1, le=1000)] = 100
    max_pages: Annotated[int, Field(ge=1)] = 3
    #: Document types (``PRESDOCU``, ``RULE``, ``PRORULE``, ``NOTICE``).
    types: list[str] = ["PRESDOCU"]
    presidential_document_types: list[str] = ["executive_order"]


FIELDS = [
    "title",
    "type",
    "subtype",
    "abstract",
    "document_number",
    "html_url",
    "pdf_url",
    "publication_date",
    "signing_date",
    "executive_order_number",
    "president",
    "citation",
    "disposition_notes",
]


def query_url(source: Source) -> str:
    params: Params = source.params
    query: list[tuple[str, str]] = [
        ("conditions[term]", params.term),
        ("order", "newest"),
        ("per_page", str(params.per_page)),
    ]
    query += [("conditions[type][]", value) for value in params.types]
    query += [
        ("conditions[presidential_document_type][]", value)
        for value in params.presidential_document_types
    ]
    query += [("fields[]", name) for name in FIELDS]
    return f"{source.url}?{urlencode(query)}"


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    url: str | None = query_url(source)
    max_pages = min(source.params.max_pages, ctx.client.limits.max_pages)
    documents: list[dict[str, Any]] = []
    first = True
    for _ in range(max_pages):
        if url is None:
            break
        # Only the first page is revalidated: later pages move as documents are added.
        response = await ctx.fetch(result, url, JSON_TYPES, conditional=first)
        if response is None:
            return
        first = False
        try:
            payload = json.loads(response.body)
        except ValueError as exc:
            raise SourceError(f"{url}: invalid JSON ({exc})") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("results", []), list):
            raise SourceError(f"{url}: not a Federal Register documents answer")
        documents.extend(d for d in payload.get("results", []) if isinstance(d, dict))
        link = payload.get("next_page_url")
        url = next_page(link if isinstance(link, str) else None, source.url)
    result.items = len(documents)
    for document in documents:
        candidate = _candidate(source, ctx, result, document)
        if candidate is not None:
            result.candidates.append(candidate)


def _candidate(
    source: Source, ctx: Context, result: SourceResult, document: dict[str, Any]
) -> Candidate | None:
    title = plain(document.get("title"))
    html_url = web_url(document.get("html_url"))
    published = document.get("publication_date")
    if not title or not html_url or not isinstance(published, str):
        result.drop(title or "(untitled)", "missing title, html_url or publication_date")
        return None
    abstract = plain(document.get("abstract"), 600)
    if not matches(source.keywords, title, abstract):
        result.drop(title, "not relevant (no keyword)")
        return None
    signed = document.get("signing_date") if isinstance(document.get("signing_date"), str) else None
    number = document.get("executive_order_number")
    number_text = str(number) if isinstance(number, int | str) and str(number).isdigit() else None
    full_title = f"Executive Order {number_text}: {title}" if number_text else title
    doc_number = str(document.get("document_number") or "")
    summary = abstract or (
        f"{title}, signed {signed}, published in the Federal Register on {published}"
        f"{f' as document {doc_number}' if doc_number else ''}."
        if signed
        else f"{title}, published in the Federal Register on {published}."
    )
    defaults = source.defaults
    data: dict[str, Any] = {
        "id": f"us-eo-{number_text}" if number_text else slugify(title)[:80].rstrip("-"),
        "kind": "policy",
        "title": full_title,
        "date": signed or published,
        "summary": summary,
        "jurisdiction": defaults.get("jurisdiction", "US"),
        "issuer": defaults.get("issuer", "white-house"),
        "instrument": defaults.get("instrument", "executive-order"),
        "status": defaults.get("status", "in-force"),
        "document_number": number_text,
        "dates": {k: v for k, v in (("signed", signed), ("published", published)) if v},
        "open_source_stance": "not-addressed",
        "sources": [
            {
                "url": html_url,
                "title": title,
                "publisher": "Federal Register",
                "published": published,
            }
        ],
        "tags": defaults.get("tags", []),
        "added": ctx.today.isoformat(),
    }
    candidate = Candidate(source.id, data)
    if doc_number:
        candidate.keys.add("fr:" + doc_number)
    return candidate
