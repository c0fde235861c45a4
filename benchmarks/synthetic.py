"""Synthetic knowledge bases for benchmarks: realistic shapes, references that resolve."""

from __future__ import annotations

import random
from pathlib import Path

from schemas.vocabularies import vocabulary

COUNTRIES = ["US", "CN", "FR", "DE", "GB", "AE", "CA", "JP", "KR", "IN"]
JURISDICTIONS = ["US", "CN", "EU", "GB", "FR", "JP", "KR", "IN", "INT", "US-CA"]
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
    for folder in ("policies", "models", "news", "organizations"):
        (records / folder).mkdir(parents=True, exist_ok=True)
    tags = list(vocabulary("tags"))
    licenses = [v for v, t in vocabulary("licenses").terms.items() if t.attributes.get("osi")]
    org_count = max(4, count // 20)
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
    for i in range(count - org_count):
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
            text = (
                f"id: {rid}\nkind: model\n{common}organization: {rng.choice(orgs)}\n"
                f"modality: [text]\nparameters: {{total: {rng.randint(1, 900)}000000000}}\n"
                f"license: {rng.choice(licenses)}\naccess: open-weights\nreleased: [weights]\n"
                f"huggingface: [org/model-{i}]\n{base}{tail}"
            )
            models.append(rid)
            folder = "models"
        elif choice < 8:
            rid = f"policy-{i}"
            text = (
                f"id: {rid}\nkind: policy\n{common}jurisdiction: {rng.choice(JURISDICTIONS)}\n"
                f"issuer: {rng.choice(orgs)}\ninstrument: law\nstatus: adopted\n"
                f"dates: {{signed: {date}}}\nopen_source_stance: supportive\n"
                f'stance_quote: "{_sentence(rng, 10)}"\n{tail}'
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
