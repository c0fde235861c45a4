"""Charts drawn at build time as inline SVG, each with a title, a description and its data table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from publish.catalog import OPEN_WEIGHT_ACCESS, Catalog
from schemas import Model, Policy, Record

PALETTE = ["#3f51b5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41", "#757575"]
WIDTH, HEIGHT = 720, 300
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 40, 48, 12, 12


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    html: str  # built here from escaped parts: safe to place in a page as it is


@dataclass(frozen=True)
class Series:
    """Counts per category (x) for each group (stack)."""

    categories: list[str]
    groups: dict[str, list[int]]
    left_out: int = 0  # records whose date is too imprecise for the category


def quarter(record: Record) -> str | None:
    if record.date.month is None:
        return None
    return f"{record.date.year} Q{(record.date.month - 1) // 3 + 1}"


def year(record: Record) -> str | None:
    return str(record.date.year)


def _categories_between(first: str, last: str, step: Callable[[str], str]) -> list[str]:
    found = [first]
    while found[-1] != last:
        found.append(step(found[-1]))
    return found


def _next_quarter(label: str) -> str:
    year_text, q = label.split(" Q")
    number = int(q)
    return f"{year_text} Q{number + 1}" if number < 4 else f"{int(year_text) + 1} Q1"


def count_series(
    records: Sequence[Record],
    bucket: Callable[[Record], str | None],
    group: Callable[[Record], str],
    group_order: Sequence[str] | None = None,
    quarterly: bool = True,
) -> Series:
    """Count ``records`` per bucket (quarter or year) and group, with empty buckets filled in."""
    counts: Counter[tuple[str, str]] = Counter()
    left_out = 0
    for record in records:
        key = bucket(record)
        if key is None:
            left_out += 1
            continue
        counts[(key, group(record))] += 1
    if not counts:
        return Series([], {}, left_out)
    keys = sorted({key for key, _ in counts})
    step = _next_quarter if quarterly else (lambda label: str(int(label) + 1))
    categories = _categories_between(keys[0], keys[-1], step)
    names = list(group_order or sorted({name for _, name in counts}))
    groups = {
        name: [counts[(category, name)] for category in categories]
        for name in names
        if any(counts[(category, name)] for category in categories)
    }
    return Series(categories, groups, left_out)


def stacked_bars(title: str, description: str, series: Series) -> str:
    """A stacked bar chart as an accessible inline SVG, followed by its data table."""
    if not series.categories:
        return f'<p class="osai-chart-empty">{escape(title)}: no dated records yet.</p>'
    totals = [
        sum(values[i] for values in series.groups.values()) for i in range(len(series.categories))
    ]
    top = max(max(totals), 1)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    band = plot_w / len(series.categories)
    bar_w = max(band * 0.75, 1.0)
    parts = _frame(title, description, [(tick / top, str(tick)) for tick in _ticks(top)])
    label_every = max(1, len(series.categories) // 12)
    for index, category in enumerate(series.categories):
        x = MARGIN_LEFT + band * index + (band - bar_w) / 2
        base: float = MARGIN_TOP + plot_h
        for colour, (name, values) in zip(PALETTE, series.groups.items(), strict=False):
            value = values[index]
            if not value:
                continue
            height = plot_h * value / top
            base -= height
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
                f'fill="{colour}"><title>{escape(category)}: {escape(name)} {value}</title></rect>'
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" '
                f'text-anchor="middle" class="osai-axis">{escape(category)}</text>'
            )
    parts += _legend(list(series.groups))
    note = ""
    if series.left_out:
        note = f" {series.left_out} records dated only to the year are not shown."
    caption = f"<figcaption>{escape(description)}{escape(note)}</figcaption>"
    return f'<figure class="osai-figure">{"".join(parts)}{caption}</figure>' + _data_table(
        title, series
    )


def share_lines(title: str, description: str, part: Series, whole: Series) -> str:
    """The share ``part`` / ``whole`` per category and group, as lines (an accessible inline
    SVG, a point where a group has releases that period), followed by its data table."""
    if not whole.categories:
        return f'<p class="osai-chart-empty">{escape(title)}: no dated records yet.</p>'
    categories = whole.categories
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    band = plot_w / len(categories)
    parts = _frame(title, description, [(tick / 100, f"{tick}%") for tick in (0, 25, 50, 75, 100)])
    rows: list[tuple[str, list[str]]] = [(category, []) for category in categories]
    position = {category: index for index, category in enumerate(part.categories)}
    for colour, (name, totals) in zip(PALETTE, whole.groups.items(), strict=False):
        counted = part.groups.get(name, [])
        shares = [
            counted[position[category]] if category in position and counted else 0
            for category in categories
        ]
        points = []
        for index, (category, total) in enumerate(zip(categories, totals, strict=True)):
            share = shares[index] / total if total else None
            rows[index][1].append(
                f"{shares[index]} of {total} ({share:.0%})" if share is not None else ""
            )
            if share is None:
                continue
            x = MARGIN_LEFT + band * index + band / 2
            y = MARGIN_TOP + plot_h - plot_h * share
            points.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>'
                f"{escape(category)}: {escape(name)} {shares[index]} of {total}</title></circle>"
            )
        if len(points) > 1:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                'stroke-width="2"/>'
            )
    label_every = max(1, len(categories) // 12)
    for index, category in enumerate(categories):
        if index % label_every == 0:
            x = MARGIN_LEFT + band * index + band / 2
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle" '
                f'class="osai-axis">{escape(category)}</text>'
            )
    parts += _legend(list(whole.groups))
    caption = f"<figcaption>{escape(description)}</figcaption>"
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in whole.groups)
    body = "".join(
        f'<tr><th scope="row">{escape(category)}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        + "</tr>"
        for category, cells in rows
        if any(cells)
    )
    table = (
        f'<details class="osai-chart-data"><summary>Data: {escape(title)}</summary>'
        f'<table class="osai-table"><thead><tr><th scope="col">Period</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></details>"
    )
    return f'<figure class="osai-figure">{"".join(parts)}{caption}</figure>' + table


def _frame(title: str, description: str, ticks: list[tuple[float, str]]) -> list[str]:
    """The opening of a chart's SVG: its accessible title and description, and a grid line
    with its label at each (fraction of the plot's height, label)."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower())
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    parts = [
        f'<svg class="osai-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{slug}-title {slug}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{slug}-title">{escape(title)}</title>',
        f'<desc id="{slug}-desc">{escape(description)}</desc>',
    ]
    for fraction, text in ticks:
        y = MARGIN_TOP + plot_h - plot_h * fraction
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'class="osai-grid"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'class="osai-axis">{escape(text)}</text>'
        )
    return parts


def _legend(names: list[str]) -> list[str]:
    """A colour key for the groups, in palette order, and the SVG's end."""
    parts = []
    legend_x = MARGIN_LEFT
    for colour, name in zip(PALETTE, names, strict=False):
        parts.append(
            f'<rect x="{legend_x}" y="{HEIGHT - 18}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{legend_x + 16}" y="{HEIGHT - 8}" class="osai-legend">{escape(name)}</text>'
        )
        legend_x += 24 + 7 * len(name)
    return [*parts, "</svg>"]


def _ticks(top: int) -> list[int]:
    step = max(1, round(top / 4))
    return list(range(0, top + 1, step))


def _data_table(title: str, series: Series) -> str:
    names = list(series.groups)
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in names)
    rows = []
    for index, category in enumerate(series.categories):
        values = [series.groups[name][index] for name in names]
        if not any(values):
            continue
        cells = "".join(f"<td>{value}</td>" for value in values)
        rows.append(
            f'<tr><th scope="row">{escape(category)}</th>{cells}<td>{sum(values)}</td></tr>'
        )
    return (
        f'<details class="osai-chart-data"><summary>Data: {escape(title)}</summary>'
        f'<table class="osai-table"><thead><tr><th scope="col">Period</th>{head}'
        f'<th scope="col">Total</th></tr></thead><tbody>{"".join(rows)}</tbody></table></details>'
    )


COUNTRY_GROUPS = ["United States", "China", "EU countries", "Rest of world"]


def headline_chart(catalog: Catalog) -> str:
    models = [
        r
        for r in catalog.of_kind("model")
        if isinstance(r, Model) and r.access in OPEN_WEIGHT_ACCESS
    ]
    series = count_series(
        models, quarter, lambda r: catalog.country_group(catalog.place(r)), COUNTRY_GROUPS
    )
    return stacked_bars(
        "Open-weight model releases per quarter, by developer country",
        "Number of open-weight model releases in the tracker per quarter, stacked by the "
        "country of the developing organization.",
        series,
    )


def site_charts(catalog: Catalog) -> list[Chart]:
    """Every chart of the charts page."""
    models = [r for r in catalog.of_kind("model") if isinstance(r, Model)]
    policies = [r for r in catalog.of_kind("policy") if isinstance(r, Policy)]
    access_order = ["open-source", "open-weights", "open-weights-restricted", "api-only", "closed"]
    jurisdictions = Counter(p.jurisdiction for p in policies)
    top = [code for code, _ in jurisdictions.most_common(6)]

    def jurisdiction_group(record: Record) -> str:
        assert isinstance(record, Policy)
        return catalog.place_name(record.jurisdiction) if record.jurisdiction in top else "Other"

    top_names = [catalog.place_name(code) for code in top] + ["Other"]
    stance_order = ["supportive", "mixed", "neutral", "restrictive", "not-addressed"]
    specs = [
        (
            "open-weight-by-country",
            "Open-weight model releases per quarter, by developer country",
            headline_chart(catalog),
        ),
        (
            "models-by-access",
            "Model releases per quarter, by access level",
            stacked_bars(
                "Model releases per quarter, by access level",
                "Number of model releases per quarter, open and closed, stacked by access level.",
                count_series(models, quarter, lambda r: r.access, access_order),  # type: ignore[attr-defined]
            ),
        ),
        (
            "policies-by-jurisdiction",
            "Policies per year, by jurisdiction",
            stacked_bars(
                "Policies per year, by jurisdiction",
                "Number of policy records per year of signing or adoption, stacked by jurisdiction "
                "(the six most frequent, then the rest).",
                count_series(policies, year, jurisdiction_group, top_names, quarterly=False),
            ),
        ),
        (
            "policies-by-stance",
            "Policies per year, by open-source stance",
            stacked_bars(
                "Policies per year, by open-source stance",
                "Number of policy records per year, stacked by how they treat open-source and "
                "open-weight AI.",
                count_series(
                    policies,
                    year,
                    lambda r: r.open_source_stance,  # type: ignore[attr-defined]
                    stance_order,
                    quarterly=False,
                ),
            ),
        ),
    ]
    open_weight = [r for r in models if r.access in OPEN_WEIGHT_ACCESS]
    osi = [
        r for r in open_weight if (lic := catalog.licence_of(r)) is not None and lic.osi_approved
    ]

    def country(record: Record) -> str:
        return catalog.country_group(catalog.place(record))

    specs.append(
        (
            "osi-approved-share",
            "Share of open-weight releases under OSI-approved licences, by developer country",
            share_lines(
                "Share of open-weight releases under OSI-approved licences, by developer country",
                "Per quarter and developer country, the share of open-weight model releases "
                "whose licence (the record's main licence) is approved by the Open Source "
                "Initiative.",
                count_series(osi, quarter, country, COUNTRY_GROUPS),
                count_series(open_weight, quarter, country, COUNTRY_GROUPS),
            ),
        )
    )
    return [Chart(slug, title, html) for slug, title, html in specs]
