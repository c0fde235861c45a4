"""robots.txt, read once per host per run with the same client and limits (protego parses it;
the standard library's parser misreads some rules)."""

from __future__ import annotations

from urllib.parse import urlsplit

from protego import Protego

from collectors.http import Client, FetchError


class RobotsCache:
    def __init__(self, client: Client) -> None:
        self.client = client
        self._rules: dict[str, Protego | None] = {}

    async def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._rules:
            self._rules[origin] = await self._fetch(origin)
        rules = self._rules[origin]
        return True if rules is None else rules.can_fetch(url, self.client.limits.user_agent)

    async def _fetch(self, origin: str) -> Protego | None:
        try:
            response = await self.client.get(f"{origin}/robots.txt")
        except FetchError:
            return None  # unreachable robots.txt: no rules to honour
        if response.status >= 400:
            return None
        return Protego.parse(response.body.decode("utf-8", errors="replace"))
