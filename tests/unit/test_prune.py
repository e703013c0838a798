"""prune: the operation, the closure of its refs, nothing else."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.errors import CodegenError
from codegen.load import dump_yaml, parse_document
from codegen.prune import prune

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT / "tests" / "fixtures" / "upstream" / "openai-2026-08-21-f85dbe2.yaml.gz"


def _spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "security": [{"Key": []}],
        "tags": [{"name": "A"}, {"name": "B"}],
        "x-oaiMeta": {"groups": []},
        "paths": {
            "/a/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "get": {
                    "operationId": "getA",
                    "tags": ["A"],
                    "responses": {"200": {"$ref": "#/components/responses/A"}},
                },
                "delete": {"operationId": "deleteA", "tags": ["B"], "responses": {"204": {"description": "gone"}}},
            },
            "/b": {"get": {"operationId": "getB", "responses": {"200": {"description": "b"}}}},
        },
        "components": {
            "parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}},
            "responses": {
                "A": {
                    "description": "a",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                }
            },
            "schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},  # a cycle
                "Unused": {"type": "string"},
            },
            "securitySchemes": {
                "Key": {"type": "http", "scheme": "bearer"},
                "Admin": {"type": "http", "scheme": "bearer"},
            },
        },
    }


def test_keeps_the_operation_and_its_closure_only() -> None:
    out = prune(_spec(), ["getA"], source="s.yaml")
    assert list(out["paths"]) == ["/a/{id}"]
    assert set(out["paths"]["/a/{id}"]) == {"parameters", "get"}
    assert set(out["components"]["schemas"]) == {"A", "B"}
    assert set(out["components"]["parameters"]) == {"Id"}
    assert set(out["components"]["responses"]) == {"A"}
    assert set(out["components"]["securitySchemes"]) == {"Key"}
    assert out["tags"] == [{"name": "A"}]
    assert "x-oaiMeta" not in out


def test_unknown_operation_is_an_error_naming_it() -> None:
    with pytest.raises(CodegenError, match=r"s\.yaml#/paths: no operation with operationId 'nope'"):
        prune(_spec(), ["getA", "nope"], source="s.yaml")


def test_dangling_ref_names_where_it_sits() -> None:
    spec = _spec()
    spec["components"]["schemas"]["A"]["properties"]["b"] = {"$ref": "#/components/schemas/Gone"}
    with pytest.raises(CodegenError, match=r"#/components/schemas/A/properties/b: dangling \$ref"):
        prune(spec, ["getA"], source="s.yaml")


def test_project_spec_is_reproducible_from_upstream() -> None:
    """openapi/openapi.yaml is exactly what the prune command makes of the upstream file."""
    upstream = parse_document(gzip.decompress(UPSTREAM.read_bytes()).decode(), source=str(UPSTREAM))
    pruned = prune(upstream.data, ["updateChatCompletion"], source=upstream.source)
    assert dump_yaml(pruned) == (ROOT / "openapi" / "openapi.yaml").read_text()
    assert set(pruned["components"]["schemas"]) == {
        "ChatCompletionMessageCustomToolCall",
        "ChatCompletionMessageToolCall",
        "ChatCompletionMessageToolCalls",
        "ChatCompletionModeration",
        "ChatCompletionModerationError",
        "ChatCompletionModerationResults",
        "ChatCompletionResponseMessage",
        "ChatCompletionTokenLogprob",
        "CompletionUsage",
        "CreateChatCompletionResponse",
        "Metadata",
        "ModerationInputType",
        "ModerationResultBody",
        "ServiceTier",
    }
    assert yaml.safe_load(dump_yaml(pruned)) == pruned
