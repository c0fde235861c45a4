"""What every source of policy candidates shares: the issuer as a record id (an unknown issuer
proposed as a new organization record, once per run), the instrument and status from the
registry, typed dates with their precision, and a summary that is the official abstract or,
where the source has none, a sentence made only of the document's own metadata."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from collectors.candidates import Candidate, SourceResult
from collectors.context import matches
from schemas.records import RecordId
from schemas.scaffold import slugify

if TYPE_CHECKING:
    from collectors.context import Context
    from collectors.registry import Source


class PolicyParams(BaseModel):
    """``params`` every policy source takes, besides its own."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    #: Issuer names as the source writes them -> the organization record that stands for
    #: them (a department recorded under its government, a name the records spell otherwise).
    issuers: dict[str, RecordId] = {}
    #: Documents read in detail in one run (each may cost one more request).
    max_documents: Annotated[int, Field(ge=1, le=500)] = 30


class Reading:
    """Which of a run's documents are read in detail: the relevant ones (the source's
    keywords), at most ``max_documents``; every other one is dropped with the reason."""

    def __init__(self, source: Source, result: SourceResult) -> None:
        self.source = source
        self.result = result
        self.read = 0

    def admit(self, title: str, *texts: str) -> bool:
        if not matches(self.source.keywords, title, *texts):
            self.result.drop(title, "not relevant (no keyword)")
            return False
        limit = self.source.params.max_documents
        if self.read >= limit:
            self.result.drop(title, f"over the limit of {limit} documents per run")
            return False
        self.read += 1
        return True


#: The typed date a policy record's ``date`` is taken from, in order of preference.
DATE_ORDER = ("signed", "adopted", "decided", "published", "introduced", "announced", "effective")
_SPACE = re.compile(r"\s+")


def fold(name: str) -> str:
    """A name as the organization index keys it: case and spacing ignored."""
    return _SPACE.sub(" ", name).strip().casefold()


@dataclass
class Document:
    """One official document, as a policy source read it."""

    title: str
    #: The official page of the document (cited first).
    url: str
    #: Who publishes that page ("GOV.UK", "EUR-Lex", "www.gov.cn").
    publisher: str
    #: Typed policy dates, each a partial ISO date (``2025``, ``2025-07``, ``2025-07-23``).
    dates: dict[str, str]
    #: The issuer's name as the source writes it ("" when the source names none).
    issuer: str = ""
    issuer_url: str | None = None
    #: The official abstract, as plain text ("" when the source has none).
    abstract: str = ""
    document_number: str | None = None
    instrument: str | None = None
    status: str | None = None
    #: A record id to prefer over one made from the title.
    record_id: str | None = None
    #: Identity keys besides the URL (``celex:...``, ``govuk:...``).
    keys: set[str] = field(default_factory=set)
    #: Dated steps the source names (a consultation's closing day).
    milestones: list[tuple[str, str]] = field(default_factory=list)


#: Words in a title that name the instrument, most specific first.
TITLE_INSTRUMENTS = (
    ("action plan", "action-plan"),
    ("strategy", "strategy"),
    ("code of practice", "guidance"),
    ("guidelines", "guidance"),
    ("guidance", "guidance"),
    ("framework", "guidance"),
    ("principles", "principles"),
    ("declaration", "declaration"),
    ("report", "report"),
)


def instrument_from_title(title: str) -> str | None:
    """The instrument a title names, if it names one."""
    lowered = title.casefold()
    return next((value for words, value in TITLE_INSTRUMENTS if words in lowered), None)


def _record_date(dates: dict[str, str]) -> str | None:
    return next((dates[name] for name in DATE_ORDER if dates.get(name)), None)


def _country(jurisdiction: str) -> str:
    """The country code of a jurisdiction (``US-CA`` -> ``US``; ``EU`` and ``INT`` stay)."""
    return jurisdiction.split("-", 1)[0]


def _organization_id(name: str, jurisdiction: str) -> str:
    slug = short_slug(name, 60)
    if slug:
        return slug
    # A name without Latin letters (国家互联网信息办公室): the jurisdiction and a digest keep
    # the id stable from run to run; the reviewer may rename the file before merging.
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{jurisdiction.lower()}-issuer-{digest}"


def _propose_organization(
    source: Source, ctx: Context, result: SourceResult, doc: Document, jurisdiction: str, day: str
) -> str:
    """The id of a new organization record for an issuer no record names; proposed once per
    run, by the first source that meets it."""
    folded = fold(doc.issuer)
    for candidate in ctx.new_organizations.values():
        if fold(candidate.data["name"]) == folded:
            return candidate.id
    record_id = _organization_id(doc.issuer, jurisdiction)
    site = doc.issuer_url or f"{urlsplit(doc.url).scheme}://{urlsplit(doc.url).netloc}"
    year = day[:4]
    data: dict[str, Any] = {
        "id": record_id,
        "kind": "organization",
        "title": doc.issuer,
        # The sources name issuers without their founding date: the record's date is the
        # year of the first document seen from it, and the summary says so.
        "date": year,
        "summary": (
            f"{doc.issuer} is named as the issuer of “{doc.title}” ({day}) by "
            f"{doc.publisher}. That source does not give its founding date: the date {year} "
            f"is the year of that document, to be replaced on review."
        ),
        "name": doc.issuer,
        "country": _country(jurisdiction),
        "type": "government",
        "url": site,
        "sources": [{"url": site, "title": doc.issuer, "publisher": doc.publisher}],
        "added": ctx.today.isoformat(),
    }
    candidate = Candidate(source.id, data, {f"id:{record_id}"})
    ctx.new_organizations[record_id] = candidate
    result.candidates.append(candidate)
    return record_id


def _issuer(
    source: Source, ctx: Context, result: SourceResult, doc: Document, jurisdiction: str, day: str
) -> str | None:
    params: PolicyParams = source.params
    named = params.issuers.get(doc.issuer) if doc.issuer else None
    if named:
        return named
    if doc.issuer:
        known = ctx.organizations.get(fold(doc.issuer))
        if known:
            return known
        return _propose_organization(source, ctx, result, doc, jurisdiction, day)
    default = source.defaults.get("issuer")
    return str(default) if default else None


def add_policy(source: Source, ctx: Context, result: SourceResult, doc: Document) -> None:
    """Append the policy candidate for ``doc`` (and its issuer's, when no record names the
    issuer) to the source's result, or drop the document with the reason."""
    defaults = source.defaults
    day = _record_date(doc.dates)
    if day is None:
        result.drop(doc.title, "no date of the document")
        return
    jurisdiction = str(defaults.get("jurisdiction") or "")
    if not jurisdiction:
        result.drop(doc.title, "the source sets no jurisdiction (defaults.jurisdiction)")
        return
    issuer = _issuer(source, ctx, result, doc, jurisdiction, day)
    if issuer is None:
        result.drop(doc.title, "no issuer: the source names none and sets no defaults.issuer")
        return
    instrument = doc.instrument or defaults.get("instrument")
    status = doc.status or defaults.get("status")
    if not instrument or not status:
        result.drop(doc.title, "no instrument or status (from the document or the defaults)")
        return
    summary = doc.abstract or _metadata_sentence(doc, day)
    data: dict[str, Any] = {
        "id": doc.record_id or _policy_id(doc, jurisdiction),
        "kind": "policy",
        "title": doc.title,
        "date": day,
        "summary": summary,
        "jurisdiction": jurisdiction,
        "issuer": issuer,
        "instrument": instrument,
        "status": status,
        "document_number": doc.document_number,
        "dates": dict(doc.dates),
        "open_source_stance": "not-addressed",
        "sources": [
            {
                "url": doc.url,
                "title": doc.title,
                "publisher": doc.publisher,
                "published": doc.dates.get("published") or day,
            }
        ],
        "tags": defaults.get("tags", []),
        "added": ctx.today.isoformat(),
    }
    if data["document_number"] is None:
        del data["document_number"]
    if doc.milestones:
        data["milestones"] = [{"date": day, "title": what} for day, what in doc.milestones]
    result.candidates.append(Candidate(source.id, data, set(doc.keys)))


def short_slug(text: str, limit: int) -> str:
    """A slug of at most ``limit`` characters, cut between words."""
    slug = slugify(text, 1000)
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut or slug[:limit]


def _policy_id(doc: Document, jurisdiction: str) -> str:
    """``gb-ai-opportunities-action-plan``; a title without Latin letters gives the
    jurisdiction and a digest of the document's address."""
    slug = short_slug(doc.title, 70)
    if not slug:
        slug = "document-" + hashlib.sha256(doc.url.encode()).hexdigest()[:10]
    return f"{jurisdiction.lower()}-{slug}"


def _metadata_sentence(doc: Document, day: str) -> str:
    """A summary made of the document's own metadata only, for sources without an abstract."""
    number = f" ({doc.document_number})" if doc.document_number else ""
    issuer = f", from {doc.issuer}" if doc.issuer else ""
    return f"{doc.title}{number}, dated {day}{issuer}, as published by {doc.publisher}."
