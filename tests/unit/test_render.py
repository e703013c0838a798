"""render: one piece at a time, from IR values: the Endpoint(...) of an operation, a call, a docstring,
models.py from the IR's models, and prose wrapped to the line length."""

from __future__ import annotations

import ast
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from codegen.ir import types as t
from codegen.ir.nodes import Api, Endpoint, Field, Model, Operation, Param, Resource, Server, StatusBody
from codegen.render.client import (
    call,
    docstring,
    endpoint_source,
    method_returns,
    runtime_method,
    stream_overloads,
)
from codegen.render.layout import Group, flat
from codegen.render.models import render_models
from codegen.render.text import wrap, wrap_descriptions
from tests.support import ROOT

ENDPOINT = Endpoint(
    const_name="_UPDATE_PET",
    method="POST",
    path="/pets/{petId}",
    path_params=("petId",),
    response=t.ModelRef("Pet"),
    body_model="PetUpdate",
    params_model=None,
    stream=None,
    styles=(),
    encoding="json",
    content_type="application/json",
    response_format="json",
    accept="application/json",
    responses=(),
    security=None,
)
PET_ID = Param("pet_id", "petId", "path", True, t.Builtin("str"), "The pet.")
NAME = Param("name", "name", "body", True, t.Builtin("str"), "A name " * 30)
TAG = Param("x_tag", "X-Tag", "header", False, t.Builtin("str"), "")
OPERATION = Operation(
    operation_id="updatePet",
    resource=("pets",),
    name="update",
    summary="Update a pet",
    deprecated=False,
    positional=(PET_ID,),
    keyword=(NAME, TAG),
    body_whole=False,
    returns=t.ModelRef("Pet"),
    streaming="none",
    stream_flag=False,
    endpoint=ENDPOINT,
)


def test_endpoint_source_states_only_what_differs_from_the_defaults() -> None:
    source = flat(endpoint_source(ENDPOINT))
    assert source == (
        'Endpoint("POST", "/pets/{petId}", path_params=("petId",), response=lambda: models.Pet, '
        "body_model=lambda: models.PetUpdate)"
    )
    ast.parse(source)


def test_endpoint_source_of_a_binary_download_and_of_bodies_per_status() -> None:
    download = Endpoint(**{**_fields(ENDPOINT), "response": None, "body_model": None, "response_format": "binary"})
    download = Endpoint(**{**_fields(download), "accept": "audio/mpeg", "encoding": "none"})
    assert flat(endpoint_source(download)).endswith('response_format="binary", accept="audio/mpeg")')
    by_status = Endpoint(
        **{
            **_fields(ENDPOINT),
            "response": t.union(t.ModelRef("Pet"), t.NONE),
            "responses": (StatusBody("200", t.ModelRef("Pet")), StatusBody("204", None)),
        }
    )
    assert 'responses={"200": lambda: models.Pet, "204": None}' in flat(endpoint_source(by_status))


def _fields(endpoint: Endpoint) -> dict[str, object]:
    return {name: getattr(endpoint, name) for name in Endpoint.__dataclass_fields__}


def _call(op: Operation) -> str:
    return flat(Group("f", call(op)))[2:-1]


def test_a_call_passes_arguments_by_wire_name_and_nothing_empty() -> None:
    assert _call(OPERATION) == (
        '_UPDATE_PET, path={"petId": pet_id}, headers={"X-Tag": x_tag}, body={"name": name}, **options'
    )


def _streaming(streaming: str, *, flag: bool = True) -> Operation:
    endpoint = Endpoint(**{**_fields(ENDPOINT), "stream": t.StreamOf(t.ModelRef("PetEvent"))})
    changes = {"streaming": streaming, "stream_flag": flag, "endpoint": endpoint}
    if streaming == "always":
        changes["returns"] = endpoint.stream
    return Operation(**{**{n: getattr(OPERATION, n) for n in Operation.__dataclass_fields__}, **changes})


def test_a_call_that_may_stream_passes_stream_and_sends_the_flag_only_when_true() -> None:
    assert _call(_streaming("optional")) == (
        '_UPDATE_PET, path={"petId": pet_id}, headers={"X-Tag": x_tag}, '
        'body={"name": name, "stream": stream or NOT_GIVEN}, stream=stream, **options'
    )
    assert _call(_streaming("optional", flag=False)).endswith('body={"name": name}, stream=stream, **options')
    assert _call(_streaming("always")).endswith('body={"name": name, "stream": True}, **options')


def test_each_kind_of_call_has_its_own_runtime_method_none_overloaded() -> None:
    # One overloaded runtime method made mypy infer every body dict once per overload item.
    assert runtime_method(_streaming("optional")) == "_request_or_stream"
    assert runtime_method(_streaming("always")) == "_stream"
    assert runtime_method(OPERATION) == "_request"


def test_the_overloads_of_stream_and_what_each_returns() -> None:
    op = _streaming("optional")
    spelled = [(stream, t.annotation(returned, is_async=True)) for stream, returned in stream_overloads(op)]
    assert spelled == [
        ("Literal[False] = False", "Pet"),
        ("Literal[True]", "AsyncStream[PetEvent]"),
        ("bool", "Pet | AsyncStream[PetEvent]"),
    ]
    assert t.annotation(method_returns(op)) == "Pet | Stream[PetEvent]"
    assert t.annotation(method_returns(_streaming("always"))) == "Stream[PetEvent]"
    assert "  stream: True for the response as server-sent events" in docstring(op)
    assert "stream:" not in docstring(_streaming("always"))


def test_docstrings_wrap_and_document_every_argument() -> None:
    text = docstring(OPERATION)
    lines = text.splitlines()
    assert lines[0] == '"""Update a pet' and lines[-1] == '"""'
    assert "  pet_id: The pet." in lines
    assert any(line.startswith("  name: A name") for line in lines)
    assert all(len(line) <= 120 - 8 for line in lines)  # fits once indented in the method
    assert "**options: `extra_headers`, `extra_query`, `extra_body`, `timeout`" in text
    assert "x_tag" not in text  # undocumented arguments are not listed with an empty line


def test_docstrings_escape_what_would_end_them() -> None:
    op = Operation(
        **{**{n: getattr(OPERATION, n) for n in Operation.__dataclass_fields__}, "summary": 'say """hi""" \\o/'}
    )
    assert ast.literal_eval(docstring(op)).startswith('say """hi""" \\o/')


def _api(models: tuple[Model, ...]) -> Api:
    return Api(
        "T", "1", "http://x", "spec.yaml", "0" * 64, models, (), Resource("", "", (), ()),
        server=Server("http://x", ()), auth=(), default_security=(), required_auth=(), header_options=(), options=(),
    )  # fmt: skip


def test_models_are_rendered_from_the_ir_names() -> None:
    pet = Model(
        name="Pet",
        pointer="/components/schemas/Pet",
        kind="class",
        fields=(
            Field("pet_name", "petName", t.Builtin("str"), True, False, False),
            Field("old", "old", t.Builtin("str"), False, True, False),
        ),
        schema={
            "type": "object",
            "required": ["petName"],
            "properties": {"petName": {"type": "string"}, "old": {"type": "string", "deprecated": True}},
        },
    )
    kind = Model("Kind", "/components/schemas/Kind", "enum", (), {"type": "string", "enum": ["a", "b"]})
    tags = Model("Tags", "/components/schemas/Tags", "alias", (), {"type": "array", "items": {"type": "string"}})
    api = _api((kind, pet, tags))
    code = render_models(api, package="pkg", header="# head", source="spec.yaml")
    module = ast.parse(code)
    assert code.startswith("# head\n")
    assert 'pet_name: Annotated[str, Field(alias="petName")]' in code  # our name, the wire name as alias
    assert "from ._models import BaseModel, mark_deprecated" in code
    assert 'mark_deprecated(Pet, "old")' in code
    assert "Tags = TypeAliasType(" in code
    exports = next(n for n in module.body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "__all__")
    assert ast.literal_eval(exports.value) == ["Kind", "Pet", "Tags"]


def test_what_the_models_stage_says_of_a_model_is_a_note_naming_it_and_nothing_else_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import warnings

    from codegen.render import models

    real = models._generate

    def saying(*args: Any, **kwargs: Any) -> str:
        warnings.warn("Field name `a` is   duplicated on\nPetOwner", UserWarning, stacklevel=1)
        warnings.warn("Pet.a has no constraint", UserWarning, stacklevel=1)
        warnings.warn("some API of a library is old", DeprecationWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(models, "_generate", saying)
    pet = Model("Pet", "/components/schemas/Pet", "class", (), {"type": "object"})
    owner = Model("PetOwner", "/components/schemas/PetOwner", "class", (), {"type": "object"})
    with warnings.catch_warnings(record=True) as left:
        warnings.simplefilter("always")
        code, notes = models.models_and_notes(_api((pet, owner)), package="pkg", header="# h", source="s")
    assert "class PetOwner" in code
    assert notes == [("Pet", "Pet.a has no constraint"), ("PetOwner", "Field name `a` is duplicated on PetOwner")]
    assert left == []  # none reaches Python's warnings; a library's deprecation is not about the spec


def test_no_models_is_an_empty_module_not_a_crash() -> None:
    api = _api(())
    assert render_models(api, package="pkg", header="# head", source="s") == "# head\n\n__all__ = [\n]\n"


def test_wrap_keeps_short_lines_code_and_long_words() -> None:
    url = "https://example.com/" + "a" * 120
    text = f"short line\n{'word ' * 40}\n```\n{'code ' * 40}\n```\n- {'item ' * 30}\n{url}\n"
    wrapped = wrap(text, 60).splitlines()
    assert wrapped[0] == "short line"
    assert all(len(line) <= 60 for line in wrapped if "code" not in line and not line.startswith("https"))
    assert f"{'code ' * 40}" in wrapped  # fenced code as written
    assert url in wrapped  # a URL is never broken
    assert any(line.startswith("  item") for line in wrapped)  # a list item's lines hang under it


def test_wrap_descriptions_leaves_properties_named_description_and_values_alone() -> None:
    long = "word " * 40
    schema = {
        "description": long,
        "properties": {"description": {"type": "string", "description": long}},
        "default": {"description": long},
    }
    wrapped = wrap_descriptions(schema)
    assert "\n" in wrapped["description"] and "\n" in wrapped["properties"]["description"]["description"]
    assert wrapped["default"] == {"description": long}


def test_the_exported_exceptions_are_the_runtime_ones() -> None:
    from codegen.render.client import EXCEPTIONS

    source = (ROOT / "codegen" / "runtime" / "_exceptions.py").read_text()
    declared = next(
        n for n in ast.parse(source).body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "__all__"
    )
    assert sorted(ast.literal_eval(declared.value)) == list(EXCEPTIONS)


def test_a_resource_named_models_does_not_hide_the_models_module() -> None:
    """gravitino has `schemas.models`: inside the schemas class, `models.X` would name the child
    resource; such a module calls models.py `_models`."""
    import dataclasses

    from codegen.config import Settings
    from codegen.ir.build import build_api
    from codegen.render.client import render_client

    thing = {"type": "object", "properties": {"id": {"type": "string"}}}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    paths = {
        "/things": {"post": {"operationId": "createThing", "responses": {"200": {"description": "", **body}}}},
        "/things/{id}/models": {
            "get": {
                "operationId": "listModels",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            }
        },
    }
    spec = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}
    spec["components"] = {"schemas": {"Thing": thing}}
    settings = Settings(spec=Path("s.yaml"), out=Path("o"), package="pkg", tree_above=0, split_above=0)
    files = render_client(build_api(spec, source="s.yaml", settings=settings), dataclasses.replace(settings))
    things = files[PurePosixPath("pkg/resources/things.py")]
    assert "from .. import models as _models" in things and "-> _models.Thing:" in things
    assert "response=lambda: _models.Thing" in things and " models.Thing" not in things
    ast.parse(things)


def test_compiled_templates_are_kept_and_a_broken_or_unwritable_copy_only_costs_the_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from codegen.render import client

    def rendered(directory: Path, trim_blocks: bool = True) -> str:
        env = client._environment()
        env.trim_blocks = trim_blocks
        env.bytecode_cache = client._TemplateCode(str(directory), env)
        template = env.get_template("_macros.jinja")
        return str(template.module.wrapper_class("C", "O", [], "wrap", "Doc."))

    kept = tmp_path / "code"
    first = rendered(kept)
    [written] = list(kept.iterdir())
    with monkeypatch.context() as patched:
        patched.setattr(jinja2.Environment, "compile", lambda *a, **k: pytest.fail("compiled again"))
        assert rendered(kept) == first  # read back, not compiled
    written.write_bytes(b"not bytecode")
    assert rendered(kept) == first
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would go")
    assert rendered(blocked) == first
    # Compiled with other options: not that code, which would print otherwise.
    untrimmed = rendered(tmp_path / "untrimmed", trim_blocks=False)
    assert untrimmed != first
    assert rendered(kept, trim_blocks=False) == untrimmed
    assert len(list(kept.iterdir())) == 2
