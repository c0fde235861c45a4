"""Openness classes computed from a model's components and its licence's terms, never typed in.

- The Linux Foundation's Model Openness Framework (MOF; Class III "Open Model", Class II "Open
  Tooling", Class I "Open Science", each including the ones below it);
- the Open Source Initiative's Open Source AI Definition 1.0 (OSAID);
- Epoch AI's accessibility level (from the access vocabulary).

The rules, and how the tracker's nine components stand in for the definitions' own lists, are
written out on the site's Openness page (docs/openness.md); the tests check each boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas import License, Model
from schemas.vocabularies import place_name, vocabulary

#: Licence categories whose terms let anyone use, study, modify and share the weights for any
#: purpose: what both definitions ask of the weights' licence.
OPEN_LICENCE_CATEGORIES = frozenset({"open-source", "open-content"})
#: Training data statuses that amount to a data card / data information.
DATA_DESCRIBED = frozenset({"full", "partial", "described"})

RELEASED = frozenset({"released"})
SOME = frozenset({"released", "partial"})

#: What each MOF class adds to the one below, as (tracker component, accepted statuses, what the
#: framework calls it).
MOF_CLASSES: list[tuple[str, list[tuple[str, frozenset[str], str]]]] = [
    (
        "Class III (Open Model)",
        [
            ("weights", RELEASED, "final model parameters"),
            ("inference_code", RELEASED, "model architecture"),
            ("model_card", RELEASED, "model card"),
            ("training_data", DATA_DESCRIBED, "data card"),
            (
                "technical_report",
                RELEASED,
                "technical report and evaluation results",
            ),
        ],
    ),
    (
        "Class II (Open Tooling)",
        [
            ("training_code", RELEASED, "training code"),
            ("evaluation_code", RELEASED, "evaluation code and data"),
        ],
    ),
    (
        "Class I (Open Science)",
        [
            ("training_data", frozenset({"full"}), "datasets"),
            ("data_processing_code", RELEASED, "data preprocessing code"),
            (
                "intermediate_checkpoints",
                SOME,
                "intermediate parameters",
            ),
            ("technical_report", RELEASED, "research paper"),
        ],
    ),
]

#: What the Open Source AI Definition asks to be available, as tracker components.
OSAID_REQUIREMENTS: list[tuple[str, frozenset[str], str]] = [
    ("weights", RELEASED, "parameters"),
    ("training_code", RELEASED, "code used to train the system"),
    ("inference_code", RELEASED, "code used to run the system"),
    ("training_data", DATA_DESCRIBED, "data information"),
    ("data_processing_code", RELEASED, "code used to process the data"),
]


@dataclass(frozen=True)
class Verdict:
    """A computed class, with what keeps the model from the next one."""

    label: str
    met: bool
    missing: tuple[str, ...] = ()


def status(model: Model, component: str) -> str:
    """A component's status; not stated counts as not released."""
    part = getattr(model.components, component, None) if model.components else None
    return part.status if part is not None else "not-released"


def open_licence(licence: License | None) -> bool:
    """The licence lets anyone use, study, modify and share the weights for any purpose."""
    return licence is not None and licence.category in OPEN_LICENCE_CATEGORIES


def _missing(model: Model, needs: list[tuple[str, frozenset[str], str]]) -> list[str]:
    return [name for component, accepted, name in needs if status(model, component) not in accepted]


def mof_class(model: Model, licence: License | None) -> Verdict:
    """The highest Model Openness Framework class the release reaches."""
    reached = ""
    for label, needs in MOF_CLASSES:
        missing = _missing(model, needs)
        if not open_licence(licence):
            missing.append("weights under an open licence")
        if missing:
            return Verdict(reached or "Below Class III", bool(reached), tuple(missing))
        reached = label
    return Verdict(reached, True)


def osaid(model: Model, licence: License | None) -> Verdict:
    """Whether the release meets the Open Source AI Definition 1.0."""
    missing = _missing(model, OSAID_REQUIREMENTS)
    if not open_licence(licence):
        missing.append("OSI-approved terms for the parameters")
    if missing:
        return Verdict("Does not meet OSAID 1.0", False, tuple(missing))
    return Verdict("Meets OSAID 1.0", True)


def epoch_level(model: Model, licence: License | None) -> str:
    """Epoch AI's accessibility value for the model's access level: its non-commercial value
    when the access level has one and the licence forbids commercial use."""
    attributes = vocabulary("access").terms[model.access].attributes
    commercial = licence.terms.commercial_use if licence is not None else None
    if commercial is not None and commercial.value == "forbidden":
        return str(attributes.get("epoch_non_commercial", attributes["epoch"]))
    return str(attributes["epoch"])


def licence_terms(licence: License | None) -> list[str]:
    """The licence-term facet values a licence earns (``vocabularies/license-terms.yaml``)."""
    if licence is None or licence.category == "proprietary":
        return []
    terms = licence.terms
    found = []
    if terms.commercial_use is not None and terms.commercial_use.value == "allowed":
        found.append("commercial-use-allowed")
    if terms.user_threshold is None or terms.user_threshold.effect != "separate-licence":
        found.append("no-user-threshold")
    if terms.territories_excluded is None:
        found.append("no-territorial-exclusion")
    if terms.acceptable_use_policy is None and terms.field_of_use is None:
        found.append("no-use-restrictions")
    if licence.osi_approved:
        found.append("osi-approved")
    return found


def licence_term_rows(licence: License) -> list[tuple[str, str, str, str | None]]:
    """A licence's terms in reading order: (term, what it says, quote, section)."""
    rows = []
    for name, term in licence.terms:
        if term is None:
            continue
        value = term.value
        if name == "user_threshold":
            effect = vocabulary("threshold-effects").terms[term.effect].meaning
            shown = f"{value:,} {term.unit}. {effect}"
        elif name == "acceptable_use_policy":
            changes = {
                True: "; the licensor may change it",
                False: "; the licensor may not change it on its own",
                None: "",
            }[term.licensor_may_change]
            shown = f"An acceptable-use policy is part of the licence{changes}"
        elif name == "territories_excluded":
            shown = "Excluded: " + ", ".join(place_name(code) for code in value)
        elif name in ("commercial_use", "output_training"):
            shown = vocabulary(VOCABULARY_OF_TERM[name]).terms[value].meaning
        else:
            shown = str(value)
        rows.append((name, shown, term.quote, term.section))
    return rows


VOCABULARY_OF_TERM = {"commercial_use": "commercial-use", "output_training": "output-training"}
