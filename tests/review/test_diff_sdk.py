"""`codegen diff` in terms of the generated SDK: the public surface, SDK-level changes merged with
the wire-level ones, the review workflow (PR comment, ignore file, --fail-on, git revisions).

Each pair is a small spec written here as a dict (one resource, `POST /things/{id}`), or two
commits of a throwaway git repository.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml

from codegen.cli import main
from codegen.config import Settings
from codegen.diff.ignore import Entry, apply_ignore, parse_entries
from codegen.diff.report import render
from codegen.diff.review import Review, review
from codegen.diff.rules import RULES, SEVERITY
from codegen.diff.sdk import compare_surfaces
from codegen.diff.surface import Field, ModelClass, Surface, build_surface
from codegen.diff.types import relation
from codegen.diff.wire import Change
from codegen.errors import CodegenError
from codegen.load import Document

Schema = dict[str, Any]
OP = "POST /things/{id}"
SETTINGS = Settings(spec=Path("t.yaml"), out=Path("out"), package="sdk")


def spec(
    *,
    request: Schema | None = None,
    response: Schema | None = None,
    params: list[Schema] | None = None,
    schemas: dict[str, Schema] | None = None,
    operation_id: str | None = "updateThing",
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}, *(params or [])],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": response or {"type": "string"}}}}
        },
    }
    if operation_id:
        op["operationId"] = operation_id
    if request is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things/{id}": {"post": op}},
        "components": {"schemas": schemas or {}},
    }


def obj(required: tuple[str, ...] = (), **properties: Schema) -> Schema:
    out: Schema = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(required)
    return out


def run(old: dict[str, Any], new: dict[str, Any], settings: Settings = SETTINGS) -> Review:
    return review(Document(old, "old.yaml"), Document(new, "new.yaml"), settings=settings)


def kinds(result: Review) -> list[tuple[str, str, str]]:
    """(kind, merged SDK kind, Python spelling) of each change that is not description-only."""
    return [(c.kind, c.merged, c.python) for c in result.changes if not c.doc_only]


STRING = {"type": "string"}


# --- The public surface ----------------------------------------------------------------------


def test_surface_spells_methods_arguments_models_and_enums() -> None:
    thing = obj(("name",), name=STRING, kind={"type": "string", "enum": ["a", "b"]}, **{"createdAt": STRING})
    document = spec(
        request=obj(("name",), name=STRING, note=STRING),
        response={"$ref": "#/components/schemas/Thing"},
        params=[{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
        schemas={"Thing": thing},
    )
    settings = Settings(
        spec=Path("t.yaml"), out=Path("o"), package="sdk", resources=MappingProxyType({"updateThing": "things.update"})
    )
    surface = build_surface(document, source="t.yaml", settings=settings)
    (method,) = surface.methods
    assert (method.spelling, method.operation, method.returns) == ("client.things.update", OP, "Thing")
    assert [(a.name, a.location, a.annotation, a.required, a.positional) for a in method.arguments] == [
        ("id", "path", "str", True, True),
        ("name", "body", "str", True, False),
        ("limit", "query", "int", False, False),
        ("note", "body", "str", False, False),
    ]
    (model,) = [c for c in surface.classes if c.name == "Thing"]
    assert [(f.name, f.alias, f.annotation, f.required) for f in model.fields] == [
        ("name", "name", "str", True),
        ("kind", "kind", "ThingKind | None", False),
        ("created_at", "createdAt", "str | None", False),
    ]
    assert [(e.name, e.values) for e in surface.enums] == [("ThingKind", ("a", "b"))]
    assert surface.class_for_ref("#/components/schemas/Thing") == "Thing"


def test_an_operation_the_generator_rejects_has_no_method() -> None:
    document = spec(params=[{"name": "c", "in": "body", "schema": STRING}])  # a Swagger 2 leftover
    surface = build_surface(document, source="t.yaml", settings=SETTINGS)
    assert surface.methods == ()
    assert surface.skipped[0][0] == OP and "in 'body' is not supported" in surface.skipped[0][1]


# --- SDK-level changes, merged with the wire ------------------------------------------------


def test_body_wrapped_in_one_of_turns_keywords_into_body_and_breaks_callers() -> None:
    body = obj(("name",), name=STRING, note=STRING)
    wrapped = {"oneOf": [body, obj(("other",), other=STRING)]}
    result = run(spec(request=body), spec(request=wrapped))
    (change,) = [c for c in result.changes if c.merged]
    assert (change.kind, change.merged, change.breaking) == (
        "request-body-union-widened",
        "sdk-body-became-one-argument",
        True,
    )  # one entry: the wire change, spelled and classified by what the SDK makes of it
    assert (change.python, change.old, change.new) == ("client.update_thing(body=…)", "name=, note=", "body=")
    assert change.rule.effect == "breaks callers"
    assert "pass the whole body as one `body=` value" in render(result, "markdown")
    assert result.bump == "major"


@pytest.mark.parametrize(
    ("old_id", "new_id", "kind"),
    [
        ("updateThing", "patchThing", "operation-id-changed"),
        (None, "updateThing", "operation-id-added"),
        ("updateThing", None, "operation-id-removed"),
    ],
)
def test_operation_id_renames_the_method(old_id: str | None, new_id: str | None, kind: str) -> None:
    result = run(spec(operation_id=old_id), spec(operation_id=new_id))
    (change,) = [c for c in result.changes if not c.doc_only]
    assert (change.kind, change.breaking) == (kind, True)
    assert change.python.startswith("client.") and change.python.endswith("()")
    assert change.rule.hint.startswith("rename the calls")


def test_operation_id_change_that_keeps_the_method_name_is_safe() -> None:
    placed = Settings(
        spec=Path("t.yaml"),
        out=Path("o"),
        package="sdk",
        resources=MappingProxyType({"updateThing": "things.update", "patchThing": "things.update"}),
    )
    result = run(spec(operation_id="updateThing"), spec(operation_id="patchThing"), placed)
    assert kinds(result) == [("operation-id-changed-same-method", "", "client.things.update()")]
    assert not result.breaking


def test_integer_widened_to_number_in_an_argument_is_safe() -> None:
    old = spec(params=[{"name": "limit", "in": "query", "schema": {"type": "integer"}}])
    new = spec(params=[{"name": "limit", "in": "query", "schema": {"type": "number"}}])
    result = run(old, new)
    assert [k for k in kinds(result) if k[0].startswith("request")] == [
        ("request-parameter-type-widened", "sdk-argument-type-widened", "client.update_thing(limit=…)")
    ]
    assert not result.breaking


def test_argument_type_the_wire_calls_widened_but_python_does_not_breaks_callers() -> None:
    # An integer-or-string parameter became an array: on the wire a query value is text either way.
    old = spec(params=[{"name": "ids", "in": "query", "schema": {"type": ["integer", "string"]}}])
    new = spec(params=[{"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}}])
    result = run(old, new)
    assert result.breaking
    assert any(c.python == "client.update_thing(ids=…)" for c in result.changes if c.breaking)


def test_required_property_leaving_write_only_is_no_break() -> None:
    old = obj(("secret",), secret={"type": "string", "writeOnly": True})
    new = obj(("secret",), secret={"type": "string"})
    result = run(spec(request=old), spec(request=new))
    assert ("sdk-argument-became-required-in-signature", "", "client.update_thing(secret=…)") in kinds(result)
    assert not result.breaking


def test_response_const_change_breaks_readers_and_names_the_field() -> None:
    schemas = {"Event": obj(("type",), type={"const": "created"})}
    new_schemas = {"Event": obj(("type",), type={"const": "made"})}
    ref = {"$ref": "#/components/schemas/Event"}
    result = run(spec(response=ref, schemas=schemas), spec(response=ref, schemas=new_schemas))
    (change,) = [c for c in result.changes if c.breaking]
    assert (change.kind, change.python, change.rule.effect) == (
        "response-property-const-changed",
        "Event.type",
        "breaks readers",
    )


def test_enum_member_added_is_spelled_as_the_member() -> None:
    def with_values(*values: str) -> dict[str, Any]:
        schemas = {"Thing": obj(status={"$ref": "#/components/schemas/Status"}), "Status": {"enum": list(values)}}
        return spec(response={"$ref": "#/components/schemas/Thing"}, schemas=schemas)

    result = run(with_values("a", "b"), with_values("a", "b", "c"))
    assert kinds(result) == [("response-property-enum-value-added", "sdk-enum-member-added", "Status.c")]
    assert result.bump == "minor"


def test_unused_component_change_is_an_sdk_change_of_its_own() -> None:
    old = spec(schemas={"Spare": obj(a=STRING, b=STRING)})
    new = spec(schemas={"Spare": obj(a=STRING)})
    result = run(old, new)
    assert kinds(result) == [("sdk-field-removed", "", "Spare.b")]
    assert result.stat == {"class changed": 1, "field removed": 1}


def test_generator_failure_falls_back_to_the_wire_diff_and_says_so() -> None:
    broken = spec(schemas={"Thing": {**obj(a=STRING), "x-codegen-name": "not a name"}})
    result = run(spec(), broken)
    assert result.sdk_note.startswith("the generator rejects it")
    assert "SDK comparison skipped" in render(result, "markdown")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("int", "float", "wider"),
        ("float", "int", "narrower"),
        ("int | str", "float | str", "wider"),
        ("Literal['a']", "str", "wider"),
        ("str", "Literal['a']", "narrower"),
        ("list[int]", "list[int | None]", "wider"),
        ("Status", "str", "wider"),
        ("Pet", "Animal", "renamed"),
        ("str", "list[str]", "other"),
        ("dict[str, Any]", "Any", "wider"),
    ],
)
def test_annotation_relations(old: str, new: str, expected: str) -> None:
    classes = frozenset({"Pet", "Animal", "Status"})
    assert relation(old, new, old_classes=classes, new_classes=classes, enums={"Status": "str"}) == expected


# --- Review workflow: ignore file, --fail-on, version bump -----------------------------------


def _change(kind: str, location: str = ".a", python: str = "Thing.a") -> Change:
    return Change(kind, OP, f"response 200 {location}", python=python)


def test_ignore_entries_match_by_rule_and_location_or_python_and_report_expired_and_unused() -> None:
    entries = parse_entries(
        [
            {"rule": "response-property-removed", "location": "POST /things/* response 200 .a", "reason": "agreed"},
            {"rule": "response-*", "location": "Thing.b", "reason": "old", "expires": "2020-01-01"},
            {"rule": "request-property-removed", "location": "*", "reason": "never used"},
        ],
        source="ignore.yaml",
    )
    changes = [_change("response-property-removed"), _change("response-property-removed", ".b", "Thing.b")]
    outcome = apply_ignore(changes, entries, today=dt.date(2026, 1, 1))
    assert [c.location for c in outcome.kept] == ["response 200 .b"]  # the expired entry ignores nothing
    assert [(c.location, e.reason) for c, e in outcome.ignored] == [("response 200 .a", "agreed")]
    notes = outcome.notes("ignore.yaml")
    assert notes[0].startswith("ignore.yaml#/1: expired on 2020-01-01")
    assert notes[1] == "ignore.yaml#/2: unused: no `request-property-removed` change at `*`"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([{"rule": "x", "location": "y"}], "ignore.yaml#/0: missing reason"),
        ([{"rule": "x", "location": "y", "reason": "z", "until": 1}], "ignore.yaml#/0: unknown key until"),
        ([{"rule": "x", "location": "y", "reason": "z", "expires": "soon"}], "ignore.yaml#/0/expires: expected a date"),
        ({"rule": "x"}, "ignore.yaml: expected a list of entries"),
    ],
)
def test_bad_ignore_entries_are_errors(data: Any, message: str) -> None:
    with pytest.raises(CodegenError) as info:
        parse_entries(data, source="ignore.yaml")
    assert str(info.value).startswith(message)


def test_bump_follows_the_worst_change() -> None:
    assert Review(changes=()).bump == "none"
    assert Review(changes=(_change("description-changed"),)).bump == "patch"
    assert Review(changes=(_change("response-status-added"),)).bump == "patch"
    assert Review(changes=(_change("response-property-added"),)).bump == "minor"
    assert Review(changes=(_change("response-property-removed"),)).bump == "major"


def _write(tmp: Path, name: str, document: dict[str, Any]) -> str:
    path = tmp / name
    path.write_text(yaml.safe_dump(document))
    return str(path)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_ignore_file_and_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path, "old.yaml", spec(response=obj(a=STRING, b=STRING)))
    new = _write(tmp_path, "new.yaml", spec(response=obj(a=STRING, b=STRING, c=STRING)))
    # A new response property is safe; --fail-on warning still passes, a deprecation would not.
    assert _cli(capsys, old, new, "--fail-on", "warning")[0] == 0
    deprecated = _write(tmp_path, "dep.yaml", spec(response=obj(a={**STRING, "deprecated": True}, b=STRING)))
    assert _cli(capsys, old, deprecated)[0] == 0
    assert _cli(capsys, old, deprecated, "--fail-on", "warning")[0] == 1
    removed = _write(tmp_path, "removed.yaml", spec(response=obj(a=STRING)))
    ignore = tmp_path / "diff-ignore.yaml"
    ignore.write_text(
        "- rule: response-property-removed\n  location: 'POST /things/{id} response 200 .b'\n"
        "  reason: nobody reads b\n  expires: 2999-01-01\n"
        "- rule: operation-removed\n  location: '*'\n  reason: stale\n"
    )
    code, out, err = _cli(capsys, old, removed, "--ignore", str(ignore), "--format", "markdown")
    assert code == 0
    assert "#### Ignored (1)" in out and "nobody reads b" in out
    assert "unused: no `operation-removed` change" in err
    ignore.write_text("- rule: x\n")
    code, _, err = _cli(capsys, old, removed, "--ignore", str(ignore))
    assert (code, err.count("\n")) == (2, 1) and "missing location, reason" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_cli_reads_git_revisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (tmp_path / "api").mkdir()
    target = tmp_path / "api" / "openapi.yaml"
    target.write_text(yaml.safe_dump(spec(response=obj(a=STRING, b=STRING))))
    git("add", ".")
    git("commit", "-qm", "one")
    target.write_text(yaml.safe_dump(spec(response=obj(a=STRING))))
    git("commit", "-qam", "two")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _cli(capsys, "HEAD~1:api/openapi.yaml", "HEAD:api/openapi.yaml", "--format", "json")
    assert code == 1
    assert [c["kind"] for c in json.loads(out)["changes"]] == ["response-property-removed"]
    code, out, _ = _cli(capsys, "HEAD~1:api/openapi.yaml", "api/openapi.yaml")
    assert code == 1 and "[update_thing" not in out
    code, _, err = _cli(capsys, "HEAD~7:api/openapi.yaml", "api/openapi.yaml")
    assert code == 2 and err.startswith("error: HEAD~7:api/openapi.yaml: git show failed") and err.count("\n") == 1


def test_markdown_comment_order_verdict_breaking_api_other_stat(tmp_path: Path) -> None:
    old = spec(
        request=obj(name=STRING),
        response={"$ref": "#/components/schemas/Thing"},
        schemas={"Thing": obj(a=STRING, b={"type": "string", "maxLength": 5})},
        params=[{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}],
    )
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Thing"]["properties"].pop("a")
    new["components"]["schemas"]["Thing"]["properties"]["c"] = STRING
    new["components"]["schemas"]["Thing"]["properties"]["b"]["maxLength"] = 9
    new["paths"]["/things/{id}"]["post"]["parameters"][1]["schema"]["maximum"] = 20
    text = render(run(old, new), "markdown")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "### ❌ Breaking for SDK users — suggested SDK version bump: **major**",
        "#### Breaking changes (1)",
        "#### SDK API changes (1)",
        "#### Other changes (2)",
        "#### Generated code",
    ]
    assert (
        "| `Thing.a` | `POST /things/{id} response 200 .a` | `response-property-removed` → `sdk-field-removed` "
        "| readers |" in text
    )
    assert "| `Thing.c` | `response-property-added` → `sdk-field-added` |" in text
    assert "`models.py`: 1 class changed, 1 field added, 1 field removed" in text


def test_entries_need_reason_to_be_given_in_code_too() -> None:
    entry = Entry("response-property-removed", "*", "why", None, "/0")
    assert entry.matches(_change("response-property-removed"))
    assert not entry.matches(_change("response-property-added"))


# --- Every SDK rule, one small pair each ------------------------------------------------------


def _sse(event: Schema) -> dict[str, Any]:
    """A 200 that can also be an event stream: the method gains `stream=True`."""
    return {"application/json": {"schema": STRING}, "text/event-stream": {"schema": event}}


def _with(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    op = edited["paths"]["/things/{id}"]["post"]
    for key, value in changes.items():
        if key == "content":
            op["responses"]["200"]["content"] = value
        elif key == "path":
            edited["paths"] = {value: edited["paths"].pop("/things/{id}")}
        else:
            op[key] = value
    return edited


BASE = spec(request=obj(name=STRING))
THING = {"Thing": obj(a=STRING), "Other": obj(a=STRING)}
LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer"}}

# (kind, old, new): the kind must show, on its own or folded into a wire change, at its rule's level.
SDK_RULES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("sdk-method-added", {**BASE, "paths": {}}, BASE),
    ("sdk-method-removed", BASE, {**BASE, "paths": {}}),
    ("sdk-method-renamed", BASE, spec(request=obj(name=STRING), operation_id="patchThing")),
    ("sdk-stream-variant-added", BASE, _with(BASE, content=_sse(STRING))),
    ("sdk-stream-variant-removed", _with(BASE, content=_sse(STRING)), BASE),
    ("sdk-stream-type-changed", _with(BASE, content=_sse(STRING)), _with(BASE, content=_sse({"type": "integer"}))),
    (
        "sdk-stream-type-narrowed",
        _with(BASE, content=_sse({"type": "number"})),
        _with(BASE, content=_sse({"type": "integer"})),
    ),
    (
        "sdk-stream-type-widened",
        _with(BASE, content=_sse({"type": "integer"})),
        _with(BASE, content=_sse({"type": "number"})),
    ),
    (
        "sdk-stream-type-renamed",
        spec(response=STRING, schemas=THING)
        | {"paths": _with(BASE, content=_sse({"$ref": "#/components/schemas/Thing"}))["paths"]},
        spec(response=STRING, schemas=THING)
        | {"paths": _with(BASE, content=_sse({"$ref": "#/components/schemas/Other"}))["paths"]},
    ),
    ("sdk-body-became-one-argument", BASE, spec(request={"type": "array", "items": STRING})),
    ("sdk-body-became-keywords", spec(request={"type": "array", "items": STRING}), BASE),
    ("sdk-argument-added-required", BASE, spec(request=obj(("note",), name=STRING, note=STRING))),
    ("sdk-argument-added-optional", BASE, spec(request=obj(name=STRING, note=STRING))),
    ("sdk-argument-removed", spec(request=obj(name=STRING, note=STRING)), BASE),
    # A query parameter `name` takes the body property's argument name: the body's becomes `name2`.
    (
        "sdk-argument-renamed",
        BASE,
        spec(request=obj(name=STRING), params=[{"name": "name", "in": "query", "schema": STRING}]),
    ),
    (
        "sdk-positional-argument-renamed",
        BASE,
        _with(
            BASE,
            path="/things/{thing_id}",
            parameters=[{"name": "thing_id", "in": "path", "required": True, "schema": STRING}],
        ),
    ),
    ("sdk-argument-became-required", spec(params=[LIMIT]), spec(params=[{**LIMIT, "required": True}])),
    ("sdk-argument-became-optional", spec(params=[{**LIMIT, "required": True}]), spec(params=[LIMIT])),
    ("sdk-argument-type-widened", spec(params=[LIMIT]), spec(params=[{**LIMIT, "schema": {"type": "number"}}])),
    (
        "sdk-argument-type-narrowed",
        spec(params=[LIMIT]),
        spec(params=[{**LIMIT, "schema": {"type": "integer", "enum": [1, 2]}}]),
    ),
    ("sdk-argument-type-changed", spec(params=[LIMIT]), spec(params=[{**LIMIT, "schema": STRING}])),
    (
        "sdk-argument-type-renamed",
        spec(request=obj(thing={"$ref": "#/components/schemas/Thing"}), schemas=THING),
        spec(request=obj(thing={"$ref": "#/components/schemas/Other"}), schemas=THING),
    ),
    ("sdk-return-type-widened", spec(response={"type": "integer"}), spec(response={"type": "number"})),
    ("sdk-return-type-narrowed", spec(response={"type": "number"}), spec(response={"type": "integer"})),
    ("sdk-return-type-changed", spec(response=STRING), spec(response={"type": "integer"})),
    ("sdk-return-type-added", _with(BASE, responses={"204": {"description": "none"}}), BASE),
    (
        "sdk-return-type-renamed",
        spec(response={"$ref": "#/components/schemas/Thing"}, schemas=THING),
        spec(response={"$ref": "#/components/schemas/Other"}, schemas=THING),
    ),
    ("sdk-class-added", spec(), spec(schemas={"Thing": obj(a=STRING)})),
    ("sdk-class-renamed", spec(schemas={"Thing": obj(a=STRING)}), spec(schemas={"Item": obj(a=STRING)})),
    ("sdk-enum-renamed", spec(schemas={"Kind": {"enum": ["a", "b"]}}), spec(schemas={"Sort": {"enum": ["a", "b"]}})),
    ("sdk-class-removed", spec(schemas={"Thing": obj(a=STRING)}), spec()),
    ("sdk-enum-added", spec(), spec(schemas={"Kind": {"enum": ["a", "b"]}})),
    ("sdk-enum-removed", spec(schemas={"Kind": {"enum": ["a", "b"]}}), spec()),
    (
        "sdk-enum-member-added",
        spec(schemas={"Kind": {"enum": ["a", "b"]}}),
        spec(schemas={"Kind": {"enum": ["a", "b", "c"]}}),
    ),
    (
        "sdk-enum-member-removed",
        spec(schemas={"Kind": {"enum": ["a", "b", "c"]}}),
        spec(schemas={"Kind": {"enum": ["a", "b"]}}),
    ),
    ("sdk-field-added", spec(schemas={"Thing": obj(a=STRING)}), spec(schemas={"Thing": obj(a=STRING, b=STRING)})),
    ("sdk-field-removed", spec(schemas={"Thing": obj(a=STRING, b=STRING)}), spec(schemas={"Thing": obj(a=STRING)})),
    (
        "sdk-field-type-widened",
        spec(schemas={"Thing": obj(a={"type": "integer"})}),
        spec(schemas={"Thing": obj(a={"type": "number"})}),
    ),
    (
        "sdk-field-type-narrowed",
        spec(schemas={"Thing": obj(a={"type": "number"})}),
        spec(schemas={"Thing": obj(a={"type": "integer"})}),
    ),
    (
        "sdk-field-type-changed",
        spec(schemas={"Thing": obj(a=STRING)}),
        spec(schemas={"Thing": obj(a={"type": "integer"})}),
    ),
    (
        "sdk-field-type-renamed",
        spec(schemas={**THING, "Box": obj(a={"$ref": "#/components/schemas/Thing"})}),
        spec(schemas={**THING, "Box": obj(a={"$ref": "#/components/schemas/Other"})}),
    ),
]


@pytest.mark.parametrize(("kind", "old", "new"), SDK_RULES, ids=[row[0] for row in SDK_RULES])
def test_sdk_rule(kind: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    result = run(old, new)
    found = [c for c in result.changes if kind in (c.kind, c.merged)]
    assert found, kinds(result)
    assert found[0].python, found[0]
    if found[0].merged == kind or found[0].kind == kind:
        own = RULES[kind]
        assert SEVERITY[found[0].rule.level] >= SEVERITY[own.level]


def test_a_field_renamed_by_the_generator_breaks_readers() -> None:
    before = Surface((), (ModelClass("Thing", "/components/schemas/Thing", (Field("a_b", "aB", "str", True),)),), ())
    after = Surface((), (ModelClass("Thing", "/components/schemas/Thing", (Field("ab", "aB", "str", True),)),), ())
    (item,) = compare_surfaces(before, after)
    assert (item.change.kind, item.change.python, item.change.rule.effect) == (
        "sdk-field-renamed",
        "Thing.ab",
        "breaks readers",
    )


def test_an_operation_the_generator_rejects_on_one_side_is_not_a_removed_method() -> None:
    legacy = {"name": "session", "in": "body", "schema": STRING}  # a Swagger 2 leftover the generator skips
    result = run(spec(), spec(params=[legacy]))
    assert [k for k in kinds(result) if k[0] == "sdk-method-not-generated"] == [
        ("sdk-method-not-generated", "", "client.update_thing()")
    ]
    skipped = next(c for c in result.changes if c.kind == "sdk-method-not-generated")
    assert not result.breaking and skipped.rule.level == "warn" and "'body'" in str(skipped.new)


def test_an_inline_enum_moved_into_a_component_is_a_renamed_enum() -> None:
    inline = spec(response={"$ref": "#/components/schemas/Thing"}, schemas={"Thing": obj(tier=_tier("a", "b"))})
    component = spec(
        response={"$ref": "#/components/schemas/Thing"},
        schemas={"Thing": obj(tier={"$ref": "#/components/schemas/Tier"}), "Tier": _tier("a", "b", "c")},
    )
    result = run(inline, component)
    renamed = [c for c in result.changes if c.kind == "sdk-enum-renamed"]
    assert [(c.old, c.new, c.rule.level) for c in renamed] == [("ThingTier", "Tier", "warn")]
    assert not [c for c in result.changes if c.kind in ("sdk-enum-added", "sdk-enum-removed")]
    assert ("response-property-enum-value-added", "sdk-field-type-renamed", "Thing.tier") in kinds(result)


def _tier(*values: str) -> Schema:
    return {"type": "string", "enum": list(values)}
