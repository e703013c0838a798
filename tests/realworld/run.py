"""Generate an SDK from every real-world spec in a folder and print one table of what came out.

    python tests/realworld/run.py [--dir ../shared/realworld] [--only NAME ...] [--no-mypy] [--json OUT]
                                  [--generator PROJECT_ROOT]

(`make test-realworld`, not part of `make test`.) For each spec (a `.yaml`, `.yml`, `.json` or
`.json.gz` file, or a folder holding a multi-file spec: its `openapi.yaml`, else its one top-level
YAML/JSON file that has an `openapi` key) it generates into a temporary directory through the
command line, as a user would, with a package named after the file; imports the package and
builds every model (`model_rebuild()`); counts the operations generated (client endpoints) and
skipped (path operations in the bundled spec that have no endpoint); runs `mypy --strict` on it;
and prints: spec, ok/fail (and the stage that failed), operations generated/skipped, model
classes, class names ending in a digit, warnings, mypy errors, seconds, the first error line.
Exit status 0 when the table was printed, whatever it says.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from codegen.bundle import bundle  # noqa: E402
from codegen.errors import CodegenError  # noqa: E402
from codegen.grammar import METHODS  # noqa: E402
from codegen.load import load_document, read_value  # noqa: E402

SUFFIXES = (".yaml", ".yml", ".json", ".json.gz", ".yaml.gz")

INSPECT = """
import importlib, inspect, json, pkgutil, sys
import pydantic
package = sys.argv[1]
base = importlib.import_module(package + "._base")

def modules(name):
    # A module, or a package and every module in it (a large API's resources/ and models/).
    module = importlib.import_module(name)
    found = [module]
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        found.append(importlib.import_module(name + "." + info.name))
    return found

clients = [importlib.import_module(package + "._client")]
try:
    clients += modules(package + ".resources")
except ModuleNotFoundError:
    pass
model_modules = modules(package + ".models")
classes = [
    c for m in model_modules for c in vars(m).values() if inspect.isclass(c) and c.__module__ == m.__name__
]
for c in classes:
    if issubclass(c, pydantic.BaseModel):
        c.model_rebuild(force=True)
endpoints = {id(v) for m in clients for v in vars(m).values() if isinstance(v, base.Endpoint)}
names = [c.__name__ for c in classes]
print(json.dumps({"endpoints": len(endpoints), "classes": len(classes),
                  "digit_names": sum(n[-1].isdigit() for n in names)}))
"""


@dataclass
class Row:
    spec: str
    input: str = ""  # load → bundle → normalize → validate, with this project's codegen
    result: str = "ok"
    operations: int = 0
    generated: int | None = None
    classes: int | None = None
    digit_names: int | None = None
    warnings: int = 0
    mypy_errors: int | None = None
    seconds: float = 0.0
    first_error: str = ""

    @property
    def skipped(self) -> int | None:
        return None if self.generated is None else self.operations - self.generated


def entry_points(folder: Path) -> list[tuple[str, Path]]:
    """(name, entry file) of every spec in `folder`, sorted by name."""
    found: list[tuple[str, Path]] = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name.endswith(SUFFIXES):
            found.append((path.name, path))
        elif path.is_dir():
            entry = _folder_entry(path)
            if entry is not None:
                found.append((f"{path.name}/", entry))
    return found


def _folder_entry(folder: Path) -> Path | None:
    if (folder / "openapi.yaml").is_file():
        return folder / "openapi.yaml"
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name.endswith(SUFFIXES):
            try:
                data = read_value(path)
            except CodegenError:
                continue
            if isinstance(data, dict) and "openapi" in data:
                return path
    return None


def package_name(name: str) -> str:
    stem = name.rstrip("/")
    for suffix in SUFFIXES:
        stem = stem.removesuffix(suffix)
    package = re.sub(r"\W+", "_", stem).strip("_").lower()
    return package if package[:1].isalpha() else f"sdk_{package}"


def count_operations(entry: Path) -> int:
    try:
        spec = bundle(load_document(entry)).data
    except CodegenError:
        return 0
    paths = spec.get("paths") or {}
    return sum(1 for item in paths.values() if isinstance(item, dict) for method in item if method in METHODS)


def first_error(stderr: str, folder: Path) -> str:
    lines = [line.replace(f"{folder}/", "") for line in stderr.splitlines() if line.strip()]
    if any(line.startswith("Traceback") for line in lines):
        return lines[-1]
    for line in lines:
        if not line.startswith("warning: "):
            return line
    return lines[-1] if lines else ""


def input_half(entry: Path, out: Path) -> str:
    """Does the spec get through load, bundle, overlay, normalize and validate (what the IR stage reads)?"""
    from codegen.bundle import Origins
    from codegen.config import load_settings
    from codegen.errors import Diagnostics
    from codegen.pipeline import read_spec

    try:
        read_spec(load_settings(None, spec=entry, out=out, package="p"), Diagnostics(), Origins())
    except CodegenError as exc:
        return f"error: {exc.problems[0].message[:60]}"
    except Exception as exc:
        return f"crash: {type(exc).__name__}"
    return "ok"


def run_one(name: str, entry: Path, tmp: Path, *, mypy: bool, generator: Path = ROOT) -> Row:
    row = Row(name, operations=count_operations(entry))
    row.input = input_half(entry, tmp / "unused")
    package = package_name(name)
    out = tmp / package
    start = time.perf_counter()
    command = [sys.executable, "-m", "codegen", "generate", "--spec", str(entry), "--out", str(out)]
    generated = subprocess.run([*command, "--package", package], cwd=generator, capture_output=True, text=True)
    row.warnings = sum(line.startswith("warning: ") for line in generated.stderr.splitlines())
    if generated.returncode != 0:
        row.result = f"fail: generate (exit {generated.returncode})"
        row.first_error = first_error(generated.stderr, entry.parent.parent if name.endswith("/") else entry.parent)
        row.seconds = time.perf_counter() - start
        return row
    inspected = subprocess.run(
        [sys.executable, "-c", INSPECT, package], cwd=out, capture_output=True, text=True, timeout=900
    )
    if inspected.returncode != 0:
        row.result = "fail: import"
        row.first_error = (inspected.stderr.strip().splitlines() or [""])[-1]
    else:
        counts = json.loads(inspected.stdout)
        row.generated, row.classes, row.digit_names = counts["endpoints"], counts["classes"], counts["digit_names"]
    if mypy:
        checked = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package],
            cwd=out, capture_output=True, text=True, timeout=3600,
        )  # fmt: skip
        errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
        row.mypy_errors = len(errors)
        if errors and row.result == "ok":
            row.result = "fail: mypy"
            row.first_error = errors[0]
    row.seconds = time.perf_counter() - start
    return row


def table(rows: list[Row]) -> str:
    def cell(value: object) -> str:
        return "-" if value is None else str(value)

    header = ["spec", "input half", "result", "ops gen/skip", "classes", "digit names", "warnings", "mypy errors"]
    header += ["s", "first error"]
    body = [
        [
            row.spec,
            row.input,
            row.result,
            f"{cell(row.generated)}/{cell(row.skipped)} of {row.operations}",
            cell(row.classes),
            cell(row.digit_names),
            str(row.warnings),
            cell(row.mypy_errors),
            f"{row.seconds:.1f}",
            row.first_error.replace("|", "\\|")[:160],
        ]
        for row in rows
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    ok = sum(row.result == "ok" for row in rows)
    return "\n".join(lines) + f"\n\n{ok} of {len(rows)} specs ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=ROOT.parent / "shared" / "realworld")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="specs whose name contains NAME")
    parser.add_argument("--no-mypy", dest="mypy", action="store_false")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--generator", type=Path, default=ROOT, help="the project whose codegen runs (to compare)")
    args = parser.parse_args()
    if not args.dir.is_dir():
        print(f"{args.dir}: no such folder (set REALWORLD=...)", file=sys.stderr)
        return 2
    specs = [(n, p) for n, p in entry_points(args.dir) if not args.only or any(o in n for o in args.only)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="realworld-") as tmp:
        for name, entry in specs:
            row = run_one(name, entry, Path(tmp), mypy=args.mypy, generator=args.generator.resolve())
            print(f"{row.spec}: {row.result} in {row.seconds:.1f} s", file=sys.stderr, flush=True)
            rows.append(row)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
