"""The one HTTP client of the collectors: limits, retries, redirects, size cap, conditional GETs.

httpx times out per read, has no size cap and follows any redirect it is told to; this module
adds a total deadline, a cap on the decompressed body, redirects checked one by one (http and
https only), retries with backoff honouring ``Retry-After``, ``ETag``/``Last-Modified``
revalidation, one request at a time per host, a deadline for each URL with all its hops and
retries, and a check of every hop's host (public addresses only, robots.txt through the caller).
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
import zlib
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from collectors.addresses import AddressGuard, AddressRefused
from collectors.settings import DEFAULT_LIMITS, Limits

#: Called before each hop of a request (the first URL and every redirect target); raises
#: :class:`FetchError` to refuse it.
HopCheck = Callable[[str], Awaitable[None]]

RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A request that failed for good, with a reason fit for the run report."""


class _HopTimeout(Exception):
    """One request ran past :attr:`Limits.total_deadline` (it may be retried)."""


@dataclass
class Response:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Validators:
    """What a server said last time, to ask it whether anything changed."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        found = {}
        if self.etag:
            found["If-None-Match"] = self.etag
        if self.last_modified:
            found["If-Modified-Since"] = self.last_modified
        return found


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


_RESET = re.compile(r"(?:^|[;,\s])t=(\d+)")


def _rate_limit_reset(value: str | None) -> float | None:
    """Seconds until the window resets, from an IETF ``RateLimit`` header (the Hugging Face
    Hub sends ``"api";r=0;t=183`` with its 429 answers)."""
    if not value:
        return None
    match = _RESET.search(value)
    return float(match.group(1)) if match else None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


_REMAINING = re.compile(r"(?:^|[;,\s])r=(\d+)")


def _rate_limit_remaining(value: str | None) -> int | None:
    """Requests left in the window, from an IETF ``RateLimit`` header (``"api";r=0;t=183``)."""
    if not value:
        return None
    match = _REMAINING.search(value)
    return int(match.group(1)) if match else None


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"refusing to fetch {url!r}: only http and https URLs")
    return url


@dataclass
class Client:
    """Fetches with every limit in :class:`Limits`. Use as an async context manager."""

    limits: Limits = DEFAULT_LIMITS
    transport: httpx.AsyncBaseTransport | None = None
    _client: httpx.AsyncClient | None = None
    _global: asyncio.Semaphore | None = None
    _hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    #: When a host said its window is spent (``RateLimit: ...;r=0;t=N``): no request to it
    #: before then.
    _not_before: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    #: When the last requests to each host were sent (as many as a window allows).
    _sent: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    #: Seconds spent waiting for rate-limit windows to reset, for the reports.
    rate_limit_wait: float = 0.0
    _guard: AddressGuard | None = None
    requests: int = 0

    async def __aenter__(self) -> Client:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout),
            follow_redirects=False,
            headers={
                "User-Agent": self.limits.user_agent,
                # Only encodings this module can inflate under its size cap.
                "Accept-Encoding": "gzip, deflate",
            },
            transport=self.transport,
            trust_env=False,
        )
        self._global = asyncio.Semaphore(self.limits.concurrency)
        self._guard = AddressGuard(self.limits.allow_loopback)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._client is not None
        await self._client.aclose()

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.limits.per_host)
        return self._hosts[host]

    async def get(
        self,
        url: str,
        validators: Validators | None = None,
        accept: str | None = None,
        *,
        check_hop: HopCheck | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """GET with retries, within :attr:`Limits.url_deadline` for everything; raises
        :class:`FetchError` when it cannot get an answer. ``headers`` are sent as well (an API
        key goes there, never into the URL, which reports and the state file show)."""
        check_url(url)
        deadline = self.limits.url_deadline
        try:
            async with asyncio.timeout(deadline):
                return await self._get_with_retries(url, validators, accept, check_hop, headers)
        except TimeoutError:
            raise FetchError(
                f"gave up after {deadline:g} s for this URL (redirects and retries included)"
            ) from None

    async def _get_with_retries(
        self,
        url: str,
        validators: Validators | None,
        accept: str | None,
        check_hop: HopCheck | None,
        extra: dict[str, str] | None = None,
    ) -> Response:
        headers = validators.headers() if validators else {}
        if accept:
            headers["Accept"] = accept
        last_error = "no attempt made"
        for attempt in range(1, self.limits.attempts + 1):
            try:
                response = await self._get_following_redirects(url, headers, extra, check_hop)
            except (httpx.TimeoutException, _HopTimeout):
                last_error = (
                    f"timed out (one request may take {self.limits.total_deadline:g} s, "
                    f"one read {self.limits.read_timeout:g} s)"
                )
                wait = self._backoff(attempt)
            except httpx.TransportError as exc:
                last_error = f"connection failed: {exc.__class__.__name__}"
                wait = self._backoff(attempt)
            except httpx.InvalidURL as exc:
                # httpx parses a redirect's Location even when it does not follow it.
                raise FetchError(
                    f"refusing a redirect to an invalid URL ({exc}): only http and https URLs"
                ) from None
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                last_error = f"HTTP {response.status}"
                wait = self._backoff(attempt)
                retry_after = _retry_after(response.headers.get("retry-after"))
                if retry_after is None:
                    retry_after = _rate_limit_reset(response.headers.get("ratelimit"))
                if retry_after is not None:
                    if retry_after > self.limits.max_retry_after:
                        raise FetchError(f"{last_error}, Retry-After {retry_after:g} s is too long")
                    wait = retry_after
            if attempt < self.limits.attempts:
                await asyncio.sleep(wait)
        raise FetchError(f"{last_error} ({self.limits.attempts} attempts)")

    def _backoff(self, attempt: int) -> float:
        return min(self.limits.backoff_max, self.limits.backoff_base * 2 ** (attempt - 1))

    async def _get_following_redirects(
        self,
        url: str,
        headers: dict[str, str],
        extra: dict[str, str] | None,
        check_hop: HopCheck | None,
    ) -> Response:
        origin = _origin(url)
        for _ in range(self.limits.max_redirects + 1):
            assert self._guard is not None
            try:
                await self._guard.check(url)
            except AddressRefused as exc:
                raise FetchError(str(exc)) from None
            if check_hop is not None:
                await check_hop(url)
            # The caller's own headers (an API key) go to the first URL's origin only.
            sent = {**extra, **headers} if extra and _origin(url) == origin else headers
            response = await self._get_once(url, sent)
            if response.status not in (301, 302, 303, 307, 308):
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {response.status} without a Location header")
            url = check_url(urljoin(url, location))
        raise FetchError(f"more than {self.limits.max_redirects} redirects")

    async def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        assert self._client is not None and self._global is not None
        async with self._global, self._host_slot(url):
            host = urlsplit(url).netloc.lower()
            now = time.monotonic()
            window = max(self._not_before[host], self._window_opens(host)) - now
            pause = max(self._last[host] + self.limits.host_delay - now, window)
            if pause > 0:
                if window > 0:
                    self.rate_limit_wait += pause
                await asyncio.sleep(pause)
            if self.limits.host_window_requests is not None:
                self._sent[host].append(time.monotonic())
            try:
                async with asyncio.timeout(self.limits.total_deadline) as hop:
                    self.requests += 1
                    async with self._client.stream("GET", url, headers=headers) as response:
                        body = b""
                        if response.status_code not in (204, 304) and response.status_code < 300:
                            body = await self._read_capped(response)
                        self._note_rate_limit(host, response.headers)
                        return Response(
                            str(response.url), response.status_code, response.headers, body
                        )
            except TimeoutError:
                # This hop's own deadline (the URL's deadline is handled by get()).
                if hop.expired():
                    raise _HopTimeout from None
                raise
            finally:
                self._last[host] = time.monotonic()

    def _window_opens(self, host: str) -> float:
        """When the next request to ``host`` fits in the sliding window (0: now)."""
        cap = self.limits.host_window_requests
        if cap is None:
            return 0.0
        sent = self._sent[host]
        horizon = time.monotonic() - self.limits.host_window_seconds
        while sent and sent[0] <= horizon:
            sent.popleft()
        return sent[0] + self.limits.host_window_seconds if len(sent) >= cap else 0.0

    def _note_rate_limit(self, host: str, headers: httpx.Headers) -> None:
        """Honour a host's ``RateLimit`` header before it refuses: when no request is left
        in the window, wait for its reset (at most :attr:`Limits.max_retry_after`)."""
        remaining = _rate_limit_remaining(headers.get("ratelimit"))
        reset = _rate_limit_reset(headers.get("ratelimit"))
        if remaining == 0 and reset is not None:
            wait = min(reset, self.limits.max_retry_after)
            self._not_before[host] = max(self._not_before[host], time.monotonic() + wait)

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """Read the body, inflating gzip or deflate ourselves so the cap applies after
        decompression."""
        cap = self.limits.max_bytes
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            # wbits 47: zlib or gzip header, detected automatically.
            inflater = zlib.decompressobj(47)
        elif encoding in ("identity", ""):
            inflater = None
        else:
            raise FetchError(f"unsupported content encoding {encoding!r}")
        chunks: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            if inflater is None:
                pieces = [raw]
            else:
                pieces = []
                data = raw
                while data:
                    try:
                        piece = inflater.decompress(data, cap + 1 - size)
                    except zlib.error as exc:
                        raise FetchError(f"corrupt {encoding} body: {exc}") from None
                    pieces.append(piece)
                    size_now = size + sum(len(p) for p in pieces)
                    if size_now > cap:
                        break
                    data = inflater.unconsumed_tail
            for piece in pieces:
                size += len(piece)
                if size > cap:
                    raise FetchError(f"response larger than {cap:,} bytes")
                chunks.append(piece)
        return b"".join(chunks)
