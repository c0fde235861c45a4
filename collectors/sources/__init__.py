"""One module per source type; each turns a source's answers into candidate records.

Each module declares its ``Params`` (checked when the registry loads, so a missing
``params.author`` is a file:line problem, not a failure during a run) and its ``collect``
coroutine. :data:`SOURCE_TYPES` is the one list of types: the registry's allowed values, the
documentation's table and the run all come from it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel

from collectors.sources import (
    congress,
    eur_lex,
    federal_register,
    feed,
    github_releases,
    govcn,
    govuk,
    html_list,
    huggingface,
)

if TYPE_CHECKING:
    from collectors.candidates import SourceResult
    from collectors.context import Context
    from collectors.registry import Source

Collector = Callable[["Source", "Context", "SourceResult"], Awaitable[None]]


@dataclass(frozen=True)
class SourceType:
    name: str
    #: The ``params`` a source of this type takes.
    params: type[BaseModel]
    collect: Collector
    #: One line for the documentation: what it reads, what it proposes.
    reads: str


SOURCE_TYPES: dict[str, SourceType] = {
    kind.name: kind
    for kind in (
        SourceType(
            "huggingface", huggingface.Params, huggingface.collect, huggingface.__doc__ or ""
        ),
        SourceType(
            "federal-register",
            federal_register.Params,
            federal_register.collect,
            federal_register.__doc__ or "",
        ),
        SourceType("feed", feed.Params, feed.collect, feed.__doc__ or ""),
        SourceType(
            "github-releases",
            github_releases.Params,
            github_releases.collect,
            github_releases.__doc__ or "",
        ),
        SourceType("govuk", govuk.Params, govuk.collect, govuk.__doc__ or ""),
        SourceType("html-list", html_list.Params, html_list.collect, html_list.__doc__ or ""),
        SourceType("eur-lex", eur_lex.Params, eur_lex.collect, eur_lex.__doc__ or ""),
        SourceType("govcn", govcn.Params, govcn.collect, govcn.__doc__ or ""),
        SourceType("congress", congress.Params, congress.collect, congress.__doc__ or ""),
    )
}
