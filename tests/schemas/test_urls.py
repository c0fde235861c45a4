from __future__ import annotations

import pytest

from schemas.urls import canonical_url


@pytest.mark.parametrize(
    "variant",
    [
        "https://example.org/a/b",
        "HTTPS://Example.ORG/a/b/",
        "http://example.org/a/b",
        "https://example.org:443/a/b#section",
        "https://example.org/a/b?utm_source=rss&utm_campaign=x",
    ],
)
def test_spellings_of_one_address_are_equal(variant: str) -> None:
    assert canonical_url(variant) == "https://example.org/a/b"


def test_meaningful_differences_remain() -> None:
    assert canonical_url("https://example.org/a?id=1") != canonical_url(
        "https://example.org/a?id=2"
    )
    assert canonical_url("https://example.org/A") != canonical_url("https://example.org/a")
    assert canonical_url("https://example.org:8080/a") == "https://example.org:8080/a"
