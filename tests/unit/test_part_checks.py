"""The document check with the entries that passed it before left out (`codegen/part_checks.py`):
after any edit, the findings of a whole validation; the unchanged entries are not checked again;
a document that did not pass teaches nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codegen import validate
from codegen.cache import Cache
from codegen.part_checks import PartChecks

SPEC_31 = """\
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: limit, in: query, schema: {$ref: "#/components/schemas/Limit"}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
  /items/{id}:
    delete:
      operationId: deleteItem
      parameters:
        - {$ref: "#/components/parameters/Id"}
      responses:
        "204": {description: gone}
webhooks:
  itemAdded:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Item"}
      responses:
        "200": {description: ok}
components:
  schemas:
    Item:
      type: object
      properties:
        name: {type: string}
    Limit: {type: integer, minimum: 1}
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
  responses:
    Missing: {description: not there}
"""
SPEC_30 = SPEC_31.replace("openapi: 3.1.0", "openapi: 3.0.3").split("webhooks:")[0] + (
    "components:" + SPEC_31.split("components:")[1]
)

NAME = "        name: {type: string}\n"
EDITS = {
    "a property added": (NAME, NAME + "        note: {type: string}\n"),
    "a path added": ("components:\n", "  /other:\n    summary: Other\ncomponents:\n"),
    "an operation made invalid": ('"204": {description: gone}', '"204": 5'),
    "a parameter without its place": ("{name: id, in: path, required: true,", "{name: id, required: true,"),
    "a path that is no path": ("  /items/{id}:\n", "  items/{id}:\n"),
    "a component name the schema refuses": ("    Missing:", "    Not there:"),
    "an unknown top-level key": ("components:\n", "unknown: 1\ncomponents:\n"),
    "a response without its description": ("    Missing: {description: not there}", "    Missing: {}"),
}  # fmt: skip


def _findings(text: str, parts: PartChecks | None) -> tuple[list[tuple[str, str]], list[str]]:
    return validate._findings(yaml.safe_load(text), source="s.yaml", parts=parts)


@pytest.mark.parametrize("spec", [SPEC_31, SPEC_30], ids=["3.1", "3.0"])
@pytest.mark.parametrize("edit", EDITS)
def test_after_an_edit_the_findings_are_a_whole_validations(tmp_path: Path, spec: str, edit: str) -> None:
    old, new = EDITS[edit]
    assert old in spec
    edited = spec.replace(old, new, 1)
    cache = Cache(tmp_path)
    first = PartChecks(cache)
    assert _findings(spec, first) == _findings(spec, None) == ([], [])
    assert first.passed and first.left_out == 0
    again = PartChecks(cache)
    found = _findings(edited, again)
    assert found == _findings(edited, None)
    if found == ([], []):
        assert again.left_out >= len(first.passed) - 1  # the entries not edited were not checked again
    else:
        assert again.passed == []  # a document that did not pass teaches nothing


def test_an_entry_is_known_by_its_key_and_value_and_the_validator(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    _findings(SPEC_31, PartChecks(cache))
    again = PartChecks(cache)
    _findings(SPEC_31.replace("minimum: 1}", "minimum: 1.0}"), again)  # 1.0 is not 1
    assert again.left_out == len(again.passed) - 1
    moved = PartChecks(cache)
    _findings(SPEC_31.replace("    Limit:", "    Limits:"), moved)  # the same value under another key
    assert moved.left_out == len(moved.passed) - 1
    other = PartChecks(cache)
    _findings(SPEC_31.replace("openapi: 3.1.0", "openapi: 3.0.3").split("webhooks:")[0], other)
    assert other.left_out == 0  # another validator: its own verdicts


def test_a_corrupt_entry_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    _findings(SPEC_31, PartChecks(cache))
    (path,) = (path for path in (tmp_path / "part-checks").rglob("*") if path.is_file())
    path.write_bytes(path.read_bytes()[:-10])
    again = PartChecks(cache)
    assert not again.known and not path.exists()
    assert _findings(SPEC_31, again) == ([], []) and again.left_out == 0
