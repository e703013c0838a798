"""Run the property checks on a spec that is not in the repository: the whole upstream OpenAI API and
the shared real-world specs (`make test-properties`), read in place.

    .venv/bin/python -m tests.support.properties_run [--examples N] [--seconds S] [--report FILE] [SPEC ...]

With no SPEC: the upstream API (with the fixes overlay) and every spec in ../shared/realworld/. A SPEC
that is a directory is a spec split over files (its entry file), bundled as the generator bundles it.
Each spec is generated into a temporary directory; one that fails to generate is skipped and counted.
Prints one summary line per spec, then every failure; exit status 1 when any check failed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.bundle import bundle
from codegen.load import load_document
from codegen.overlay import apply_overlay
from tests.support import ROOT
from tests.support.properties import Budget, SpecReport, check_spec, component_models

SHARED = ROOT.parent / "shared"
UPSTREAM = SHARED / "specs" / "openai-2026-08-21-f85dbe2.yaml"
FIXES = ROOT / "tests" / "fixtures" / "upstream" / "openai-2026-08-21.fixes.overlay.yaml"
REALWORLD = SHARED / "realworld"
_ENTRY_FILES = ("openapi.yaml", "DigitalOcean-public.v2.yaml")


@dataclass(frozen=True)
class Target:
    label: str
    spec: Path
    overlay: Path | None = None


def default_targets() -> list[Target]:
    targets = [Target("openai-upstream", UPSTREAM, FIXES)] if UPSTREAM.is_file() else []
    if REALWORLD.is_dir():
        for path in sorted(REALWORLD.iterdir()):
            if path.is_dir() or path.suffix in (".yaml", ".json", ".gz"):
                found = target_of(path)
                if found is not None:
                    targets.append(found)
    return targets


def target_of(path: Path, overlay: Path | None = None) -> Target | None:
    """A spec file, or a directory holding a spec split over files (its entry file is read)."""
    if not path.is_dir():
        return Target(path.name.split(".")[0], path, overlay)
    entry = next((path / name for name in _ENTRY_FILES if (path / name).is_file()), None)
    return Target(path.name, entry, overlay) if entry is not None else None


def _package(label: str) -> str:
    return "props_" + "".join(c if c.isalnum() else "_" for c in label.lower())


def generate(target: Target, out: Path) -> str:
    """Generate into `out`; the error output when generation fails, else ""."""
    command = [sys.executable, "-m", "codegen", "generate", "--spec", str(target.spec), "--out", str(out)]
    command += ["--package", _package(target.label), "--overlay", str(target.overlay) if target.overlay else "none"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    return "" if result.returncode == 0 else (result.stderr or result.stdout).strip().splitlines()[-1][:300]


def spec_of(target: Target) -> dict[str, Any]:
    spec = bundle(load_document(target.spec)).data  # a spec split over files, as the generator reads it
    return apply_overlay(spec, load_document(target.overlay)) if target.overlay else spec


def check_generated(target: Target, out: Path, budget: Budget, schemas: list[str] | None = None) -> SpecReport:
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    package = _package(target.label)
    models = importlib.import_module(f"{package}.models")
    base = importlib.import_module(f"{package}._base")
    spec = spec_of(target)
    names, nullable = component_models(spec)

    def progress(done: int, total: int) -> None:
        if done % 100 == 0:
            print(f"  {target.label}: {done}/{total} schemas", file=sys.stderr, flush=True)

    options: dict[str, Any] = {"budget": budget, "keys": schemas, "progress": progress}
    return check_spec(target.label, spec, models, base, class_names=names, nullable=nullable, **options)


def run(
    targets: list[Target], budget: Budget, *, sdk: Path | None = None, schemas: list[str] | None = None
) -> tuple[list[SpecReport], list[str]]:
    reports: list[SpecReport] = []
    not_generated: list[str] = []
    with tempfile.TemporaryDirectory(prefix="properties-") as tmp:
        for target in targets:
            out = sdk if sdk is not None else Path(tmp) / target.label
            if sdk is None:
                error = generate(target, out)
                if error:
                    not_generated.append(f"{target.label}: {error}")
                    continue
            started = time.monotonic()
            report = check_generated(target, out, budget, schemas)
            reports.append(report)
            print(f"{report.summary()} [{time.monotonic() - started:.0f} s]", flush=True)
    return reports, not_generated


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="properties_run")
    parser.add_argument("specs", nargs="*", type=Path)
    parser.add_argument("--overlay", type=Path)
    parser.add_argument("--sdk", type=Path, help="an SDK already generated from the one SPEC (package props_<label>)")
    parser.add_argument("--examples", type=int, default=Budget.examples)
    parser.add_argument("--seconds", type=float, default=Budget.seconds)
    parser.add_argument("--report", type=Path, help="write every failure here as JSON")
    parser.add_argument("--schemas", nargs="+", metavar="KEY", help="check only these component schemas")
    args = parser.parse_args(argv)
    targets = [t for p in args.specs if (t := target_of(p, args.overlay)) is not None] or default_targets()
    budget = Budget(examples=args.examples, seconds=args.seconds)
    reports, not_generated = run(targets, budget, sdk=args.sdk, schemas=args.schemas)
    print(f"{len(reports)} specs checked, {len(not_generated)} did not generate (skipped):")
    for line in not_generated:
        print(f"  {line}")
    failures = [line for report in reports for line in report.failures()]
    for line in failures:
        print(line[:600])
    if args.report:
        args.report.write_text(
            json.dumps({"summaries": [r.summary() for r in reports], "failures": failures}, indent=1)
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
