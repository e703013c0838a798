"""ir: a spec dict in, the IR out: names, kinds, fields, types and endpoints decided before rendering."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from codegen.config import Settings
from codegen.ir import types as t
from codegen.ir.build import build_api
from codegen.ir.nodes import Api, Model, Operation
from codegen.ir.operations import model_schemas

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


def test_an_operation_that_cannot_be_generated_is_skipped_with_a_warning_and_gives_its_names_back() -> None:
    paths = {
        "/bad": {
            "post": {
                "operationId": "bad",
                "parameters": [{"name": "legacy", "in": "body", "schema": {"type": "object"}}],
                "responses": {"200": _json({"type": "object", "properties": {"a": {"type": "string"}}})},
            }
        },
        "/good": {"get": {"operationId": "good", "responses": {"200": _json({"$ref": "#/components/schemas/Pet"})}}},
    }
    api = _api(paths, {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}})
    assert [op.operation_id for op in api.operations] == ["good"]
    assert [str(w) for w in api.warnings] == [
        "spec.yaml#/paths/~1bad/post/parameters: operation skipped: parameter 'legacy' in 'body' is not supported"
    ]
    assert "BadResponse" not in {m.name for m in api.models}  # claimed by the skipped operation, given back


MEDIA = {
    "/csv": {"post": {"operationId": "csv", "requestBody": {"content": {"text/csv": {"schema": {}}}}}},
    "/blob": {
        "put": {
            "operationId": "blob",
            "requestBody": {"content": {"application/octet-stream": {}}},
            "responses": {"200": {"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}}},
        }
    },
    "/form": {
        "post": {
            "operationId": "form",
            "requestBody": {
                "content": {
                    "application/xml": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                    "application/x-www-form-urlencoded": {
                        "schema": {"type": "object", "properties": {"tags": {"type": "array", "items": {}}}},
                        "encoding": {"tags": {"style": "pipeDelimited", "explode": False}},
                    },
                }
            },
            "responses": {"200": _json({"type": "object", "properties": {"ok": {"type": "boolean"}}})},
        }
    },
    "/vendor": {
        "patch": {
            "operationId": "vendor",
            "requestBody": {
                "content": {"application/merge-patch+json": {"schema": {"type": "object", "properties": {"x": {}}}}}
            },
            "responses": {"200": {"description": "", "content": {"application/xml": {"schema": {}}}}},
        }
    },
}


def test_media_types_become_arguments_and_endpoints_by_kind() -> None:
    api = _api(MEDIA)
    csv, blob, form, vendor = (_op(api, name) for name in ("csv", "blob", "form", "vendor"))
    assert csv.body_whole and csv.keyword[0].type == t.Builtin("str")
    assert (csv.endpoint.encoding, csv.endpoint.content_type) == ("text", "text/csv")
    assert blob.body_whole and blob.keyword[0].type == t.Binary() and blob.endpoint.encoding == "binary"
    assert blob.returns == t.Builtin("str") and (blob.endpoint.response_format, blob.endpoint.accept) == (
        "text",
        "text/plain",
    )
    assert form.endpoint.encoding == "form" and [p.name for p in form.keyword] == ["tags"]  # form, not XML
    assert form.endpoint.styles == (("tags", "pipeDelimited", False),)
    assert (vendor.endpoint.encoding, vendor.endpoint.content_type) == ("json", "application/merge-patch+json")
    assert vendor.returns == t.Builtin("str")  # XML comes back as text ...
    assert any("application/xml is returned as text" in str(w) for w in api.warnings)  # ... and says so


def test_parameter_styles_and_cookies() -> None:
    parameters = [
        {"name": "ids", "in": "query", "style": "spaceDelimited", "explode": False, "schema": {"type": "array"}},
        {"name": "filter", "in": "query", "style": "deepObject", "explode": True, "schema": {"type": "object"}},
        {"name": "plain", "in": "query", "schema": {"type": "array"}},
        {"name": "sid", "in": "cookie", "schema": {"type": "string"}},
        {"name": "color", "in": "path", "required": True, "style": "matrix", "schema": {"type": "string"}},
    ]
    op = _op(_api({"/p/{color}": {"get": {"operationId": "p", "parameters": parameters}}}), "p")
    assert op.endpoint.styles == (
        ("color", "matrix", False),
        ("ids", "spaceDelimited", False),
        ("filter", "deepObject", True),
    )
    assert [(p.name, p.location) for p in op.keyword] == [
        ("ids", "query"),
        ("filter", "query"),
        ("plain", "query"),
        ("sid", "cookie"),
    ]


def test_callbacks_and_webhooks_are_noted_not_generated() -> None:
    spec = _spec({"/a": {"post": {"operationId": "a", "callbacks": {"done": {}}}}})
    spec["webhooks"] = {"newPet": {"post": {}}}
    api = build_api(spec, source="s", settings=SETTINGS)
    assert [op.name for op in api.operations] == ["a"]
    assert [w.pointer for w in api.warnings] == ["/paths/~1a/post/callbacks", "/webhooks"]
    assert api.warnings[1].message == "webhooks are not generated (the server calls you): newPet"


def test_type_tree_prints_and_lists_what_it_needs() -> None:
    node = t.union(t.ListOf(t.ModelRef("Pet")), t.MapOf(t.ANY), t.LiteralOf("a"), t.NONE, t.Builtin("str"))
    assert t.annotation(node, models="models.") == "list[models.Pet] | dict[str, Any] | Literal['a'] | str | None"
    assert t.names_used(node) == {"Any", "Literal"} and t.model_names(node) == {"Pet"}
    stream = t.StreamOf(t.ModelRef("Event"))
    assert t.annotation(stream, is_async=True) == "AsyncStream[Event]" and t.names_used(stream) == {"Stream"}
    assert t.union(t.NONE, t.union(t.NONE, t.Builtin("int"))) == t.UnionOf((t.Builtin("int"), t.NONE))


def test_edge_schemas_become_types_not_crashes() -> None:
    schemas = {
        "Nothing": {"enum": [None]},
        "Cat": {"type": "object", "properties": {"kind": {"type": "string"}, "meow": {"type": "boolean"}}},
        "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
        "MakePetRequest": {"type": "object", "properties": {"name": {"type": "string"}}},
    }
    body = {"type": "object", "properties": {"name": {"type": "string"}}}  # the component, repeated inline
    union = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat", "dog": "#/components/schemas/Dog"}},
    }
    paths = {"/p": {"post": {"operationId": "makePet", "requestBody": _json(body), "responses": {"200": _json(union)}}}}
    api = _api(paths, schemas)
    assert _model(api, "Nothing").schema == {"type": "null"}  # `enum: [null]` is None, not an empty enum
    cat = _model(api, "Cat").schema["properties"]["kind"]
    assert cat == {"const": "cat"}  # a mapping by bare name narrows the branch like a $ref does
    op = _op(api, "makePet")
    assert op.endpoint.body_model == "MakePetRequest" and "MakePetRequest2" not in {m.name for m in api.models}
    assert not api.warnings


def test_a_body_whose_schema_is_no_class_is_sent_as_arguments_without_a_model() -> None:
    """DigitalOcean's `FirewallsCreateRequest`: an `allOf` of an object and a map is no class, so nothing
    validates it; its properties are still keyword arguments."""
    body = {
        "allOf": [
            {"type": "object", "properties": {"name": {"type": "string"}}},
            {"type": "object", "additionalProperties": {}},
        ]
    }
    paths = {
        "/f": {"post": {"operationId": "createF", "requestBody": _json({"$ref": "#/components/schemas/FRequest"})}}
    }
    api = _api(paths, {"FRequest": body})
    op = _op(api, "createF")
    assert op.endpoint.body_model is None and [p.name for p in op.keyword] == ["name"]
    assert _model(api, "FRequest").kind == "alias"  # the spec's name kept, as a type alias


def test_allof_parts_that_only_describe_add_words_not_types() -> None:
    """`allOf: [$ref, {description}]` (3.0's way to describe a reference) is the reference, described;
    `allOf: [{$ref}, {nullable: true}]` is it or null; a lone inline object part is named like any object."""
    schemas = {
        "Agent": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
        "A": {"type": "object", "properties": {"a": {"type": "string"}}},
        "B": {"type": "object", "properties": {"b": {"type": "string"}}},
        "Folder": {
            "type": "object",
            "properties": {
                "agent": {"allOf": [{"$ref": "#/components/schemas/Agent"}, {"description": "Who acts."}]},
                "maybe": {"allOf": [{"$ref": "#/components/schemas/A"}, {"nullable": True}]},
                "classification": {"allOf": [{"type": "object", "properties": {"name": {"type": "string"}}}]},
            },
        },
    }
    api = _api({}, schemas)
    fields = {f.wire_name: f.type for f in _model(api, "Folder").fields}
    assert fields == {
        "agent": t.ModelRef("Agent"),
        "maybe": t.union(t.ModelRef("A"), t.NONE),
        "classification": t.ModelRef("FolderClassification"),
    }
    assert _model(api, "Folder").schema["properties"]["agent"]["description"] == "Who acts."


def test_an_allof_of_a_union_and_an_object_is_a_union_of_named_classes() -> None:
    """OpenAI's stream events: `allOf: [anyOf: [A, B], {stream_id}]` gives a class per branch, named after
    the branch's tag, instead of the models stage's `Item1`, `Item2`."""
    tagged = {
        "A": {"type": "object", "properties": {"type": {"const": "a.done"}, "x": {"type": "string"}}},
        "B": {"type": "object", "properties": {"type": {"const": "b.done"}}},
        "Event": {
            "allOf": [
                {"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
                {"type": "object", "properties": {"stream_id": {"type": "string"}}},
            ]
        },
    }
    api = _api({}, tagged)
    assert _model(api, "Event").kind == "alias"
    assert {m.name: m.kind for m in api.models if m.name.startswith("Event")} == {
        "Event": "alias",
        "EventADone": "class",
        "EventBDone": "class",
    }
    assert [f.name for f in _model(api, "EventADone").fields] == ["type", "x", "stream_id"]


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


LAYOUT_SCHEMAS = {
    "Msg": _obj(text={"type": "string"}, usage=_ref("Usage")),
    "MsgList": _obj(data={"type": "array", "items": _ref("Msg")}),
    "Completion": _obj(msg=_ref("Msg"), usage=_ref("Usage")),
    "Usage": _obj(tokens={"type": "integer"}),
    "File": _obj(id={"type": "string"}, usage=_ref("Usage")),
    "Tree": _obj(children={"type": "array", "items": _ref("Tree")}),  # refers to itself
    "Unused": _obj(x=_ref("Usage")),
}
LAYOUT_PATHS = {
    "/chat/completions": {"post": {"operationId": "create", "responses": {"200": _json(_ref("Completion"))}}},
    "/chat/completions/{id}/messages": {
        "get": {
            "operationId": "msgs",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _json(_ref("MsgList"))},
        }
    },
    "/files": {"get": {"operationId": "files", "responses": {"200": _json(_ref("File"))}}},
    "/trees": {"get": {"operationId": "trees", "responses": {"200": _json(_ref("Tree"))}}},
}


def test_a_large_api_gets_a_tree_and_modules_and_each_model_the_module_of_its_users() -> None:
    api = _api(LAYOUT_PATHS, LAYOUT_SCHEMAS, tree_above=0, split_above=0)
    assert api.layout == "modules"
    assert [(op.resource, op.name) for op in api.operations] == [
        (("chat", "completions"), "create"),
        (("chat", "completions", "messages"), "list"),
        (("files",), "list"),
        (("trees",), "list"),
    ]
    modules = {m.name: m.module for m in api.models}
    assert modules == {
        "Completion": "chat_completions",  # only chat.completions.create uses it
        "Msg": "chat_completions",  # chat.completions and chat.completions.messages: the deeper common one
        "MsgList": "chat_completions_messages",
        "Usage": "_shared_chat_and_files",  # two top-level resources
        "File": "files",
        "Tree": "trees",
        "Unused": "_other",
    }
    (chat, files, _) = api.root.children
    assert (chat.module, chat.children[0].module, chat.children[0].children[0].module) == (
        "chat",
        "chat_completions",
        "chat_completions_messages",
    )
    assert files.shadows == {"list"} and chat.shadows == frozenset()


def test_below_the_thresholds_the_api_stays_flat_and_in_one_module() -> None:
    api = _api(LAYOUT_PATHS, LAYOUT_SCHEMAS)  # 4 operations: under tree-above and split-above
    assert api.layout == "single" and {m.module for m in api.models} == {""}
    assert [op.name for op in api.root.operations] == ["create", "files", "msgs", "trees"]
    tree_only = _api(LAYOUT_PATHS, LAYOUT_SCHEMAS, tree_above=0)
    assert tree_only.layout == "single" and [c.attribute for c in tree_only.root.children] == ["chat", "files", "trees"]


def test_a_big_group_is_cut_in_dependency_order() -> None:
    from codegen.ir import layout

    chain = {f"M{i:02}": _obj(next=_ref(f"M{i + 1:02}")) for i in range(9)} | {"M09": _obj(x={"type": "string"})}
    paths = {"/things": {"get": {"operationId": "things", "responses": {"200": _json(_ref("M00"))}}}}
    old = layout.MODULE_CAP
    layout.MODULE_CAP = 4
    try:
        api = _api(paths, chain, tree_above=0, split_above=0)
    finally:
        layout.MODULE_CAP = old
    modules = {m.name: m.module for m in api.models}
    # M09 uses nothing (depth 0), M08 uses M09 (depth 1), ...: four depths a part, named by the first
    assert [modules[f"M{i:02}"] for i in range(9, -1, -1)] == ["things"] * 4 + ["things_4"] * 4 + ["things_8"] * 2


def test_a_depth_too_big_alone_is_cut_by_a_hash_of_the_name_so_additions_move_nothing() -> None:
    from codegen.ir import layout

    leaves = {f"Leaf{i}": _obj(x={"type": "string"}) for i in range(9)}
    top = _obj(**{f"l{i}": _ref(f"Leaf{i}") for i in range(9)})
    paths = {"/things": {"get": {"operationId": "things", "responses": {"200": _json(_ref("Top"))}}}}
    old = layout.MODULE_CAP
    layout.MODULE_CAP = 5
    try:
        before = {m.name: m.module for m in _api(paths, {**leaves, "Top": top}, tree_above=0, split_above=0).models}
        more = {
            **leaves,
            "Leaf9": _obj(y={"type": "string"}),
            "Top": {**top, "properties": {**top["properties"], "l9": _ref("Leaf9")}},
        }
        after = {m.name: m.module for m in _api(paths, more, tree_above=0, split_above=0).models}
    finally:
        layout.MODULE_CAP = old
    assert {before[f"Leaf{i}"] for i in range(9)} == {"things_0_1", "things_0_2"}
    assert before["Top"] == "things_1"
    assert {k: v for k, v in after.items() if k in before} == before  # Leaf9 moved nobody
