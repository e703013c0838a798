"""ir: a spec dict in, the IR out: names, kinds, fields, types and endpoints decided before rendering."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from codegen.config import Settings
from codegen.errors import CodegenError
from codegen.ir import types as t
from codegen.ir.build import build_api
from codegen.ir.nodes import Api, Model, Operation
from codegen.ir.schemas import model_schemas

SETTINGS = Settings(spec=Path("spec.yaml"), out=Path("out"), package="pkg")


def _spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _api(paths: dict[str, Any], schemas: dict[str, Any] | None = None, **settings: Any) -> Api:
    return build_api(_spec(paths, schemas), source="spec.yaml", settings=dataclasses.replace(SETTINGS, **settings))


def _model(api: Api, name: str) -> Model:
    return next(m for m in api.models if m.name == name)


def _op(api: Api, operation_id: str) -> Operation:
    return next(op for op in api.operations if op.operation_id == operation_id)


PET = {
    "type": "object",
    "required": ["petName", "kind"],
    "properties": {
        "petName": {"type": "string"},
        "kind": {"type": "string", "enum": ["cat", "dog"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "list": {"type": "array", "items": {"type": "string"}},
        "json": {"type": "string", "deprecated": True},
        "meta": {"$ref": "#/components/schemas/Meta"},
    },
}
META = {"anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"type": "null"}]}
CREATE = {
    "/pets/{petId}": {
        "post": {
            "operationId": "createPet",
            "summary": "Create a pet",
            "parameters": [
                {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "dryRun", "in": "query", "schema": {"type": "boolean"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}},
            ],
            "requestBody": {"required": True, **_json({"$ref": "#/components/schemas/Pet"})},
            "responses": {"200": _json({"$ref": "#/components/schemas/Pet"})},
        }
    }
}


def test_kinds_are_decided_once_and_component_aliases_keep_their_names() -> None:
    api = _api(CREATE, {"Pet": PET, "Meta": META})
    kinds = {m.name: m.kind for m in api.models}
    assert kinds == {"Pet": "class", "PetKind": "enum", "Meta": "alias", "CreatePetParams": "class"}
    meta_field = next(f for f in _model(api, "Pet").fields if f.wire_name == "meta")
    assert meta_field.type == t.union(t.ModelRef("Meta"), t.NONE)


def test_one_naming_of_fields_serves_models_and_body_arguments() -> None:
    api = _api(CREATE, {"Pet": PET, "Meta": META})
    fields = {f.wire_name: f.name for f in _model(api, "Pet").fields}
    # camelCase → snake_case; `json` shadows the model API; `list` shadows its own type's builtin
    assert fields == {
        "petName": "pet_name",
        "kind": "kind",
        "tags": "tags",
        "list": "list_",
        "json": "json_",
        "meta": "meta",
    }
    op = _op(api, "createPet")
    body = {p.wire_name: p.name for p in op.keyword if p.location == "body"}
    assert body == fields
    assert [f.name for f in _model(api, "Pet").fields if f.deprecated] == ["json_"]


def test_operation_arguments_are_ordered_and_typed() -> None:
    op = _op(_api(CREATE, {"Pet": PET, "Meta": META}), "createPet")
    assert [(p.name, p.location) for p in op.positional] == [("pet_id", "path")]
    required = [p.name for p in op.keyword if p.required]
    assert required == ["pet_name", "kind"]  # required first, then the rest in spec order
    assert [p.name for p in op.keyword][2:] == ["dry_run", "limit", "tags", "list_", "json_", "meta"]
    types = {p.name: p.type for p in op.params}
    assert types["dry_run"] == t.Builtin("bool") and types["tags"] == t.ListOf(t.Builtin("str"))
    assert types["kind"] == t.ModelRef("PetKind")


def test_the_endpoint_says_everything_the_runtime_needs() -> None:
    endpoint = _op(_api(CREATE, {"Pet": PET, "Meta": META}), "createPet").endpoint
    assert endpoint.const_name == "_CREATE_PET"
    assert (endpoint.method, endpoint.path, endpoint.path_params) == ("POST", "/pets/{petId}", ("petId",))
    assert endpoint.response == t.ModelRef("Pet") and endpoint.body_model == "Pet"
    assert endpoint.params_model == "CreatePetParams"  # `limit` has a maximum: checked before sending
    assert (endpoint.encoding, endpoint.response_format, endpoint.responses) == ("json", "json", ())


def test_statuses_with_different_bodies_are_told_apart() -> None:
    paths = {
        "/jobs": {
            "post": {
                "operationId": "startJob",
                "responses": {
                    "200": _json({"type": "object", "properties": {"done": {"type": "boolean"}}}),
                    "202": _json({"type": "object", "properties": {"ticket": {"type": "string"}}}),
                    "204": {"description": "nothing"},
                },
            }
        }
    }
    op = _op(_api(paths), "startJob")
    assert op.returns == t.union(t.ModelRef("StartJobResponse"), t.ModelRef("StartJobResponse202"), t.NONE)
    assert [(r.status, r.type) for r in op.endpoint.responses] == [
        ("200", t.ModelRef("StartJobResponse")),
        ("202", t.ModelRef("StartJobResponse202")),
        ("204", None),
    ]


def test_a_union_body_is_one_argument_and_multipart_files_are_uploads() -> None:
    paths = {
        "/a": {
            "post": {"operationId": "a", "requestBody": _json({"oneOf": [{"type": "string"}, {"type": "integer"}]})}
        },
        "/b": {
            "post": {
                "operationId": "b",
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
                        }
                    }
                },
            }
        },
    }
    api = _api(paths)
    a, b = _op(api, "a"), _op(api, "b")
    assert a.body_whole and [(p.name, p.type) for p in a.keyword] == [
        ("body", t.union(t.Builtin("str"), t.Builtin("int")))
    ]
    assert b.keyword[0].type == t.Upload() and b.endpoint.encoding == "multipart" and b.endpoint.body_model is None


def test_an_allof_part_that_redefines_a_base_field_copies_the_base() -> None:
    schemas = {
        "Base": {"type": "object", "properties": {"status": {"type": "string"}, "id": {"type": "string"}}},
        "Child": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"status": {"type": "integer"}}},
            ]
        },
        "Plain": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"x": {}}}]},
    }
    api = _api({}, schemas)
    child, plain = _model(api, "Child"), _model(api, "Plain")
    assert all("$ref" not in part for part in child.schema["allOf"])  # no base class: no incompatible override
    assert any("$ref" in part for part in plain.schema["allOf"])  # a plain extension still extends
    assert [(f.name, f.inherited) for f in plain.fields] == [("status", True), ("id", True), ("x", False)]


def test_required_across_allof_parts_and_properties_beside_allof() -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}}
    ref = {"$ref": "#/components/schemas/Base"}
    schemas = {
        "Base": base,
        "Item": {"allOf": [ref, {"type": "object", "required": ["id", "x"], "properties": {"x": {}}}]},
        "One": {"allOf": [ref], "required": ["n"]},
        "Beside": {"allOf": [ref], "required": ["tag"], "properties": {"tag": {"type": "string"}}},
        "Bare": {"type": "object", "required": ["any"], "properties": {"x": {}}},
        "Nowhere": {"allOf": [ref, {"type": "object", "required": ["gone"], "properties": {"x": {}}}]},
    }
    api = _api({}, schemas)
    required = {m.name: {f.wire_name for f in m.fields if f.required} for m in api.models}
    assert required == {
        "Base": set(),
        "Item": {"id", "x"},
        "One": {"n"},
        "Beside": {"tag"},
        "Bare": {"any"},  # required but not described: present, of any type
        "Nowhere": {"gone"},
    }
    assert next(f for f in _model(api, "Bare").fields if f.wire_name == "any").type == t.ANY
    assert all("$ref" not in part for part in _model(api, "Item").schema["allOf"])  # Base's id is required here
    assert any("$ref" in part for part in _model(api, "Beside").schema["allOf"])  # nothing of Base changes


def test_resources_place_operations_and_colliding_names_get_numbers() -> None:
    paths = {
        "/a": {"get": {"operationId": "listTags"}},
        "/b": {"get": {"operationId": "list_tags"}},
        "/c": {"get": {"operationId": "getThing"}},
    }
    api = _api(paths, resources={"getThing": "things.get"})
    assert [op.name for op in api.root.operations] == ["list_tags", "list_tags2"]
    assert [op.endpoint.const_name for op in api.operations] == ["_LIST_TAGS", "_LIST_TAGS_2", "_GET_THING"]
    (things,) = api.root.children
    assert (things.attribute, things.class_name, things.operations[0].name) == ("things", "ThingsResource", "get")


def test_operation_schemas_are_named_before_the_ir_reads_them() -> None:
    named = model_schemas(_spec(CREATE, {"Pet": PET, "Meta": META}), source="s", renames={})
    (op,) = named.operations
    assert (op.operation_id, op.params_model) == ("createPet", "CreatePetParams")
    assert [(p.location, p.wire_name) for p in op.parameters] == [
        ("path", "petId"),
        ("query", "dryRun"),
        ("query", "limit"),
    ]
    assert op.body is not None and op.body.schema == {"$ref": "#/$defs/Pet"}
    assert named.components == {"Pet", "Meta"}  # PetKind is derived, not a component


def test_an_unsupported_request_media_type_names_its_pointer() -> None:
    paths = {"/x": {"post": {"operationId": "x", "requestBody": {"content": {"text/csv": {"schema": {}}}}}}}
    with pytest.raises(CodegenError) as caught:
        _api(paths)
    assert str(caught.value).startswith("spec.yaml#/paths/~1x/post/requestBody: request content ['text/csv']")


def test_type_tree_prints_and_lists_what_it_needs() -> None:
    node = t.union(t.ListOf(t.ModelRef("Pet")), t.MapOf(t.ANY), t.LiteralOf("a"), t.NONE, t.Builtin("str"))
    assert t.annotation(node, models="models.") == "list[models.Pet] | dict[str, Any] | Literal['a'] | str | None"
    assert t.names_used(node) == {"Any", "Literal"} and t.model_names(node) == {"Pet"}
    stream = t.StreamOf(t.ModelRef("Event"))
    assert t.annotation(stream, is_async=True) == "AsyncStream[Event]" and t.names_used(stream) == {"Stream"}
    assert t.union(t.NONE, t.union(t.NONE, t.Builtin("int"))) == t.UnionOf((t.Builtin("int"), t.NONE))
