"""The policy source types (govuk, eur-lex, govcn, html-list, congress) against their real
formats, served over HTTP on loopback: what each proposes, field by field."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from schemas import load_records
from tests.collectors.conftest import Runner, fixture_bytes

GOVUK = {
    "id": "govuk-dsit",
    "type": "govuk",
    "path": "/government/organisations/department-for-science-innovation-and-technology.atom",
    "params": {
        "issuers": {"Department for Science, Innovation and Technology": "ministry-of-tests"}
    },
    "defaults": {"jurisdiction": "GB"},
    "keywords": ["AI", "artificial intelligence"],
}


def _tag(etag: str | None) -> dict[str, str]:
    """Headers of a first answer: an ETag when a test asks for one."""
    return {"ETag": etag} if etag else {}


def serve_govuk(server: HTTPServer, etag: str | None = None) -> None:
    server.expect_request(GOVUK["path"]).respond_with_data(
        fixture_bytes("govuk_organisation.atom"),
        content_type="application/atom+xml",
        headers=_tag(etag),
    )
    for path, name in (
        ("/government/publications/ai-playbook-for-the-uk-government", "playbook"),
        ("/government/consultations/ai-management-essentials", "consultation"),
    ):
        server.expect_request("/api/content" + path).respond_with_data(
            fixture_bytes(f"govuk_content_{name}.json"),
            content_type="application/json; charset=utf-8",
        )
    server.expect_request("/api/content/government/news/minister-visits-lab").respond_with_json(
        {
            "document_type": "press_release",
            "title": "Minister visits AI lab in Manchester",
            "first_published_at": "2025-02-09T09:00:00.000+00:00",
            "links": {},
        }
    )


def test_govuk_reads_the_content_api_for_type_dates_and_issuer(
    runner: Runner, server: HTTPServer, records: Path
) -> None:
    serve_govuk(server)
    report = runner.run(runner.sources(dict(GOVUK)))
    source = report.sources[0]
    assert source.result.error is None and source.result.items == 4
    new = {c.id: c.data for c in source.new}
    assert set(new) == {
        "government-digital-service",
        "gb-artificial-intelligence-playbook-for-the-uk-government",
        "gb-ai-management-essentials-tool",
    }
    playbook = new["gb-artificial-intelligence-playbook-for-the-uk-government"]
    assert playbook["instrument"] == "guidance" and playbook["status"] == "adopted"
    assert playbook["date"] == "2025-02-10" and playbook["dates"] == {"published": "2025-02-10"}
    assert playbook["summary"].startswith("The AI Playbook for the UK Government offers guidance")
    assert playbook["issuer"] == "government-digital-service"  # the primary publisher
    assert playbook["sources"][0]["url"] == (
        "https://www.gov.uk/government/publications/ai-playbook-for-the-uk-government"
    )
    consultation = new["gb-ai-management-essentials-tool"]
    assert consultation["instrument"] == "report" and consultation["status"] == "proposed"
    assert consultation["milestones"] == [
        {"date": "2024-11-06", "title": "Consultation opens"},
        {"date": "2025-01-29", "title": "Consultation closes"},
    ]
    assert consultation["issuer"] == "ministry-of-tests"  # named in the registry's issuers
    # No official description: the summary is made of the document's metadata only.
    assert consultation["summary"] == (
        "AI Management Essentials tool, dated 2024-11-06, from Department for Science, "
        "Innovation and Technology, as published by GOV.UK."
    )
    organisation = new["government-digital-service"]
    assert organisation["url"] == (
        "https://www.gov.uk/government/organisations/government-digital-service"
    )
    assert organisation["country"] == "GB" and organisation["type"] == "government"
    reasons = {d.title: d.reason for d in source.result.drops}
    assert reasons["Minister visits AI lab in Manchester"] == (
        "document type 'press_release' is not read as policy"
    )
    # The feed's titles carry the display type; the candidates take the document's own title.
    assert reasons["Transparency data: Broadband rollout: quarterly update"] == (
        "not relevant (no keyword)"
    )
    assert load_records([records]).problems == []


MEITY = {
    "id": "meity-documents",
    "type": "html-list",
    "path": "/documents",
    "params": {
        "item": "div[role='row'].announcementbox",
        "title": "p.mb-0",
        "link": "a.download-btn[href]",
        "date": "small.ptype",
        "date_format": "%d.%m.%Y",
        "publisher": "Ministry of Electronics and Information Technology",
    },
    "defaults": {
        "jurisdiction": "IN",
        "issuer": "ministry-of-tests",
        "instrument": "guidance",
        "status": "adopted",
    },
}


def serve_meity(server: HTTPServer, etag: str | None = None) -> None:
    server.expect_request("/documents").respond_with_data(
        fixture_bytes("meity_documents.html"),
        content_type="text/html; charset=UTF-8",
        headers=_tag(etag),
    )


def test_html_list_reads_items_with_the_registrys_selectors(
    runner: Runner, server: HTTPServer, records: Path
) -> None:
    serve_meity(server)
    report = runner.run(runner.sources(dict(MEITY)))
    source = report.sources[0]
    assert source.result.error is None and source.result.items == 4
    new = {c.id: c.data for c in source.new}
    assert set(new) == {
        "in-india-ai-governance-guidelines",
        "in-notification-on-the-it-rules-amendment-for-synthetically-generated",
    }
    guidelines = new["in-india-ai-governance-guidelines"]
    # A relative link is resolved against the page's own address.
    assert guidelines["sources"][0]["url"] == server.url_for(
        "/static/uploads/2025/11/india-ai-governance-guidelines.pdf"
    )
    assert guidelines["sources"][0]["publisher"] == (
        "Ministry of Electronics and Information Technology"
    )
    assert guidelines["date"] == "2025-11-05" and guidelines["issuer"] == "ministry-of-tests"
    assert guidelines["instrument"] == "guidance" and guidelines["jurisdiction"] == "IN"
    reasons = {d.title: d.reason for d in source.result.drops}
    assert reasons["Annual Report on Semiconductor Mission"] == (
        "no date written as '%d.%m.%Y' ('253.71 KB')"
    )
    assert reasons["Digital Personal Data Protection Rules, 2025"].startswith("no http(s) link")
    assert load_records([records]).problems == []


def test_html_list_decodes_a_page_in_its_declared_encoding(
    runner: Runner, server: HTTPServer
) -> None:
    """A Shift_JIS page that says so only in its <meta>; dates written 2025年6月4日."""
    server.expect_request("/press").respond_with_data(
        fixture_bytes("ministry_press_sjis.html"), content_type="text/html"
    )
    source = {
        "id": "ministry-press",
        "type": "html-list",
        "path": "/press",
        "params": {"item": "ul.news li", "date": "span.date", "date_format": "%Y年%m月%d日"},
        "defaults": {
            "jurisdiction": "JP",
            "issuer": "ministry-of-tests",
            "instrument": "law",
            "status": "in-force",
        },
        "keywords": ["人工知能"],
    }
    report = runner.run(runner.sources(source), dry_run=True)
    result = report.sources[0].result
    assert result.error is None
    [candidate] = report.sources[0].new
    assert candidate.title == "人工知能関連技術の研究開発及び活用の推進に関する法律の施行について"
    assert candidate.data["date"] == "2025-06-04"
    assert candidate.id.startswith("jp-document-")  # no Latin letters to make an id from
    assert [d.reason for d in result.drops] == ["not relevant (no keyword)"]


def test_html_list_whose_selectors_find_nothing_is_a_failure_not_nothing_new(
    runner: Runner, server: HTTPServer
) -> None:
    redesigned = b"<html><body><section class='cards'><article>New layout</article></section>"
    server.expect_request("/documents").respond_with_data(redesigned, content_type="text/html")
    report = runner.run(runner.sources(dict(MEITY)))
    error = report.sources[0].result.error
    assert error is not None and "matched nothing" in error and "layout" in error
    assert not report.ok and report.written == []


def test_html_list_whose_items_lost_their_dates_is_a_failure(
    runner: Runner, server: HTTPServer
) -> None:
    page = fixture_bytes("meity_documents.html").replace(b"ptype", b"filetype")
    server.expect_request("/documents").respond_with_data(page, content_type="text/html")
    report = runner.run(runner.sources(dict(MEITY)))
    error = report.sources[0].result.error
    assert error is not None and "none of 4 items had a title, link and date" in error


CONGRESS = {
    "id": "congress-bills",
    "type": "congress",
    "path": "/v3/bill",
    "params": {"limit": 2, "max_pages": 5},
    "defaults": {"jurisdiction": "US", "issuer": "ministry-of-tests"},
    "keywords": ["artificial intelligence"],
}


def serve_congress(server: HTTPServer, etag: str | None = None, key: str = "test-key") -> None:
    # The API's next link holds a raw space, as Congress.gov writes it.
    page2 = server.url_for("/v3/bill") + "?sort=updateDate desc&offset=2&limit=2&format=json"
    body = fixture_bytes("congress_bills_page1.json").replace(b"NEXT_PAGE_URL", page2.encode())
    keyed = {"X-Api-Key": key}
    server.expect_request(
        "/v3/bill",
        query_string={"sort": "updateDate desc", "offset": "2", "limit": "2", "format": "json"},
        headers=keyed,
    ).respond_with_data(fixture_bytes("congress_bills_page2.json"), content_type="application/json")
    server.expect_request("/v3/bill", headers=keyed).respond_with_data(
        body, content_type="application/json", headers=_tag(etag)
    )
    for path, name in (("/v3/bill/119/s/1701", "s1701"), ("/v3/bill/118/hr/9002", "hr9002")):
        server.expect_request(path, headers=keyed).respond_with_data(
            fixture_bytes(f"congress_bill_{name}.json"), content_type="application/json"
        )


def test_congress_reads_bills_and_their_details_with_the_key_in_a_header(
    runner: Runner, server: HTTPServer, records: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CONGRESS_API_KEY", "test-key")
    serve_congress(server)
    report = runner.run(runner.sources(dict(CONGRESS)))
    source = report.sources[0]
    assert source.result.error is None and source.result.items == 3  # two pages
    # Page 2 has no next link: robots.txt, two pages and the two relevant bills' details.
    assert len(server.log) == 5
    new = {c.id: c.data for c in source.new}
    assert set(new) == {"us-s-1701-119", "us-hr-9002-118"}
    bill = new["us-s-1701-119"]
    assert bill["title"] == "S. 1701 (119th Congress): Open Artificial Intelligence Research Act"
    assert bill["instrument"] == "bill" and bill["status"] == "proposed"
    assert bill["date"] == "2025-05-14" and bill["dates"] == {"introduced": "2025-05-14"}
    assert bill["document_number"] == "S. 1701"
    assert bill["sources"][0]["url"] == (
        "https://www.congress.gov/bill/119th-congress/senate-bill/1701"
    )
    assert "Latest action (2025-05-15): Read twice and referred" in bill["summary"]
    law = new["us-hr-9002-118"]
    assert law["instrument"] == "law" and law["status"] == "in-force"
    assert law["dates"] == {"introduced": "2024-07-11", "signed": "2024-12-23"}
    assert law["date"] == "2024-12-23"
    assert law["sources"][0]["url"] == (  # the detail's legislationUrl
        "https://www.congress.gov/bill/118th-congress/house-bill/9002"
    )
    reasons = {d.title: d.reason for d in source.result.drops}
    assert reasons["Farm Credit Modernization Act"] == "not relevant (no keyword)"
    # The key never appears in a URL: not in the requests, not in the state file.
    assert all("test-key" not in str(request.url) for request, _ in server.log)
    assert "test-key" not in runner.state.read_text()
    assert load_records([records]).problems == []


def test_congress_without_a_key_is_skipped_with_a_message(
    runner: Runner, server: HTTPServer, monkeypatch
) -> None:
    monkeypatch.delenv("CONGRESS_API_KEY", raising=False)
    serve_congress(server)
    report = runner.run(runner.sources(dict(CONGRESS)))
    result = report.sources[0].result
    assert result.error is None and report.ok
    assert result.skipped == "no API key: set CONGRESS_API_KEY to read Congress.gov (keys are free)"
    assert len(server.log) == 0 and report.requests == 0


EUR_LEX = {
    "id": "eur-lex-ai",
    "type": "eur-lex",
    "path": "/webapi/rdf/sparql",
    "params": {
        "limit": 3,
        "issuers": {"European Parliament": "ministry-of-tests"},
    },
    "defaults": {"jurisdiction": "EU"},
}


def serve_eur_lex(server: HTTPServer, etag: str | None = None) -> None:
    def answer(request: Request) -> Response:
        query = request.args["query"]
        page = "1" if "OFFSET 0" in query else "2" if "OFFSET 3" in query else None
        if page is None or request.args.get("format") != "application/sparql-results+json":
            return Response("unexpected query", status=400)
        return Response(
            fixture_bytes(f"eurlex_sparql_page{page}.json"),
            content_type="application/sparql-results+json; charset=UTF-8",
            headers=_tag(etag),
        )

    server.expect_request("/webapi/rdf/sparql").respond_with_handler(answer)


def test_eur_lex_reads_typed_dates_and_celex_numbers_from_sparql(
    runner: Runner, server: HTTPServer, records: Path
) -> None:
    serve_eur_lex(server)
    report = runner.run(runner.sources(dict(EUR_LEX)))
    source = report.sources[0]
    assert source.result.error is None
    assert source.result.items == 4  # five rows, one act listed twice (two in-force dates)
    # The second page had fewer rows than the limit: it was the last one asked for.
    assert [r.args["query"][-8:] for r, _ in server.log[1:]] == ["OFFSET 0", "OFFSET 3"]
    query = server.log[1][0].args["query"]
    assert "<http://eurovoc.europa.eu/3030>" in query and '"2024-06-01"^^xsd:date' in query
    new = {c.id: c.data for c in source.new}
    assert set(new) == {
        "european-commission",
        "eu-celex-52026pc0999",
        "eu-celex-52025dc0165",
        "eu-celex-32024r1689",
        "eu-celex-32025r0777",
    }
    act = new["eu-celex-32024r1689"]
    assert act["instrument"] == "law" and act["status"] == "in-force"
    assert act["dates"] == {
        "adopted": "2024-06-13",
        "signed": "2024-06-13",
        "effective": "2024-08-01",
    }
    assert act["date"] == "2024-06-13" and act["document_number"] == "2024/1689"
    assert act["issuer"] == "ministry-of-tests"  # "of the European Parliament and of the Council"
    assert act["sources"][0]["url"] == (
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R1689"
    )
    proposal = new["eu-celex-52026pc0999"]
    assert proposal["instrument"] == "bill" and proposal["status"] == "proposed"
    assert proposal["dates"] == {"introduced": "2026-01-20"}
    assert proposal["document_number"] == "COM(2026) 999"
    assert proposal["issuer"] == "european-commission"  # proposed once, used twice
    plan = new["eu-celex-52025dc0165"]
    assert plan["instrument"] == "action-plan" and plan["dates"] == {"published": "2025-04-09"}
    implementing = new["eu-celex-32025r0777"]
    assert implementing["instrument"] == "regulation" and implementing["status"] == "in-force"
    assert implementing["issuer"] == "european-commission"
    assert load_records([records]).problems == []


def test_eur_lex_knows_an_act_a_record_already_cites(
    runner: Runner, server: HTTPServer, records: Path
) -> None:
    """A record citing EUR-Lex under another address of the same CELEX number."""
    plan = records / "policies" / "test-open-models-plan.yaml"
    eur_lex = "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:52025DC0165"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("https://ministry.example/plans/open-models", eur_lex))
    serve_eur_lex(server)
    report = runner.run(runner.sources(dict(EUR_LEX)), dry_run=True)
    reasons = {d.title: d.reason for d in report.sources[0].result.drops}
    duplicate = next(r for t, r in reasons.items() if "AI Continent Action Plan" in t)
    assert duplicate == "duplicate of record test-open-models-plan (celex)"


GOVCN = {
    "id": "govcn-ai",
    "type": "govcn",
    "path": "/search-gov/data",
    "params": {"per_page": 5, "max_pages": 3, "issuers": {"国务院": "ministry-of-tests"}},
    "defaults": {"jurisdiction": "CN", "instrument": "guidance", "status": "adopted"},
    "keywords": ["人工智能"],
}


def serve_govcn(server: HTTPServer, etag: str | None = None) -> None:
    server.expect_request(
        "/search-gov/data",
        query_string={
            "t": "zhengcelibrary",
            "q": "人工智能",
            "timetype": "timeqb",
            "sort": "pubtime",
            "sortType": "1",
            "searchfield": "title",
            "p": "2",
            "n": "5",
        },
    ).respond_with_data(
        fixture_bytes("govcn_no_match.json"), content_type="application/json;charset=UTF-8"
    )
    server.expect_request("/search-gov/data").respond_with_data(
        fixture_bytes("govcn_page1.json"),
        content_type="application/json;charset=UTF-8",
        headers=_tag(etag),
    )


def test_govcn_reads_grouped_categories_issuers_and_dates(
    runner: Runner, server: HTTPServer, records: Path
) -> None:
    serve_govcn(server)
    report = runner.run(runner.sources(dict(GOVCN)))
    source = report.sources[0]
    assert source.result.error is None
    # gongwen and bumenfile only; the document listed twice counts once; page 2 said
    # "no match", which ends the pages.
    assert source.result.items == 4 and len(server.log) == 3
    new = {c.id: c.data for c in source.new}
    opinions = new["cn-govcn-7037861"]
    assert opinions["title"] == "国务院关于深入实施“人工智能+”行动的意见"  # <em> removed
    assert opinions["document_number"] == "国发\u30142025\u301511号"  # tortoise-shell brackets
    assert opinions["instrument"] == "strategy" and opinions["issuer"] == "ministry-of-tests"
    assert opinions["date"] == "2025-08-26" and opinions["sources"][0]["publisher"] == "www.gov.cn"
    guide = new["cn-govcn-7028001"]
    assert guide["date"] == "2025-06-12"  # pubtimeStr null: pubtime in China time
    assert guide["instrument"] == "guidance"
    # The first of two issuing bodies, unknown to the records: proposed as an organization.
    ministry = next(c.data for c in source.new if c.data["kind"] == "organization")
    assert ministry["name"] == "工业和信息化部" and ministry["country"] == "CN"
    assert guide["issuer"] == ministry["id"] and ministry["id"].startswith("cn-issuer-")
    reasons = {d.title: d.reason for d in source.result.drops}
    assert reasons["国务院办公厅关于印发《统计工作方案》的通知"] == "not relevant (no keyword)"
    assert reasons["关于人工智能赋能新型工业化的实施方案"] == (
        "no publication date (pubtimeStr, pubtime)"
    )
    assert load_records([records]).problems == []
