"""naming and schemas: Python names, and class names derived from where a schema sits."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.errors import CodegenError
from codegen.ir.operations import model_schemas
from codegen.naming import attribute_names, dedupe, pascal, singular, snake


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("completion_id", "completion_id"),
        ("completionID", "completion_id"),
        ("x-request-id", "x_request_id"),
        ("class", "class_"),
        ("from", "from_"),
        ("match", "match_"),
        ("model_config", "model_config_"),
        ("2fa", "n2_fa"),
    ],
)
def test_snake(name: str, expected: str) -> None:
    assert snake(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chat.completion", "ChatCompletion"),
        ("url_citation", "UrlCitation"),
        ("ChatCompletionMessageToolCall", "ChatCompletionMessageToolCall"),
        ("list", "List"),
        ("type", "Type"),
        ("None", "None_"),
    ],
)
def test_pascal(name: str, expected: str) -> None:
    assert pascal(name) == expected


def test_singular_and_dedupe() -> None:
    assert [singular(w) for w in ("choices", "annotations", "top_logprobs", "entries", "status", "matches")] == [
        "choice",
        "annotation",
        "top_logprob",
        "entry",
        "status",
        "match",
    ]
    assert dedupe("Choice", {"Choice", "Choice2"}) == "Choice3"


def _spec(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"components": {"schemas": schemas}}


def test_inline_schemas_are_named_from_their_place() -> None:
    spec = _spec(
        {
            "Completion": {
                "type": "object",
                "properties": {
                    "choices": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"reason": {"type": "string", "enum": ["stop", "length"]}},
                        },
                    },
                    "usage": {
                        "anyOf": [{"type": "object", "properties": {"n": {"type": "integer"}}}, {"type": "null"}]
                    },
                    "object": {"type": "string", "enum": ["completion"]},
                },
            }
        }
    )
    defs = model_schemas(spec, source="s", renames={}).defs
    assert sorted(defs) == ["Completion", "CompletionChoice", "CompletionChoiceReason", "CompletionUsage"]
    assert defs["Completion"]["properties"]["object"] == {"const": "completion"}  # a one-value enum is a Literal


def test_names_come_from_renames_then_extension_then_place() -> None:
    spec = _spec(
        {
            "CreateThingResponse": {
                "type": "object",
                "x-codegen-name": "Thing",
                "properties": {"part": {"type": "object", "properties": {"a": {"type": "string"}}}},
            },
            "Other": {
                "type": "object",
                "properties": {"part": {"type": "object", "properties": {"b": {"type": "string"}}}},
            },
        }
    )
    defs = model_schemas(spec, source="s", renames={"OtherPart": "Piece"}).defs
    assert sorted(defs) == ["Other", "Piece", "Thing", "ThingPart"]


def test_a_derived_name_never_takes_a_component_name() -> None:
    spec = _spec(
        {
            "A": {"type": "object", "properties": {"b": {"type": "object", "properties": {"x": {"type": "string"}}}}},
            "AB": {"type": "object", "properties": {"y": {"type": "string"}}},
        }
    )
    defs = model_schemas(spec, source="s", renames={}).defs
    assert sorted(defs) == ["A", "AB", "AB2"]
    assert defs["AB"]["properties"] == {"y": {"type": "string"}}


def test_branch_descriptions_survive_nullable_unions() -> None:
    spec = _spec(
        {
            "A": {
                "type": "object",
                "properties": {"c": {"anyOf": [{"type": "string", "description": "Words."}, {"type": "null"}]}},
            }
        }
    )
    prop = model_schemas(spec, source="s", renames={}).defs["A"]["properties"]["c"]
    assert prop == {"type": ["string", "null"], "description": "Words."}


def test_bad_extension_name_is_an_error_with_a_pointer() -> None:
    with pytest.raises(CodegenError, match=r"s#/components/schemas/A: x-codegen-name 'not a name'"):
        model_schemas(_spec({"A": {"type": "object", "x-codegen-name": "not a name"}}), source="s", renames={})


def test_a_discriminator_tag_is_named_alike_in_every_branch_and_never_another_wire_name() -> None:
    """pydantic reads a tag by attribute name before wire name: `@type` beside a `type` property is
    `type_tag` in every branch of the union (a branch without `type` too)."""
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "Change": {
                    "oneOf": [{"$ref": "#/components/schemas/Add"}, {"$ref": "#/components/schemas/Drop"}],
                    "discriminator": {"propertyName": "@type", "mapping": {"add": "#/components/schemas/Add"}},
                },
                "Add": {"type": "object", "properties": {"@type": {"type": "string"}, "type": {"type": "string"}}},
                "Drop": {"type": "object", "properties": {"@type": {"type": "string"}, "name": {"type": "string"}}},
            }
        },
        "paths": {},
    }
    defs = model_schemas(spec, source="s", renames={}).defs
    assert defs["Add"]["properties"]["@type"]["x-codegen-attribute"] == "type_tag"
    assert defs["Drop"]["properties"]["@type"]["x-codegen-attribute"] == "type_tag"
    assert "x-codegen-attribute" not in defs["Add"]["properties"]["type"]
    names = attribute_names(["@type", "type"], wanted={"@type": "type_tag"})
    assert names == {"@type": "type_tag", "type": "type"}
    assert attribute_names(["@type", "type"]) == {"@type": "type", "type": "type2"}  # without: first come
