"""A listing page of a government site that has no feed or API (a ministry's documents or press
page), read with CSS selectors from the registry: each item's title, link and date become a
policy candidate. A page whose selectors find nothing is reported as a failure (its layout
changed), never as "nothing new"."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urljoin

import lxml.html
from cssselect import GenericTranslator, SelectorError
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from collectors.candidates import SourceResult, plain, web_url
from collectors.context import HTML_TYPES, Context, SourceError
from collectors.sources.policy import Document, PolicyParams, Reading, add_policy
from schemas.records import Text

if TYPE_CHECKING:
    from collectors.registry import Source


def _selector(value: str) -> str:
    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise PydanticCustomError(
            "css_selector",
            "{value} is not a CSS selector ({why})",
            {"value": repr(value), "why": str(exc)},
        ) from None
    return value


def _date_format(value: str) -> str:
    if "%Y" not in value and "%y" not in value:
        raise PydanticCustomError(
            "date_format", "{value} has no year (%Y or %y)", {"value": repr(value)}
        )
    return value


Selector = Annotated[str, AfterValidator(_selector)]


class Params(PolicyParams):
    """``params`` of an html-list source: CSS selectors, relative to each item but ``item``."""

    #: One element per listed document.
    item: Selector
    #: The link to the document (its ``href``).
    link: Selector = "a"
    #: The title (the link's text when not given).
    title: Selector | None = None
    #: The element holding the date.
    date: Selector
    #: Read the date from this attribute (``datetime`` of a ``<time>``) instead of the text.
    date_attribute: str | None = None
    #: How the date is written, as for ``strftime`` (``%d/%m/%Y``, ``%B %d, %Y``); without
    #: ``%d`` the date is known to the month, without ``%m``/``%b``/``%B`` to the year.
    date_format: Annotated[str, AfterValidator(_date_format)]
    #: An element holding the item's official abstract, if the listing shows one.
    summary: Selector | None = None
    #: The page's encoding when neither the HTTP header nor the page declares it.
    encoding: Annotated[str, Field(min_length=1)] = "utf-8"
    #: Who publishes the page, as cited in the candidates ("Ministry of ...").
    publisher: Text | None = None


#: strftime directives -> the text they match.
_DIRECTIVES = {
    "%d": r"\d{1,2}",
    "%m": r"\d{1,2}",
    "%Y": r"\d{4}",
    "%y": r"\d{2}",
    "%b": r"[^\W\d_]{3,4}\.?",
    "%B": r"[^\W\d_]+",
    "%H": r"\d{1,2}",
    "%M": r"\d{2}",
    "%S": r"\d{2}",
    "%%": "%",
}
_DIRECTIVE = re.compile(r"%.")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def date_pattern(date_format: str) -> re.Pattern[str]:
    """A pattern finding text written in ``date_format`` inside a longer text."""
    parts: list[str] = []
    position = 0
    for match in _DIRECTIVE.finditer(date_format):
        parts.append(re.escape(date_format[position : match.start()]).replace(r"\ ", r"\s+"))
        parts.append(_DIRECTIVES.get(match.group(), r"\S+"))
        position = match.end()
    parts.append(re.escape(date_format[position:]).replace(r"\ ", r"\s+"))
    return re.compile("".join(parts))


def parse_date(text: str, date_format: str) -> str | None:
    """The partial ISO date of ``text`` written as ``date_format`` (day, month or year as
    precise as the format), or None."""
    found = date_pattern(date_format).search(text)
    if found is None:
        return None
    value = " ".join(found.group().split())
    try:
        moment = dt.datetime.strptime(value, " ".join(date_format.split()))
    except ValueError:
        return None
    if "%d" in date_format or "%j" in date_format:
        return moment.date().isoformat()
    if any(d in date_format for d in ("%m", "%b", "%B")):
        return moment.strftime("%Y-%m")
    return moment.strftime("%Y")


def decode(body: bytes, header_charset: str | None, default: str) -> str:
    """The page as text: the HTTP header's charset, else the page's own ``<meta>``, else the
    registry's encoding; undecodable bytes are replaced, never fatal."""
    declared = _CHARSET.search(body[:4096])
    for name in (header_charset, declared.group(1).decode("ascii") if declared else None, default):
        if not name:
            continue
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        return body.decode(name, errors="replace")
    return body.decode("utf-8", errors="replace")


def _text(element: Any) -> str:
    return plain(element.text_content()) if element is not None else ""


def _first(item: Any, selector: str | None) -> Any:
    if selector is None:
        return None
    found = item.cssselect(selector)
    return found[0] if found else None


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    params: Params = source.params
    response = await ctx.fetch(result, source.url, HTML_TYPES)
    if response is None:
        return
    charset = _header_charset(response.headers.get("content-type", ""))
    text = _XML_DECLARATION.sub("", decode(response.body, charset, params.encoding))
    try:
        page = lxml.html.document_fromstring(text or "<html></html>")
    except (ValueError, lxml.etree.ParserError) as exc:
        raise SourceError(f"{source.url}: not an HTML page ({exc})") from None
    items = page.cssselect(params.item)
    result.items = len(items)
    if not items:
        raise SourceError(
            f"{source.url}: the item selector {params.item!r} matched nothing: "
            "the page's layout may have changed"
        )
    documents = [_read(source, result, item, response.url) for item in items]
    found = [doc for doc in documents if doc is not None]
    if not found:
        raise SourceError(
            f"{source.url}: none of {len(items)} items had a title, link and date: "
            "the page's layout may have changed"
        )
    reading = Reading(source, result)
    for doc in found:
        if reading.admit(doc.title, doc.abstract):
            add_policy(source, ctx, result, doc)


def _header_charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _read(source: Source, result: SourceResult, item: Any, page_url: str) -> Document | None:
    params: Params = source.params
    link_element = item if item.tag == "a" and params.link == "a" else _first(item, params.link)
    href = link_element.get("href") if link_element is not None else None
    title = _text(_first(item, params.title)) if params.title else _text(link_element)
    title = title[:300]
    if not title:
        result.drop("(untitled)", "an item without a title")
        return None
    url = web_url(urljoin(page_url, href.strip())) if href else None
    if url is None:
        result.drop(title, f"no http(s) link ({href!r})")
        return None
    date_element = _first(item, params.date)
    raw_date = ""
    if date_element is not None:
        raw_date = (
            date_element.get(params.date_attribute) or ""
            if params.date_attribute
            else date_element.text_content()
        )
    day = parse_date(raw_date, params.date_format)
    if day is None:
        result.drop(title, f"no date written as {params.date_format!r} ({plain(raw_date)[:40]!r})")
        return None
    abstract = _text(_first(item, params.summary))[:1000] if params.summary else ""
    publisher = params.publisher or str(source.defaults.get("publisher") or "") or source.id
    return Document(
        title=title,
        url=url,
        publisher=publisher,
        dates={"published": day},
        abstract=abstract,
    )
