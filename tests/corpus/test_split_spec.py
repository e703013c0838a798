"""A spec split over files (tests/fixtures/specs-input/split/) generates like a single-file one; its
warnings name the file and pointer the user wrote; a generator bug is one line, exit 3."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codegen import cli
from tests.support import ROOT

SPLIT = "tests/fixtures/specs-input/split"


def test_a_split_spec_generates_and_its_warnings_name_the_real_files(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    command = ["generate", "--spec", f"{SPLIT}/openapi.yaml", "--out", str(out), "--package", "split"]
    result = subprocess.run([sys.executable, "-m", "codegen", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: {SPLIT}/parameters.yaml#/Limit/schema/exclusiveMinimum: exclusiveMinimum: 0 is OpenAPI 3.1; "
        "read as minimum: 0, exclusiveMinimum: true",
        f"warning: {SPLIT}/schemas/Pet.yaml#/required: required lists id more than once: read once",
    ]
    assert result.stdout.strip().endswith(", 2 warnings")
    code = (
        "import split, split.models as m\n"
        "client = split.Client()\n"
        "print(sorted(n for n in vars(m) if n in ('Pet', 'Owner', 'Error')), hasattr(client, 'list_pets'),"
        " hasattr(client, 'get_pet'))\n"
        "m.Pet.model_validate({'id': '1', 'name': 'rex', 'owner': {'name': 'a', 'pets': []}})\n"
    )
    imported = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "['Error', 'Owner', 'Pet'] True True"


def test_strict_refuses_the_warnings_where_they_were_written(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    command = ["generate", "--spec", f"{SPLIT}/openapi.yaml", "--out", str(out), "--strict"]
    result = subprocess.run([sys.executable, "-m", "codegen", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and not out.exists()
    assert [line.split(": ", 2)[1] for line in result.stderr.splitlines()] == [
        f"{SPLIT}/parameters.yaml#/Limit/schema/exclusiveMinimum",
        f"{SPLIT}/schemas/Pet.yaml#/required",
    ]


def test_a_generator_bug_is_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("x-oops")

    monkeypatch.setattr("codegen.ir.build.build_api", broken)
    monkeypatch.chdir(ROOT)
    code = cli.main(["generate", "--spec", f"{SPLIT}/openapi.yaml", "--out", str(tmp_path / "sdk")])
    assert code == 3 and not (tmp_path / "sdk").exists()
    err = capsys.readouterr().err
    assert err == (
        f"internal error: {SPLIT}/openapi.yaml: IR stage failed: KeyError: 'x-oops' (a generator bug); "
        "please report it\n"
    )


def test_two_versions_of_a_split_spec_can_be_diffed(tmp_path: Path) -> None:
    import shutil

    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(ROOT / SPLIT, old)
    shutil.copytree(ROOT / SPLIT, new)
    pet = new / "schemas" / "Pet.yaml"
    pet.write_text(pet.read_text().replace("  tag:\n", "  age:\n    type: integer\n  tag:\n"))
    command = [sys.executable, "-m", "codegen", "diff", str(old / "openapi.yaml"), str(new / "openapi.yaml")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "age" in result.stdout and "Traceback" not in result.stderr
