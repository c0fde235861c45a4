"""Canonical URLs, so that two spellings of one address compare equal."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from schemas.vocabularies import Term, vocabulary

_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """A comparison key for ``url``.

    Scheme and host case, ``http`` versus ``https``, a default port, a trailing slash,
    the fragment and ``utm_*`` tracking parameters do not make two URLs different.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, _DEFAULT_PORTS.get(scheme)) else None
    netloc = f"{host}:{port}" if port else host
    path = parts.path.rstrip("/") or ""
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith("utm_")
        ]
    )
    if scheme in _DEFAULT_PORTS:
        scheme = "https"
    return urlunsplit((scheme, netloc, path, query, ""))


def secondary_site(url: str) -> Term | None:
    """The entry of ``secondary-domains.yaml`` that ``url`` falls under, if any.

    An entry is a host (``wikipedia.org`` covers every subdomain) or a host and a path prefix
    (``huggingface.co/papers``).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path
    for term in vocabulary("secondary-domains").terms.values():
        domain, _, prefix = term.value.partition("/")
        if host != domain and not host.endswith("." + domain):
            continue
        if not prefix or path == "/" + prefix or path.startswith(f"/{prefix}/"):
            return term
    return None
