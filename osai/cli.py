"""``osai``: validate records, create new ones, export schemas, print statistics.

Each command maps its options onto library functions and prints their results; exit codes are
0 for success, 1 when the data has problems, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from collectors.registry import DEFAULT_SOURCES
from collectors.rejected import DEFAULT_REJECTED
from publish.build import (
    WORKERS,
    generated_files,
    load_valid_adoption,
    load_valid_tombstones,
    write_tree,
)
from publish.catalog import Catalog
from publish.history import HistoryReader
from publish.paths import SiteConfigError, load_site_config, site_from_config
from schemas import KnowledgeBase, KnowledgeBaseError, load_records, open_knowledge_base
from schemas.adoption import load_adoption, snapshot_path
from schemas.dates import PartialDate
from schemas.files import write_atomic
from schemas.json_schema import schema_files, stale_schema_files
from schemas.records import MODELS
from schemas.review import ReviewError, render_markdown, review_change
from schemas.scaffold import create_record
from schemas.stats import corpus_stats
from schemas.tombstones import load_tombstones, tombstones_dir

DEFAULT_RECORDS = Path("records")
DEFAULT_CONFIG = Path("mkdocs.yml")
#: The adoption folder's name; by default it sits beside the records folder.
ADOPTION_FOLDER = "adoption"


def adoption_dir(given: Path | None, records: Path) -> Path:
    """The adoption folder given, else the one beside the records folder."""
    return given if given is not None else records.resolve().parent / ADOPTION_FOLDER


class UsageError(Exception):
    """A command-line mistake: printed, then exit 2."""


def _existing(paths: Sequence[str]) -> list[Path]:
    found = [Path(p) for p in paths]
    missing = [str(p) for p in found if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return found


def _is_records_root(path: Path) -> bool:
    return path.is_dir() and any((path / model.folder).is_dir() for model in MODELS.values())


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def cmd_validate(args: argparse.Namespace) -> int:
    records_dir: Path = args.records
    if not args.paths:
        kb = _open(records_dir)
        folder = adoption_dir(args.adoption, records_dir)
        if folder.is_dir():
            kinds = {entry.record.id: entry.record.kind_name for entry in kb.entries.values()}
            adoption = load_adoption(folder, kinds)
            kb.files += adoption.files
            kb.problems.extend(adoption.problems)
        stones = load_tombstones(tombstones_dir(records_dir), kb)
        kb.files += stones.files
        kb.problems.extend(stones.problems)
    else:
        # PATH is checked against the records folder (references, ids, sources), unless it is
        # another records folder: then it is a knowledge base of its own.
        paths = _existing(args.paths)
        roots = [p for p in paths if _is_records_root(p) and not _inside(p, records_dir)]
        others = [p for p in paths if p not in roots]
        kb = KnowledgeBase()
        parts = [load_records([root]) for root in roots]
        if others:
            context = load_records([records_dir]) if records_dir.is_dir() else None
            parts.append(load_records(others, context=context))
        for part in parts:
            kb.files += part.files
            kb.entries.update(part.entries)
            kb.problems.extend(part.problems)
    if args.format == "json":
        payload = {
            "valid": kb.ok,
            "records": len(kb.entries),
            "problems": [problem.as_dict() for problem in kb.problems],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for problem in kb.problems:
            print(problem)
        count = len(kb.problems)
        summary = f"{kb.files} files checked, {count} problem{'' if count == 1 else 's'}"
        print(summary, file=sys.stderr)
    return 0 if kb.ok else 1


def cmd_new(args: argparse.Namespace) -> int:
    date = None
    if args.date:
        try:
            date = PartialDate.parse(args.date)
        except ValueError as exc:
            raise UsageError(f"--date: {exc}") from None
    try:
        path = create_record(args.records, args.kind, args.title, record_id=args.id, date=date)
    except FileExistsError:
        raise UsageError("a record with that id exists already; choose another --id") from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(path)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    if args.check:
        stale = stale_schema_files()
        for path in stale:
            print(f"{path}: out of date; run 'osai schema'")
        return 1 if stale else 0
    for path, text in schema_files().items():
        write_atomic(path, text)
        print(path)
    return 0


def _open(records_dir: Path, *, require_valid: bool = False) -> KnowledgeBase:
    try:
        return open_knowledge_base(records_dir, require_valid=require_valid)
    except KnowledgeBaseError as exc:
        if exc.problems:
            raise
        raise UsageError(str(exc)) from None


def _site_config(config_path: Path) -> Any:
    try:
        return load_site_config(config_path)
    except SiteConfigError as exc:
        raise UsageError(str(exc)) from None


def cmd_stats(args: argparse.Namespace) -> int:
    kb = _open(args.records)
    stats = corpus_stats(kb)
    if args.format == "json":
        print(json.dumps(stats, indent=2, ensure_ascii=False))
    else:
        for section, counts in stats.items():
            print(f"{section}:")
            for name, count in counts.items():
                print(f"  {name:<28} {count:>5}")
    if kb.problems:
        print(f"{len(kb.problems)} problems: run 'osai validate'", file=sys.stderr)
        return 1
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    out: Path = args.out.resolve()
    config = _site_config(args.config)
    docs = Path(config["docs_dir"]).resolve()
    if out == docs or docs in out.parents:
        raise UsageError("--out must not be inside the docs folder (mkdocs serve would loop)")
    reader = HistoryReader(args.records)  # in a process of its own while the records load
    try:
        kb = _open(args.records, require_valid=True)
    except KnowledgeBaseError as exc:
        reader.cancel()
        print(exc, file=sys.stderr)
        return 1
    adoption = load_valid_adoption(adoption_dir(args.adoption, args.records), kb)
    if isinstance(adoption, str):
        print(adoption, file=sys.stderr)
        return 1
    tombstones = load_valid_tombstones(args.records, kb)
    if isinstance(tombstones, str):
        print(tombstones, file=sys.stderr)
        return 1
    catalog = Catalog(kb, adoption, reader.result(), tombstones)
    files = generated_files(
        kb, site_from_config(config), args.config.resolve().parent, catalog, workers=WORKERS
    )
    written = write_tree(files, out)
    print(f"{len(files)} files generated in {out}, {len(written)} written")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    from collectors.pipeline import run
    from collectors.registry import RegistryError, load_registry
    from collectors.report import markdown_report, print_report
    from collectors.settings import Limits, user_agent
    from collectors.state import StateLocked

    try:
        sources = load_registry(args.sources)
    except RegistryError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.source:
        known = {source.id for source in sources}
        unknown = sorted(set(args.source) - known)
        if unknown:
            raise UsageError(f"no source with the id {', '.join(unknown)} in {args.sources}")
        sources = [source for source in sources if source.id in args.source]
    else:
        sources = [source for source in sources if source.enabled]
    if not sources:
        raise UsageError("no enabled source to run")
    # The User-Agent names the project's repository, as mkdocs.yml sets it.
    repo_url = _site_config(args.config).get("repo_url") if args.config.is_file() else ""
    limits = Limits(user_agent=user_agent(repo_url or ""))
    console = Console(stderr=True)
    with console.status(f"collecting from {len(sources)} sources…") as status:
        done: list[str] = []

        def progress(source_id: str) -> None:
            done.append(source_id)
            status.update(f"collecting… {len(done)}/{len(sources)} done ({source_id})")

        try:
            report = run(
                sources,
                args.records,
                args.state,
                dry_run=args.dry_run,
                limits=limits,
                rejected_path=args.rejected,
                on_done=progress,
            )
        except (ValueError, KnowledgeBaseError, StateLocked) as exc:
            raise UsageError(str(exc)) from None
    print_report(report, dry_run=args.dry_run)
    if args.markdown is not None:
        write_atomic(args.markdown, markdown_report(report, dry_run=args.dry_run))
    return 0 if report.ok else 1


def cmd_adoption(args: argparse.Namespace) -> int:
    from collectors.adoption import take_snapshot
    from collectors.registry import RegistryError, load_adoption_settings
    from collectors.settings import Limits, user_agent

    try:
        settings = load_adoption_settings(args.sources)
    except RegistryError as exc:
        print(exc, file=sys.stderr)
        return 2
    day = dt.date.today()
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date: {args.date!r} is not a day (YYYY-MM-DD)") from None
    kb = _open(args.records)
    repo_url = _site_config(args.config).get("repo_url") if args.config.is_file() else ""
    limits = Limits(user_agent=user_agent(repo_url or ""))
    console = Console(stderr=True)
    with console.status("reading the Hub's figures…"):
        out = adoption_dir(args.out, args.records)
        report = take_snapshot(kb, out, day, settings, dry_run=args.dry_run, limits=limits)
    verb = "would write" if args.dry_run else "wrote"
    print(
        f"{report.repositories} repositories, {len(report.rows)} read, "
        f"{len(report.failures)} not read; {report.requests} requests"
        f" ({report.rate_limit_wait:.0f} s waiting for the Hub's rate-limit window)"
    )
    if report.unsplit:
        print(f"{report.unsplit} repositories' derived models not split by relation (too many)")
    for failure in report.failures:
        print(f"  not read: {failure.repository} — {failure.reason}")
    if report.without_repositories:
        print(f"{len(report.without_repositories)} models list no Hugging Face repository")
    for note in report.notes:
        print(f"note: {note}")
    if report.written is not None or (args.dry_run and report.rows):
        print(f"{verb} {report.written or snapshot_path(out, day)}")
    return 1 if report.repositories and not report.rows and not report.notes else 0


def cmd_review(args: argparse.Namespace) -> int:
    if not args.records.is_dir():
        raise UsageError(f"no records folder at {args.records}")
    try:
        review = review_change(args.records, args.base)
    except ReviewError as exc:
        raise UsageError(str(exc)) from None
    print(render_markdown(review, args.base), end="")
    return 0 if review.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="osai", description="Open Source AI Tracker: records, site and collectors."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def records_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--records",
            type=Path,
            default=DEFAULT_RECORDS,
            metavar="DIR",
            help="the records folder (default: records)",
        )

    validate = commands.add_parser("validate", help="check record files; exit 1 on problems")
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="record files or folders, checked against the records folder; another records "
        "folder is checked on its own (default: the whole records folder)",
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--adoption",
        type=Path,
        metavar="DIR",
        help="adoption snapshots and sourced figures, checked with the whole records folder "
        "(default: the adoption folder beside the records folder, when it exists)",
    )
    records_option(validate)
    validate.set_defaults(handler=cmd_validate)

    new = commands.add_parser("new", help="write a new record file with the fields to fill")
    new.add_argument("kind", choices=tuple(MODELS))
    new.add_argument("--title", required=True)
    new.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD")
    new.add_argument("--id", help="record id (default: made from the title)")
    records_option(new)
    new.set_defaults(handler=cmd_new)

    schema = commands.add_parser("schema", help="write the JSON Schema of each kind")
    schema.add_argument("--check", action="store_true", help="exit 1 when a schema file is stale")
    schema.set_defaults(handler=cmd_schema)

    generate = commands.add_parser(
        "generate", help="write the generated pages into a folder (for another site engine)"
    )
    generate.add_argument("--out", type=Path, required=True, metavar="DIR")
    generate.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="site configuration to read"
    )
    generate.add_argument(
        "--adoption",
        type=Path,
        metavar="DIR",
        help="adoption snapshots and sourced figures (default: the adoption folder beside the "
        "records folder)",
    )
    records_option(generate)
    generate.set_defaults(handler=cmd_generate)

    collect = commands.add_parser(
        "collect", help="fetch the watched sources and write new candidate records"
    )
    collect.add_argument("--source", action="append", metavar="ID", help="run only this source")
    collect.add_argument(
        "--sources",
        type=Path,
        default=DEFAULT_SOURCES,
        metavar="FILE",
        help="source registry (default: collectors/sources.yaml)",
    )
    collect.add_argument("--dry-run", action="store_true", help="report, write nothing")
    collect.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help="also write the report as Markdown (for a pull-request description)",
    )
    collect.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="site configuration whose repo_url the User-Agent names (default: mkdocs.yml)",
    )
    collect.add_argument(
        "--state",
        type=Path,
        default=Path(".collectors-state.json"),
        metavar="FILE",
        help="HTTP validators and proposals between runs",
    )
    collect.add_argument(
        "--rejected",
        type=Path,
        default=DEFAULT_REJECTED,
        metavar="FILE",
        help="refused candidates (default: collectors/rejected.yaml)",
    )
    records_option(collect)
    collect.set_defaults(handler=cmd_collect)

    adoption = commands.add_parser(
        "adoption", help="write today's snapshot of the tracked models' Hugging Face figures"
    )
    adoption.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="adoption folder; the snapshot goes to DIR/snapshots/DATE.csv (default: the "
        "adoption folder beside the records folder)",
    )
    adoption.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the snapshot's day (default: today)"
    )
    adoption.add_argument("--dry-run", action="store_true", help="read the figures, write nothing")
    adoption.add_argument(
        "--sources",
        type=Path,
        default=DEFAULT_SOURCES,
        metavar="FILE",
        help="registry whose adoption settings bound the run (default: collectors/sources.yaml)",
    )
    adoption.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="site configuration whose repo_url the User-Agent names (default: mkdocs.yml)",
    )
    records_option(adoption)
    adoption.set_defaults(handler=cmd_adoption)

    review = commands.add_parser(
        "review", help="report what the change does to the records, as Markdown"
    )
    review.add_argument(
        "--base",
        default="origin/main",
        metavar="REF",
        help="git revision to compare with (default: origin/main)",
    )
    records_option(review)
    review.set_defaults(handler=cmd_review)

    stats = commands.add_parser("stats", help="count records by kind and facet")
    stats.add_argument("--format", choices=("text", "json"), default="text")
    records_option(stats)
    stats.set_defaults(handler=cmd_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UsageError as exc:
        print(f"osai {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``osai stats | head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
