"""EU law and proposals on artificial intelligence, from the Publications Office's SPARQL
endpoint (Cellar): CELEX number, type of act, English title and typed dates (document,
signature, entry into force), as policy candidates citing EUR-Lex."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from collectors.candidates import SourceResult, plain
from collectors.context import JSON_TYPES, Context, SourceError
from collectors.sources.policy import (
    Document,
    PolicyParams,
    Reading,
    add_policy,
    instrument_from_title,
)
from schemas.records import Url

if TYPE_CHECKING:
    from collectors.registry import Source

RESOURCE_TYPES = "http://publications.europa.eu/resource/authority/resource-type/"
SPARQL_TYPES = ("application/sparql-results+json", *JSON_TYPES)

#: The query: English titles of acts and proposals about artificial intelligence (EuroVoc
#: concept 3030) dated from ``{since}``, newest first. ``{types}``, ``{since}``, ``{limit}``
#: and ``{offset}`` are filled in for each page. The variables are the ones the parser reads.
QUERY = """PREFIX cdm: <http://publications.europa.eu/ontology/cdm#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT DISTINCT ?work ?type ?celex ?date ?datesign ?dateforce ?title WHERE {{
  ?work cdm:work_has_resource-type ?type .
  FILTER(?type IN ({types}))
  FILTER NOT EXISTS {{ ?work cdm:work_has_resource-type <{corrigendum}> }}
  ?work cdm:work_is_about_concept_eurovoc <http://eurovoc.europa.eu/3030> .
  ?work cdm:resource_legal_id_celex ?celex .
  ?work cdm:work_date_document ?date .
  FILTER(?date >= "{since}"^^xsd:date)
  OPTIONAL {{ ?work cdm:resource_legal_date_signature ?datesign . }}
  OPTIONAL {{ ?work cdm:resource_legal_date_entry-into-force ?dateforce . }}
  ?expression cdm:expression_belongs_to_work ?work ;
    cdm:expression_title ?title ;
    cdm:expression_uses_language <http://publications.europa.eu/resource/authority/language/ENG> .
}} ORDER BY DESC(?date) ?work LIMIT {limit} OFFSET {offset}"""


class Kind(BaseModel):
    """What an EU resource type becomes."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    instrument: str
    #: Which typed date the document's own date is.
    document_date: str
    proposal: bool = False


#: EU resource types read, and what each becomes.
KINDS: dict[str, Kind] = {
    "REG": Kind(instrument="law", document_date="adopted"),
    "DIR": Kind(instrument="law", document_date="adopted"),
    "DEC": Kind(instrument="regulation", document_date="adopted"),
    "REG_IMPL": Kind(instrument="regulation", document_date="adopted"),
    "REG_DEL": Kind(instrument="regulation", document_date="adopted"),
    "DIR_IMPL": Kind(instrument="regulation", document_date="adopted"),
    "DIR_DEL": Kind(instrument="regulation", document_date="adopted"),
    "DEC_IMPL": Kind(instrument="regulation", document_date="adopted"),
    "DEC_DEL": Kind(instrument="regulation", document_date="adopted"),
    "RECO": Kind(instrument="guidance", document_date="adopted"),
    "PROP_REG": Kind(instrument="bill", document_date="introduced", proposal=True),
    "PROP_DIR": Kind(instrument="bill", document_date="introduced", proposal=True),
    "PROP_DEC": Kind(instrument="bill", document_date="introduced", proposal=True),
    "COMMUNIC": Kind(instrument="strategy", document_date="published"),
}


class Params(PolicyParams):
    """``params`` of an eur-lex source (its ``url`` is the SPARQL endpoint)."""

    #: Resource types asked for (keys of the table above).
    types: list[str] = Field(default_factory=lambda: list(KINDS))
    #: Documents dated at most this many days ago.
    since_days: Annotated[int, Field(ge=1, le=3650)] = 365
    #: Rows per page (a document has one row per entry-into-force date) and pages per run.
    limit: Annotated[int, Field(ge=1, le=1000)] = 200
    max_pages: Annotated[int, Field(ge=1)] = 3
    #: Where the documents' pages live (candidates cite
    #: ``<site>/legal-content/EN/TXT/?uri=CELEX:...``).
    site: Url = "https://eur-lex.europa.eu"


_CELEX = re.compile(r"^([0-9E])(\d{4})([A-Z]{1,2})(\d{4})")
#: Who adopted an act, from its official title.
_AUTHORS = (
    ("of the european parliament and of the council", "European Parliament"),
    ("council regulation", "Council of the European Union"),
    ("council decision", "Council of the European Union"),
    ("council directive", "Council of the European Union"),
    ("council recommendation", "Council of the European Union"),
)


def document_number(celex: str) -> str:
    """``32024R1689`` -> ``2024/1689``; ``52021PC0206`` -> ``COM(2021) 206``."""
    match = _CELEX.match(celex)
    if not match:
        return celex
    sector, year, letters, number = match.groups()
    if sector == "5" and letters in ("PC", "DC"):
        return f"COM({year}) {int(number)}"
    if sector == "3" and letters in ("R", "L", "D", "H"):
        return f"{year}/{int(number)}"
    return celex


#: The query's variables, and other names a query of the same shape may give them.
VARIABLES = {
    "celex": ("celex",),
    "title": ("title",),
    "type": ("type", "resource_type"),
    "date": ("date", "date_document", "datedoc"),
    "datesign": ("datesign", "date_signature", "signature"),
    "dateforce": ("dateforce", "date_force", "entry_into_force", "inforce"),
}


def _value(binding: dict[str, Any], name: str) -> str | None:
    for variable in VARIABLES[name]:
        cell = binding.get(variable)
        value = cell.get("value") if isinstance(cell, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _day(value: str | None) -> str | None:
    if value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return None


def query_url(source: Source, today: dt.date, offset: int) -> str:
    params: Params = source.params
    types = ", ".join(f"<{RESOURCE_TYPES}{name}>" for name in params.types)
    since = today - dt.timedelta(days=params.since_days)
    query = QUERY.format(
        types=types,
        corrigendum=f"{RESOURCE_TYPES}CORRIGENDUM",
        since=since.isoformat(),
        limit=params.limit,
        offset=offset,
    )
    return f"{source.url}?{urlencode({'query': query, 'format': SPARQL_TYPES[0]})}"


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    params: Params = source.params
    rows: list[dict[str, Any]] = []
    for page in range(min(params.max_pages, ctx.client.limits.max_pages)):
        url = query_url(source, ctx.today, page * params.limit)
        response = await ctx.fetch(result, url, SPARQL_TYPES, conditional=page == 0)
        if response is None:
            return
        try:
            payload = json.loads(response.body)
            bindings = payload["results"]["bindings"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(f"{source.url}: not a SPARQL JSON result ({exc!r:.80})") from None
        if not isinstance(bindings, list):
            raise SourceError(f"{source.url}: not a SPARQL JSON result (bindings)")
        rows.extend(row for row in bindings if isinstance(row, dict))
        if len(bindings) < params.limit:
            break  # the last page
    works = _works(rows)
    result.items = len(works)
    reading = Reading(source, result)
    for celex, work in works.items():
        if reading.admit(work["title"]):
            _document(source, ctx, result, celex, work)


def _works(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One entry per CELEX number (a document has a row per entry-into-force date and per
    resource type), in the order of the answer."""
    works: dict[str, dict[str, Any]] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        celex, title = _value(row, "celex"), plain(_value(row, "title"), 600)
        if not celex or not title:
            continue
        work = works.setdefault(
            celex, {"title": title, "date": None, "signed": None, "in_force": set()}
        )
        work["date"] = work["date"] or _day(_value(row, "date"))
        work["signed"] = work["signed"] or _day(_value(row, "datesign"))
        force = _day(_value(row, "dateforce"))
        if force:
            work["in_force"].add(force)
        kind = (_value(row, "type") or "").rsplit("/", 1)[-1]
        if kind:
            types[celex].add(kind)
    for celex, work in works.items():
        known = [name for name in KINDS if name in types[celex]]
        work["type"] = known[0] if known else None
    return works


def _document(
    source: Source, ctx: Context, result: SourceResult, celex: str, work: dict[str, Any]
) -> None:
    params: Params = source.params
    title = work["title"]
    kind = KINDS.get(work["type"] or "")
    if kind is None or work["date"] is None:
        result.drop(title, f"{celex}: no known type of act or no date of the document")
        return
    dates = {kind.document_date: work["date"]}
    if work["signed"]:
        dates["signed"] = work["signed"]
    effective = min(work["in_force"]) if work["in_force"] else None
    if effective and not kind.proposal:
        dates["effective"] = effective
    instrument = kind.instrument
    if kind.instrument == "strategy":
        instrument = instrument_from_title(title) or instrument
    if kind.proposal:
        status = "proposed"
    elif effective and effective <= ctx.today.isoformat():
        status = "in-force"
    else:
        status = "adopted"
    lowered = title.casefold()
    issuer = "European Commission"
    if not kind.proposal:
        issuer = next((who for words, who in _AUTHORS if words in lowered), issuer)
    add_policy(
        source,
        ctx,
        result,
        Document(
            title=title,
            url=f"{params.site.rstrip('/')}/legal-content/EN/TXT/?uri=CELEX:{celex}",
            publisher="EUR-Lex",
            dates=dates,
            document_number=document_number(celex),
            instrument=instrument,
            status=status,
            issuer=issuer,
            record_id=f"eu-celex-{celex.lower()}",
            keys={f"celex:{celex.upper()}"},
        ),
    )
