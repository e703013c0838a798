"""overlay: Overlay 1.0 semantics, and loud failure when a target is gone."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.errors import CodegenError
from codegen.load import Document
from codegen.overlay import apply_overlay


def _overlay(*actions: dict[str, Any]) -> Document:
    return Document({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}, "o.yaml")


SPEC: dict[str, Any] = {
    "components": {
        "schemas": {
            "A": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}},
            "B": {"type": "object", "properties": {"x": {"type": "string"}}},
        }
    },
    "tags": [{"name": "one"}],
}


def test_update_merges_objects_recursively_and_leaves_the_input_alone() -> None:
    out = apply_overlay(
        SPEC, _overlay({"target": "$.components.schemas.A", "update": {"properties": {"x": {"maxLength": 3}}}})
    )
    assert out["components"]["schemas"]["A"]["properties"]["x"] == {"type": "string", "maxLength": 3}
    assert "maxLength" not in SPEC["components"]["schemas"]["A"]["properties"]["x"]


def test_update_appends_to_arrays() -> None:
    out = apply_overlay(SPEC, _overlay({"target": "$.tags", "update": [{"name": "two"}]}))
    assert out["tags"] == [{"name": "one"}, {"name": "two"}]


def test_a_query_can_select_many_nodes() -> None:
    out = apply_overlay(SPEC, _overlay({"target": "$.components.schemas.*.properties.x", "update": {"minLength": 1}}))
    assert all(s["properties"]["x"]["minLength"] == 1 for s in out["components"]["schemas"].values())


def test_remove_deletes_the_selected_nodes() -> None:
    out = apply_overlay(SPEC, _overlay({"target": "$.components.schemas.A.required", "remove": True}))
    assert "required" not in out["components"]["schemas"]["A"]


def test_actions_apply_in_order() -> None:
    out = apply_overlay(
        SPEC,
        _overlay(
            {"target": "$.components.schemas.B.properties", "remove": True},
            {"target": "$.components.schemas.B", "update": {"properties": {"y": {"type": "integer"}}}},
        ),
    )
    assert out["components"]["schemas"]["B"]["properties"] == {"y": {"type": "integer"}}


def test_every_bad_action_is_reported_with_its_pointer() -> None:
    with pytest.raises(CodegenError) as caught:
        apply_overlay(
            SPEC,
            _overlay(
                {"target": "$.components.schemas.Gone", "update": {"x": 1}},
                {"target": "$[", "update": {}},
                {"target": "$.tags", "description": "no verb"},
            ),
        )
    lines = [str(p) for p in caught.value.problems]
    assert lines[0] == "o.yaml#/actions/0/target: $.components.schemas.Gone selects nothing in the spec"
    assert lines[1].startswith("o.yaml#/actions/1/target: invalid JSONPath '$['")
    assert lines[2] == "o.yaml#/actions/2: action has neither update nor remove: true"


def test_not_an_overlay() -> None:
    with pytest.raises(CodegenError, match=r"expected an Overlay 1\.x document"):
        apply_overlay(SPEC, Document({"openapi": "3.1.0"}, "o.yaml"))
