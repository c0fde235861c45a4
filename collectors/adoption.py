"""Adoption snapshots: the Hugging Face figures of every tracked model's repositories, on one day.

For each repository: likes, downloads over the last 30 days, all-time downloads and the count
of derived models (one request: the repository's figures); then, while the run's request
budget lasts, the derived models listed and counted by relation (fine-tunes, adapters,
quantizations, merges). Requests go through the collectors' client, inside the Hub's
published limit per window, honouring its ``RateLimit`` headers and ``Retry-After``.

A snapshot is written once: a run for a day that has one writes nothing. A repository that
cannot be read (gone, private, refused) is listed with the reason; the rest are written.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from pydantic import ValidationError

from collectors.http import Client, FetchError, Response
from collectors.registry import AdoptionSettings
from collectors.robots import RobotsCache
from collectors.settings import DEFAULT_LIMITS, Limits
from schemas import KnowledgeBase, Model
from schemas.adoption import RELATIONS, Row, snapshot_path, snapshot_text
from schemas.files import write_atomic
from schemas.records import HF_REPO_PATTERN

#: Figures asked for with each repository.
EXPAND = ["likes", "downloads", "downloadsAllTime", "childrenModelCount"]
#: Derived models per listing page (the Hub's most).
TREE_PAGE = 1_000
JSON = "application/json"


@dataclass(frozen=True)
class Repository:
    name: str
    record: str


@dataclass
class Failure:
    repository: str
    reason: str


@dataclass
class AdoptionReport:
    day: dt.date
    repositories: int = 0
    rows: list[Row] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    #: Models whose records list no Hugging Face repository.
    without_repositories: list[str] = field(default_factory=list)
    written: Path | None = None
    notes: list[str] = field(default_factory=list)
    requests: int = 0
    #: Repositories whose derived models could not all be listed, so were not split.
    unsplit: int = 0
    rate_limit_wait: float = 0.0


def repositories(kb: KnowledgeBase) -> tuple[list[Repository], list[str]]:
    """Every Hugging Face repository of a model record (each once, sorted), and the models
    that list none."""
    found: dict[str, Repository] = {}
    without: list[str] = []
    for record in kb.of_kind("model"):
        assert isinstance(record, Model)
        if not record.huggingface:
            without.append(record.id)
        for repo in record.huggingface:
            found.setdefault(repo.lower(), Repository(repo, record.id))
    return sorted(found.values(), key=lambda r: (r.name.lower(), r.name)), sorted(without)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _reason(response: Response) -> str:
    """Why the Hub refused a repository, in its own words where it gives them."""
    code = response.headers.get("x-error-code") or ""
    # The Hub's own code (RepoNotFound, GatedRepo), kept only when it is one plain word: the
    # reason goes into reports and a pull request.
    detail = f", {code}" if re.fullmatch(r"[A-Za-z0-9]{1,40}", code) else ""
    if response.status == 404:
        return f"gone (HTTP 404{detail})"
    if response.status == 401:
        # Without a token the Hub answers 401 for a repository that is gone or private alike.
        return f"gone or private (HTTP 401{detail})"
    if response.status == 403:
        return f"refused or disabled (HTTP 403{detail})"
    return f"HTTP {response.status}"


class _Hub:
    """One run's way to the Hub: the client, robots.txt, the token header and the budget."""

    def __init__(self, client: Client, settings: AdoptionSettings, headers: dict[str, str]) -> None:
        self.client = client
        self.settings = settings
        self.headers = headers
        self.robots = RobotsCache(client)
        self.left = settings.max_requests

    def take(self) -> bool:
        """Whether the run may send one more request (and count it)."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True

    async def _check(self, hop: str) -> None:
        if self.client.limits.robots and not await self.robots.allowed(hop):
            raise FetchError(f"robots.txt forbids {hop}")

    async def get(self, url: str) -> Response:
        """GET with robots.txt honoured on every hop, as for every source."""
        return await self.client.get(url, accept=JSON, headers=self.headers, check_hop=self._check)

    async def figures(self, repo: Repository) -> Row | str:
        """The repository's figures, or why they could not be read."""
        query = urlencode([("expand[]", name) for name in EXPAND])
        url = f"{self.settings.url.rstrip('/')}/{quote(repo.name, safe='/')}?{query}"
        try:
            response = await self.get(url)
        except FetchError as exc:
            return str(exc)
        if response.status != 200:
            return _reason(response)
        try:
            data = json.loads(response.body)
        except ValueError as exc:
            return f"invalid JSON ({exc})"
        return _row(repo, data)

    async def split(self, row: Row) -> Row | None:
        """The row with its derived models counted by relation, or None when they could not
        all be listed (too many pages, the budget spent, or an error)."""
        counts = dict.fromkeys(RELATIONS, 0)
        repository = row.repository.lower()
        tags = {f"base_model:{relation}:{repository}": name for name, relation in RELATIONS.items()}
        base = self.settings.url.rstrip("/")
        query = urlencode({"filter": f"base_model:{row.repository}", "limit": TREE_PAGE})
        url: str | None = f"{base}?{query}"
        for _ in range(self.settings.max_tree_pages):
            if url is None:
                break
            if not self.take():
                return None
            try:
                response = await self.get(url)
                page = json.loads(response.body) if response.status == 200 else None
            except (FetchError, ValueError):
                return None
            if not isinstance(page, list):
                return None
            for child in page:
                child_tags = child.get("tags") if isinstance(child, dict) else None
                for tag in child_tags if isinstance(child_tags, list) else []:
                    name = tags.get(tag.lower()) if isinstance(tag, str) else None
                    if name:
                        counts[name] += 1
            url = _next_link(response.headers, base)
        return row.model_copy(update=counts) if url is None else None


def _row(repo: Repository, data: Any) -> Row | str:
    if not isinstance(data, dict):
        return "not a model's figures"
    answered = data.get("id")
    if isinstance(answered, str) and answered.lower() != repo.name.lower():
        shown = answered if re.fullmatch(HF_REPO_PATTERN, answered) else "another id"
        return f"answers as {shown}: renamed (update the record)"
    likes, downloads = _count(data.get("likes")), _count(data.get("downloads"))
    if likes is None or downloads is None:
        return "no likes or downloads in the answer"
    children = data.get("childrenModelCount")
    split: dict[str, int | None] = {}
    if isinstance(children, dict):
        # Counted by relation already: {"finetune": 3, "adapter": 1, "quantized": 7, ...}.
        split = {name: _count(children.get(rel)) or 0 for name, rel in RELATIONS.items()}
        total: int | None = sum(c or 0 for c in split.values())
    else:
        total = _count(children)
    try:
        return Row(
            repository=repo.name,
            record=repo.record,
            likes=likes,
            downloads_30d=downloads,
            downloads_all_time=_count(data.get("downloadsAllTime")),
            derived=total,
            **split,
        )
    except ValidationError as exc:
        return f"figures out of range ({exc.error_count()} problems)"


def _next_link(headers: httpx.Headers, base: str) -> str | None:
    link = headers.get("link") or ""
    for part in link.split(","):
        if 'rel="next"' in part:
            target = part.split(";")[0].strip().strip("<>")
            # Only pages of the same API: an answer cannot send the run elsewhere.
            return target if target.startswith(base) else None
    return None


#: The client's window is this much longer than the Hub's: a request sent just as a window
#: ends may be counted by the Hub a little later, in its next fixed window.
WINDOW_MARGIN = 0.02


def adoption_limits(settings: AdoptionSettings, limits: Limits) -> Limits:
    """The collectors' limits, with the Hub's window (and a margin) and a short pause between
    requests (the window, not the pause, sets the pace)."""
    return dataclasses.replace(
        limits,
        host_window_requests=settings.window_requests,
        host_window_seconds=settings.window_seconds * (1 + WINDOW_MARGIN),
        host_delay=min(limits.host_delay, 0.25),
    )


async def _collect(
    repos: list[Repository],
    settings: AdoptionSettings,
    client: Client,
    report: AdoptionReport,
) -> None:
    """Every repository's figures first, then model trees while the budget lasts: a run
    short of requests still has every repository's figures."""
    token = os.environ.get(settings.token_env, "").strip()
    hub = _Hub(client, settings, {"Authorization": f"Bearer {token}"} if token else {})
    rows: list[Row] = []
    async with client:
        for repo in repos:
            if not hub.take():
                spent = f"not read: the run's {settings.max_requests} requests are spent"
                report.failures.append(Failure(repo.name, spent))
                continue
            found = await hub.figures(repo)
            if isinstance(found, str):
                report.failures.append(Failure(repo.name, found))
            else:
                rows.append(found)
        for index, row in enumerate(rows):
            if row.finetunes is not None:
                continue  # the figures came split by relation
            if row.derived == 0:
                rows[index] = row.model_copy(update=dict.fromkeys(RELATIONS, 0))
                continue
            split = await hub.split(row)
            if split is None:
                report.unsplit += 1
            else:
                rows[index] = split
    report.rows = rows


def take_snapshot(
    kb: KnowledgeBase,
    folder: Path,
    day: dt.date,
    settings: AdoptionSettings,
    *,
    dry_run: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AdoptionReport:
    """Read the figures of every tracked repository and write the day's snapshot (unless
    ``dry_run``, or the day has one already: a snapshot is never rewritten)."""
    report = AdoptionReport(day)
    path = snapshot_path(folder, day)
    if path.exists() and not dry_run:
        report.notes.append(f"{path} exists: a snapshot is written once; nothing fetched")
        return report
    repos, report.without_repositories = repositories(kb)
    if len(repos) > settings.max_repositories:
        for repo in repos[settings.max_repositories :]:
            report.failures.append(
                Failure(
                    repo.name, f"not read: a run reads {settings.max_repositories} repositories"
                )
            )
        repos = repos[: settings.max_repositories]
    report.repositories = len(repos)
    client = Client(adoption_limits(settings, limits), transport)
    started = time.monotonic()
    try:
        asyncio.run(
            asyncio.wait_for(_collect(repos, settings, client, report), limits.run_deadline)
        )
    except TimeoutError:
        elapsed = time.monotonic() - started
        report.notes.append(
            f"stopped after {elapsed:.0f} s: a run may take {limits.run_deadline:g} s"
        )
    report.requests = client.requests
    report.rate_limit_wait = client.rate_limit_wait
    if report.rows and not dry_run:
        try:
            write_atomic(path, snapshot_text(report.rows), exclusive=True)
            report.written = path
        except FileExistsError:
            report.notes.append(f"{path} was written meanwhile by another run; not rewritten")
    return report
