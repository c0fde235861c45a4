"""Counts over the knowledge base: by kind, access level, jurisdiction and country."""

from __future__ import annotations

from collections import Counter

from schemas.knowledge_base import KnowledgeBase
from schemas.records import Model, Organization, Policy


def corpus_stats(kb: KnowledgeBase) -> dict[str, dict[str, int]]:
    """Sections of counts, each sorted by count then name."""

    def ordered(counter: Counter[str]) -> dict[str, int]:
        return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))

    kinds = kb.counts()
    access: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    jurisdictions: Counter[str] = Counter()
    for record in kb.records:
        if isinstance(record, Model):
            access[record.access] += 1
            developer = kb.get(record.organization)
            if isinstance(developer, Organization):
                countries[developer.country] += 1
        elif isinstance(record, Policy):
            jurisdictions[record.jurisdiction] += 1
    return {
        "records by kind": {**kinds, "total": sum(kinds.values())},
        "models by access": ordered(access),
        "models by developer country": ordered(countries),
        "policies by jurisdiction": ordered(jurisdictions),
    }
