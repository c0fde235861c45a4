"""What policies say about open source: provisions and action items as the site shows them.

One pass over the policies gives every provision and action item an anchor on its policy's
page; the policy pages, the "Open source in AI policy" page, the action plan tracker, the
feeds and the exports all use those anchors, so a link from any of them lands on the row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from html import escape

from publish import paths
from publish.catalog import Catalog
from publish.page_text import label, slug
from publish.paths import Site
from schemas import ActionItem, Policy, Provision, RecordEvidence
from schemas.dates import PartialDate
from schemas.vocabularies import vocabulary

#: Provision effects in the vocabulary's order; action statuses in the order pages count them.
EFFECTS = list(vocabulary("provision-effects"))
STATUSES = ["done", "under-way", "not-started", "dropped"]
#: Jurisdictions whose stances the stance chart follows, in the order it shows them.
STANCE_JURISDICTIONS = ["US", "EU", "GB", "CN", "FR", "JP", "KR", "IN"]
STANCE_CHART_TITLE = "Open-source stance of policies over time, by jurisdiction"
#: Stances drawn as filled marks, with their colours; ``not-addressed`` is a hollow mark.
STANCE_COLOURS = {
    "supportive": "#43a047",
    "mixed": "#fb8c00",
    "neutral": "#757575",
    "restrictive": "#e53935",
}


@dataclass(frozen=True)
class ProvisionView:
    policy: Policy
    provision: Provision
    anchor: str

    @property
    def source_url(self) -> str:
        return self.provision.source or self.policy.sources[0].url


@dataclass(frozen=True)
class ItemView:
    policy: Policy
    item: ActionItem
    anchor: str


def _anchors(prefix: str, names: list[str]) -> list[str]:
    """Page anchors from names: ``provision-article-53-2``, a number added to repeats."""
    seen: Counter[str] = Counter()
    found = []
    for name in names:
        base = f"{prefix}-{slug(name)[:60].strip('-') or 'item'}"
        seen[base] += 1
        found.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return found


def provision_views(policy: Policy) -> list[ProvisionView]:
    anchors = _anchors("provision", [p.ref for p in policy.provisions])
    return [ProvisionView(policy, p, a) for p, a in zip(policy.provisions, anchors, strict=True)]


def item_views(policy: Policy) -> list[ItemView]:
    names = [item.ref or " ".join(item.text.split()[:6]) for item in policy.action_items]
    anchors = _anchors("action", names)
    return [ItemView(policy, i, a) for i, a in zip(policy.action_items, anchors, strict=True)]


@dataclass(frozen=True)
class PolicyNote:
    """A provision, or an action item at its current status, as an entry of the feeds of its
    policy's jurisdiction. An item's entry id holds its status, so a status change is a new
    entry for subscribers."""

    policy: Policy
    anchor: str
    title: str
    #: How the entry introduces itself ("Provision", "Action item") and its feed category.
    what: str
    category: str
    event: PartialDate
    body_html: str
    external_url: str
    status: str | None = None

    def entry_id(self, site: Site) -> str:
        base = site.record_url(self.policy.id) + "#" + self.anchor
        return f"{base}/{self.status}" if self.status else base


def policy_notes(policy: Policy, catalog: Catalog) -> list[PolicyNote]:
    """The feed entries of one policy's provisions and action items."""
    notes = []
    for view in provision_views(policy):
        provision = view.provision
        notes.append(
            PolicyNote(
                policy,
                view.anchor,
                f"{policy.title}: {provision.ref} ({label(provision.effect).lower()})",
                f"Provision: {label(provision.effect)}",
                "provision",
                provision.applies_from or policy.date,
                f"<p>{escape(provision.summary)}</p>"
                f"<blockquote>{escape(provision.quote)}</blockquote>"
                f"<p>Applies to: {escape(', '.join(label(s) for s in provision.applies_to))}</p>",
                view.source_url,
            )
        )
    for item_view in item_views(policy):
        item = item_view.item
        evidence = []
        for found in item.evidence:
            if isinstance(found, RecordEvidence):
                record = catalog.by_id.get(found.record)
                evidence.append(escape(record.title if record else found.record))
            else:
                href = escape(found.url, quote=True)
                evidence.append(f'<a href="{href}">{escape(found.title)}</a>')
        first_page = next(
            (found.url for found in item.evidence if not isinstance(found, RecordEvidence)),
            policy.sources[0].url,
        )
        notes.append(
            PolicyNote(
                policy,
                item_view.anchor,
                f"{policy.title}: {label(item.status).lower()}: {_shorten(item.text)}",
                f"Action item: {label(item.status)}",
                "action-item",
                item.since or policy.date,
                f"<p>{escape(item.text)}</p><p>Responsible: {escape(item.responsible)}</p>"
                + (f"<p>Evidence: {'; '.join(evidence)}</p>" if evidence else "")
                + (f"<p>{escape(item.note)}</p>" if item.note else ""),
                first_page,
                item.status,
            )
        )
    return notes


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class PolicyProvisions:
    """Every provision and action item of the knowledge base, grouped the ways pages need."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.policies = sorted(
            (r for r in catalog.of_kind("policy") if isinstance(r, Policy)),
            key=lambda p: (p.date.key, p.id),
        )

    @cached_property
    def provisions(self) -> list[ProvisionView]:
        return [view for policy in self.policies for view in provision_views(policy)]

    @cached_property
    def plans(self) -> list[tuple[Policy, list[ItemView], Counter[str]]]:
        """Policies with action items, newest first, with their items and status counts."""
        found = []
        for policy in reversed(self.policies):
            views = item_views(policy)
            if views:
                found.append((policy, views, Counter(view.item.status for view in views)))
        return found

    def jurisdictions(self) -> list[str]:
        """Jurisdictions with provisions: most provisions first, then by name."""
        counts = Counter(view.policy.jurisdiction for view in self.provisions)
        return sorted(counts, key=lambda code: (-counts[code], self.catalog.place_name(code)))

    def matrix(self) -> list[tuple[str, dict[str, list[ProvisionView]]]]:
        """Jurisdictions as rows, effects as columns, the provisions in each cell."""
        rows = []
        for code in self.jurisdictions():
            cells: dict[str, list[ProvisionView]] = {effect: [] for effect in EFFECTS}
            for view in self.provisions:
                if view.policy.jurisdiction == code:
                    cells[view.provision.effect].append(view)
            rows.append((code, cells))
        return rows

    def status_totals(self) -> Counter[str]:
        return sum((counts for _, _, counts in self.plans), Counter())


# -- the stance chart --------------------------------------------------------------------------

CHART_WIDTH, ROW_HEIGHT, LABEL_WIDTH, TOP, BOTTOM = 720, 30, 120, 12, 64


def _x_position(year: int, months: float, first: int, last: int) -> float:
    """Where a moment ``months`` into ``year`` falls on the axis of the years first..last."""
    fraction = (year - first + months / 12) / (last - first + 1)
    return LABEL_WIDTH + fraction * (CHART_WIDTH - LABEL_WIDTH - 12)


def _date_position(date: PartialDate, first: int, last: int) -> float:
    """A date's place on the axis: mid-month, or mid-year when only the year is known."""
    months = date.month - 0.5 if date.month is not None else 6.0
    return _x_position(date.year, months, first, last)


def stance_chart(catalog: Catalog, url: Callable[[str], str]) -> str:
    """How the US, EU, UK, China, France, Japan, Korea and India treated open-source AI over
    time: each policy a mark in its jurisdiction's row at its date, coloured by stance; with
    the policies that take a stance listed beneath as a table."""
    policies = [
        p
        for p in catalog.of_kind("policy")
        if isinstance(p, Policy) and p.jurisdiction in STANCE_JURISDICTIONS
    ]
    policies.sort(key=lambda p: (p.date.key, p.id))
    title = STANCE_CHART_TITLE
    description = (
        "Each mark is a policy of the United States, the EU, the United Kingdom, China, France, "
        "Japan, Korea or India at its date; filled marks are coloured by the policy's stance "
        "on open-source and open-weight AI, hollow marks are policies that do not address it."
    )
    if not policies:
        return ""
    first, last = policies[0].date.year, policies[-1].date.year
    height = TOP + ROW_HEIGHT * len(STANCE_JURISDICTIONS) + BOTTOM
    slug_ = "stance-over-time"
    parts = [
        f'<svg class="osai-chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" '
        f'aria-labelledby="{slug_}-title {slug_}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{slug_}-title">{escape(title)}</title>',
        f'<desc id="{slug_}-desc">{escape(description)}</desc>',
    ]
    rows_bottom = TOP + ROW_HEIGHT * len(STANCE_JURISDICTIONS)
    for year in range(first, last + 1):
        x = _x_position(year, 0, first, last)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{rows_bottom}" class="osai-grid"/>'
        )
        if (year - first) % max(1, (last - first + 1) // 10) == 0:
            parts.append(
                f'<text x="{x + 2:.1f}" y="{rows_bottom + 14}" class="osai-axis">{year}</text>'
            )
    for row, code in enumerate(STANCE_JURISDICTIONS):
        y = TOP + ROW_HEIGHT * row + ROW_HEIGHT / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'class="osai-axis">{escape(catalog.place_name(code))}</text>'
        )
        taken: Counter[int] = Counter()
        for policy in (p for p in policies if p.jurisdiction == code):
            x = _date_position(policy.date, first, last)
            # Marks of one month side by side would hide each other: alternate above and below.
            column = round(x / 6)
            offset = ((taken[column] + 1) // 2) * (1 if taken[column] % 2 else -1) * 6
            taken[column] += 1
            stance = policy.open_source_stance
            tip = f"{policy.title} ({policy.date.display()}): {label(stance)}"
            if stance in STANCE_COLOURS:
                mark = f'fill="{STANCE_COLOURS[stance]}" r="5"'
            else:
                mark = 'fill="none" stroke="#9e9e9e" r="3"'
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y + offset:.1f}" {mark}><title>{escape(tip)}</title>'
                "</circle>"
            )
    legend_x = LABEL_WIDTH
    for stance, colour in [*STANCE_COLOURS.items(), ("not-addressed", "")]:
        mark = f'fill="{colour}" r="5"' if colour else 'fill="none" stroke="#9e9e9e" r="3"'
        parts.append(
            f'<circle cx="{legend_x + 5}" cy="{height - 16}" {mark}/>'
            f'<text x="{legend_x + 14}" y="{height - 12}" class="osai-legend">'
            f"{escape(label(stance))}</text>"
        )
        legend_x += 30 + 7 * len(label(stance))
    parts.append("</svg>")
    rows = []
    for code in STANCE_JURISDICTIONS:
        for policy in (p for p in policies if p.jurisdiction == code):
            if policy.open_source_stance == "not-addressed":
                continue
            href = escape(url(paths.record_page(policy.id)))
            rows.append(
                f'<tr><th scope="row">{escape(catalog.place_name(code))}</th>'
                f"<td>{escape(policy.date.display())}</td>"
                f'<td><a href="{href}">{escape(policy.title)}</a></td>'
                f"<td>{escape(label(policy.open_source_stance))}</td></tr>"
            )
    counts = Counter(p.open_source_stance == "not-addressed" for p in policies)
    table = (
        f'<details class="osai-chart-data"><summary>Data: {escape(title)}</summary>'
        f"<p>{counts[False]} policies take a stance; {counts[True]} do not address open source "
        "and are not listed.</p>"
        '<table class="osai-table"><thead><tr><th scope="col">Jurisdiction</th>'
        '<th scope="col">Date</th><th scope="col">Policy</th><th scope="col">Stance</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )
    return f'<figure class="osai-figure">{"".join(parts)}</figure>' + table
