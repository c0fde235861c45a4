"""``osai``: validate records, create new ones, export schemas, print statistics.

Each command maps its options onto library functions and prints their results; exit codes are
0 for success, 1 when the data has problems, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml
from rich.console import Console

from collectors.dedupe import DEFAULT_REJECTED
from collectors.registry import DEFAULT_SOURCES
from publish.build import generated_files, load_valid, settings_from, write_tree
from publish.errors import InvalidRecords
from schemas import load_records
from schemas.dates import PartialDate
from schemas.files import write_atomic
from schemas.json_schema import schema_files, stale_schema_files
from schemas.knowledge_base import KnowledgeBase
from schemas.records import MODELS
from schemas.review import ReviewError, render_markdown, review_change
from schemas.scaffold import create_record
from schemas.stats import corpus_stats

DEFAULT_RECORDS = Path("records")


class UsageError(Exception):
    """A command-line mistake: printed, then exit 2."""


def _existing(paths: Sequence[str]) -> list[Path]:
    found = [Path(p) for p in paths]
    missing = [str(p) for p in found if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return found


def cmd_validate(args: argparse.Namespace) -> int:
    records_dir: Path = args.records
    if args.paths:
        paths = _existing(args.paths)
        context = load_records([records_dir]) if records_dir.is_dir() else None
    else:
        if not records_dir.is_dir():
            raise UsageError(f"no records folder at {records_dir}")
        paths, context = [records_dir], None
    kb = load_records(paths, context=context)
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


def _load_valid(records_dir: Path) -> KnowledgeBase:
    if not records_dir.is_dir():
        raise UsageError(f"no records folder at {records_dir}")
    return load_records([records_dir])


def cmd_stats(args: argparse.Namespace) -> int:
    kb = _load_valid(args.records)
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
    config_path: Path = args.config
    if not config_path.is_file():
        raise UsageError(f"no site configuration at {config_path}")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    config.setdefault("docs_dir", "docs")
    docs = (config_path.parent / config["docs_dir"]).resolve()
    if out == docs or docs in out.parents:
        raise UsageError("--out must not be inside the docs folder (mkdocs serve would loop)")
    if not args.records.is_dir():
        raise UsageError(f"no records folder at {args.records}")
    try:
        kb = load_valid(args.records)
    except InvalidRecords as exc:
        print(exc, file=sys.stderr)
        return 1
    files = generated_files(kb, settings_from(config), config_path.parent)
    written = write_tree(files, out)
    print(f"{len(files)} files generated in {out}, {len(written)} written")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    from collectors.pipeline import run
    from collectors.registry import RegistryError, load_registry
    from collectors.report import print_report

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
                rejected_path=args.rejected,
                on_done=progress,
            )
        except ValueError as exc:  # an unreadable rejection list
            raise UsageError(str(exc)) from None
    print_report(report, dry_run=args.dry_run)
    return 0 if report.ok else 1


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
        "paths", nargs="*", metavar="PATH", help="files or folders (default: all)"
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
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
        "--config", type=Path, default=Path("mkdocs.yml"), help="site configuration to read"
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
