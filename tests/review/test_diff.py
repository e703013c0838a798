"""`python -m codegen diff`: one crafted spec pair per rule, real upstream pairs, the CLI.

Crafted pairs are built here as dicts (one operation, `POST /things/{id}`); the CLI reads the
YAML pair in tests/fixtures/diff/. Real pairs are the gzipped upstream specs in
tests/fixtures/upstream/, parsed once per module; the facts asserted about them were checked
by reading the specs.
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from codegen.diff.report import render
from codegen.diff.review import Review
from codegen.diff.rules import RULES
from codegen.diff.wire import Change, diff_specs, prepare, summary
from codegen.load import Document, parse_document
from tests.support import ROOT

UPSTREAM = ROOT / "tests" / "fixtures" / "upstream"
FIXTURES = ROOT / "tests" / "fixtures" / "diff"
OP = "POST /things/{id}"
VERSIONS = (
    "openai-2025-03-11-085baba",
    "openai-2026-05-13-5162af9",
    "openai-2026-07-15-535f5dc",
    "openai-2026-08-21-f85dbe2",
)

Schema = dict[str, Any]


# --- Crafted specs ---------------------------------------------------------------------------


def make_spec(
    *,
    request: Schema | None = None,
    response: Schema | None = None,
    params: list[Schema] | None = None,
    schemas: dict[str, Schema] | None = None,
    version: str = "3.1.0",
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": "updateThing",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}, *(params or [])],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response or {}}}}},
    }
    if request is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {"/things/{id}": {"post": operation}},
        "components": {"schemas": schemas or {}},
    }


def obj(required: tuple[str, ...] = (), **properties: Schema) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def run(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return diff_specs(Document(old, "old.yaml"), Document(new, "new.yaml"))


def structural(changes: list[Change]) -> list[Change]:
    return [c for c in changes if not c.doc_only]


def one(old: dict[str, Any], new: dict[str, Any]) -> Change:
    """The only change that is not description-only."""
    changes = structural(run(old, new))
    assert len(changes) == 1, [(c.kind, c.location) for c in changes]
    return changes[0]


def in_response(old: Schema, new: Schema) -> Change:
    return one(make_spec(response=old), make_spec(response=new))


def in_request(old: Schema, new: Schema) -> Change:
    return one(make_spec(request=old), make_spec(request=new))


def _string(**extra: Any) -> Schema:
    return {"type": "string", **extra}


# (name, old schema, new schema, kind, classification): applied as the response body.
RESPONSE_RULES: list[tuple[str, Schema, Schema, str, str]] = [
    ("property removed", obj(a=_string(), b=_string()), obj(a=_string()), "response-property-removed", "breaking"),
    ("property added", obj(a=_string()), obj(a=_string(), b=_string()), "response-property-added", "non-breaking"),
    (
        "required to optional",
        obj(("a",), a=_string()),
        obj(a=_string()),
        "response-property-became-optional",
        "breaking",
    ),
    (
        "optional to required",
        obj(a=_string()),
        obj(("a",), a=_string()),
        "response-property-became-required",
        "non-breaking",
    ),
    (
        "became nullable (3.1 type list)",
        obj(a=_string()),
        obj(a={"type": ["string", "null"]}),
        "response-property-became-nullable",
        "breaking",
    ),
    (
        "became nullable (anyOf null branch)",
        obj(a=_string()),
        obj(a={"anyOf": [_string(), {"type": "null"}]}),
        "response-property-became-nullable",
        "breaking",
    ),
    (
        "became not nullable",
        obj(a={"type": ["string", "null"]}),
        obj(a=_string()),
        "response-property-became-not-nullable",
        "non-breaking",
    ),
    ("type changed", obj(a=_string()), obj(a={"type": "integer"}), "response-property-type-changed", "breaking"),
    (
        "type widened is still a change for readers",
        obj(a={"type": "integer"}),
        obj(a={"type": "number"}),
        "response-property-type-changed",
        "breaking",
    ),
    (
        "enum value added",
        obj(a=_string(enum=["x"])),
        obj(a=_string(enum=["x", "y"])),
        "response-property-enum-value-added",
        "non-breaking",
    ),
    (
        "enum value removed",
        obj(a=_string(enum=["x", "y"])),
        obj(a=_string(enum=["x"])),
        "response-property-enum-value-removed",
        "non-breaking",
    ),
    (
        "enum dropped: the generated enum type goes",
        obj(a=_string(enum=["x", "y"])),
        obj(a=_string()),
        "response-property-enum-removed",
        "breaking",
    ),
    (
        "maxLength down",
        obj(a=_string(maxLength=10)),
        obj(a=_string(maxLength=5)),
        "response-property-constraint-tightened",
        "non-breaking",
    ),
    (
        "maximum up",
        obj(a={"type": "integer", "maximum": 5}),
        obj(a={"type": "integer", "maximum": 10}),
        "response-property-constraint-loosened",
        "non-breaking",
    ),
    (
        "format that changes the Python type",
        obj(a=_string()),
        obj(a=_string(format="date-time")),
        "response-property-format-type-changed",
        "breaking",
    ),
    (
        "format the generator ignores",
        obj(a=_string()),
        obj(a=_string(format="uri")),
        "response-property-format-changed",
        "non-breaking",
    ),
    (
        "deprecated",
        obj(a=_string()),
        obj(a=_string(deprecated=True)),
        "response-property-deprecated",
        "non-breaking",
    ),
    ("body type changed", _string(), {"type": "integer"}, "response-body-type-changed", "breaking"),
    (
        "union branch added",
        obj(a={"oneOf": [_string(), {"type": "integer"}]}),
        obj(a={"oneOf": [_string(), {"type": "integer"}, {"type": "boolean"}]}),
        "response-property-union-branch-added",
        "breaking",
    ),
    (
        "union branch removed",
        obj(a={"anyOf": [_string(), {"type": "integer"}, {"type": "boolean"}]}),
        obj(a={"anyOf": [_string(), {"type": "integer"}]}),
        "response-property-union-branch-removed",
        "non-breaking",
    ),
]

# The same, applied as the request body.
REQUEST_RULES: list[tuple[str, Schema, Schema, str, str]] = [
    (
        "new required property",
        obj(a=_string()),
        obj(("b",), a=_string(), b=_string()),
        "request-property-added-required",
        "breaking",
    ),
    (
        "new required property with a default",
        obj(a=_string()),
        obj(("b",), a=_string(), b=_string(default="x")),
        "request-property-added-required",
        "breaking",
    ),
    (
        "new optional property",
        obj(a=_string()),
        obj(a=_string(), b=_string()),
        "request-property-added-optional",
        "non-breaking",
    ),
    (
        "optional to required",
        obj(a=_string()),
        obj(("a",), a=_string()),
        "request-property-became-required",
        "breaking",
    ),
    (
        "required to optional",
        obj(("a",), a=_string()),
        obj(a=_string()),
        "request-property-became-optional",
        "non-breaking",
    ),
    (
        # Decision: breaking even when optional. The generated model loses the field, so callers who
        # pass it fail type-checking (or get a TypeError); oasdiff says `warn`.
        "optional property removed",
        obj(a=_string(), b=_string()),
        obj(a=_string()),
        "request-property-removed",
        "breaking",
    ),
    (
        "enum value removed",
        obj(a=_string(enum=["x", "y"])),
        obj(a=_string(enum=["x"])),
        "request-property-enum-value-removed",
        "breaking",
    ),
    (
        "enum value added",
        obj(a=_string(enum=["x"])),
        obj(a=_string(enum=["x", "y"])),
        "request-property-enum-value-added",
        "non-breaking",
    ),
    (
        "values restricted to an enum",
        obj(a=_string()),
        obj(a=_string(enum=["x"])),
        "request-property-enum-added",
        "breaking",
    ),
    ("type changed", obj(a=_string()), obj(a={"type": "integer"}), "request-property-type-changed", "breaking"),
    (
        "type widened",
        obj(a={"type": "integer"}),
        obj(a={"type": "number"}),
        "request-property-type-widened",
        "non-breaking",
    ),
    (
        "type list widened",
        obj(a=_string()),
        obj(a={"type": ["string", "integer"]}),
        "request-property-type-widened",
        "non-breaking",
    ),
    (
        "format added",
        obj(a=_string()),
        obj(a=_string(format="email")),
        "request-property-format-changed",
        "breaking",
    ),
    (
        "format removed",
        obj(a=_string(format="email")),
        obj(a=_string()),
        "request-property-format-removed",
        "non-breaking",
    ),
    (
        "became not nullable",
        obj(a={"anyOf": [_string(), {"type": "null"}]}),
        obj(a=_string()),
        "request-property-became-not-nullable",
        "breaking",
    ),
    (
        "became nullable",
        obj(a=_string()),
        obj(a={"type": ["string", "null"]}),
        "request-property-became-nullable",
        "non-breaking",
    ),
    (
        "union branch removed",
        obj(a={"oneOf": [_string(), {"type": "integer"}, {"type": "boolean"}]}),
        obj(a={"oneOf": [_string(), {"type": "integer"}]}),
        "request-property-union-branch-removed",
        "breaking",
    ),
    (
        "union branch added",
        obj(a={"oneOf": [_string(), {"type": "integer"}]}),
        obj(a={"oneOf": [_string(), {"type": "integer"}, {"type": "boolean"}]}),
        "request-property-union-branch-added",
        "non-breaking",
    ),
    (
        "deprecated",
        obj(a=_string()),
        obj(a=_string(deprecated=True)),
        "request-property-deprecated",
        "non-breaking",
    ),
    (
        "default changed",
        obj(a=_string(default="x")),
        obj(a=_string(default="y")),
        "request-property-default-changed",
        "non-breaking",
    ),
]

# Request constraints: (keyword, old value or None, new value or None, tightened?).
CONSTRAINTS: list[tuple[str, Any, Any, bool]] = [
    ("maxLength", 10, 5, True),
    ("maxLength", None, 5, True),
    ("maxLength", 5, 10, False),
    ("maxLength", 5, None, False),
    ("minLength", 1, 2, True),
    ("minLength", 2, 1, False),
    ("maximum", 10, 5, True),
    ("maximum", 5, 10, False),
    ("minimum", 0, 1, True),
    ("minimum", 1, 0, False),
    ("exclusiveMaximum", 10, 9, True),
    ("maxItems", 10, 5, True),
    ("maxItems", 5, 10, False),
    ("minItems", 0, 1, True),
    ("maxProperties", 16, 8, True),
    ("maxProperties", 8, 16, False),
    ("minProperties", 1, 0, False),
    ("pattern", None, "^a", True),
    ("pattern", "^a", "^b", True),
    ("pattern", "^a", None, False),
    ("multipleOf", 2, 4, True),
    ("multipleOf", 4, 2, False),
    ("uniqueItems", None, True, True),
]


@pytest.mark.parametrize(("name", "old", "new", "kind", "classification"), RESPONSE_RULES, ids=lambda v: v)
def test_response_rule(name: str, old: Schema, new: Schema, kind: str, classification: str) -> None:
    change = in_response(old, new)
    assert (change.kind, change.rule.classification) == (kind, classification), name
    assert change.operation == OP


@pytest.mark.parametrize(("name", "old", "new", "kind", "classification"), REQUEST_RULES, ids=lambda v: v)
def test_request_rule(name: str, old: Schema, new: Schema, kind: str, classification: str) -> None:
    change = in_request(old, new)
    assert (change.kind, change.rule.classification) == (kind, classification), name


@pytest.mark.parametrize(("keyword", "old", "new", "tightened"), CONSTRAINTS)
def test_request_constraints(keyword: str, old: Any, new: Any, tightened: bool) -> None:
    base = {"type": "array"} if keyword in ("maxItems", "minItems", "uniqueItems") else _string()
    before = {**base, **({keyword: old} if old is not None else {})}
    after = {**base, **({keyword: new} if new is not None else {})}
    change = in_request(obj(a=before), obj(a=after))
    expected = "request-property-constraint-tightened" if tightened else "request-property-constraint-loosened"
    assert change.kind == expected
    assert change.breaking is tightened
    assert (change.old, change.new) == ({keyword: old}, {keyword: new})
    assert change.location == "request body .a"


def test_response_constraints_never_break() -> None:
    for keyword, old, new, _ in CONSTRAINTS:
        base = {"type": "array"} if keyword in ("maxItems", "minItems", "uniqueItems") else _string()
        before = {**base, **({keyword: old} if old is not None else {})}
        after = {**base, **({keyword: new} if new is not None else {})}
        assert not in_response(obj(a=before), obj(a=after)).breaking, keyword


def test_new_response_enum_value_reason_names_the_runtime() -> None:
    change = in_response(obj(a=_string(enum=["x"])), obj(a=_string(enum=["x", "y"])))
    assert (change.new, change.rule.level) == ("y", "warn")
    assert "runtime keeps unknown enum values as plain strings" in change.rule.reason


# The same edit, in a request and in a response: (edit, request classification, response classification).
DIRECTIONS: list[tuple[str, Schema, Schema, str, str]] = [
    ("remove a property", obj(a=_string(), b=_string()), obj(a=_string()), "breaking", "breaking"),
    ("make a property optional", obj(("a",), a=_string()), obj(a=_string()), "non-breaking", "breaking"),
    ("make a property required", obj(a=_string()), obj(("a",), a=_string()), "breaking", "non-breaking"),
    ("make it nullable", obj(a=_string()), obj(a={"type": ["string", "null"]}), "non-breaking", "breaking"),
    ("remove an enum value", obj(a=_string(enum=["x", "y"])), obj(a=_string(enum=["x"])), "breaking", "non-breaking"),
    ("tighten maxLength", obj(a=_string(maxLength=9)), obj(a=_string(maxLength=3)), "breaking", "non-breaking"),
    ("widen integer to number", obj(a={"type": "integer"}), obj(a={"type": "number"}), "non-breaking", "breaking"),
]


@pytest.mark.parametrize(("edit", "old", "new", "as_request", "as_response"), DIRECTIONS, ids=lambda v: v)
def test_direction_decides(edit: str, old: Schema, new: Schema, as_request: str, as_response: str) -> None:
    assert in_request(old, new).rule.classification == as_request, edit
    assert in_response(old, new).rule.classification == as_response, edit


def test_ref_widened_to_union_breaks_readers_and_matched_branch_is_compared() -> None:
    schemas = {
        "Call": obj(("id",), id=_string(), name=_string()),
        "Custom": obj(("id",), id=_string()),
    }
    new_schemas = {**schemas, "Call": obj(("id",), id=_string())}  # `name` removed as well
    old = make_spec(response=obj(call={"$ref": "#/components/schemas/Call"}), schemas=schemas)
    union = {"oneOf": [{"$ref": "#/components/schemas/Call"}, {"$ref": "#/components/schemas/Custom"}]}
    new = make_spec(response=obj(call=union), schemas=new_schemas)
    changes = structural(run(old, new))
    assert [(c.kind, c.location, c.breaking) for c in changes] == [
        ("response-property-union-widened", "response 200 .call", True),
        ("response-property-removed", "response 200 .call.name", True),
    ]
    assert (changes[0].old, changes[0].new) == ("Call", "Call | Custom")
    # Going the other way in a request: accepting more shapes is fine.
    assert not one(make_spec(request=obj(call={"$ref": "#/components/schemas/Call"}), schemas=schemas),
                   make_spec(request=obj(call=union), schemas=schemas)).breaking  # fmt: skip


def test_union_branches_are_matched_by_component_name() -> None:
    schemas = {"A": obj(a=_string()), "B": obj(b=_string()), "C": obj(c=_string())}
    ref = {name: {"$ref": f"#/components/schemas/{name}"} for name in schemas}
    old = make_spec(response={"anyOf": [ref["A"], ref["B"]]}, schemas=schemas)
    new_schemas = {**schemas, "B": obj(b={"type": "integer"})}
    new = make_spec(response={"anyOf": [ref["C"], ref["B"], ref["A"]]}, schemas=new_schemas)
    changes = structural(run(old, new))
    assert [(c.kind, c.location) for c in changes] == [
        ("response-body-union-branch-added", "response 200"),
        ("response-property-type-changed", "response 200 <B>.b"),
    ]


def test_nullable_spellings_are_one() -> None:
    """3.0 `nullable`, 3.1 type lists and null branches (also around a $ref) say the same thing."""
    thing = obj(a=_string())
    old = make_spec(
        version="3.0.3",
        response=obj(
            s={"type": "string", "nullable": True},
            r={"allOf": [{"$ref": "#/components/schemas/Thing"}], "nullable": True},
            e={"type": "string", "enum": ["x", None], "nullable": True},
            n={"type": "integer", "minimum": 1, "exclusiveMinimum": True},
        ),
        schemas={"Thing": thing},
    )
    new = make_spec(
        response=obj(
            s={"type": ["string", "null"]},
            r={"anyOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}]},
            e={"anyOf": [{"type": "string", "enum": ["x"]}, {"type": "null"}]},
            n={"type": "integer", "exclusiveMinimum": 1},
        ),
        schemas={"Thing": thing},
    )
    assert run(old, new) == []


def test_read_only_request_and_write_only_response_properties_are_ignored() -> None:
    old = obj(a=_string())
    new = obj(("b", "c"), a=_string(), b=_string(readOnly=True), c=_string(writeOnly=True))
    assert in_request(old, new).kind == "request-property-added-required"  # only c
    assert in_request(old, new).location == "request body .c"
    assert in_response(old, new).location == "response 200 .b"


def test_recursive_schemas_end_and_report_once() -> None:
    def node(extra: Schema) -> dict[str, Schema]:
        return {"Node": obj(children={"type": "array", "items": {"$ref": "#/components/schemas/Node"}}, **extra)}

    ref = {"$ref": "#/components/schemas/Node"}
    old = make_spec(response=ref, schemas=node({"name": _string()}))
    new = make_spec(response=ref, schemas=node({}))
    changes = run(old, new)
    assert [(c.kind, c.location) for c in changes] == [("response-property-removed", "response 200 .name")]


def test_description_only_changes_are_counted_apart() -> None:
    old = make_spec(response=obj(a=_string(description="Old words.")))
    new = make_spec(response=obj(a=_string(description="New  words.")))
    changes = run(old, new)
    assert [(c.kind, c.doc_only, c.breaking) for c in changes] == [("description-changed", True, False)]
    assert summary(changes) == {"breaking": 0, "non_breaking": 0, "warnings": 0, "description_only": 1}
    refolded = make_spec(response=obj(a=_string(description="Old\n  words.\n")))
    assert run(old, refolded) == []  # whitespace is not a change


# --- Parameters, bodies, responses, operations -----------------------------------------------


def _query(name: str, *, required: bool = False, **schema: Any) -> Schema:
    return {"name": name, "in": "query", "required": required, "schema": {"type": "integer", **schema}}


LIMIT, LIMIT_REQUIRED = _query("limit"), _query("limit", required=True)


@pytest.mark.parametrize(
    ("old", "new", "kind", "classification"),
    [
        ([], [LIMIT_REQUIRED], "added-required", "breaking"),
        ([], [LIMIT], "added-optional", "non-breaking"),
        ([LIMIT], [], "removed", "breaking"),
        ([LIMIT], [LIMIT_REQUIRED], "became-required", "breaking"),
        ([LIMIT_REQUIRED], [LIMIT], "became-optional", "non-breaking"),
        ([_query("limit", maximum=100)], [_query("limit", maximum=50)], "constraint-tightened", "breaking"),
        ([_query("limit", enum=[1, 2])], [_query("limit", enum=[1])], "enum-value-removed", "breaking"),
        ([LIMIT], [{**LIMIT, "schema": {"type": "string"}}], "type-changed", "breaking"),
        ([LIMIT], [{**LIMIT, "deprecated": True}], "deprecated", "non-breaking"),
        ([_query("limit", default=20)], [_query("limit", default=10)], "default-changed", "breaking"),
        ([LIMIT], [_query("limit", default=10)], "default-changed", "breaking"),
    ],
)
def test_parameters(old: list[Schema], new: list[Schema], kind: str, classification: str) -> None:
    change = one(make_spec(params=old), make_spec(params=new))
    assert (change.kind, change.rule.classification) == (f"request-parameter-{kind}", classification)
    assert change.location.startswith("parameter query limit")


def test_parameters_by_ref_are_resolved() -> None:
    param = _query("limit")
    old = make_spec(params=[{"$ref": "#/components/parameters/Limit"}])
    old["components"]["parameters"] = {"Limit": param}
    assert run(old, make_spec(params=[param])) == []


def _edit(spec: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    edited = copy.deepcopy(spec)
    change(edited["paths"]["/things/{id}"]["post"])
    return edited


def _content(op: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = op["responses"]["200"]["content"]
    return content


@pytest.mark.parametrize(
    ("edit", "kind", "classification"),
    [
        (lambda op: op["responses"].pop("200"), "response-success-status-removed", "breaking"),
        (lambda op: op["responses"].update({"404": {"description": "no"}}), "response-status-added", "non-breaking"),
        (lambda op: _content(op).pop("application/json"), "response-media-type-removed", "breaking"),
        (lambda op: _content(op).update({"text/plain": {}}), "response-media-type-added", "non-breaking"),
        (lambda op: op.pop("requestBody"), "request-body-removed", "breaking"),
        (lambda op: op["requestBody"].update({"required": False}), "request-body-became-optional", "non-breaking"),
        (lambda op: op["requestBody"]["content"].pop("application/json"), "request-media-type-removed", "breaking"),
        (lambda op: op.update({"deprecated": True}), "operation-deprecated", "non-breaking"),
        (lambda op: op.update({"operationId": "renamed"}), "operation-id-changed", "breaking"),
    ],
)
def test_operation_parts(edit: Callable[[dict[str, Any]], None], kind: str, classification: str) -> None:
    old = make_spec(request=obj(a=_string()), response=obj(a=_string()))
    change = one(old, _edit(old, edit))
    assert (change.kind, change.rule.classification) == (kind, classification)


def test_error_status_removed_does_not_break() -> None:
    old = _edit(make_spec(), lambda op: op["responses"].update({"404": {"description": "no"}}))
    assert one(old, make_spec()).kind == "response-error-status-removed"
    assert not one(old, make_spec()).breaking


def test_required_request_body_added_breaks() -> None:
    change = one(make_spec(), make_spec(request=obj(a=_string())))
    assert (change.kind, change.breaking) == ("request-body-added-required", True)


def test_operations_added_and_removed() -> None:
    old = make_spec()
    new = copy.deepcopy(old)
    new["paths"]["/others"] = {"get": {"operationId": "listOthers", "responses": {"200": {"description": "ok"}}}}
    added = one(old, new)
    assert (added.kind, added.operation, added.new, added.breaking) == (
        "operation-added",
        "GET /others",
        "listOthers",
        False,
    )
    removed = one(new, old)
    assert (removed.kind, removed.breaking) == ("operation-removed", True)


def test_renamed_path_parameter_still_matches_the_operation() -> None:
    old = make_spec()
    new = copy.deepcopy(old)
    item = new["paths"].pop("/things/{id}")
    item["post"]["parameters"][0]["name"] = "thing_id"
    new["paths"]["/things/{thing_id}"] = item
    kinds = {c.kind for c in run(old, new)}
    assert kinds == {"request-parameter-removed", "request-parameter-added-required"}


def test_a_shared_component_is_reported_for_each_operation() -> None:
    schemas = {"Thing": obj(a=_string(), b=_string())}
    old = make_spec(response={"$ref": "#/components/schemas/Thing"}, schemas=schemas)
    old["paths"]["/others"] = {
        "get": {"operationId": "x", "responses": old["paths"]["/things/{id}"]["post"]["responses"]}
    }
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Thing"] = obj(a=_string())
    assert {(c.operation, c.kind) for c in run(old, new)} == {
        ("GET /others", "response-property-removed"),
        (OP, "response-property-removed"),
    }


def test_every_rule_has_a_reason_and_a_level() -> None:
    for kind, rule in RULES.items():
        assert rule.kind == kind and rule.reason and rule.level in ("error", "warn", "info", "doc")
    assert RULES["response-property-removed"].classification == "breaking"
    assert RULES["request-property-added-optional"].classification == "non-breaking"


def test_prepare_rejects_other_versions_and_unknown_operations() -> None:
    from codegen.errors import CodegenError

    swagger = Document({"swagger": "2.0"}, "old.yaml")
    with pytest.raises(CodegenError, match=r"expected OpenAPI 3\.0 or 3\.1"):
        prepare(swagger, Document(make_spec(), "new.yaml"))
    with pytest.raises(CodegenError, match="no operation with operationId 'nope'"):
        prepare(Document(make_spec(), "a"), Document(make_spec(), "b"), operations=["nope"])


def test_an_operation_on_one_side_only_is_added_not_an_error() -> None:
    old = Document(make_spec(), "old.yaml")
    new_spec = make_spec()
    new_spec["paths"]["/others"] = {"get": {"operationId": "listOthers", "responses": {"200": {"description": "ok"}}}}
    pruned = prepare(old, Document(new_spec, "new.yaml"), operations=["listOthers"])
    assert [(c.kind, c.operation) for c in diff_specs(*pruned)] == [("operation-added", "GET /others")]


# --- JSON Schema 2020-12 keywords, constants, patterns, numeric types, media types ------------

ARRAY = {"type": "array", "items": _string()}
MAP = {"type": "object", "additionalProperties": _string()}

# (name, old, new, request kind + classification, response kind + classification): the property `a`.
KEYWORDS_2020: list[tuple[str, Schema, Schema, tuple[str, str], tuple[str, str]]] = [
    (
        "contains added",
        ARRAY,
        {**ARRAY, "contains": _string(minLength=2)},
        ("subschema-added", "breaking"),
        ("subschema-added", "non-breaking"),
    ),
    (
        "contains removed",
        {**ARRAY, "contains": _string()},
        ARRAY,
        ("subschema-removed", "non-breaking"),
        ("subschema-removed", "non-breaking"),
    ),
    (
        "minContains raised",
        {**ARRAY, "contains": _string(), "minContains": 1},
        {**ARRAY, "contains": _string(), "minContains": 2},
        ("constraint-tightened", "breaking"),
        ("constraint-tightened", "non-breaking"),
    ),
    (
        "maxContains lowered",
        {**ARRAY, "contains": _string(), "maxContains": 3},
        {**ARRAY, "contains": _string(), "maxContains": 2},
        ("constraint-tightened", "breaking"),
        ("constraint-tightened", "non-breaking"),
    ),
    (
        "patternProperties added",
        MAP,
        {**MAP, "patternProperties": {"^x-": _string()}},
        ("subschema-added", "breaking"),
        ("subschema-added", "non-breaking"),
    ),
    (
        "propertyNames added",
        MAP,
        {**MAP, "propertyNames": {"maxLength": 3}},
        ("subschema-added", "breaking"),
        ("subschema-added", "non-breaking"),
    ),
    (
        "dependentRequired added",
        obj(b=_string(), c=_string()),
        {**obj(b=_string(), c=_string()), "dependentRequired": {"b": ["c"]}},
        ("constraint-tightened", "breaking"),
        ("constraint-tightened", "non-breaking"),
    ),
    (
        "dependentRequired shortened",
        {**obj(b=_string(), c=_string()), "dependentRequired": {"b": ["c"]}},
        {**obj(b=_string(), c=_string()), "dependentRequired": {"b": []}},
        ("constraint-loosened", "non-breaking"),
        ("constraint-loosened", "non-breaking"),
    ),
    (
        "else added",
        {**obj(b=_string()), "if": obj(b=_string(const="x"))},
        {**obj(b=_string()), "if": obj(b=_string(const="x")), "else": {"required": ["b"]}},
        ("subschema-added", "breaking"),
        ("subschema-added", "non-breaking"),
    ),
    (
        "prefixItems added",
        ARRAY,
        {**ARRAY, "prefixItems": [_string()]},
        ("subschema-added", "breaking"),
        ("subschema-added", "non-breaking"),
    ),
    (
        "unevaluatedProperties: false added",
        obj(b=_string()),
        {**obj(b=_string()), "unevaluatedProperties": False},
        ("subschema-added", "breaking"),
        ("subschema-added", "non-breaking"),
    ),
    (
        "contentMediaType set",
        _string(),
        _string(contentMediaType="application/json"),
        ("constraint-tightened", "breaking"),
        ("constraint-tightened", "non-breaking"),
    ),
    (
        "const changed",
        _string(const="a"),
        _string(const="b"),
        ("const-changed", "breaking"),
        ("const-changed", "breaking"),
    ),
    (
        "one-value enum changed",
        _string(enum=["a"]),
        _string(enum=["b"]),
        ("const-changed", "breaking"),
        ("const-changed", "breaking"),
    ),
    (
        "pattern generalised to .*",
        _string(pattern="^[a-z]+$"),
        _string(pattern=".*"),
        ("constraint-loosened", "non-breaking"),
        ("constraint-loosened", "non-breaking"),
    ),
    (
        "pattern emptied",
        _string(pattern="^[a-z]+$"),
        _string(pattern=""),
        ("constraint-loosened", "non-breaking"),
        ("constraint-loosened", "non-breaking"),
    ),
    (
        "integer | string to number | string",
        {"type": ["integer", "string"]},
        {"type": ["number", "string"]},
        ("type-widened", "non-breaking"),
        ("type-changed", "breaking"),
    ),
    (
        "number to integer",
        {"type": "number"},
        {"type": "integer"},
        ("type-changed", "breaking"),
        ("type-narrowed", "non-breaking"),
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "as_request", "as_response"), KEYWORDS_2020, ids=lambda v: v)
def test_2020_keywords_const_patterns_numbers(
    name: str, old: Schema, new: Schema, as_request: tuple[str, str], as_response: tuple[str, str]
) -> None:
    for direction, (suffix, classification), check in (
        ("request", as_request, in_request),
        ("response", as_response, in_response),
    ):
        change = check(obj(a=old), obj(a=new))
        assert (change.kind, change.rule.classification) == (f"{direction}-property-{suffix}", classification), name
        assert change.location.endswith(".a"), change.location


def test_subschemas_are_walked_and_a_property_they_name_is_no_field() -> None:
    base = {**obj(b=_string()), "then": obj(c=_string(minLength=1))}
    tightened = {**obj(b=_string()), "then": obj(c=_string(minLength=3))}
    change = in_request(obj(a=base), obj(a=tightened))
    assert (change.kind, change.location) == ("request-property-constraint-tightened", "request body .a<then>.c")
    added = {**obj(b=_string()), "then": {**obj(c=_string(), d=_string()), "required": ["d"]}}
    change = in_request(obj(a={**obj(b=_string()), "then": obj(c=_string())}), obj(a=added))
    assert (change.kind, change.breaking) == ("request-property-added-required", True)
    removed = in_request(obj(a=added), obj(a={**obj(b=_string()), "then": obj(c=_string())}))
    assert (removed.kind, removed.breaking) == ("subschema-property-removed", False)


def test_not_is_not_walked() -> None:
    old = {"not": obj(("x",), x=_string(maxLength=10))}
    new = {"not": obj(("y",), y=_string(maxLength=5))}
    change = in_request(obj(a=_string(**old)), obj(a=_string(**new)))
    assert (change.kind, change.rule.level) == ("request-property-not-changed", "warn")


def test_default_of_a_required_parameter_is_never_used() -> None:
    old = [_query("limit", default=20) | {"required": True}]
    new = [_query("limit", default=10) | {"required": True}]
    change = one(make_spec(params=old), make_spec(params=new))
    assert (change.kind, change.breaking) == ("request-required-parameter-default-changed", False)


def test_xml_bodies_and_untyped_responses_are_not_compared_as_schemas() -> None:
    def with_media(media: str, schema: Schema) -> dict[str, Any]:
        spec = make_spec(request=schema, response=schema)
        op = spec["paths"]["/things/{id}"]["post"]
        op["requestBody"]["content"] = {media: {"schema": schema}}
        op["responses"]["200"]["content"] = {media: {"schema": schema}}
        return spec

    old, new = obj(a=_string(), b=_string()), obj(a=_string())
    assert structural(run(with_media("application/xml", old), with_media("application/xml", new))) == []
    # A text body still constrains what callers send; the text response is bytes to the SDK.
    changes = structural(run(with_media("text/plain", _string()), with_media("text/plain", _string(maxLength=3))))
    assert [(c.kind, c.location) for c in changes] == [("request-body-constraint-tightened", "request body text/plain")]
    vendor = structural(run(with_media("application/vnd.x+json", old), with_media("application/vnd.x+json", new)))
    assert {c.kind for c in vendor} == {"request-property-removed", "response-property-removed"}


@pytest.mark.parametrize(
    ("old_id", "new_id", "kind"),
    [("updateThing", None, "operation-id-removed"), (None, "updateThing", "operation-id-added")],
)
def test_operation_id_added_or_removed_renames_the_method(old_id: str | None, new_id: str | None, kind: str) -> None:
    old, new = make_spec(), make_spec()
    for spec, op_id in ((old, old_id), (new, new_id)):
        if op_id is None:
            del spec["paths"]["/things/{id}"]["post"]["operationId"]
    change = one(old, new)
    assert (change.kind, change.breaking, change.old, change.new) == (kind, True, old_id, new_id)


# --- Real upstream pairs ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def upstream() -> dict[str, Document]:
    """The four upstream specs, each parsed once (about a second each)."""
    return {
        version: parse_document(
            gzip.decompress((UPSTREAM / f"{version}.yaml.gz").read_bytes()).decode(), source=version
        )
        for version in VERSIONS
    }


def _update_chat(upstream: dict[str, Document], old: str, new: str) -> list[Change]:
    return diff_specs(*prepare(upstream[old], upstream[new], operations=["updateChatCompletion"]))


def _facts(changes: list[Change]) -> set[tuple[str, str, Any]]:
    return {(c.kind, c.location.removeprefix("response 200 "), c.new) for c in changes if not c.doc_only}


def test_upstream_2025_03_to_2026_05(upstream: dict[str, Document]) -> None:
    changes = _update_chat(upstream, VERSIONS[0], VERSIONS[1])
    facts = _facts(changes)
    # tool_calls items: a $ref to the function tool call became oneOf function | custom tool call.
    widened = [c for c in changes if c.kind == "response-property-union-widened"]
    assert [(c.location, c.old, c.new) for c in widened] == [
        (
            "response 200 .choices[].message.tool_calls[]",
            "ChatCompletionMessageToolCall",
            "ChatCompletionMessageToolCall | ChatCompletionMessageCustomToolCall",
        )
    ]
    # service_tier: inline enum [scale, default] → ServiceTier [auto, default, flex, scale, priority].
    for value in ("auto", "flex", "priority"):
        assert ("response-property-enum-value-added", ".service_tier", value) in facts
    assert ("response-property-deprecated", ".system_fingerprint", None) in facts
    assert ("response-property-format-changed", ".created", "unixtime") in facts
    # 3.0 `nullable: true` → 3.1 `anyOf [.., null]` (content, refusal, audio, logprobs, metadata) is no change.
    assert not [c for c in changes if "nullable" in c.kind]
    assert summary(changes)["breaking"] == 1


@pytest.mark.parametrize(
    ("old", "new", "facts"),
    [
        pytest.param(
            VERSIONS[1],
            VERSIONS[2],
            {
                ("response-property-added", ".moderation", "ChatCompletionModeration"),
                ("response-property-added", ".usage.prompt_tokens_details.cache_write_tokens", "integer"),
            },
            id="2026_05-to-2026_07",
        ),
        pytest.param(
            VERSIONS[2],
            VERSIONS[3],
            {
                ("response-property-added", ".metadata", "Metadata"),
                ("response-property-added", ".usage.completion_tokens_details.text_tokens", "integer"),
                ("response-property-added", ".usage.prompt_tokens_details.text_tokens", "integer"),
                ("response-property-added", ".usage.prompt_tokens_details.image_tokens", "integer"),
                ("response-property-enum-value-added", ".service_tier", "fast"),
            },
            id="2026_07-to-2026_08",
        ),
    ],
)
def test_upstream_additions_only(
    upstream: dict[str, Document], old: str, new: str, facts: set[tuple[str, str, Any]]
) -> None:
    """The two later updates only add to the operation: exactly these changes, none breaking."""
    changes = _update_chat(upstream, old, new)
    assert _facts(changes) == facts
    assert summary(changes)["breaking"] == 0


def test_upstream_whole_specs_2026_05_to_2026_07(upstream: dict[str, Document]) -> None:
    changes = diff_specs(*prepare(upstream[VERSIONS[1]], upstream[VERSIONS[2]]))
    found = {(c.kind, c.operation, c.location) for c in changes}
    assert ("operation-added", "GET /organization/data_retention", "") in found
    assert ("request-parameter-added-optional", "GET /organization/audit_logs", "parameter query tenant_only") in found
    assert (
        "request-media-type-removed",
        "POST /responses/compact",
        "request body application/x-www-form-urlencoded",
    ) in found
    # WebSearchActionSearch.query: deprecated and no longer required.
    query = "response 200 .output[]<WebSearchToolCall>.action<WebSearchActionSearch>.query"
    assert ("response-property-became-optional", "GET /responses/{response_id}", query) in found
    assert ("response-property-deprecated", "GET /responses/{response_id}", query) in found
    # The chat completion object gained `moderation` wherever it is returned.
    assert ("response-property-added", "POST /chat/completions/{completion_id}", "response 200 .moderation") in found
    counts = summary(changes)
    assert counts["breaking"] > 0 and counts["non_breaking"] > counts["breaking"]


# --- CLI -------------------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exit_1_on_breaking_and_the_three_formats(capsys: pytest.CaptureFixture[str]) -> None:
    old, new = str(FIXTURES / "pets-old.yaml"), str(FIXTURES / "pets-new.yaml")
    code, text, _ = _cli(capsys, old, new)
    assert code == 1
    lines = text.splitlines()
    assert lines[0].startswith("breaking")
    assert lines[-1].startswith("summary: 4 breaking, ")
    assert "GET /pets/{pet_id} response 200 .tag [Pet.tag]: response-property-removed" in text

    code, markdown, _ = _cli(capsys, old, new, "--format", "markdown")
    assert code == 1
    assert markdown.startswith("### ❌ Breaking for SDK users — suggested SDK version bump: **major**\n")
    assert "#### Breaking changes (3)" in markdown and "#### SDK API changes" in markdown
    # One row per Python-level change, listing every operation that reports it, with a migration hint.
    assert (
        "| `Pet.tag` | `GET /pets response 200 [].tag`<br>`GET /pets/{pet_id} response 200 .tag` "
        "| `response-property-removed` → `sdk-field-removed` | readers | stop reading it" in markdown
    )
    assert "2 description-only changes not listed" in markdown

    code, raw, _ = _cli(capsys, old, new, "--format", "json")
    document = json.loads(raw)
    assert code == 1
    assert document["summary"]["breaking"] == 4
    assert {"kind", "classification", "level", "operation", "location", "old", "new", "reason", "python"} <= set(
        document["changes"][0]
    )
    assert (document["verdict"], document["bump"]) == ("breaking", "major")
    assert any(c["kind"] == "description-changed" for c in document["changes"])


def test_cli_descriptions_flag_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    _, text, _ = _cli(capsys, str(FIXTURES / "pets-old.yaml"), str(FIXTURES / "pets-new.yaml"), "--descriptions")
    assert "description-only" in text.splitlines()[-2]


def test_cli_exit_0_without_breaking_changes(capsys: pytest.CaptureFixture[str]) -> None:
    old = str(FIXTURES / "pets-old.yaml")
    code, text, _ = _cli(capsys, old, old)
    assert (code, text) == (0, "summary: 0 breaking, 0 non-breaking, 0 description-only\n")
    code, _, _ = _cli(capsys, old, str(FIXTURES / "pets-new.yaml"), "--operation", "createPet")
    assert code == 0


def test_cli_operation_filter(capsys: pytest.CaptureFixture[str]) -> None:
    _, raw, _ = _cli(capsys, str(FIXTURES / "pets-old.yaml"), str(FIXTURES / "pets-new.yaml"), "--operation",
                     "createPet", "--format", "json")  # fmt: skip
    assert {c["operation"] for c in json.loads(raw)["changes"]} == {"POST /pets"}


def test_cli_exit_2_on_input_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = str(FIXTURES / "pets-old.yaml")
    code, _, err = _cli(capsys, old, str(tmp_path / "missing.yaml"))
    assert code == 2 and "missing.yaml: cannot read" in err
    swagger = tmp_path / "swagger.yaml"
    swagger.write_text("swagger: '2.0'\n")
    code, _, err = _cli(capsys, old, str(swagger))
    assert code == 2 and "expected OpenAPI 3.0 or 3.1" in err
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: $.nowhere\n  update: {}\n")
    code, _, err = _cli(capsys, old, old, "--overlay", str(overlay))
    assert code == 2 and "$.nowhere selects nothing in the spec (applying it to" in err


def test_render_is_stable_for_no_changes() -> None:
    nothing = Review(changes=())
    assert render(nothing, "markdown").endswith("No changes.\n")
    assert json.loads(render(nothing, "json")) == {
        "verdict": "non-breaking",
        "bump": "none",
        "changes": [],
        "summary": {"breaking": 0, "non_breaking": 0, "warnings": 0, "description_only": 0},
        "stat": {},
        "ignored": [],
        "notes": [],
        "sdk_note": "",
    }
