"""Congress.gov API (v3): federal bills most recently updated, kept when their title matches the
keywords, each read in detail for its introduction date and any law it became. Needs an API
key in the environment; without one the source is skipped with a message, not failed."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlencode

from pydantic import BaseModel, Field

from collectors.candidates import SourceResult, plain, web_url
from collectors.context import JSON_TYPES, Context, SourceError, SourceSkipped, next_page
from collectors.sources.policy import Document, PolicyParams, Reading, add_policy
from schemas.records import Url

if TYPE_CHECKING:
    from collectors.registry import Source


class Params(PolicyParams):
    """``params`` of a congress source (its ``url`` is the API's ``/v3/bill``)."""

    #: The environment variable holding the API key (sent as a header, never in a URL).
    api_key_env: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")] = "CONGRESS_API_KEY"
    #: Bills per page (the API allows 250).
    limit: Annotated[int, Field(ge=1, le=250)] = 250
    max_pages: Annotated[int, Field(ge=1)] = 2
    #: Where the bills' own pages live (candidates cite them).
    site: Url = "https://www.congress.gov"


class BillType(BaseModel):
    """How Congress.gov names one type of bill: in citations and in its page addresses."""

    citation: str
    path: str


BILL_TYPES = {
    "HR": BillType(citation="H.R.", path="house-bill"),
    "S": BillType(citation="S.", path="senate-bill"),
    "HJRES": BillType(citation="H.J.Res.", path="house-joint-resolution"),
    "SJRES": BillType(citation="S.J.Res.", path="senate-joint-resolution"),
    "HCONRES": BillType(citation="H.Con.Res.", path="house-concurrent-resolution"),
    "SCONRES": BillType(citation="S.Con.Res.", path="senate-concurrent-resolution"),
    "HRES": BillType(citation="H.Res.", path="house-resolution"),
    "SRES": BillType(citation="S.Res.", path="senate-resolution"),
}


def ordinal(number: int) -> str:
    """``119`` -> ``119th``, ``111`` -> ``111th``, ``102`` -> ``102nd``."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _unspaced(link: str) -> str:
    """The API's ``pagination.next`` may hold a raw space (``sort=updateDate desc``)."""
    return quote(link, safe=":/?&=%+,;@")


def _json(body: bytes, url: str) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise SourceError(f"{url}: invalid JSON ({exc})") from None
    if not isinstance(payload, dict):
        raise SourceError(f"{url}: not a Congress.gov answer")
    return payload


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    params: Params = source.params
    key = os.environ.get(params.api_key_env, "").strip()
    if not key:
        raise SourceSkipped(
            f"no API key: set {params.api_key_env} to read Congress.gov (keys are free)"
        )
    headers = {"X-Api-Key": key}
    query = urlencode({"format": "json", "sort": "updateDate desc", "limit": params.limit})
    url: str | None = f"{source.url}?{query}"
    bills: list[dict[str, Any]] = []
    first = True
    for _ in range(min(params.max_pages, ctx.client.limits.max_pages)):
        if url is None:
            break
        response = await ctx.fetch(result, url, JSON_TYPES, conditional=first, headers=headers)
        if response is None:
            return
        first = False
        payload = _json(response.body, url)
        page = payload.get("bills")
        if not isinstance(page, list):
            raise SourceError(f"{url}: no list of bills")
        bills.extend(bill for bill in page if isinstance(bill, dict))
        pagination = payload.get("pagination")
        link = pagination.get("next") if isinstance(pagination, dict) else None
        url = next_page(_unspaced(link), source.url) if isinstance(link, str) else None
    result.items = len(bills)
    reading = Reading(source, result)
    for bill in bills:
        number, kind, congress = bill.get("number"), bill.get("type"), bill.get("congress")
        title = plain(bill.get("title"), 300) or "(untitled)"
        if not (isinstance(number, str | int) and isinstance(congress, int)):
            result.drop(title, "no congress or number")
            continue
        bill_type = BILL_TYPES.get(str(kind).upper())
        if bill_type is None:
            result.drop(title, f"unknown bill type {kind!r}")
            continue
        if not reading.admit(title):
            continue
        detail_url = f"{source.url.rstrip('/')}/{congress}/{str(kind).lower()}/{number}?format=json"
        try:
            answer = await ctx.fetch(
                result, detail_url, JSON_TYPES, conditional=False, headers=headers
            )
        except SourceError as exc:
            result.drop(title, str(exc))
            continue
        detail = _json(answer.body, detail_url).get("bill") if answer else None
        _bill(source, ctx, result, bill, detail if isinstance(detail, dict) else {}, bill_type)


def _bill(
    source: Source,
    ctx: Context,
    result: SourceResult,
    bill: dict[str, Any],
    detail: dict[str, Any],
    bill_type: BillType,
) -> None:
    params: Params = source.params
    congress, number, kind = bill["congress"], str(bill["number"]), str(bill["type"]).upper()
    title = plain(detail.get("title") or bill.get("title"), 300)
    citation = f"{bill_type.citation} {number}"
    introduced = detail.get("introducedDate")
    dates: dict[str, str] = {}
    if isinstance(introduced, str) and len(introduced) >= 10:
        dates["introduced"] = introduced[:10]
    action = detail.get("latestAction") or bill.get("latestAction") or {}
    action_text = plain(action.get("text"), 400) if isinstance(action, dict) else ""
    action_date = action.get("actionDate") if isinstance(action, dict) else None
    laws = detail.get("laws") if isinstance(detail.get("laws"), list) else []
    instrument, status = "bill", "proposed"
    if laws or action_text.startswith("Became Public Law"):
        instrument, status = "law", "in-force"
        if isinstance(action_date, str) and action_text.startswith("Became Public Law"):
            dates["signed"] = action_date[:10]
    elif "vetoed" in action_text.lower():
        status = "vetoed"
    if not dates:
        result.drop(title, "no introduction date in the bill's detail")
        return
    latest = f" Latest action ({action_date}): {action_text}" if action_text and action_date else ""
    abstract = (
        f"{citation}, a bill of the {ordinal(congress)} Congress introduced on "
        f"{dates.get('introduced', 'an unknown date')}: {title}.{latest}"
    )
    # The bill's page on Congress.gov: as the detail gives it, else as the site builds it.
    page = web_url(detail.get("legislationUrl")) or (
        f"{params.site.rstrip('/')}/bill/{ordinal(congress)}-congress/{bill_type.path}/{number}"
    )
    add_policy(
        source,
        ctx,
        result,
        Document(
            title=f"{citation} ({ordinal(congress)} Congress): {title}",
            url=page,
            publisher="Congress.gov",
            dates=dates,
            abstract=abstract,
            document_number=citation,
            instrument=instrument,
            status=status,
            record_id=f"us-{kind.lower()}-{number}-{congress}",
            keys={f"congress:{congress}-{kind.lower()}-{number}"},
        ),
    )
