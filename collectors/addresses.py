"""Which network addresses the collectors may reach: public ones only.

A feed, an API or a redirect could point the collectors at the machine they run on or at its
private network (cloud metadata services, admin consoles). Every host of every hop is resolved
and refused unless all its addresses are public; loopback is allowed only when the limits say so
(``OSAI_ALLOW_LOOPBACK=1``, for tests and local mirrors).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address the collectors must not reach."""


def _refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool) -> str:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "" if allow_loopback else "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_private:
        return "a private address"
    if address.is_multicast or address.is_reserved or address.is_unspecified:
        return "a reserved address"
    return ""


class AddressGuard:
    """Checks hosts once per run (answers are cached, so a source's pages cost one lookup)."""

    def __init__(self, allow_loopback: bool) -> None:
        self.allow_loopback = allow_loopback
        self._checked: dict[tuple[str, int], str] = {}

    async def check(self, url: str) -> None:
        """Raise :class:`AddressRefused` unless every address of the URL's host is allowed."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (host, port)
        if key not in self._checked:
            self._checked[key] = await self._verdict(host, port)
        if self._checked[key]:
            raise AddressRefused(f"refusing {host}: {self._checked[key]}")

    async def _verdict(self, host: str, port: int) -> str:
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            loop = asyncio.get_running_loop()
            try:
                found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as exc:
                return f"cannot resolve it ({exc.strerror or exc})"
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
        for address in addresses:
            why = _refusal(address, self.allow_loopback)
            if why:
                return f"it resolves to {why} ({address})"
        return ""
