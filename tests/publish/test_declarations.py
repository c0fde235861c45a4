"""Every kind and every facet is declared completely, in one place each."""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, meta

from publish.facets import FACETS, PAGED_FACETS
from publish.kinds import KIND_VIEWS
from publish.mkdocs_plugin import not_in_nav_patterns
from schemas import MODELS
from schemas.vocabularies import vocabulary


def test_every_kind_has_a_complete_declaration() -> None:
    assert list(KIND_VIEWS) == list(MODELS)
    assert set(vocabulary("kinds")) == set(MODELS)
    templates = resources.files("publish") / "templates"
    for kind, model in MODELS.items():
        view = KIND_VIEWS[kind]
        assert model.kind_name == kind and model.folder and model.label and model.plural
        assert model.scaffold, kind
        assert view.intro and view.columns and view.jsonld_type, kind
        source = (templates / view.template).read_text(encoding="utf-8")
        parsed = Environment().parse(source)
        assert meta.find_referenced_templates(parsed), f"{view.template} extends the record page"


def test_every_facet_has_a_complete_declaration() -> None:
    assert len({facet.feed_group for facet in FACETS.values()}) == len(FACETS)
    for facet in PAGED_FACETS:
        assert facet.index_title and facet.intro, facet.name
        assert f"/{facet.folder}/*.md" in not_in_nav_patterns()
    filters = [facet.filter_attribute for facet in FACETS.values() if facet.filter_attribute]
    assert len(filters) == len(set(filters))
