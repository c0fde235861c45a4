"""Each source type against its real format, served over HTTP on loopback."""

from __future__ import annotations

import json

from pytest_httpserver import HTTPServer

from schemas import load_records
from tests.collectors.conftest import Runner, fixture_bytes

HF = {
    "id": "hf-acme",
    "type": "huggingface",
    "path": "/api/models",
    "params": {"author": "acme", "limit": 3, "max_pages": 3, "site": "https://huggingface.co"},
    "defaults": {"organization": "acme-lab"},
}


def serve_hf(server: HTTPServer) -> None:
    page2 = server.url_for("/api/models") + "?cursor=abc"
    server.expect_request("/api/models", query_string={"cursor": "abc"}).respond_with_data(
        fixture_bytes("hf_models_page2.json"), content_type="application/json"
    )
    server.expect_request("/api/models").respond_with_data(
        fixture_bytes("hf_models_page1.json"),
        content_type="application/json",
        headers={"Link": f'<{page2}>; rel="next"'},
    )


def test_hugging_face_groups_families_and_derives_fields(
    runner: Runner, server: HTTPServer
) -> None:
    serve_hf(server)
    report = runner.run(runner.sources(dict(HF)))
    source = report.sources[0]
    assert source.result.error is None
    assert source.result.items == 8  # two pages followed through the Link header
    query = server.log[1][0].args  # the first page's request (after robots.txt)
    assert query["author"] == "acme" and query["sort"] == "createdAt"
    assert "safetensors" in query.getlist("expand[]")
    new = {c.id: c.data for c in source.new}
    assert set(new) == {"acme-8b", "acme-7b-r2", "acme-vision-2b", "acme-audio-1b"}
    acme8 = new["acme-8b"]
    assert acme8["huggingface"] == ["acme/Acme-8B", "acme/Acme-8B-Instruct"]
    assert acme8["license"] == "Apache-2.0" and acme8["access"] == "open-weights"
    assert acme8["parameters"] == {"total": 8030261248}
    assert acme8["date"] == "2025-03-04" and acme8["modality"] == ["text"]
    assert acme8["organization"] == "acme-lab"
    r2 = new["acme-7b-r2"]
    assert r2["license"] == "llama-3.1-community" and r2["access"] == "open-weights-restricted"
    assert r2["base_model"] == "acme-7b"  # repo acme/acme-7b belongs to the record acme-7b
    reasons = {d.title: d.reason for d in source.result.drops}
    assert reasons["acme/Acme-8B-Instruct-GGUF"] == "quantisation"
    assert reasons["acme/legacy-bert"] == "creation date unknown"
    assert reasons["odd-licence"] == "licence 'other' (acme-license) has no licence record"
    # 'other' with a declared name or link that a licence record goes by: that licence.
    assert new["acme-vision-2b"]["license"] == "acme-community"  # by its full name
    assert new["acme-audio-1b"]["license"] == "acme-community"  # by its address
    kb = load_records([runner.records])
    assert kb.problems == [] and kb.get("acme-8b") is not None


def test_federal_register_follows_pages_and_builds_policies(
    runner: Runner, server: HTTPServer
) -> None:
    page2 = server.url_for("/api/v1/documents.json") + "?page=2"
    body = fixture_bytes("federal_register_page1.json").replace(b"NEXT_PAGE_URL", page2.encode())
    server.expect_request("/api/v1/documents.json", query_string={"page": "2"}).respond_with_data(
        fixture_bytes("federal_register_page2.json"), content_type="application/json"
    )
    server.expect_request("/api/v1/documents.json").respond_with_data(
        body, content_type="application/json; charset=utf-8"
    )
    sources = runner.sources(
        {
            "id": "fr",
            "type": "federal-register",
            "path": "/api/v1/documents.json",
            "params": {"term": "artificial intelligence"},
            "defaults": {"jurisdiction": "GB", "issuer": "ministry-of-tests"},
        }
    )
    report = runner.run(sources)
    result = report.sources[0].result
    assert result.error is None and result.items == 3
    first = server.log[1][0].args
    assert first["conditions[term]"] == "artificial intelligence"
    assert first.getlist("conditions[type][]") == ["PRESDOCU"]
    assert "executive_order_number" in first.getlist("fields[]")
    new = {c.id: c.data for c in report.sources[0].new}
    eo = new["us-eo-14179"]
    assert eo["title"] == (
        "Executive Order 14179: Removing Barriers to American Leadership in Artificial Intelligence"
    )
    assert eo["date"] == "2025-01-23"
    assert eo["dates"] == {"signed": "2025-01-23", "published": "2025-01-31"}
    assert eo["document_number"] == "14179"
    plain = new["a-document-without-number"]  # the script element and its text are gone
    assert (
        plain["title"] == "A Document Without Number"
        and plain["summary"] == "An abstract about artificial intelligence."
    )
    assert plain["date"] == "2024-06-03"
    assert "us-eo-14110" in new
    assert load_records([runner.records]).problems == []


def test_feed_keeps_relevant_safe_entries(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/rss.xml").respond_with_data(
        fixture_bytes("news.rss"), content_type="application/rss+xml"
    )
    sources = runner.sources(
        {
            "id": "lab-news",
            "type": "feed",
            "path": "/rss.xml",
            "defaults": {"publisher": "Test Lab", "about": ["acme-lab"], "tags": ["open-weights"]},
            "keywords": ["open model", "open-source", "open weights"],
        }
    )
    report = runner.run(sources)
    source = report.sources[0]
    assert [c.id for c in source.new] == ["releasing-acme-9b-with-open-weights-2025"]
    data = source.new[0].data
    assert data["url"] == "https://lab.example/news/acme-9b?utm_source=rss"
    assert data["summary"] == "We release Acme-9B under Apache 2.0 as an open model."
    assert data["author"] == "Jane Doe" and data["date"] == "2025-03-04"
    reasons = {d.title: d.reason for d in source.result.drops}
    assert reasons["Our quarterly hiring update"] == "not relevant (no keyword)"
    assert reasons["Open-source tools, now safer"].startswith("no http(s) link")
    assert reasons["Open models policy paper"] == "no publication date"
    written = (
        runner.records / "news" / "releasing-acme-9b-with-open-weights-2025.yaml"
    ).read_text()
    assert "<script" not in written and "javascript:" not in written
    assert load_records([runner.records]).problems == []


def test_atom_feed_and_github_releases(runner: Runner, server: HTTPServer) -> None:
    server.expect_request("/feed.atom").respond_with_data(
        fixture_bytes("news.atom"), content_type="application/atom+xml"
    )
    server.expect_request("/acme/acme-llm/releases.atom").respond_with_data(
        fixture_bytes("releases.atom"), content_type="application/atom+xml; charset=utf-8"
    )
    sources = runner.sources(
        {
            "id": "policy-office",
            "type": "feed",
            "path": "/feed.atom",
            "defaults": {"publisher": "Policy Office"},
            "keywords": ["open-weight"],
        },
        {
            "id": "acme-releases",
            "type": "github-releases",
            "path": "/acme/acme-llm/releases.atom",
            "defaults": {"about": ["acme-lab"]},
        },
    )
    report = runner.run(sources)
    policy, releases = report.sources
    assert [c.title for c in policy.new] == ["Guidance on open-weight models published"]
    assert "javascript" not in json.dumps(policy.new[0].data)
    assert sorted(c.title for c in releases.new) == [
        "acme/acme-llm release v1.0.0",
        "acme/acme-llm release v1.1.0",
    ]
    v11 = next(c for c in releases.new if c.title.endswith("v1.1.0")).data
    assert v11["date"] == "2025-05-02" and v11["publisher"] == "GitHub"
    assert v11["summary"] == "Weights for the 1.1 checkpoint."
    assert load_records([runner.records]).problems == []
