"""Synthetic knowledge bases for benchmarks: realistic shapes, references that resolve."""

from __future__ import annotations

import random
from pathlib import Path

from schemas.vocabularies import vocabulary

COUNTRIES = ["US", "CN", "FR", "DE", "GB", "AE", "CA", "JP", "KR", "IN"]
JURISDICTIONS = ["US", "CN", "EU", "GB", "FR", "JP", "KR", "IN", "INT", "US-CA"]
PROVISION_EFFECTS = list(vocabulary("provision-effects"))
WORDS = [
    "open",
    "model",
    "weights",
    "policy",
    "frontier",
    "safety",
    "compute",
    "release",
    "license",
    "data",
    "training",
    "reasoning",
    "multilingual",
    "sovereign",
    "governance",
    "research",
    "agent",
    "vision",
    "code",
    "audio",
]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _date(rng: random.Random) -> str:
    year = rng.randint(2017, 2025)
    precision = rng.random()
    if precision < 0.1:
        return str(year)
    if precision < 0.25:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def write_synthetic_records(root: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` records under ``root/records`` (5% organizations) and return that folder."""
    rng = random.Random(seed)
    records = root / "records"
    for folder in ("policies", "models", "news", "organizations", "licenses"):
        (records / folder).mkdir(parents=True, exist_ok=True)
    tags = list(vocabulary("tags"))
    org_count = max(4, count // 20)
    licenses = _write_licences(records, max(4, count // 100))
    orgs = [f"org-{i}" for i in range(org_count)]
    models: list[str] = []
    for i, org in enumerate(orgs):
        (records / "organizations" / f"{org}.yaml").write_text(
            f"id: {org}\nkind: organization\ntitle: Organization {i}\ndate: {_date(rng)}\n"
            f"summary: {_sentence(rng, 14)}\nname: Organization number {i}\n"
            f"country: {rng.choice(COUNTRIES)}\ntype: company\nurl: https://org{i}.example\n"
            f"sources:\n  - url: https://org{i}.example/about\n    title: About\n"
            f"    publisher: Organization {i}\nadded: 2025-01-01\n",
            encoding="utf-8",
        )
    for i in range(count - org_count - len(licenses)):
        choice = i % 10
        date = _date(rng)
        common = f"title: Synthetic record {i}\ndate: {date}\nsummary: {_sentence(rng, 30)}\n"
        tail = (
            f"sources:\n  - url: https://source.example/{i}\n    title: Source {i}\n"
            f'    publisher: Publisher {i % 50}\n    quote: "{_sentence(rng, 12)}"\n'
            f"tags: [{', '.join(rng.sample(tags, 2))}]\nadded: 2025-{rng.randint(1, 12):02d}-01\n"
        )
        if choice < 5:
            rid = f"model-{i}"
            base = f"base_model: {rng.choice(models)}\n" if models and rng.random() < 0.3 else ""
            licence, restricted = rng.choice(licenses)
            access = "open-weights-restricted" if restricted else "open-weights"
            text = (
                f"id: {rid}\nkind: model\n{common}organization: {rng.choice(orgs)}\n"
                f"modality: [text]\nparameters: {{total: {rng.randint(1, 900)}000000000}}\n"
                f"license: {licence}\naccess: {access}\nreleased: [weights]\n"
                f"huggingface: [org/model-{i}]\n{_components(rng, i)}{base}{tail}"
            )
            models.append(rid)
            folder = "models"
        elif choice < 8:
            rid = f"policy-{i}"
            text = (
                f"id: {rid}\nkind: policy\n{common}jurisdiction: {rng.choice(JURISDICTIONS)}\n"
                f"issuer: {rng.choice(orgs)}\ninstrument: law\nstatus: adopted\n"
                f"dates: {{signed: {date}}}\nopen_source_stance: supportive\n"
                f'stance_quote: "{_sentence(rng, 10)}"\n{_provisions(rng, i)}{tail}'
            )
            folder = "policies"
        else:
            rid = f"news-{i}"
            about = f"about: [{rng.choice(models)}]\n" if models else ""
            text = (
                f"id: {rid}\nkind: news\n{common}publisher: Gazette\n"
                f"url: https://news.example/{i}\n{about}{tail}"
            )
            folder = "news"
        (records / folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return records


def _write_licences(records: Path, count: int) -> list[tuple[str, bool]]:
    """Write ``count`` licence records, half permissive and half with a threshold and a use
    policy; return their ids, each with whether it restricts use."""
    written = []
    for i in range(count):
        restricted = i % 2 == 1
        terms = (
            "  commercial_use:\n    value: conditional\n"
            '    quote: "Commercial use is allowed subject to Section 2."\n'
            "  user_threshold:\n    value: 700000000\n    unit: monthly active users\n"
            "    effect: separate-licence\n"
            '    quote: "Above 700 million monthly active users, request a licence."\n'
            "  acceptable_use_policy:\n    value: incorporated\n    licensor_may_change: true\n"
            '    quote: "The acceptable use policy is incorporated into this agreement."\n'
            if restricted
            else "  commercial_use:\n    value: allowed\n"
            '    quote: "Permission is granted to use, copy, modify and sell copies."\n'
        )
        category = "model-licence" if restricted else "open-source"
        (records / "licenses" / f"licence-{i}.yaml").write_text(
            f"id: licence-{i}\nkind: license\ntitle: Synthetic licence {i}\ndate: 2024-01-01\n"
            f"summary: A synthetic licence for benchmarks.\nname: Synthetic Licence {i}\n"
            f"publisher_name: Licensor {i}\nurl: https://licences.example/{i}\n"
            f"category: {category}\nosi_approved: {str(not restricted).lower()}\n"
            f"terms:\n{terms}"
            f"sources:\n  - url: https://licences.example/{i}\n    title: Licence {i}\n"
            f"    publisher: Licensor {i}\nadded: 2025-01-01\n",
            encoding="utf-8",
        )
        written.append((f"licence-{i}", restricted))
    return written


def _provisions(rng: random.Random, index: int) -> str:
    """Two provisions for every policy, and three action items for every third."""
    text = "provisions:\n"
    for number, effect in enumerate(rng.sample(PROVISION_EFFECTS, 2)):
        text += (
            f'  - {{ref: "Article {number + 1}", effect: {effect}, '
            f"applies_to: [open-weight-models], summary: {_sentence(rng, 8)}, "
            f'quote: "{_sentence(rng, 12)}"}}\n'
        )
    if index % 3 == 0:
        text += "action_items:\n"
        for number in range(3):
            text += (
                f'  - {{ref: "Action {number + 1}", text: "{_sentence(rng, 10)}", '
                "responsible: Ministry, status: not-started}\n"
            )
    return text


def _components(rng: random.Random, i: int) -> str:
    """A components block: weights and card always released, the rest drawn at random."""
    lines = ["components:\n"]
    for name in vocabulary("components"):
        if name in ("weights", "model_card"):
            status = "released"
        elif name == "training_data":
            status = rng.choice(["full", "partial", "described", "not-released"])
        else:
            status = rng.choice(["released", "not-released"])
        evidence = "" if status == "not-released" else f", evidence: https://org.example/{i}/{name}"
        lines.append(f"  {name}: {{status: {status}{evidence}}}\n")
    return "".join(lines)
