"""Every limit the collectors obey, in one place.

Tests and users change them through :class:`Limits` (passed to the client), never by editing
the code that uses them.
"""

from __future__ import annotations

from dataclasses import dataclass

PROJECT_URL = "https://github.com/example/open-source-ai-tracker"
USER_AGENT = f"OpenSourceAITracker/0.1 (+{PROJECT_URL}; collectors for a public knowledge base)"


@dataclass(frozen=True)
class Limits:
    """How politely and how defensively the collectors fetch."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    #: Whole request, body included: a server that drips a byte at a time cannot hold a run.
    total_deadline: float = 60.0
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
    #: Honour robots.txt.
    robots: bool = True


DEFAULT_LIMITS = Limits()
