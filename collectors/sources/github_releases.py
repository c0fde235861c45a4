"""GitHub releases Atom (``/OWNER/REPO/releases.atom``) of chosen model repositories.

The feed has about the last ten releases, no ``<published>`` and no order to rely on; entries
are dated by ``<updated>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from collectors.candidates import SourceResult, plain
from collectors.context import FEED_TYPES, Context
from collectors.sources.feed import news_candidate, parse_feed

if TYPE_CHECKING:
    from collectors.registry import Source


class Params(BaseModel):
    """A github-releases source takes no ``params``: its URL says everything."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    response = await ctx.fetch(result, source.url, FEED_TYPES)
    if response is None:
        return
    parsed = parse_feed(response.body, source.url)
    path = urlsplit(source.url).path.strip("/").split("/")
    repository = "/".join(path[:2]) if len(path) >= 2 else source.id
    result.items = len(parsed.entries)
    for entry in sorted(parsed.entries, key=lambda e: str(e.get("id", ""))):
        release = plain(entry.get("title"), 200)
        if not release:
            result.drop("(untitled)", "release without a title")
            continue
        title = f"{repository} release {release}"
        candidate = news_candidate(
            source, ctx, result, entry, title, str(source.defaults.get("publisher", "GitHub"))
        )
        if candidate is not None:
            result.candidates.append(candidate)
