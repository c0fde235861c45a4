"""The run report: a table per run, the errors under it (whole, one per line), every drop with
its reason; and the same report as Markdown for the pull request the daily workflow opens,
grouped by source, with every collected text escaped."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from collectors.pipeline import RunReport
from schemas.markdown import md_text

COLUMNS = ("source", "fetched", "not modified", "items", "new", "duplicates", "dropped", "status")


def _counts(report: RunReport) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for source in report.sources:
        result = source.result
        rows.append(
            (
                result.source_id,
                str(result.fetched),
                str(result.not_modified),
                str(result.items),
                str(len(source.new)),
                str(source.duplicates),
                str(source.dropped),
                "failed" if result.error else "skipped" if result.skipped else "ok",
            )
        )
    return rows


def print_report(report: RunReport, *, dry_run: bool, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="Collector run" + (" (dry run: nothing written)" if dry_run else ""))
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for row in _counts(report):
        table.add_row(*row)
    console.print(table)
    failed = [source.result for source in report.sources if source.result.error]
    if failed:
        console.print(f"\n{len(failed)} sources failed:", markup=False)
        for result in failed:
            console.print(f"  {result.source_id}: {result.error}", markup=False, soft_wrap=True)
    skipped = [source.result for source in report.sources if source.result.skipped]
    if skipped:
        console.print(f"\n{len(skipped)} sources skipped:", markup=False)
        for result in skipped:
            console.print(f"  {result.source_id}: {result.skipped}", markup=False, soft_wrap=True)
    drops = [drop for source in report.sources for drop in source.result.drops]
    if drops:
        console.print(f"\n{len(drops)} items left out:", markup=False)
        for drop in drops:
            console.print(
                f"  {drop.source_id}: {drop.title} — {drop.reason}", markup=False, soft_wrap=True
            )
    verb = "would write" if dry_run else "wrote"
    console.print(f"\n{verb} {len(report.written)} record files", markup=False)
    for path in report.written:
        console.print(f"  {path}", markup=False, soft_wrap=True)
    for note in report.notes:
        console.print(f"note: {note}", markup=False, soft_wrap=True)
    console.print(f"{report.requests} HTTP requests", markup=False)


def markdown_report(report: RunReport, *, dry_run: bool) -> str:
    """The report as Markdown, grouped by source. Titles, reasons and errors come from the
    sources: each is escaped, so none becomes a link, an image, a mention or a reference."""
    verb = "would write" if dry_run else "wrote"
    lines = [
        f"**{len(report.written)}** candidate records ({verb}) from "
        f"**{len(report.sources)}** sources; {report.requests} HTTP requests.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(md_text(cell) for cell in row) + " |" for row in _counts(report)]
    for source in report.sources:
        result = source.result
        if not (result.error or result.skipped or source.new or result.drops):
            continue
        lines += ["", f"### {md_text(result.source_id)}", ""]
        if result.error:
            lines.append(f"- **failed**: {md_text(result.error)}")
        if result.skipped:
            lines.append(f"- **skipped**: {md_text(result.skipped)}")
        for candidate in source.new:
            lines.append(f"- new: `{candidate.id}` — {md_text(candidate.title)}")
        for drop in result.drops:
            lines.append(f"- left out: {md_text(drop.title)} — {md_text(drop.reason)}")
    if report.notes:
        lines += ["", "### Notes", ""]
        lines += [f"- {md_text(note)}" for note in report.notes]
    return "\n".join(lines) + "\n"
