"""What a source collector gets to work with: the client, robots rules, state and the day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from collectors.candidates import Candidate, SourceResult
from collectors.http import Client, FetchError, Response, Validators
from collectors.robots import RobotsCache
from collectors.state import State
from schemas.records import License

JSON_TYPES = ("application/json", "text/json")
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/x-rss+xml",
)


class SourceError(Exception):
    """The source cannot be read this run; the reason goes into the report."""


class SourceSkipped(Exception):
    """The source is not read this run, by design (no API key configured): the report says
    why, and the run does not count it as a failure."""


@dataclass
class Context:
    client: Client
    robots: RobotsCache
    state: State
    today: dt.date
    #: Hugging Face repository id (lowercase) -> record id, from the knowledge base.
    repo_index: dict[str, str] = field(default_factory=dict)
    #: Every name of a licence record (id, SPDX identifier, aliases) -> the licence.
    licences: dict[str, License] = field(default_factory=dict)
    #: Every name of an organization record (id, name, title, aliases), folded -> its id.
    organizations: dict[str, str] = field(default_factory=dict)
    #: Organizations this run proposes (id -> candidate): each at most once, whichever
    #: source meets it first.
    new_organizations: dict[str, Candidate] = field(default_factory=dict)

    async def _robots(self, url: str) -> None:
        if self.client.limits.robots and not await self.robots.allowed(url):
            raise FetchError(f"robots.txt forbids {url}")

    async def fetch(
        self,
        result: SourceResult,
        url: str,
        accept: tuple[str, ...],
        *,
        conditional: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Response | None:
        """GET ``url`` for a source: robots.txt honoured on every host it reaches (redirects
        included), validators sent and kept, content type checked. None means "not
        modified". ``headers`` go to the URL's own origin only (an API key)."""
        validators = self.state.validators.get(url) if conditional else None
        try:
            response = await self.client.get(
                url, validators, accept=", ".join(accept), check_hop=self._robots, headers=headers
            )
        except FetchError as exc:
            message = str(exc) if str(exc).startswith("robots.txt") else f"{url}: {exc}"
            raise SourceError(message) from None
        if response.not_modified:
            result.not_modified += 1
            return None
        if response.status >= 400:
            raise SourceError(f"{url}: HTTP {response.status}")
        result.fetched += 1
        if response.content_type not in accept:
            raise SourceError(
                f"{url}: expected {accept[0]}, got {response.content_type or 'no content type'}"
            )
        if conditional:
            etag = response.headers.get("etag")
            modified = response.headers.get("last-modified")
            if etag or modified:
                self.state.remember(url, Validators(etag, modified))
        return response


def next_page(link: str | None, source_url: str) -> str | None:
    """A pagination link, kept only when it stays on the source's own origin (scheme, host and
    port): an answer cannot send the collectors to another host."""
    if not link:
        return None
    url = urljoin(source_url, link.strip())
    here, there = urlsplit(source_url), urlsplit(url)
    if (here.scheme, here.netloc.lower()) != (there.scheme, there.netloc.lower()):
        raise SourceError(f"refusing a next-page link to another host: {ascii(link)[:200]}")
    return url


#: Keywords this short are matched as whole words only ("AI" is not in "said" or "Hawaii").
SHORT_KEYWORD = 3
_LATIN = re.compile(r"[A-Za-z0-9]")


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Word edges count only beside Latin letters and digits: Chinese and Japanese text has
    no spaces between words, so 人工智能 is found inside any sentence."""
    start = r"(?<![A-Za-z0-9])" if _LATIN.match(keyword[:1]) else ""
    short = len(keyword) <= SHORT_KEYWORD and _LATIN.match(keyword[-1:])
    end = r"(?![A-Za-z0-9])" if short else ""
    return re.compile(start + re.escape(keyword) + end, re.IGNORECASE)


def matches(keywords: list[str], *texts: str) -> bool:
    """The relevance filter: no keywords keeps everything; otherwise one must appear at the
    start of a word (and, when it is short, as a whole word), whatever the case."""
    if not keywords:
        return True
    haystack = " ".join(texts)
    return any(_keyword_pattern(keyword).search(haystack) for keyword in keywords if keyword)
