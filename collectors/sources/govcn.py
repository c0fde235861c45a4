"""www.gov.cn policy library (国务院政策文件库): the JSON search interface behind it, by keyword,
newest first; State Council and department documents with their issuing body, document
number and publication date become policy candidates."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from pydantic import Field

from collectors.candidates import SourceResult, plain, web_url
from collectors.context import JSON_TYPES, Context, SourceError
from collectors.sources.policy import Document, PolicyParams, Reading, add_policy

if TYPE_CHECKING:
    from collectors.registry import Source

#: The library's answer when nothing matches.
NO_MATCH = 1001
#: China Standard Time, for dates given as epoch milliseconds.
CHINA = dt.timezone(dt.timedelta(hours=8))


class Params(PolicyParams):
    """``params`` of a govcn source (its ``url`` is the search interface)."""

    #: The search term (in the titles).
    query: Annotated[str, Field(min_length=1)] = "人工智能"
    #: The library searched: ``zhengcelibrary`` (every category, grouped) or one category
    #: (``zhengcelibrary_gw`` State Council, ``_bm`` departments, ``_gb`` gazette).
    library: Annotated[str, Field(pattern=r"^zhengcelibrary(_[a-z_]+)?$")] = "zhengcelibrary"
    #: Categories of a grouped answer that are read (``gongwen`` State Council documents,
    #: ``bumenfile`` department documents, ``gongbao`` gazette, ``otherfile`` interpretations).
    categories: list[str] = Field(default_factory=lambda: ["gongwen", "bumenfile"])
    per_page: Annotated[int, Field(ge=1, le=100)] = 20
    max_pages: Annotated[int, Field(ge=1)] = 2


#: Words of a Chinese title that name the instrument, most specific first.
TITLE_INSTRUMENTS = (
    ("行动计划", "action-plan"),
    ("行动方案", "action-plan"),
    ("实施方案", "action-plan"),
    ("规划", "strategy"),
    ("意见", "strategy"),
    ("条例", "regulation"),
    ("办法", "regulation"),
    ("规定", "regulation"),
    ("细则", "regulation"),
    ("指南", "guidance"),
    ("指引", "guidance"),
    ("框架", "guidance"),
    ("标准", "standard"),
)
_CONTENT_ID = re.compile(r"content_(\d+)\.htm")
_GOVCN_DATE = re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$")


def _query_url(source: Source, page: int) -> str:
    params: Params = source.params
    query = {
        "t": params.library,
        "q": params.query,
        "timetype": "timeqb",
        "sort": "pubtime",
        "sortType": "1",
        "searchfield": "title",
        "p": str(page),
        "n": str(params.per_page),
    }
    return f"{source.url}?{urlencode(query)}"


def _items(payload: dict[str, Any], categories: list[str]) -> tuple[list[dict[str, Any]], int]:
    """The items of one answer, grouped (``catMap``) or flat (``listVO``), and the number of
    pages when the answer says (0 when it does not)."""
    if "searchVO" not in payload:
        raise SourceError("no searchVO in the answer")
    search = payload["searchVO"]
    if not isinstance(search, dict):
        return [], 0
    found: list[Any] = []
    groups = search.get("catMap")
    if isinstance(groups, dict):
        for name in categories:
            group = groups.get(name)
            listed = group.get("listVO") if isinstance(group, dict) else None
            found.extend(listed if isinstance(listed, list) else [])
    elif isinstance(search.get("listVO"), list):
        found = search["listVO"]
    elif "listVO" not in search and "catMap" not in search:
        raise SourceError("no catMap and no listVO in searchVO")
    pages = search.get("totalpage")
    return [item for item in found if isinstance(item, dict)], pages if isinstance(
        pages, int
    ) else 0


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    params: Params = source.params
    items: list[dict[str, Any]] = []
    for page in range(1, min(params.max_pages, ctx.client.limits.max_pages) + 1):
        url = _query_url(source, page)
        response = await ctx.fetch(result, url, JSON_TYPES, conditional=page == 1)
        if response is None:
            return
        try:
            payload = json.loads(response.body)
        except ValueError as exc:
            raise SourceError(f"{url}: invalid JSON ({exc})") from None
        if not isinstance(payload, dict):
            raise SourceError(f"{url}: not an answer of the policy library")
        if payload.get("code") == NO_MATCH:
            break  # nothing (more) matches
        if payload.get("code") not in (200, "200"):
            raise SourceError(f"{url}: the library answered code {payload.get('code')!r}")
        try:
            found, pages = _items(payload, params.categories)
        except SourceError as exc:
            raise SourceError(f"{url}: {exc}") from None
        items.extend(found)
        if not found or (pages and page >= pages):
            break  # past the last page
    documents = _unique(items)
    result.items = len(documents)
    reading = Reading(source, result)
    for item in documents:
        title = plain(item.get("title"), 300) or "(untitled)"
        if reading.admit(title, plain(item.get("summary"), 600)):
            _document(source, ctx, result, item, title)


def _unique(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per document: a document may be listed in two categories."""
    seen: set[str] = set()
    kept = []
    for item in items:
        key = str(item.get("url") or item.get("id") or item.get("title"))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def published(item: dict[str, Any]) -> str | None:
    """The publication day: ``pubtimeStr`` (``2025.08.26``), else ``pubtime`` in epoch
    milliseconds (China time); 0 and null mean unknown."""
    text = item.get("pubtimeStr")
    match = _GOVCN_DATE.match(text.strip()) if isinstance(text, str) else None
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    stamp = item.get("pubtime")
    if isinstance(stamp, int | float) and stamp > 0:
        try:
            return dt.datetime.fromtimestamp(stamp / 1000, CHINA).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None  # not a time a calendar holds
    return None


def _instrument(title: str) -> str | None:
    return next((value for words, value in TITLE_INSTRUMENTS if words in title), None)


def _document(
    source: Source, ctx: Context, result: SourceResult, item: dict[str, Any], title: str
) -> None:
    url = web_url(item.get("url"))
    if url is None:
        result.drop(title, f"no http(s) link ({item.get('url')!r})")
        return
    day = published(item)
    if day is None:
        result.drop(title, "no publication date (pubtimeStr, pubtime)")
        return
    # Several issuing bodies are separated by spaces: the first leads.
    issuers = plain(item.get("puborg")).split()
    number = plain(item.get("pcode")) or None
    summary = plain(item.get("summary"), 1000)
    content = _CONTENT_ID.search(url)
    local = content.group(1) if content else hashlib.sha256(url.encode()).hexdigest()[:10]
    add_policy(
        source,
        ctx,
        result,
        Document(
            title=title,
            url=url,
            publisher="www.gov.cn",
            dates={"published": day},
            issuer=issuers[0] if issuers else "",
            abstract=summary if summary and summary != title else "",
            document_number=number,
            instrument=_instrument(title),
            record_id=f"cn-govcn-{local}",
        ),
    )
