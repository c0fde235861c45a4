"""Every limit the collectors obey, in one place.

Tests and users change them through :class:`Limits` (passed to the client and the run), never by
editing the code that uses them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

#: Set to 1 to let the collectors fetch from 127.0.0.0/8 and ::1 (tests, local mirrors).
ALLOW_LOOPBACK_ENV = "OSAI_ALLOW_LOOPBACK"


def user_agent(project_url: str = "") -> str:
    """The User-Agent the collectors send: who we are and where to read about us."""
    about = f"+{project_url}; " if project_url else ""
    return f"OpenSourceAITracker/0.1 ({about}collectors for a public knowledge base)"


def _loopback_allowed() -> bool:
    return os.environ.get(ALLOW_LOOPBACK_ENV) == "1"


@dataclass(frozen=True)
class Limits:
    """How politely and how defensively the collectors fetch."""

    user_agent: str = field(default_factory=user_agent)
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    #: One request (one hop), body included: a server that drips a byte at a time cannot
    #: hold a run.
    total_deadline: float = 60.0
    #: One URL with all its redirects and retries (waits included).
    url_deadline: float = 180.0
    #: One source, every page it reads included.
    source_deadline: float = 600.0
    #: The whole run: sources still working then are stopped and reported as failed.
    run_deadline: float = 1_500.0
    #: Cap on the decompressed body, so a gzip bomb stops at the cap.
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 3
    #: Attempts per request on 429, 5xx and timeouts (the first one included).
    attempts: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    #: A Retry-After longer than this fails the request instead of stalling the run.
    max_retry_after: float = 120.0
    #: Requests in flight at once, and to one host (one: polite to every site).
    concurrency: int = 8
    per_host: int = 1
    #: Pause between two requests to the same host.
    host_delay: float = 1.0
    #: At most this many requests to one host in any ``host_window_seconds`` (None: no
    #: such cap). Set to a host's published rate limit, it keeps a run inside it whether or
    #: not the host says how much of its window is left.
    host_window_requests: int | None = None
    host_window_seconds: float = 300.0
    #: Honour robots.txt (for every host a source's requests reach, redirects included).
    robots: bool = True
    #: Items one source may turn into candidates in one run; the rest are dropped with the
    #: reason, so a flood of items cannot write a flood of files.
    max_candidates_per_source: int = 50
    #: Pages of a paginated source, at most, whatever its registry entry asks.
    max_pages: int = 20
    #: Fetch from loopback addresses (127.0.0.0/8, ::1). Private, link-local and other
    #: non-public addresses are refused always. Default: the OSAI_ALLOW_LOOPBACK variable.
    allow_loopback: bool = field(default_factory=_loopback_allowed)
    #: How long a run waits for another run's lock on the state file.
    state_lock_wait: float = 30.0


DEFAULT_LIMITS = Limits()
