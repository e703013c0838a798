"""The validator's walk with the path items and component schemas that passed it before left out
(`codegen/path_checks.py`): after any edit, the findings of a whole validation; what did not change
and reaches nothing that changed is not walked; what could make the walk read across items walks
them all."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codegen import validate
from codegen.cache import Cache
from codegen.path_checks import PathChecks

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
              schema: {$ref: "#/components/schemas/Page"}
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {$ref: "#/components/parameters/Id"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
    delete:
      operationId: deleteItem
      parameters:
        - {$ref: "#/components/parameters/Id"}
      responses:
        "204": {description: gone}
  /tags:
    get:
      operationId: listTags
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Tag"}}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {$ref: "#/components/schemas/Name"}
    Name: {type: string}
    Page:
      allOf:
        - {$ref: "#/components/schemas/Item"}
        - {type: object, properties: {next: {type: string}}}
    Tag:
      type: object
      properties:
        label: {type: string, default: none}
    Limit: {type: integer, minimum: 1, default: 10}
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
"""
SPEC_30 = SPEC_31.replace("openapi: 3.1.0", "openapi: 3.0.3")

TAG = "        label: {type: string, default: none}\n"
EDITS = {
    "a property added to what one item reaches": (TAG, TAG + "        note: {type: string}\n"),
    "a default its changed schema rejects": ("minimum: 1, default: 10}", "minimum: 11, default: 10}"),
    "a path parameter the template lacks": ("  /tags:\n", "  /tags/{tag}:\n"),
    "an operationId used twice": ("operationId: listTags", "operationId: listItems"),
    "a required property none defines": ("    Page:\n      allOf:", "    Page:\n      required: [gone]\n      allOf:"),
    "an item that refers into paths": (
        "schema: {type: array, items: {$ref: \"#/components/schemas/Tag\"}}",
        "schema: {$ref: \"#/paths/~1items/get/responses/200/content/application~1json/schema\"}",
    ),
    "a component reached by two items": ("    Name: {type: string}", "    Name: {type: string, maxLength: 9}"),
}  # fmt: skip
# Path items and component schemas whose text and reachable components are unchanged (3 + 5 in all).
LEFT_OUT = {"a property added to what one item reaches": 2 + 4, "a component reached by two items": 1 + 2}
CLEAN = {*LEFT_OUT, "an item that refers into paths"}  # found nothing; the last, all walked


def _findings(text: str, paths: PathChecks | None) -> tuple[list[tuple[str, str]], list[str]]:
    return validate._findings(yaml.safe_load(text), source="s.yaml", paths=paths)


@pytest.mark.parametrize("spec", [SPEC_31, SPEC_30], ids=["3.1", "3.0"])
@pytest.mark.parametrize("edit", EDITS)
def test_after_an_edit_the_findings_are_a_whole_validations(tmp_path: Path, spec: str, edit: str) -> None:
    old, new = EDITS[edit]
    assert old in spec
    edited = spec.replace(old, new, 1)
    cache = Cache(tmp_path)
    first = PathChecks(cache)
    assert _findings(spec, first) == _findings(spec, None) == ([], [])
    assert len(first.current) == 3 + 5 and first.left_out == 0
    again = PathChecks(cache)
    found = _findings(edited, again)
    assert found == _findings(edited, None)
    # What was found comes from the whole walk; else the items that reach nothing changed were left out.
    assert again.left_out == LEFT_OUT.get(edit, 0)
    assert (found == ([], [])) == (edit in CLEAN)


def test_only_what_changed_or_reaches_a_change_is_walked(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    _findings(SPEC_31, PathChecks(cache))
    # Tag: /tags and Tag walked; Name: Name, Item, Page and the two item paths that reach them.
    for edit, walked in [
        ("a property added to what one item reaches", 1 + 1),
        ("a component reached by two items", 2 + 3),
    ]:
        old, new = EDITS[edit]
        checks = PathChecks(cache)
        assert _findings(SPEC_31.replace(old, new, 1), checks) == ([], [])
        assert checks.left_out == 8 - walked


def test_a_walk_that_found_something_teaches_nothing(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    checks = PathChecks(cache)
    old, new = EDITS["a path parameter the template lacks"]
    assert _findings(SPEC_31.replace(old, new, 1), checks) != ([], [])
    assert not (tmp_path / "path-checks").exists()
    assert not PathChecks(cache).known


def test_a_corrupt_entry_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    _findings(SPEC_31, PathChecks(cache))
    (path,) = (path for path in (tmp_path / "path-checks").rglob("*") if path.is_file())
    path.write_bytes(path.read_bytes()[:-10])
    again = PathChecks(cache)
    assert not again.known and not path.exists()
    assert _findings(SPEC_31, again) == ([], []) and again.left_out == 0


def test_a_schema_whose_default_a_changed_component_now_rejects_is_walked(tmp_path: Path) -> None:
    spec = SPEC_31.replace(
        "        label: {type: string, default: none}\n",
        '        label: {allOf: [{$ref: "#/components/schemas/Label"}], default: none}\n',
    ).replace("    Limit:", "    Label: {type: string, enum: [none, some]}\n    Limit:")
    cache = Cache(tmp_path)
    assert _findings(spec, PathChecks(cache)) == ([], [])
    edited = spec.replace("enum: [none, some]", "enum: [some]")  # Tag's text is the same; its default is not
    checks = PathChecks(cache)
    found = _findings(edited, checks)
    assert found == _findings(edited, None) != ([], [])
    assert any("'none' is not one of" in message for _, message in found[0])


def test_an_entry_is_known_by_its_exact_key_and_value_and_the_validator() -> None:
    from codegen.path_checks import entry_digests
    from codegen.spec_validator import validator_module

    validators = validator_module()
    v31, v30 = validators.OpenAPIV31SpecValidator, validators.OpenAPIV30SpecValidator
    spec = yaml.safe_load(SPEC_31)
    digests = entry_digests(spec, v31)
    assert all(digests.values()) and len(set(digests.values())) == len(digests)
    place = ("components/schemas", "Limit")
    other = entry_digests(yaml.safe_load(SPEC_31.replace("minimum: 1,", "minimum: 1.0,")), v31)
    assert other[place] != digests[place]  # 1.0 is not 1
    assert {k: v for k, v in other.items() if k != place} == {k: v for k, v in digests.items() if k != place}
    moved = entry_digests(yaml.safe_load(SPEC_31.replace("    Limit:", "    Limits:")), v31)
    assert moved[("components/schemas", "Limits")] != digests[place]  # the same value under another key
    assert entry_digests(spec, v30)[place] != digests[place]  # another validator: its own verdicts
