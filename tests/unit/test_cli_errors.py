"""A broken input: one clear line per problem, exit 2, and the output directory untouched.
A merely imperfect one: one warning line per problem, exit 0; with --strict, exit 2 as if broken."""

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
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: 'https://example.com/a.yaml'\n",
            r"bad\.yaml#/paths/~1a: remote \$ref 'https://example.com/a.yaml' is not supported",
        ),
    ],
    ids=["yaml", "dangling-ref", "version", "remote-ref"],
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


CREATED = "        created:\n          type: integer\n          format: unixtime\n"


def test_validation_problems_are_warnings_with_the_exact_node(tmp_path: Path, out: Path) -> None:
    """The validator checks each schema on its own; the warning must still point into the document.
    What the generator can read anyway is generated, exit 0; --strict refuses it, output untouched."""
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        GOOD.replace(CREATED, CREATED + "          exclusiveMinimum: true\n          maxLength: ten\n").replace(
            "      operationId: updateChatCompletion\n", "      operationId: 12\n"
        )
    )
    before = read_tree(out)
    strict = _run("generate", "--config", "pyproject.toml", "--spec", str(spec), "--out", str(out), "--strict")
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    assert all(line.startswith("error: ") for line in strict.stderr.strip().splitlines()), strict.stderr
    assert read_tree(out) == before

    result = _run("generate", "--config", "pyproject.toml", "--spec", str(spec), "--out", str(tmp_path / "sdk"))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("warning: ") and len(line) < 400 for line in lines), result.stderr
    created = "bad.yaml#/components/schemas/CreateChatCompletionResponse/properties/created"
    assert any(f"{created}/exclusiveMinimum: exclusiveMinimum: true is OpenAPI 3.0" in line for line in lines)
    assert any(f"{created}/maxLength: 'ten' is not of type 'integer'" in line for line in lines), lines
    assert any(
        "bad.yaml#/paths/~1chat~1completions~1{completion_id}/post/operationId: 12 is not of type 'string'" in line
        for line in lines
    )
    assert f", {len(lines)} warnings" in result.stdout
    assert [line.replace("warning: ", "error: ") for line in lines] == strict.stderr.strip().splitlines()


def test_a_foreign_spec_without_out_is_refused(tmp_path: Path) -> None:
    """`--spec` without `--config` never writes into the project's own generated/."""
    before = read_tree(ROOT / "generated")
    result = _run("generate", "--spec", "openapi/openapi.yaml")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "error: openapi/openapi.yaml: say where the SDK goes: --out DIR " + (
        "(or --config pyproject.toml for the project's settings)"
    )
    assert read_tree(ROOT / "generated") == before


def test_an_operation_that_cannot_be_generated_is_skipped_with_a_warning(tmp_path: Path, out: Path) -> None:
    """One operation the generator cannot make (a Swagger 2 `in: body` parameter) costs that operation,
    not the SDK; `--strict` refuses it, output untouched."""
    spec = tmp_path / "bad.yaml"
    spec.write_text(GOOD.replace("      - in: path\n", "      - in: body\n        name: legacy\n      - in: path\n", 1))
    before = read_tree(out)
    strict = _run("generate", "--spec", str(spec), "--overlay", "none", "--out", str(out), "--strict")
    assert strict.returncode == 2 and read_tree(out) == before
    result = _run(
        "generate", "--spec", str(spec), "--overlay", "none", "--out", str(tmp_path / "sdk"), "--package", "p"
    )
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if "operation skipped" in line]
    assert skipped == [
        f"warning: {spec}#/paths/~1chat~1completions~1{{completion_id}}/post/parameters: "
        "operation skipped: parameter 'legacy' in 'body' is not supported"
    ]
    assert "/post/parameters/0/in: 'body' is not one of" in strict.stderr  # stopped at the first warning
    client = (tmp_path / "sdk" / "p" / "_client.py").read_text()
    assert "Endpoint(" not in client  # its only operation was skipped: a client with no methods
