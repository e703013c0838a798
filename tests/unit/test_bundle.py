"""bundle: a spec split over files becomes one document with only local `$ref`s."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.bundle import bundle
from codegen.errors import CodegenError
from codegen.grammar import walk
from codegen.load import load_document


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "openapi.yaml"


def _refs(spec: dict[str, Any]) -> list[str]:
    return [node["$ref"] for node, _, _ in walk(spec, "document") if isinstance(node, dict) and "$ref" in node]


SPLIT = {
    "openapi.yaml": """
openapi: 3.1.0
info: {title: split, version: '1'}
paths:
  /pets:
    $ref: paths/pets.yaml
  /pets/{id}:
    $ref: 'paths/more.yaml#/paths/~1pets~1%7Bid%7D'
components:
  schemas:
    Owner:
      $ref: schemas/Owner.yaml
    Error:
      type: object
      properties: {message: {type: string}}
""",
    "paths/pets.yaml": """
get:
  operationId: listPets
  x-codeSamples:
    - lang: C#
      source: {$ref: ../code_samples/list.cs}
  parameters:
    - $ref: ../parameters.json#/Limit
  responses:
    200:
      description: ok
      content:
        application/json:
          schema:
            type: array
            items: {$ref: ../schemas/Pet.yml}
    default:
      $ref: ../responses/Error.yaml
""",
    "paths/more.yaml": """
paths:
  /pets/{id}:
    get:
      operationId: getPet
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '../v2/Pet.yaml'}
""",
    "parameters.json": '{"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}}',
    "responses/Error.yaml": """
description: error
content:
  application/json:
    schema: {$ref: '../openapi.yaml#/components/schemas/Error'}
""",
    "schemas/Pet.yml": """
type: object
properties:
  owner: {$ref: './Owner.yaml'}
  parent: {$ref: '#'}
  kind: {$ref: '../v2/Pet.yaml#/properties/kind'}
""",
    "schemas/Owner.yaml": "type: object\nproperties: {name: {type: string}}\n",
    "v2/Pet.yaml": "type: object\nproperties:\n  kind: {type: string, enum: [cat, dog]}\n",
}


def test_a_split_spec_becomes_one_document(tmp_path: Path) -> None:
    spec = bundle(load_document(_write(tmp_path, SPLIT))).data
    assert all(ref.startswith("#/components/") for ref in _refs(spec)), _refs(spec)
    schemas = spec["components"]["schemas"]
    # The entry's own name for a file wins; file names name the rest; a clash is prefixed by the folder.
    assert list(schemas) == ["Owner", "Error", "Pet", "kind", "v2_Pet"]
    assert schemas["Owner"] == {"type": "object", "properties": {"name": {"type": "string"}}}
    assert schemas["Pet"]["properties"] == {
        "owner": {"$ref": "#/components/schemas/Owner"},
        "parent": {"$ref": "#/components/schemas/Pet"},  # recursion through a file
        "kind": {"$ref": "#/components/schemas/kind"},
    }
    get = spec["paths"]["/pets"]["get"]
    assert get["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert spec["components"]["parameters"]["Limit"]["name"] == "limit"
    assert get["responses"]["default"] == {"$ref": "#/components/responses/Error"}
    error = spec["components"]["responses"]["Error"]
    assert error["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    # Extensions are copied as they are, their $refs not followed.
    assert get["x-codeSamples"][0]["source"] == {"$ref": "../code_samples/list.cs"}
    pet = spec["paths"]["/pets/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert pet == {"$ref": "#/components/schemas/v2_Pet"}


def test_bundling_is_deterministic(tmp_path: Path) -> None:
    entry = _write(tmp_path, SPLIT)
    assert bundle(load_document(entry)).data == bundle(load_document(entry)).data


def test_a_schema_named_outside_components_moves_there(tmp_path: Path) -> None:
    entry = _write(
        tmp_path,
        {
            "openapi.yaml": """
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  responses:
    ListResponse:
      description: ok
      content:
        application/json:
          schema: {type: array, items: {type: string}}
  schemas:
    Wrapper:
      oneOf:
        - $ref: '#/components/responses/ListResponse/content/application~1json/schema'
"""
        },
    )
    spec = bundle(load_document(entry)).data
    assert spec["components"]["schemas"]["Wrapper"]["oneOf"] == [{"$ref": "#/components/schemas/ListResponse"}]
    assert spec["components"]["schemas"]["ListResponse"] == {"type": "array", "items": {"type": "string"}}
    moved = spec["components"]["responses"]["ListResponse"]["content"]["application/json"]["schema"]
    assert moved == {"$ref": "#/components/schemas/ListResponse"}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"openapi.yaml": "paths:\n  /a: {$ref: 'https://example.com/a.yaml'}\n"},
            r"openapi\.yaml#/paths/~1a: remote \$ref 'https://example.com/a\.yaml' is not supported \(no network",
        ),
        (
            {"openapi.yaml": "paths:\n  /a: {$ref: 'a.yaml'}\n", "a.yaml": "get: {$ref: 'sub/missing.yaml'}\n"},
            r"/a\.yaml#/get: \$ref 'sub/missing\.yaml': cannot use .*sub/missing\.yaml: cannot read",
        ),
        (
            {"openapi.yaml": "paths:\n  /a: {$ref: 'a.yaml#/nowhere'}\n", "a.yaml": "get: {}\n"},
            r"openapi\.yaml#/paths/~1a: dangling \$ref 'a\.yaml#/nowhere': .*a\.yaml has nothing at #/nowhere",
        ),
        (
            {"openapi.yaml": "paths:\n  /a: {$ref: 'a.yaml'}\n", "a.yaml": "get: [unclosed\n"},
            r"openapi\.yaml#/paths/~1a: \$ref 'a\.yaml': cannot use .*a\.yaml: line \d+: invalid YAML",
        ),
    ],
    ids=["remote", "missing-file", "missing-pointer", "bad-yaml"],
)
def test_unusable_refs_name_the_referring_file_and_pointer(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    with pytest.raises(CodegenError, match=expected):
        bundle(load_document(_write(tmp_path, files)))


def test_a_large_split_spec_bundles_quickly(tmp_path: Path) -> None:
    """2,000 files and 6,000 refs (the size of the largest real split spec) in well under the time budget."""
    import time

    files = {"openapi.yaml": "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n"}
    for i in range(2000):
        files["openapi.yaml"] += f"  /r{i}: {{$ref: 'paths/r{i}.yaml'}}\n"
        files[f"paths/r{i}.yaml"] = (
            "get:\n  responses:\n    '200': {$ref: '../responses/ok.yaml'}\n"
            f"  parameters: [{{$ref: '../params.yaml#/P{i % 50}'}}]\n"
        )
    files["responses/ok.yaml"] = "description: ok\ncontent: {application/json: {schema: {$ref: '../m/Thing.yaml'}}}\n"
    files["params.yaml"] = "".join(f"P{i}: {{name: p{i}, in: query, schema: {{type: string}}}}\n" for i in range(50))
    files["m/Thing.yaml"] = "type: object\n"
    entry = _write(tmp_path, files)
    start = time.perf_counter()
    spec = bundle(load_document(entry)).data
    assert time.perf_counter() - start < 10
    assert len(spec["paths"]) == 2000 and len(spec["components"]["parameters"]) == 50


def test_clashing_names_take_more_of_their_path_before_a_number(tmp_path: Path) -> None:
    files = {
        "openapi.yaml": """
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a: {get: {responses: {'400': {$ref: 'responses.yaml#/bad_request'}}}}
  /b: {get: {responses: {'400': {$ref: 'nfs/responses.yaml#/bad_request'}}}}
  /c: {get: {responses: {'400': {$ref: 'spaces/responses.yaml#/bad_request'}}}}
  /d: {get: {responses: {'400': {$ref: 'x/spaces/responses.yaml#/bad_request'}}}}
components:
  responses:
    bad_request: {description: the entry's own}
""",
        "responses.yaml": "bad_request: {description: a}\n",
        "nfs/responses.yaml": "bad_request: {description: b}\n",
        "spaces/responses.yaml": "bad_request: {description: c}\n",
        "x/spaces/responses.yaml": "bad_request: {description: d}\n",
    }
    spec = bundle(load_document(_write(tmp_path, files))).data
    names = {name: body["description"] for name, body in spec["components"]["responses"].items()}
    assert names == {
        "bad_request": "the entry's own",
        "responses_bad_request": "a",
        "nfs_responses_bad_request": "b",
        "spaces_responses_bad_request": "c",
        "x_spaces_responses_bad_request": "d",
    }
