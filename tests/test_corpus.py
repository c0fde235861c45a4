"""The shipped knowledge base: valid, large enough, sourced, and every reference resolves."""

from __future__ import annotations

import datetime as dt

import pytest

from schemas import KnowledgeBase, Model, News, Organization, Policy, load_records
from schemas.vocabularies import vocabulary
from tests.conftest import ROOT

MINIMUM = {"policy": 130, "model": 190, "news": 60, "organization": 90}
#: Jurisdictions the policy side must cover (besides the US, the EU, China and INT).
JURISDICTIONS = {
    "GB", "FR", "DE", "IT", "ES", "JP", "KR", "IN", "BR", "CA", "AE", "SA", "SG", "CH",
    "US", "EU", "CN", "INT",
}  # fmt: skip


@pytest.fixture(scope="module")
def corpus() -> KnowledgeBase:
    return load_records([ROOT / "records"])


def test_corpus_is_valid(corpus: KnowledgeBase) -> None:
    assert [str(problem) for problem in corpus.problems] == []


def test_minimum_counts(corpus: KnowledgeBase) -> None:
    counts = corpus.counts()
    for kind, minimum in MINIMUM.items():
        assert counts[kind] >= minimum, f"{kind}: {counts[kind]} < {minimum}"


def test_every_record_has_a_web_source(corpus: KnowledgeBase) -> None:
    for record in corpus.records:
        assert record.sources, record.id
        assert all(source.url.startswith(("https://", "http://")) for source in record.sources)


def test_every_referenced_organization_exists(corpus: KnowledgeBase) -> None:
    organizations = {record.id for record in corpus.of_kind("organization")}
    for record in corpus.records:
        if isinstance(record, Model):
            assert record.organization in organizations, record.id
        if isinstance(record, Policy):
            assert record.issuer in organizations, record.id


def test_models_have_a_developer_country_and_policies_a_stance(corpus: KnowledgeBase) -> None:
    for record in corpus.records:
        if isinstance(record, Model):
            developer = corpus.get(record.organization)
            assert isinstance(developer, Organization) and developer.country
        if isinstance(record, Policy) and record.open_source_stance != "not-addressed":
            assert record.stance_quote, record.id


def test_no_record_is_dated_in_the_future(corpus: KnowledgeBase) -> None:
    today = dt.date.today()
    for record in corpus.records:
        if isinstance(record, Model | News):
            assert record.date.earliest() <= today, record.id


def test_current_to_this_year(corpus: KnowledgeBase) -> None:
    models = [r for r in corpus.of_kind("model") if r.date.year == 2026]
    others = [
        r for r in corpus.records if r.kind_name in ("policy", "news") and r.date.year == 2026
    ]
    assert len(models) >= 25
    assert len(others) >= 25


def test_every_listed_jurisdiction_has_policies(corpus: KnowledgeBase) -> None:
    present = {r.jurisdiction for r in corpus.records if isinstance(r, Policy)}
    assert present >= JURISDICTIONS, sorted(JURISDICTIONS - present)


def test_every_organization_is_referenced(corpus: KnowledgeBase) -> None:
    referenced = {target for record in corpus.records for _, target, _ in record.references()}
    orphans = [r.id for r in corpus.of_kind("organization") if r.id not in referenced]
    assert orphans == []


def test_court_rulings_say_what_was_decided(corpus: KnowledgeBase) -> None:
    rulings = [
        r for r in corpus.records if isinstance(r, Policy) and r.instrument == "court-ruling"
    ]
    assert len(rulings) >= 5
    for ruling in rulings:
        assert ruling.case is not None and ruling.dates.decided is not None, ruling.id


def test_every_model_states_every_component(corpus: KnowledgeBase) -> None:
    components = list(vocabulary("components"))
    for record in corpus.records:
        if isinstance(record, Model):
            assert record.components is not None, record.id
            stated = [name for name in components if getattr(record.components, name) is not None]
            assert stated == components, record.id
