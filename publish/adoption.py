"""Who builds on whom: the adoption snapshots as the site shows them. Shares of likes, 30-day
downloads and derived models by developer country over time; the top models by each measure;
a model's own figures and their history. Every chart is an inline SVG with a title, a
description and its data in a table, built here from escaped parts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from html import escape

from publish.catalog import OPEN_WEIGHT_ACCESS, Catalog
from publish.charts import COUNTRY_GROUPS, PALETTE
from schemas import Model
from schemas.adoption import Adoption, Row, Snapshot, SourcedPoint

#: The measures compared across countries: (row attribute, what it is called).
MEASURES = (
    ("likes", "likes"),
    ("downloads_30d", "downloads in the last 30 days"),
    ("derived", "derived models (fine-tunes, adapters, quantizations, merges)"),
)
#: Models listed in each "top models" table.
TOP_MODELS = 15
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 48
SPARK_WIDTH, SPARK_HEIGHT = 160, 36


@dataclass(frozen=True)
class Totals:
    """One model's figures on one day, summed over its repositories (a figure is None when
    no repository reported it)."""

    day: dt.date
    likes: int
    downloads_30d: int
    derived: int | None
    repositories: int


def _sum(rows: list[Row], name: str) -> int | None:
    values = [getattr(row, name) for row in rows if getattr(row, name) is not None]
    return sum(values) if values else None


class AdoptionView:
    """The snapshots, grouped as the pages need them."""

    def __init__(self, catalog: Catalog, adoption: Adoption) -> None:
        self.catalog = catalog
        self.adoption = adoption

    @property
    def snapshots(self) -> list[Snapshot]:
        return self.adoption.snapshots

    @property
    def first_day(self) -> dt.date | None:
        return self.snapshots[0].day if self.snapshots else None

    @cached_property
    def history(self) -> dict[str, list[Totals]]:
        """Model record id -> its totals per snapshot day, oldest first."""
        found: dict[str, list[Totals]] = defaultdict(list)
        for snapshot in self.snapshots:
            by_record: dict[str, list[Row]] = defaultdict(list)
            for row in snapshot.rows:
                by_record[row.record].append(row)
            for record, rows in sorted(by_record.items()):
                found[record].append(
                    Totals(
                        snapshot.day,
                        sum(r.likes for r in rows),
                        sum(r.downloads_30d for r in rows),
                        _sum(rows, "derived"),
                        len(rows),
                    )
                )
        return dict(found)

    def latest_rows(self, record_id: str) -> list[Row]:
        latest = self.adoption.latest
        return [row for row in latest.rows if row.record == record_id] if latest else []

    def group_of(self, record_id: str) -> str:
        record = self.catalog.by_id.get(record_id)
        return self.catalog.country_group(self.catalog.place(record) if record else None)

    def shares(self, measure: str) -> list[tuple[dt.date, dict[str, float], int]]:
        """Per snapshot day: each country group's share of the measure, and the total."""
        found = []
        for snapshot in self.snapshots:
            totals = dict.fromkeys(COUNTRY_GROUPS, 0)
            for row in snapshot.rows:
                value = getattr(row, measure)
                if value:
                    totals[self.group_of(row.record)] += value
            whole = sum(totals.values())
            shares = {g: (totals[g] / whole if whole else 0.0) for g in COUNTRY_GROUPS}
            found.append((snapshot.day, shares, whole))
        return found

    def top(self, measure: str) -> list[tuple[str, int]]:
        """The models with the most of ``measure`` on the latest day (summed over their
        repositories), most first."""
        latest = self.adoption.latest
        if latest is None:
            return []
        totals: dict[str, int] = defaultdict(int)
        for row in latest.rows:
            totals[row.record] += getattr(row, measure) or 0
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        return [(record, value) for record, value in ranked if value][:TOP_MODELS]

    def releases(self) -> dict[str, int]:
        """Open-weight model records per developer country group, as the tracker records them."""
        counts = dict.fromkeys(COUNTRY_GROUPS, 0)
        for record in self.catalog.of_kind("model"):
            if isinstance(record, Model) and record.access in OPEN_WEIGHT_ACCESS:
                counts[self.catalog.country_group(self.catalog.place(record))] += 1
        return counts

    @staticmethod
    def figure(point: SourcedPoint) -> str:
        """A sourced figure as a reader reads it: a share in per cent, a count with commas."""
        if point.measure.startswith("share-"):
            return f"{point.value:.1%}"
        return f"{int(point.value):,}" if point.value.is_integer() else f"{point.value:,}"

    def share_chart(self, measure: str, label: str) -> str:
        """The share of ``measure`` by country group: lines over the snapshot days, or bars
        for the one day there is."""
        series = self.shares(measure)
        title = f"Share of {label}, by developer country"
        if not series or all(whole == 0 for _, _, whole in series):
            return f'<p class="osai-chart-empty">{escape(title)}: no figures yet.</p>'
        if len(series) == 1:
            return _share_bars(title, series[0])
        return _share_lines(title, series)


def _frame(slug: str, title: str, description: str) -> list[str]:
    return [
        f'<svg class="osai-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{slug}-title {slug}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{slug}-title">{escape(title)}</title>',
        f'<desc id="{slug}-desc">{escape(description)}</desc>',
    ]


def _slug(title: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in title.lower())


def _grid(parts: list[str]) -> None:
    plot_h = HEIGHT - TOP - BOTTOM
    for tick in (0, 25, 50, 75, 100):
        y = TOP + plot_h - plot_h * tick / 100
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="osai-grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="osai-axis">'
            f"{tick}%</text>"
        )


def _legend(parts: list[str]) -> None:
    x = LEFT
    for colour, name in zip(PALETTE, COUNTRY_GROUPS, strict=False):
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 18}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{HEIGHT - 8}" class="osai-legend">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)


def _table(title: str, series: list[tuple[dt.date, dict[str, float], int]]) -> str:
    head = "".join(f'<th scope="col">{escape(g)}</th>' for g in COUNTRY_GROUPS)
    body = "".join(
        f'<tr><th scope="row">{day.isoformat()}</th>'
        + "".join(f"<td>{shares[g]:.1%}</td>" for g in COUNTRY_GROUPS)
        + f"<td>{whole:,}</td></tr>"
        for day, shares, whole in series
    )
    return (
        f'<details class="osai-chart-data"><summary>Data: {escape(title)}</summary>'
        f'<table class="osai-table"><thead><tr><th scope="col">Day</th>{head}'
        f'<th scope="col">Total</th></tr></thead><tbody>{body}</tbody></table></details>'
    )


def _share_bars(title: str, day: tuple[dt.date, dict[str, float], int]) -> str:
    date, shares, _ = day
    description = f"Each country group's share on {date.isoformat()}, the one day collected."
    parts = _frame(_slug(title), title, description)
    _grid(parts)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / len(COUNTRY_GROUPS)
    for index, (colour, group) in enumerate(zip(PALETTE, COUNTRY_GROUPS, strict=False)):
        height = plot_h * shares[group]
        x = LEFT + band * index + band * 0.2
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{band * 0.6:.1f}" '
            f'height="{height:.1f}" fill="{colour}"><title>{escape(group)}: '
            f"{shares[group]:.1%}</title></rect>"
        )
    _legend(parts)
    parts.append("</svg>")
    figure = f'<figure class="osai-figure">{"".join(parts)}<figcaption>{escape(description)}'
    return figure + f"</figcaption></figure>{_table(title, [day])}"


def _share_lines(title: str, series: list[tuple[dt.date, dict[str, float], int]]) -> str:
    first, last = series[0][0], series[-1][0]
    span = max((last - first).days, 1)
    description = (
        f"Each country group's share per snapshot day, {first.isoformat()} to {last.isoformat()}."
    )
    parts = _frame(_slug(title), title, description)
    _grid(parts)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    for colour, group in zip(PALETTE, COUNTRY_GROUPS, strict=False):
        points = []
        for day, shares, _ in series:
            x = LEFT + plot_w * (day - first).days / span
            y = TOP + plot_h - plot_h * shares[group]
            points.append(f"{x:.1f},{y:.1f}")
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"><title>{escape(group)}</title></polyline>'
        )
    for day in (first, last):
        x = LEFT + plot_w * (day - first).days / span
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'class="osai-axis">{day.isoformat()}</text>'
        )
    _legend(parts)
    parts.append("</svg>")
    figure = f'<figure class="osai-figure">{"".join(parts)}<figcaption>{escape(description)}'
    return figure + f"</figcaption></figure>{_table(title, series)}"


def sparkline(history: list[Totals], measure: str, label: str) -> str:
    """A small line of one model's figure over the snapshot days (a dot for one day)."""
    values = [(t.day, getattr(t, measure)) for t in history if getattr(t, measure) is not None]
    if not values:
        return ""
    low, high = min(v for _, v in values), max(v for _, v in values)
    first, last = values[0][0], values[-1][0]
    span, spread = max((last - first).days, 1), max(high - low, 1)
    points = [
        (
            2 + (SPARK_WIDTH - 4) * (day - first).days / span
            if len(values) > 1
            else SPARK_WIDTH / 2,
            SPARK_HEIGHT - 3 - (SPARK_HEIGHT - 6) * (value - low) / spread,
        )
        for day, value in values
    ]
    text = f"{label}: " + ", ".join(f"{day.isoformat()} {value:,}" for day, value in values)
    if len(points) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        shape = f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
    else:
        x, y = points[0]
        shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="currentColor"/>'

    return (
        f'<svg class="osai-spark" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" width="{SPARK_WIDTH}" '
        f'height="{SPARK_HEIGHT}" role="img" aria-label="{escape(text)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(text)}</title>{shape}</svg>'
    )
