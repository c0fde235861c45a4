"""One module per source type; each turns a source's answers into candidate records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from collectors.candidates import SourceResult
from collectors.context import Context
from collectors.registry import Source
from collectors.sources import federal_register, feed, github_releases, huggingface

Collector = Callable[[Source, Context, SourceResult], Awaitable[None]]

COLLECTORS: dict[str, Collector] = {
    "huggingface": huggingface.collect,
    "federal-register": federal_register.collect,
    "feed": feed.collect,
    "github-releases": github_releases.collect,
}
