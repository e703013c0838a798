"""The whole upstream OpenAI API (~290 operations) generates, imports and type-checks.

The upstream file is used as it is, without the fixes overlay: what fails OpenAPI 3.1 validation
is read leniently, with a warning each. Slow (about a minute to generate, minutes for mypy):
marked `full`, run by `make test-full`, not by `make test`.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.write import read_tree
from tests.support import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "upstream"

pytestmark = pytest.mark.full


@pytest.fixture(scope="module")
def full_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("full")
    spec = tmp / "openai.yaml"
    spec.write_bytes(gzip.decompress((FIXTURES / "openai-2026-08-21-f85dbe2.yaml.gz").read_bytes()))
    out = tmp / "sdk"
    command = [
        sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--out", str(out), "--package", "openai_full",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    # The upstream file as it is: what OpenAPI 3.1 validation rejects is read leniently, one warning each.
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(f"warning: {spec}#/") for line in lines), lines
    # 4 2019-09 keywords, 1 duplicate required entry, 7 boolean exclusive bounds, 111 left-over nullable;
    # the defaults 3.1 validation rejected are annotations in 3.1: dropped without a warning; and one
    # note that the 16 webhooks are not generated
    assert len(lines) == 124 and sum("webhooks are not generated" in line for line in lines) == 1
    assert any("ContainerResource/required: required lists created_at, id, name, status more" in x for x in lines)
    return out


def test_strict_refuses_the_upstream_spec_with_pointers(tmp_path: Path) -> None:
    spec = tmp_path / "openai.yaml"
    spec.write_bytes(gzip.decompress((FIXTURES / "openai-2026-08-21-f85dbe2.yaml.gz").read_bytes()))
    command = [sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--out", str(tmp_path / "sdk")]
    result = subprocess.run([*command, "--strict"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 2 and not (tmp_path / "sdk").exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 123 and all(line.startswith(f"error: {spec}#/") for line in lines), lines
    assert any("ContainerResource/required: " in line for line in lines)


def test_the_fixes_overlay_changes_nothing_but_the_spec_hash(full_sdk: Path, tmp_path: Path) -> None:
    """What the lenient reading does equals what the hand-written fixes overlay (an Overlay example) does."""
    spec = tmp_path / "openai.yaml"
    spec.write_bytes(gzip.decompress((FIXTURES / "openai-2026-08-21-f85dbe2.yaml.gz").read_bytes()))
    out = tmp_path / "sdk"
    command = [
        sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--out", str(out), "--package", "openai_full",
        "--overlay", str(FIXTURES / "openai-2026-08-21.fixes.overlay.yaml"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    kept = (
        "nullable is OpenAPI 3.0",
        "$recursiveRef is JSON Schema 2019-09",
        "webhooks are not generated",
    )  # not fixes
    assert all(any(word in line for word in kept) for line in result.stderr.splitlines()), result.stderr[-3000:]
    ours, fixed = read_tree(full_sdk), read_tree(out)
    assert ours.keys() == fixed.keys()
    differing = [str(name) for name in ours if ours[name] != fixed[name]]
    assert differing == ["openai_full/__init__.py"]  # its sha256 line names the (overlaid) spec


def test_every_operation_is_a_method_and_the_package_imports(full_sdk: Path) -> None:
    code = (
        "import openai_full, openai_full._client as c, openai_full.models as m\n"
        "client = openai_full.Client(api_key='k')\n"
        "endpoints = [v for v in vars(c).values() if isinstance(v, c.Endpoint)]\n"
        "methods = [n for n in dir(client) if not n.startswith('_')]\n"
        "print(len(endpoints), len(methods), sum(isinstance(v, type) for v in vars(m).values()))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=full_sdk, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    endpoints, methods, classes = map(int, result.stdout.split())
    assert endpoints == 288 and methods >= endpoints and classes > 1000  # every operation


def test_the_whole_sdk_passes_mypy_strict(full_sdk: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "openai_full"], cwd=full_sdk, capture_output=True, text=True,
        timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:]
