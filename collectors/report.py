"""The run report: a table per source, then every drop with its reason."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from collectors.pipeline import RunReport


def print_report(report: RunReport, *, dry_run: bool, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="Collector run" + (" (dry run: nothing written)" if dry_run else ""))
    for column in (
        "source",
        "fetched",
        "not modified",
        "items",
        "new candidates",
        "duplicates",
        "dropped",
        "error",
    ):
        table.add_column(
            column, justify="left" if column in ("source", "error") else "right", overflow="fold"
        )
    for source in report.sources:
        result = source.result
        table.add_row(
            result.source_id,
            str(result.fetched),
            str(result.not_modified),
            str(result.items),
            str(len(source.new)),
            str(source.duplicates),
            str(source.dropped),
            result.error or "",
        )
    console.print(table)
    drops = [drop for source in report.sources for drop in source.result.drops]
    if drops:
        console.print(f"\n{len(drops)} items left out:", markup=False)
        for drop in drops:
            console.print(f"  {drop.source_id}: {drop.title} — {drop.reason}", markup=False)
    verb = "would write" if dry_run else "wrote"
    console.print(f"\n{verb} {len(report.written)} record files", markup=False)
    for path in report.written:
        console.print(f"  {path}", markup=False)
    for note in report.notes:
        console.print(f"note: {note}", markup=False)
    console.print(f"{report.requests} HTTP requests", markup=False)
