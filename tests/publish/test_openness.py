"""The openness computations at each boundary, on hand-made releases and licences."""

from __future__ import annotations

from typing import Any

import pytest

from publish.openness import epoch_level, licence_terms, mof_class, open_licence, osaid
from schemas import License, Model

QUOTE = "The licence's own words."
CLASS_III = {
    "weights": "released",
    "inference_code": "released",
    "model_card": "released",
    "training_data": "described",
    "technical_report": "released",
}
CLASS_II = {**CLASS_III, "training_code": "released", "evaluation_code": "released"}
CLASS_I = {
    **CLASS_II,
    "training_data": "full",
    "data_processing_code": "released",
    "intermediate_checkpoints": "partial",
}
OSAID = {
    "weights": "released",
    "training_code": "released",
    "inference_code": "released",
    "training_data": "described",
    "data_processing_code": "released",
}


def model(statuses: dict[str, str]) -> Model:
    components = {
        name: {"status": status, "evidence": f"https://lab.example/{name}"}
        for name, status in statuses.items()
    }
    return Model.model_validate(
        {
            "id": "m",
            "kind": "model",
            "title": "M",
            "date": "2025-01",
            "summary": "A model.",
            "organization": "lab",
            "modality": ["text"],
            "license": "apache-2-0",
            "access": "open-weights",
            "components": components,
            "sources": [{"url": "https://lab.example/m", "title": "T", "publisher": "P"}],
            "added": "2025-01-02",
        }
    )


def licence(category: str, **terms: Any) -> License:
    commercial = {"value": "forbidden" if category == "non-commercial" else "allowed"}
    return License.model_validate(
        {
            "id": "l",
            "kind": "license",
            "title": "L",
            "date": "2024",
            "summary": "A licence.",
            "name": "L",
            "publisher_name": "P",
            "url": "https://lab.example/licence",
            "category": category,
            "osi_approved": category == "open-source",
            "terms": {
                "commercial_use": {**commercial, "quote": QUOTE},
                **{name: {**value, "quote": QUOTE} for name, value in terms.items()},
            },
            "sources": [{"url": "https://lab.example/licence", "title": "T", "publisher": "P"}],
            "added": "2025-01-02",
        }
    )


APACHE = licence("open-source")
CC_BY = licence("open-content")
LLAMA = licence(
    "model-licence",
    user_threshold={
        "value": 700_000_000,
        "unit": "monthly active users",
        "effect": "separate-licence",
    },
    acceptable_use_policy={"value": "incorporated", "licensor_may_change": True},
)


@pytest.mark.parametrize(
    ("statuses", "licence_record", "expected"),
    [
        ({}, APACHE, "Below Class III"),
        ({**CLASS_III, "technical_report": "partial"}, APACHE, "Below Class III"),
        ({**CLASS_III, "training_data": "not-released"}, APACHE, "Below Class III"),
        (CLASS_III, APACHE, "Class III (Open Model)"),
        (CLASS_III, CC_BY, "Class III (Open Model)"),
        (CLASS_III, LLAMA, "Below Class III"),
        (CLASS_III, None, "Below Class III"),
        ({**CLASS_II, "evaluation_code": "partial"}, APACHE, "Class III (Open Model)"),
        (CLASS_II, APACHE, "Class II (Open Tooling)"),
        ({**CLASS_I, "training_data": "partial"}, APACHE, "Class II (Open Tooling)"),
        (
            {**CLASS_I, "intermediate_checkpoints": "not-released"},
            APACHE,
            "Class II (Open Tooling)",
        ),
        (CLASS_I, APACHE, "Class I (Open Science)"),
        (CLASS_I, LLAMA, "Below Class III"),
    ],
)
def test_model_openness_framework_class(
    statuses: dict[str, str], licence_record: License | None, expected: str
) -> None:
    verdict = mof_class(model(statuses), licence_record)
    assert verdict.label == expected
    assert verdict.met == (expected != "Below Class III")
    assert bool(verdict.missing) == (expected != "Class I (Open Science)")


@pytest.mark.parametrize(
    ("statuses", "licence_record", "met"),
    [
        (OSAID, APACHE, True),
        ({**OSAID, "training_data": "partial"}, CC_BY, True),
        ({**OSAID, "training_data": "not-released"}, APACHE, False),
        ({**OSAID, "training_code": "partial"}, APACHE, False),
        ({**OSAID, "data_processing_code": "not-released"}, APACHE, False),
        ({k: v for k, v in OSAID.items() if k != "inference_code"}, APACHE, False),
        (OSAID, LLAMA, False),
        (OSAID, licence("non-commercial"), False),
    ],
)
def test_open_source_ai_definition(
    statuses: dict[str, str], licence_record: License, met: bool
) -> None:
    verdict = osaid(model(statuses), licence_record)
    assert verdict.met is met
    assert bool(verdict.missing) is not met


def test_licence_terms_and_openness_of_licences() -> None:
    assert open_licence(APACHE) and open_licence(CC_BY)
    assert not open_licence(LLAMA) and not open_licence(None)
    assert licence_terms(APACHE) == [
        "commercial-use-allowed",
        "no-user-threshold",
        "no-territorial-exclusion",
        "no-use-restrictions",
        "osi-approved",
    ]
    assert licence_terms(LLAMA) == ["commercial-use-allowed", "no-territorial-exclusion"]
    excluded = licence("model-licence", territories_excluded={"value": ["EU"]})
    assert "no-territorial-exclusion" not in licence_terms(excluded)
    assert licence_terms(licence("non-commercial")) == [
        "no-user-threshold",
        "no-territorial-exclusion",
        "no-use-restrictions",
    ]
    assert LLAMA.restrictions() == [
        "needs a separate licence above a user or revenue threshold",
        "incorporates an acceptable-use policy",
    ]
    assert APACHE.restrictions() == []


def test_a_threshold_that_only_asks_for_credit_restricts_nothing() -> None:
    credit = licence(
        "model-licence",
        user_threshold={
            "value": 100_000_000,
            "unit": "monthly active users",
            "effect": "attribution",
        },
    )
    assert credit.restrictions() == []
    assert "no-user-threshold" in licence_terms(credit)
    separate = licence(
        "model-licence",
        user_threshold={
            "value": 100_000_000,
            "unit": "monthly active users",
            "effect": "separate-licence",
        },
    )
    assert separate.restrictions() == ["needs a separate licence above a user or revenue threshold"]
    assert "no-user-threshold" not in licence_terms(separate)


def test_epoch_level_follows_access_and_commercial_use() -> None:
    restricted = model({"weights": "released"}).model_copy(
        update={"access": "open-weights-restricted"}
    )
    assert epoch_level(restricted, licence("non-commercial")) == "Open weights (non-commercial)"
    assert epoch_level(restricted, LLAMA) == "Open weights (restricted use)"
    assert epoch_level(model({}), APACHE) == "Open weights (unrestricted)"
    # Only restricted access has a non-commercial value; the licence cannot lift another level.
    closed = model({}).model_copy(update={"access": "closed"})
    assert epoch_level(closed, licence("non-commercial")) == "Unreleased"
