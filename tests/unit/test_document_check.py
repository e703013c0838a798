"""The document check against the OpenAPI schema (`codegen/document_check.py`): jsonschema-rs' verdict
agrees with jsonschema's on valid and broken documents of both versions, and every error reported is
jsonschema's own (place and wording), as without jsonschema-rs."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen import document_check, validate
from codegen.document_check import DocumentCheck

SPEC_31 = """\
openapi: 3.1.0
info: {title: Shop, version: "1", license: {name: MIT, identifier: MIT}}
servers: [{url: "https://{region}.example.com", variables: {region: {default: eu}}}]
security: [{key: []}]
tags: [{name: items}]
paths:
  /items:
    parameters:
      - {name: trace, in: header, schema: {type: string}}
    get:
      operationId: listItems
      tags: [items]
      parameters:
        - {name: limit, in: query, schema: {$ref: "#/components/schemas/Limit"}}
        - {name: tags, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
      responses:
        "200":
          description: ok
          headers: {X-Total: {schema: {type: integer}}}
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Item"}}
        default: {$ref: "#/components/responses/Missing"}
    post:
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, contentMediaType: image/png}}}
            encoding: {file: {contentType: image/png}}
      responses:
        "201": {description: made, links: {self: {operationId: listItems}}}
      callbacks:
        done:
          "{$request.body#/url}":
            post: {responses: {"200": {description: ok}}}
  /items/{id}:
    delete:
      operationId: deleteItem
      deprecated: true
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
            examples: {one: {value: {name: a}}}
      responses:
        "200": {description: ok}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 10}
        size: {type: [integer, "null"]}
        kind: {oneOf: [{const: a}, {const: b}], discriminator: {propertyName: kind}}
    Limit: {type: integer, minimum: 1}
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
  responses:
    Missing: {description: not there}
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: "https://example.com/token", scopes: {read: read it}}}
"""
SPEC_30 = (
    SPEC_31.replace("openapi: 3.1.0", "openapi: 3.0.3")
    .replace(", identifier: MIT", "")
    .replace('type: [integer, "null"]', "type: integer, nullable: true")
    .replace("{oneOf: [{const: a}, {const: b}], discriminator: {propertyName: kind}}", "{type: string, enum: [a, b]}")
    .replace(", contentMediaType: image/png", ", format: binary")
)
SPEC_30 = SPEC_30.split("webhooks:")[0] + "components:" + SPEC_30.split("components:")[1]

BROKEN = {
    "no info": ("info: {title: Shop, version: \"1\", license: {name: MIT, identifier: MIT}}\n", ""),
    "a response that is a number": ('"204": {description: gone}', '"204": 5'),
    "a parameter without its place": ("{name: id, in: path, required: true,", "{name: id, required: true,"),
    "a parameter in an unknown place": ("in: header, schema", "in: body, schema"),
    "a path that is no path": ("  /items/{id}:\n", "  items/{id}:\n"),
    "a component name the schema refuses": ("    Missing:", "    Not there:"),
    "an unknown top-level key": ("paths:\n", "unknown: 1\npaths:\n"),
    "an unknown operation key": ("      deprecated: true\n", "      deprecated: true\n      retries: 3\n"),
    "a response without its description": ("    Missing: {description: not there}", "    Missing: {}"),
    "a status code that is none": ('"201": {description: made', '"299x": {description: made'),
    "a security scheme of no type": ("type: apiKey, in: header", "type: password, in: header"),
    "a server without its url": ('servers: [{url: "https://{region}.example.com",', "servers: [{"),
    "tags that are no list": ("tags: [items]", "tags: items"),
}  # fmt: skip


def _spec(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def _exact(check: DocumentCheck, document: Any) -> list[tuple[str, str]]:
    return [(e.json_path, e.message) for e in check.exact.iter_errors(document)]


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_a_valid_document_passes_on_the_fast_verdict(version: str) -> None:
    check = document_check.for_version(version)
    document = _spec(SPEC_31 if version == "3.1" else SPEC_30)
    assert check.fast is not None, "jsonschema-rs is pinned in requirements/dev.txt"
    assert check.fast.is_valid(document)
    assert _exact(check, document) == []
    assert list(check.iter_errors(document)) == []


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_document_reports_the_python_backends_errors(version: str, name: str) -> None:
    before, after = BROKEN[name]
    text = SPEC_31 if version == "3.1" else SPEC_30
    if before not in text:
        pytest.skip(f"not in the {version} document")
    check = document_check.for_version(version)
    document = _spec(text.replace(before, after, 1))
    exact = _exact(check, document)
    if not exact:
        pytest.skip(f"valid under the {version} schema")
    assert not check.fast.is_valid(document)
    assert [(e.json_path, e.message) for e in check.iter_errors(document)] == exact


def test_without_jsonschema_rs_the_python_backend_checks_everything() -> None:
    check = document_check.for_version("3.1")
    alone = document_check.DocumentCheck(check.exact.schema, fast=False)
    assert alone.fast is None
    broken = _spec(SPEC_31.replace('"204": {description: gone}', '"204": 5'))
    assert [e.message for e in alone.iter_errors(broken)] == [e.message for e in check.iter_errors(broken)] != []
    assert list(alone.iter_errors(_spec(SPEC_31))) == []


def test_the_validators_findings_name_the_place_and_the_python_wording() -> None:
    spec = _spec(SPEC_31.replace('"204": {description: gone}', '"204": 5'))
    findings, _ = validate._findings(spec, source="s.yaml")
    # jsonschema's words (jsonschema-rs would write `"object"`)
    assert findings == [("/paths/~1items~1{id}/delete/responses/204", "5 is not of type 'object'")]


# Random edits: a value replaced, a key dropped or added anywhere in the document.
KEYS = ["description", "x-note", "$ref", "type", "required", "in", "name", "schema", "content", "200", "/p", "get"]
PLAIN = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 300),
    st.sampled_from(["", "a", "/x", "x-a", "#/components/schemas/Item", "query", "path", "object", "3.0.3"]),
)
# What the two libraries may read otherwise: floats, numbers beyond 64 bits, other scripts, newlines.
EDGES = st.one_of(
    PLAIN,
    st.sampled_from([1.0, 2.5, -0.0, float("inf"), float("-inf"), float("nan"), 2**70, -(2**64), 10**400]),
    st.sampled_from(["\u0662\u0660\u0660", "2\u0660\u0660", "200\n", "é", "x-\n", "/p\n", "\x00", "a" * 300]),
)

EDGE_KEYS = [*KEYS, "200\n", "x-é", "/p\n", "\u0662\u0660\u0660"]


def _values(leaves: st.SearchStrategy[Any], keys: list[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(st.sampled_from(keys), inner, max_size=2)),
        max_leaves=4,
    )


def _places(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(node, dict):
        for name, value in node.items():
            found += _places(value, (*at, name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*at, index))
    return found


PARSED = {"3.0": _spec(SPEC_30), "3.1": _spec(SPEC_31)}


def _edited(values: st.SearchStrategy[Any], keys: list[str]) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    @st.composite
    def edited(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
        version = draw(st.sampled_from(["3.0", "3.1"]))
        document = copy.deepcopy(PARSED[version])
        for _ in range(draw(st.integers(1, 2))):
            place = draw(st.sampled_from(_places(document)[1:]))
            parent = document
            for step in place[:-1]:
                parent = parent[step]
            action = draw(st.sampled_from(["replace", "drop", "add"]))
            if action == "replace":
                parent[place[-1]] = draw(values)
            elif action == "drop":
                del parent[place[-1]]
            elif isinstance(parent[place[-1]], dict):
                parent[place[-1]][draw(st.sampled_from(keys))] = draw(values)
        return version, document

    return edited()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edited(_values(PLAIN, KEYS), KEYS))
def test_the_two_verdicts_agree_on_edited_documents(edited: tuple[str, dict[str, Any]]) -> None:
    version, document = edited
    check = document_check.for_version(version)
    assert check.passes(document) == (not _exact(check, document))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edited(_values(EDGES, EDGE_KEYS), EDGE_KEYS))
def test_jsonschema_is_never_skipped_where_it_has_something_to_report(edited: tuple[str, dict[str, Any]]) -> None:
    """Beyond plain values jsonschema-rs may be the stricter (then jsonschema checks again), never the
    more lenient."""
    version, document = edited
    check = document_check.for_version(version)
    if check.passes(document):
        assert _exact(check, document) == []


def test_numbers_that_are_not_finite_go_to_jsonschema() -> None:
    """Two parameters alike but for nothing jsonschema-rs counts: `.inf` is not `.inf` to it."""
    check = document_check.for_version("3.0")
    twice = "      parameters:\n" + "        - {name: a, in: query, schema: {type: number, example: .inf}}\n" * 2
    document = _spec(SPEC_30.replace("      parameters:\n", twice, 1))
    assert check.fast.is_valid(document)  # what jsonschema-rs alone would say
    assert not check.passes(document)
    assert [(e.json_path, e.message) for e in check.iter_errors(document)] == _exact(check, document)
    assert any("non-unique" in message for _, message in _exact(check, document))


def test_a_value_jsonschema_rs_cannot_read_goes_to_jsonschema() -> None:
    """(The pipeline never hands it one: normalisation makes every key text.)"""
    check = document_check.for_version("3.0")
    document = _spec(SPEC_30.replace('"204": {description: gone}', "204: {description: gone}"))  # an int key
    assert not check.passes(document)  # jsonschema-rs refuses to read it; jsonschema stops on it, as before
    with pytest.raises(TypeError):
        _exact(check, document)
    with pytest.raises(TypeError):
        list(check.iter_errors(document))


def test_openapi_spec_validators_backend_setting_is_honoured() -> None:
    import os
    import subprocess
    import sys

    program = "from codegen.document_check import for_version; print(for_version('3.0').fast is None)"
    for backend, alone in (("jsonschema", "True"), ("auto", "False")):
        env = {**os.environ, "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND": backend}
        ran = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60)
        assert ran.stdout.strip() == alone, ran.stderr
