"""GOV.UK: an organisation's Atom feed finds new documents; the Content API gives each one's
type, first-published date, organisations and official description. Policy papers, guidance,
consultations and reports become policy candidates; news, speeches and the rest are left
out. (GOV.UK's search pages are closed to robots; the feeds and the Content API are not.)"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from collectors.candidates import SourceResult, plain, web_url
from collectors.context import FEED_TYPES, JSON_TYPES, Context, SourceError
from collectors.sources.feed import parse_feed
from collectors.sources.policy import (
    Document,
    PolicyParams,
    Reading,
    add_policy,
    instrument_from_title,
)
from schemas.records import Instrument, Status, Url

if TYPE_CHECKING:
    from collectors.registry import Source


class Kind(BaseModel):
    """What a GOV.UK document type becomes."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    instrument: Instrument
    status: Status


#: GOV.UK ``document_type`` values read as policy, and what each becomes. A title may name
#: the instrument more exactly ("... Action Plan", "... Strategy").
DOCUMENT_TYPES: dict[str, Kind] = {
    "policy_paper": Kind(instrument="guidance", status="adopted"),
    "guidance": Kind(instrument="guidance", status="adopted"),
    "detailed_guide": Kind(instrument="guidance", status="adopted"),
    "statutory_guidance": Kind(instrument="guidance", status="adopted"),
    "open_consultation": Kind(instrument="report", status="proposed"),
    "closed_consultation": Kind(instrument="report", status="proposed"),
    "consultation_outcome": Kind(instrument="report", status="adopted"),
    "independent_report": Kind(instrument="report", status="adopted"),
    "research": Kind(instrument="report", status="adopted"),
}


class Params(PolicyParams):
    """``params`` of a govuk source (its ``url`` is an organisation's ``.atom`` feed)."""

    #: Where the Content API answers; by default ``/api/content`` on the feed's own host.
    content_api: Url | None = None
    #: The document types read as policy (the defaults above when not given).
    document_types: dict[str, Kind] = DOCUMENT_TYPES


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _day(value: Any) -> str | None:
    """The calendar day of a GOV.UK timestamp (``2025-01-13T09:30:00.000+00:00``)."""
    if isinstance(value, str) and _DAY.match(value):
        return value[:10]
    return None


def _content_url(source: Source, link: str) -> str:
    params: Params = source.params
    feed = urlsplit(source.url)
    base = params.content_api or f"{feed.scheme}://{feed.netloc}/api/content"
    return base.rstrip("/") + urlsplit(link).path


def _instrument(document_type: str, title: str, kind: Kind) -> str:
    """A policy paper's title often names what it is ("... Action Plan", "... Strategy")."""
    hinted = instrument_from_title(title) if document_type == "policy_paper" else None
    return hinted or kind.instrument


def _organisation(item: dict[str, Any]) -> tuple[str, str | None]:
    """The publishing organisation's name and page: the primary one, else the first named."""
    links = item.get("links") if isinstance(item.get("links"), dict) else {}
    for key in ("primary_publishing_organisation", "organisations"):
        entries = links.get(key) if isinstance(links, dict) else None
        if isinstance(entries, list):
            for entry in entries:
                if isinstance(entry, dict) and plain(entry.get("title")):
                    return plain(entry.get("title")), web_url(entry.get("web_url"))
    return "", None


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    response = await ctx.fetch(result, source.url, FEED_TYPES)
    if response is None:
        return
    parsed = parse_feed(response.body, source.url)
    result.items = len(parsed.entries)
    reading = Reading(source, result)
    for entry in parsed.entries:
        title = plain(entry.get("title"), 300) or "(untitled)"
        link = web_url(entry.get("link"))
        if link is None:
            result.drop(title, f"no http(s) link ({entry.get('link')!r})")
            continue
        if not reading.admit(title, plain(entry.get("summary"), 600)):
            continue
        url = _content_url(source, link)
        try:
            answer = await ctx.fetch(result, url, JSON_TYPES, conditional=False)
        except SourceError as exc:
            # One withdrawn or unreadable document leaves the others to read.
            result.drop(title, str(exc))
            continue
        if answer is None:
            continue
        try:
            item = json.loads(answer.body)
        except ValueError as exc:
            result.drop(title, f"{url}: invalid JSON ({exc})")
            continue
        if not isinstance(item, dict):
            result.drop(title, f"{url}: not a content item")
            continue
        _document(source, ctx, result, item, link, title)


def _document(
    source: Source,
    ctx: Context,
    result: SourceResult,
    item: dict[str, Any],
    link: str,
    feed_title: str,
) -> None:
    params: Params = source.params
    title = plain(item.get("title"), 300) or feed_title
    document_type = item.get("document_type")
    if not isinstance(document_type, str):
        document_type = ""
    kind = params.document_types.get(document_type)
    if kind is None:
        result.drop(title, f"document type {document_type or None!r} is not read as policy")
        return
    published = _day(item.get("first_published_at")) or _day(item.get("public_updated_at"))
    if published is None:
        result.drop(title, "no first_published_at date")
        return
    issuer, issuer_url = _organisation(item)
    details = item.get("details")
    details = details if isinstance(details, dict) else {}
    milestones = [
        (day, what)
        for key, what in (
            ("opening_date", "Consultation opens"),
            ("closing_date", "Consultation closes"),
        )
        if (day := _day(details.get(key)))
    ]
    content_id = item.get("content_id")
    keys = {f"govuk:{content_id}"} if isinstance(content_id, str) and content_id else set()
    add_policy(
        source,
        ctx,
        result,
        Document(
            title=title,
            url=link,
            publisher="GOV.UK",
            dates={"published": published},
            issuer=issuer,
            issuer_url=issuer_url,
            abstract=plain(item.get("description"), 1000),
            instrument=_instrument(document_type, title, kind),
            status=kind.status,
            keys=keys,
            milestones=milestones,
        ),
    )
