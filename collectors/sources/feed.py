"""RSS and Atom feeds: news candidates, kept when they match the source's keywords.

The body is fetched by the collectors' client and handed to feedparser as bytes; feedparser
never fetches anything itself.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import TYPE_CHECKING, Any

import feedparser
from pydantic import BaseModel, ConfigDict

from collectors.candidates import Candidate, SourceResult, plain, web_url
from collectors.context import FEED_TYPES, Context, SourceError, matches
from schemas.scaffold import slugify

if TYPE_CHECKING:
    from collectors.registry import Source


class Params(BaseModel):
    """A feed source takes no ``params``: its URL says everything."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


#: Problems feedparser reports that do not make a feed unreadable.
HARMLESS = (feedparser.CharacterEncodingOverride,)


def parse_feed(body: bytes, url: str) -> Any:
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=True, resolve_relative_uris=False)
    if parsed.bozo and not isinstance(parsed.get("bozo_exception"), HARMLESS):
        raise SourceError(f"{url}: malformed feed ({parsed.get('bozo_exception')})")
    return parsed


def entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def news_candidate(
    source: Source, ctx: Context, result: SourceResult, entry: Any, title: str, publisher: str
) -> Candidate | None:
    link = web_url(entry.get("link"))
    if link is None:
        result.drop(title or "(untitled)", f"no http(s) link ({entry.get('link')!r})")
        return None
    day = entry_date(entry)
    if day is None:
        result.drop(title, "no publication date")
        return None
    summary = plain(entry.get("summary"), 600) or title
    if not matches(source.keywords, title, summary):
        result.drop(title, "not relevant (no keyword)")
        return None
    data: dict[str, Any] = {
        "id": f"{slugify(title, 70)}-{day.year}",
        "kind": "news",
        "title": title,
        "date": day.isoformat(),
        "summary": summary,
        "publisher": publisher,
        "url": link,
        "about": source.defaults.get("about", []),
        "sources": [
            {"url": link, "title": title, "publisher": publisher, "published": day.isoformat()}
        ],
        "tags": source.defaults.get("tags", []),
        "added": ctx.today.isoformat(),
    }
    author = plain(entry.get("author"))
    if author:
        data["author"] = author
    candidate = Candidate(source.id, data)
    return candidate


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    response = await ctx.fetch(result, source.url, FEED_TYPES)
    if response is None:
        return
    parsed = parse_feed(response.body, source.url)
    publisher = str(source.defaults.get("publisher") or plain(parsed.feed.get("title")) or "")
    result.items = len(parsed.entries)
    for entry in parsed.entries:
        title = plain(entry.get("title"), 300)
        if not title:
            result.drop("(untitled)", "entry without a title")
            continue
        candidate = news_candidate(source, ctx, result, entry, title, publisher)
        if candidate is not None:
            result.candidates.append(candidate)
