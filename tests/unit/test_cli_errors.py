"""A broken input: one clear line per problem, exit 2, and the output directory untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codegen.write import read_tree
from tests.support import ROOT

GOOD = (ROOT / "openapi" / "openapi.yaml").read_text()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codegen", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    target = tmp_path / "sdk"
    assert _run("generate", "--out", str(target)).returncode == 0
    return target


@pytest.mark.parametrize(
    ("spec_text", "expected"),
    [
        ("openapi: 3.1.0\ninfo: [unclosed\n", r"bad\.yaml:line 3: invalid YAML"),
        (
            GOOD.replace("$ref: '#/components/schemas/CompletionUsage'", "$ref: '#/components/schemas/Nope'"),
            "dangling \\$ref",
        ),
        (GOOD.replace("openapi: 3.1.0", "openapi: 2.0"), r"bad\.yaml#/openapi: unsupported OpenAPI version '2.0'"),
        (
            GOOD.replace("      operationId: updateChatCompletion\n", "      operationId: 12\n"),
            r"bad\.yaml#/paths/.*operationId",
        ),
    ],
    ids=["yaml", "dangling-ref", "version", "invalid"],
)
def test_broken_spec_leaves_output_untouched(tmp_path: Path, out: Path, spec_text: str, expected: str) -> None:
    before = read_tree(out)
    spec = tmp_path / "bad.yaml"
    spec.write_text(spec_text)
    result = _run("generate", "--config", "pyproject.toml", "--spec", str(spec), "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    assert any(__import__("re").search(expected, line) for line in lines), result.stderr
    assert read_tree(out) == before


def test_overlay_target_that_vanished_is_named(tmp_path: Path, out: Path) -> None:
    spec = tmp_path / "renamed.yaml"
    spec.write_text(GOOD.replace("CreateChatCompletionResponse", "ChatCompletionResponse"))
    result = _run("generate", "--config", "pyproject.toml", "--spec", str(spec), "--out", str(out))
    assert result.returncode == 2
    assert "overlay.yaml#/actions/" in result.stderr and "selects nothing" in result.stderr


def test_validation_errors_inside_schemas_name_the_exact_node(tmp_path: Path, out: Path) -> None:
    """The validator checks each schema on its own; the message must still point into the document."""
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        GOOD.replace(
            "        created:\n          type: integer\n          format: unixtime\n",
            "        created:\n          type: integer\n          format: unixtime\n          exclusiveMinimum: true\n",
        )
    )
    result = _run("generate", "--config", "pyproject.toml", "--spec", str(spec), "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert any(
        "bad.yaml#/components/schemas/CreateChatCompletionResponse/properties/created/exclusiveMinimum:" in line
        and "is not of type 'number'" in line
        for line in lines
    ), result.stderr
