"""A spec change shows up in generated/ as the lines of that change and nothing else."""

from __future__ import annotations

import difflib
from pathlib import Path, PurePosixPath

import pytest
import yaml

from codegen.config import load_settings
from codegen.pipeline import generate
from tests.support import ROOT


def _generate_with(tmp_path: Path, edit: str, replacement: str) -> dict[PurePosixPath, str]:
    text = (ROOT / "openapi" / "openapi.yaml").read_text()
    assert edit in text
    spec = tmp_path / "openapi.yaml"
    spec.write_text(text.replace(edit, replacement, 1))
    yaml.safe_load(spec.read_text())  # still a valid document
    settings = load_settings(ROOT / "pyproject.toml", spec=spec, out=tmp_path / "out")
    return generate(settings).files


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    return added, removed


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[PurePosixPath, str]:
    tmp = tmp_path_factory.mktemp("baseline")
    return _generate_with(tmp, "openapi: 3.1.0", "openapi: 3.1.0")


def test_adding_a_property_adds_only_its_lines(tmp_path: Path, baseline: dict[PurePosixPath, str]) -> None:
    new_property = (
        "        model:\n"
        "          type: string\n"
        "          description: The model used for the chat completion.\n"
        "        reasoning_effort:\n"
        "          type: string\n"
        "          description: How hard the model thought.\n"
    )
    after = _generate_with(
        tmp_path,
        "        model:\n          type: string\n          description: The model used for the chat completion.\n",
        new_property,
    )
    changed = {path for path in after if after[path] != baseline[path]}
    assert changed == {PurePosixPath("openai_chat_sdk/models.py"), PurePosixPath("openai_chat_sdk/__init__.py")}
    added, removed = _changed_lines(
        baseline[PurePosixPath("openai_chat_sdk/models.py")], after[PurePosixPath("openai_chat_sdk/models.py")]
    )
    assert removed == []
    # difflib may align the block one docstring quote earlier or later: the same four lines either way
    assert sorted(line.strip() for line in added) == sorted(
        ["reasoning_effort: str | None = None", '"""', "How hard the model thought.", '"""']
    )
    init_added, init_removed = _changed_lines(
        baseline[PurePosixPath("openai_chat_sdk/__init__.py")], after[PurePosixPath("openai_chat_sdk/__init__.py")]
    )
    assert len(init_added) == len(init_removed) == 1 and "sha256" in init_added[0]  # the spec's fingerprint


def test_adding_an_enum_value_adds_one_line(tmp_path: Path, baseline: dict[PurePosixPath, str]) -> None:
    after = _generate_with(tmp_path, "        - priority\n", "        - priority\n        - turbo\n")
    added, removed = _changed_lines(
        baseline[PurePosixPath("openai_chat_sdk/models.py")], after[PurePosixPath("openai_chat_sdk/models.py")]
    )
    assert removed == [] and [line.strip() for line in added] == ['turbo = "turbo"']
