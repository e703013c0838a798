"""The feature corpus: small specs of our own under tests/fixtures/specs/, one theme each.

Shared by tests/corpus/test_corpus_golden.py, tests/corpus/test_corpus_live.py and tests/golden/refresh.py:
which specs there are, the package each one generates (`schemas-30.yaml` → `schemas_30`), and
generation itself, through the command line exactly as a user runs it, every spec once per
session (in parallel: each run is a ~1 s subprocess).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from tests.support import ROOT

SPECS_DIR = ROOT / "tests" / "fixtures" / "specs"
GOLDEN_DIR = ROOT / "tests" / "golden"
# A spec whose generation fails has this file in its golden directory instead of a package:
# the error output, so a change in what the generator reports shows up as a golden diff too.
FAILED_FILE = "GENERATION_FAILED.txt"
REFRESH = ".venv/bin/python tests/golden/refresh.py  # then review and commit the diff of tests/golden/"

SPECS: tuple[str, ...] = tuple(sorted(path.stem for path in SPECS_DIR.glob("*.yaml")))


def package_name(stem: str) -> str:
    return stem.replace("-", "_")


@dataclass(frozen=True)
class Generation:
    stem: str
    out: Path  # the output directory: pyproject.toml and the package
    returncode: int
    stdout: str
    stderr: str

    @property
    def package(self) -> str:
        return package_name(self.stem)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def spec_path(stem: str) -> Path:
    return SPECS_DIR / f"{stem}.yaml"


def generate(stem: str, out: Path) -> Generation:
    """`python -m codegen generate` for one corpus spec; the spec path is relative to the project, so
    the provenance line in every file is the same on every machine. A spec with settings of its own
    (`paging-31.toml` next to `paging-31.yaml`) gets them as `--config`."""
    command = [
        sys.executable,
        "-m",
        "codegen",
        "generate",
        "--spec",
        spec_path(stem).relative_to(ROOT).as_posix(),
        "--out",
        str(out),
        "--package",
        package_name(stem),
    ]
    config = spec_path(stem).with_suffix(".toml")
    if config.is_file():
        command += ["--config", config.relative_to(ROOT).as_posix()]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return Generation(stem, out, result.returncode, result.stdout, result.stderr)


def generate_all(base: Path, stems: tuple[str, ...] = SPECS) -> dict[str, Generation]:
    """Every spec into `base/<stem>/`, one subprocess per core at a time."""
    workers = max(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda stem: generate(stem, base / stem), stems)
        return {result.stem: result for result in results}


_SESSION: dict[str, Generation] = {}


def session_corpus(base: Path) -> dict[str, Generation]:
    """The whole corpus, generated once per test session (both corpus test modules share it)."""
    if not _SESSION:
        _SESSION.update(generate_all(base))
    return _SESSION


def read_tree(root: Path) -> dict[str, bytes]:
    """{relative posix path: bytes} of every file under `root`, caches left out."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and ".mypy_cache" not in path.parts
    }


def expected_tree(generation: Generation) -> dict[str, bytes]:
    """What the golden directory should hold for this run: the files, or the error report."""
    if generation.ok:
        return read_tree(generation.out)
    report = f"exit status {generation.returncode}\n{generation.stderr}"
    return {FAILED_FILE: report.encode()}


@contextmanager
def imported(generation: Generation) -> Iterator[ModuleType]:
    """The package a successful generation wrote, importable while the block runs."""
    assert generation.ok, generation.stderr
    sys.path.insert(0, str(generation.out))
    try:
        yield importlib.import_module(generation.package)
    finally:
        sys.path.remove(str(generation.out))
