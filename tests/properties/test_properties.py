"""Models accept exactly what the spec allows: property checks over every component schema.

For the project spec and every corpus spec (tests/support/properties.py says how): spec-valid
instances drawn with hypothesis-jsonschema are accepted by `model_validate` and by the SDK's response
path and dump back unchanged; instances broken on purpose (type, required, length, range, pattern,
enum) are refused by the response path, which is what `strict_response_validation=True` raises on.
Leniency kept on purpose is listed in `properties.LENIENT` (and README, "Forward compatibility").
The same checks on the whole upstream API and the shared real-world specs: `make test-properties`.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import Annotated, Any

import pydantic
import pytest

import openai_chat_sdk._base as project_base
import openai_chat_sdk.models as project_models
from codegen.load import load_document
from tests.support.corpus import SPECS, Generation, session_corpus, spec_path
from tests.support.properties import Budget, Oracle, check_spec, component_models, to_json_schema

FAST = Budget(examples=8, seconds=0.3, broken_per_kind=5)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generation]:
    return session_corpus(tmp_path_factory.mktemp("corpus"))


def test_project_models_accept_exactly_what_the_spec_allows(project_spec: dict[str, Any]) -> None:
    names, nullable = component_models(project_spec)
    report = check_spec(
        "project", project_spec, project_models, project_base, class_names=names, nullable=nullable, budget=FAST
    )
    print(report.summary())
    assert not report.failures(), "\n".join(report.failures())
    assert sum(r.drawn > 0 for r in report.results) >= len(report.results) - 1, report.summary()


@pytest.mark.parametrize("stem", SPECS)
def test_corpus_models_accept_exactly_what_the_spec_allows(stem: str, corpus: dict[str, Generation]) -> None:
    generation = corpus[stem]
    if not generation.ok:
        pytest.skip(f"{stem} does not generate (its golden says why)")
    if str(generation.out) not in sys.path:
        sys.path.insert(0, str(generation.out))
    models = importlib.import_module(f"{generation.package}.models")
    base = importlib.import_module(f"{generation.package}._base")
    spec = load_document(spec_path(stem)).data
    names, nullable = component_models(spec)
    report = check_spec(stem, spec, models, base, class_names=names, nullable=nullable, budget=FAST)
    print(report.summary())
    assert not report.failures(), "\n".join(report.failures())


# -- the checks themselves find what they look for ---------------------------------------------

_SPEC = {
    "openapi": "3.0.3",
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["count", "name"],
                "properties": {
                    "count": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
                    "name": {"type": "string", "maxLength": 4},
                    "note": {"type": "string", "nullable": True},
                },
            }
        }
    },
}


class _Lax(pydantic.BaseModel):
    """What a careless generator would make of Thing: no limits, nothing required, a str for an int."""

    model_config = pydantic.ConfigDict(extra="allow")

    count: str | int | None = None
    name: str | None = None
    note: str | None = None


class _Exact(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    count: Annotated[int, pydantic.Field(gt=0)]
    name: Annotated[str, pydantic.Field(max_length=4)]
    note: str | None = None


def _check(model: type[pydantic.BaseModel]) -> Any:
    models = types.SimpleNamespace(Thing=model)
    return check_spec(
        "t", _SPEC, models, project_base, class_names={"Thing": "Thing"}, nullable=frozenset(), budget=FAST
    )


def test_a_lax_model_is_reported_by_kind() -> None:
    report = _check(_Lax)
    [result] = report.results
    assert result.drawn > 0
    assert {"type", "required", "length", "range"} <= set(result.accepted_broken), report.failures()
    assert "accept broken (strict) 1/1 schemas" in report.summary()


def test_an_exact_model_passes() -> None:
    report = _check(_Exact)
    assert not report.failures(), report.failures()
    assert report.results[0].drawn > 0


def test_a_model_that_refuses_valid_data_is_reported() -> None:
    class Narrow(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="allow")
        count: Annotated[int, pydantic.Field(gt=0)]
        name: Annotated[str, pydantic.Field(max_length=4)]
        note: str  # the spec lets it be absent or null

    report = _check(Narrow)
    assert report.results[0].rejected_valid, report.summary()
    assert "reject valid 1" in report.summary()


def test_openapi_dialect_becomes_json_schema() -> None:
    oracle = Oracle(to_json_schema(_SPEC))
    thing = oracle.ref("Thing")
    assert oracle.valid(thing, {"count": 1, "name": "ab", "note": None})  # nullable
    assert not oracle.valid(thing, {"count": 0, "name": "ab"})  # boolean exclusiveMinimum
    assert not oracle.valid(thing, {"count": 1, "name": "abcde"})
    spec = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]},
                "B": {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]},
                "AorB": {
                    "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A"}},
                },
                "Described": {"$ref": "#/components/schemas/A", "maxProperties": 1},
            }
        },
    }
    oracle = Oracle(to_json_schema(spec))
    assert oracle.valid(oracle.ref("AorB"), {"kind": "a"})
    assert oracle.valid(oracle.ref("AorB"), {"kind": "B"})  # implicit: the schema's name
    assert not oracle.valid(oracle.ref("AorB"), {"kind": "c"})
    assert not oracle.valid(oracle.ref("Described"), {"kind": "a", "x": 1})  # 3.1: $ref siblings apply


def test_the_project_response_path_is_strict_and_reads_wire_names(tmp_path: Path) -> None:
    """What the checks rely on: the response path coerces nothing."""
    endpoint = project_base.Endpoint(method="GET", path="/", response=lambda: project_models.CompletionUsage)
    ok = endpoint.parse_json(b'{"completion_tokens": 1, "prompt_tokens": 2, "total_tokens": 3}')
    assert ok.total_tokens == 3
    with pytest.raises(pydantic.ValidationError):
        endpoint.parse_json(b'{"completion_tokens": "1", "prompt_tokens": 2, "total_tokens": 3}')
