"""The feature corpus as golden files: each spec in tests/fixtures/specs/ generates exactly
tests/golden/<stem>/, and what it generates is valid, lint-clean, `mypy --strict`-clean Python.

Every spec is generated once per session (tests/corpus.py); ruff and mypy each run once over all
golden packages, and each spec's test picks its own findings out of that run. A generator bug shows
up as a strict xfail naming it: when the bug is fixed the xfail turns into a failure, so the mark
goes away together with the fix.
"""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus import (
    FAILED_FILE,
    GENERATION_FAILS,
    GOLDEN_DIR,
    REFRESH,
    ROOT,
    SPECS,
    Generation,
    expected_tree,
    package_name,
    read_tree,
    session_corpus,
)

RUFF = Path(sys.executable).parent / "ruff"
# generated/ is linted with the project's rules minus these (pyproject: [tool.ruff.lint.per-file-ignores]).
GENERATED_RUFF_IGNORES = ("E501", "RUF", "UP")

CLIENT_NAMES = (
    "generator: schemas named Client, Query and Headers are imported into _client.py under TYPE_CHECKING as "
    "they are, shadowing the module's own Client class and the runtime's Query/Headers aliases (mypy: "
    'no-redef, \'Incompatible import of "Query"\', \'"Client" has no attribute "_request_raw"\'); '
    "render_client/_client.py.jinja should import models under an alias (e.g. `from . import models` and "
    "`models.Client`) or the IR should avoid names the client module defines"
)

NOT_GENERATED = {stem: f"{reason} (so there is no package to check)" for stem, reason in GENERATION_FAILS.items()}
COMPILE_XFAIL = {**NOT_GENERATED}
RUFF_XFAIL = {**NOT_GENERATED}
MYPY_XFAIL = {**RUFF_XFAIL, "names-classes-31": CLIENT_NAMES}


def specs_with(xfails: dict[str, str]) -> list[object]:
    return [
        pytest.param(stem, marks=pytest.mark.xfail(reason=xfails[stem], strict=True)) if stem in xfails else stem
        for stem in SPECS
    ]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generation]:
    return session_corpus(tmp_path_factory.mktemp("corpus"))


def golden_package(stem: str) -> Path:
    return GOLDEN_DIR / stem / package_name(stem)


def _diff(golden: dict[str, bytes], fresh: dict[str, bytes], stem: str) -> str:
    chunks: list[str] = []
    for rel in sorted(golden.keys() | fresh.keys()):
        old, new = golden.get(rel), fresh.get(rel)
        if old == new:
            continue
        chunks.extend(
            difflib.unified_diff(
                (old or b"").decode("utf-8", "replace").splitlines(keepends=True),
                (new or b"").decode("utf-8", "replace").splitlines(keepends=True),
                fromfile=f"tests/golden/{stem}/{rel}" if old is not None else "/dev/null",
                tofile=f"generated/{stem}/{rel}" if new is not None else "/dev/null",
            )
        )
        if old is not None and new is not None and old.decode("utf-8", "replace") == new.decode("utf-8", "replace"):
            chunks.append(f"(tests/golden/{stem}/{rel}: bytes differ, text does not; line endings or encoding)\n")
    return "".join(chunks)


# -- generation and goldens -------------------------------------------------------------------


def test_the_corpus_is_there() -> None:
    assert len(SPECS) >= 10, SPECS
    assert {stem.split("-")[0] for stem in SPECS} >= {"schemas", "names", "operations", "recursion"}
    assert set(GENERATION_FAILS) <= set(SPECS)


@pytest.mark.parametrize("stem", specs_with(GENERATION_FAILS))
def test_spec_generates(corpus: dict[str, Generation], stem: str) -> None:
    generation = corpus[stem]
    assert generation.ok, f"exit status {generation.returncode}:\n{generation.stderr}"
    assert (generation.out / generation.package / "__init__.py").is_file()


@pytest.mark.parametrize("stem", SPECS)
def test_output_matches_golden(corpus: dict[str, Generation], stem: str) -> None:
    """File set and bytes; a spec that fails to generate has its error report as the golden."""
    golden = read_tree(GOLDEN_DIR / stem)
    fresh = expected_tree(corpus[stem])
    if golden == fresh:
        return
    missing, extra = sorted(golden.keys() - fresh.keys()), sorted(fresh.keys() - golden.keys())
    pytest.fail(
        f"tests/golden/{stem}/ is stale (files only in the golden: {missing or 'none'}; only in the new "
        f"output: {extra or 'none'}).\nRefresh with `{REFRESH}`\n\n{_diff(golden, fresh, stem)}",
        pytrace=False,
    )


def test_no_golden_without_a_spec() -> None:
    stale = sorted(p.name for p in GOLDEN_DIR.iterdir() if p.is_dir() and p.name not in SPECS)
    assert not stale, f"golden directories without a spec: {stale}; refresh with `{REFRESH}`"


def test_golden_failures_are_the_known_ones() -> None:
    """A golden that records a failed generation belongs to a spec in GENERATION_FAILS, and back."""
    failed = {stem for stem in SPECS if (GOLDEN_DIR / stem / FAILED_FILE).is_file()}
    assert failed == set(GENERATION_FAILS), f"refresh with `{REFRESH}` or update tests/corpus.py GENERATION_FAILS"


@pytest.mark.parametrize("stem", SPECS)
def test_every_generated_file_names_its_spec(stem: str) -> None:
    header = f"# Generated by codegen from tests/fixtures/specs/{stem}.yaml. Do not edit.\n".encode()
    for rel, data in read_tree(GOLDEN_DIR / stem).items():
        if rel.endswith((".py", ".toml")) and data:
            assert data.startswith(header), rel
        assert b"\r\n" not in data, rel
        assert str(ROOT).encode() not in data, f"{rel} holds an absolute path"


# -- the golden code is valid, lint-clean and type-clean ---------------------------------------


@pytest.mark.parametrize("stem", specs_with(COMPILE_XFAIL))
def test_golden_package_compiles(stem: str) -> None:
    package = golden_package(stem)
    assert package.is_dir(), "not generated"
    for path in sorted(package.glob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)


def _compiles(package: Path) -> bool:
    try:
        for path in package.glob("*.py"):
            compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return package.is_dir()


@pytest.fixture(scope="session")
def ruff_findings() -> dict[str, list[str]]:
    """One `ruff check` over every golden package, with the rules generated/ is held to; by spec."""
    packages = [golden_package(stem) for stem in SPECS if golden_package(stem).is_dir()]
    ignores = [f"--extend-per-file-ignores=tests/golden/**:{code}" for code in GENERATED_RUFF_IGNORES]
    command = [str(RUFF), "check", "--no-cache", "--output-format=json", *ignores, *map(str, packages)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr
    findings: dict[str, list[str]] = {stem: [] for stem in SPECS}
    for item in json.loads(result.stdout or "[]"):
        rel = Path(item["filename"]).resolve().relative_to(GOLDEN_DIR)
        where = f"{rel}:{item['location']['row']}"
        findings[rel.parts[0]].append(f"{where}: {item['code'] or 'syntax'} {item['message']}")
    return findings


@pytest.mark.parametrize("stem", specs_with(RUFF_XFAIL))
def test_golden_package_passes_ruff(ruff_findings: dict[str, list[str]], stem: str) -> None:
    assert golden_package(stem).is_dir(), "not generated"
    assert not ruff_findings[stem], "\n".join(ruff_findings[stem])


@pytest.fixture(scope="session")
def mypy_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """One `mypy --strict` over every golden package that compiles (a syntax error stops mypy for all)."""
    packages = [golden_package(stem) for stem in SPECS if _compiles(golden_package(stem))]
    cache = ROOT / ".mypy_cache" / "corpus"  # kept between runs: mypy is ~4x faster warm
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--config-file=",  # not pyproject's: it excludes tests/golden and names its own files
        "--python-version=3.11",
        f"--cache-dir={cache}",
        "--no-error-summary",
        "--show-error-codes",
        *map(str, packages),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    findings: dict[str, list[str]] = {stem: [] for stem in SPECS}
    for line in result.stdout.splitlines():
        path = line.split(":", 1)[0]
        try:
            rel = (ROOT / path).resolve().relative_to(GOLDEN_DIR)
        except ValueError:
            pytest.fail(f"mypy reported outside the goldens: {line}")
        if ": note:" not in line:
            findings[rel.parts[0]].append(line)
    return findings


@pytest.mark.parametrize("stem", specs_with(MYPY_XFAIL))
def test_golden_package_passes_mypy_strict(mypy_findings: dict[str, list[str]], stem: str) -> None:
    package = golden_package(stem)
    assert package.is_dir(), "not generated"
    assert _compiles(package), "does not compile, so mypy did not check it (see test_golden_package_compiles)"
    assert not mypy_findings[stem], "\n".join(mypy_findings[stem])
