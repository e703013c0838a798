"""Command line: the only module that prints or exits.

python -m codegen prune SOURCE --operation ID [--operation ID ...] --out FILE
python -m codegen generate [--spec PATH] [--overlay PATH] [--out DIR] [--package NAME] [--strict]
                          [--cache-dir DIR | --no-cache]
python -m codegen check [same options as generate]
python -m codegen diff OLD NEW [--operation ID ...] [--overlay PATH] [--format text|markdown|json] [--descriptions]
                          [--ignore PATH] [--fail-on breaking|warning] [--config PATH]   (OLD, NEW: files or REV:PATH)

Exit status: 0 done (warnings, if any, on stderr), 1 stale (check) or breaking (diff), 2 the input
is unusable (or a warning with --strict), 3 a bug of the generator (one line, never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import CodegenError, InternalError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m codegen", description="OpenAPI → typed Python SDK generator")
    commands = parser.add_subparsers(dest="command", required=True)

    prune = commands.add_parser("prune", help="cut an upstream spec down to some operations")
    prune.add_argument("source", type=Path)
    prune.add_argument("--operation", action="append", required=True, dest="operations", metavar="ID")
    prune.add_argument("--out", type=Path, required=True)

    for name, text in (
        ("generate", "generate the SDK into --out"),
        ("check", "exit 1 with a diff when --out is not what generate would write"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--spec", type=Path)
        sub.add_argument("--overlay", type=Path, help="an Overlay 1.0 file; 'none' applies none")
        sub.add_argument("--out", type=Path)
        sub.add_argument("--package")
        sub.add_argument("--config", type=Path, help="a pyproject.toml with [tool.codegen] (default: ./pyproject.toml)")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 2, output untouched)")
        sub.add_argument(
            "--cache-dir", type=Path, help="where earlier results are kept (default: .codegen-cache beside --out)"
        )
        sub.add_argument("--no-cache", action="store_true", help="compute everything afresh; read and write no cache")

    diff = commands.add_parser("diff", help="list the changes between two specs; exit 1 when any is breaking")
    diff.add_argument("old", help="a spec file, or a git revision: HEAD~1:openapi/openapi.yaml")
    diff.add_argument("new", help="a spec file, or a git revision")
    diff.add_argument("--operation", action="append", default=[], dest="operations", metavar="ID")
    diff.add_argument("--overlay", type=Path, help="an Overlay 1.0 file applied to both specs")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument("--descriptions", action="store_true", help="also list description-only changes")
    diff.add_argument("--ignore", type=Path, metavar="PATH", help="accepted changes (openapi/diff-ignore.yaml)")
    diff.add_argument(
        "--fail-on", choices=("breaking", "warning"), default="breaking", help="exit 1 at this level (default breaking)"
    )
    diff.add_argument(
        "--config", type=Path, help="a pyproject.toml whose [tool.codegen] names methods and classes (default: ./)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "prune":
            return _prune(args)
        if args.command == "diff":
            return _diff(args)
        return _generate(args)
    except CodegenError as exc:
        for problem in exc.warnings:
            print(f"warning: {problem}", file=sys.stderr)
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except InternalError as exc:
        print(f"internal error: {exc.problem}; please report it", file=sys.stderr)
        return 3
    except Exception as exc:  # never a traceback: one line, and it is ours to fix
        text = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        print(f"internal error: {args.command}: {text} (a generator bug; please report it)", file=sys.stderr)
        return 3


def _prune(args: argparse.Namespace) -> int:
    from .bundle import bundle
    from .load import dump_yaml, load_document
    from .prune import prune
    from .write import write_text_atomic

    document = bundle(load_document(args.source))
    pruned = prune(document.data, args.operations, source=document.source)
    write_text_atomic(args.out, dump_yaml(pruned))
    print(f"wrote {args.out} ({len(pruned.get('components', {}).get('schemas', {}))} schemas)")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .bundle import bundle
    from .diff.git import load_input
    from .diff.ignore import load_ignore
    from .diff.report import render
    from .diff.review import diff_settings, review
    from .diff.wire import prepare
    from .load import load_document

    overlay = load_document(args.overlay) if args.overlay else None
    old, new = (bundle(load_input(given)) for given in (args.old, args.new))  # a spec split over files too
    old, new = prepare(old, new, operations=args.operations, overlay=overlay)
    entries = load_ignore(args.ignore) if args.ignore else []
    settings = diff_settings(args.config, new.source)
    result = review(old, new, settings=settings, entries=entries, ignore_source=str(args.ignore or ""))
    sys.stdout.write(render(result, args.format, descriptions=args.descriptions))
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    return 1 if result.fails("error" if args.fail_on == "breaking" else "warn") else 0


def _generate(args: argparse.Namespace) -> int:
    from .cache import Cache
    from .config import load_settings
    from .pipeline import generate
    from .write import diff_tree, write_tree

    settings = load_settings(
        args.config,
        spec=args.spec,
        overlay=args.overlay,
        out=args.out,
        package=args.package,
        strict=args.strict,
    )
    cache = None if args.no_cache else Cache(args.cache_dir or settings.out.parent / ".codegen-cache")
    generated = generate(settings, cache=cache)
    if cache is not None:
        cache.prune()
    files = generated.files
    for problem in generated.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    count = len(generated.warnings)
    warned = f", {count} warning{'s' if count != 1 else ''}" if count else ""
    if args.command == "check":
        diff = diff_tree(settings.out, files)
        if diff:
            sys.stdout.write(diff)
            print(f"\n{settings.out} is stale: run `make generate` and commit the result.", file=sys.stderr)
            return 1
        print(f"{settings.out} is up to date ({len(files)} files{warned})")
        return 0
    changed = write_tree(settings.out, files)
    print(f"wrote {settings.out}: {len(files)} files, {changed} changed{warned}")
    return 0
