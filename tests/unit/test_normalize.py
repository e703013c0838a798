"""normalize and validate: what real specs get wrong is repaired with a warning naming keyword and pointer;
the validator never stops generation, and never crashes it."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.errors import CodegenError, Diagnostics
from codegen.normalize import normalize
from codegen.validate import validate_spec


def _spec(version: str, schemas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}, **extra,
            "components": {"schemas": schemas}}  # fmt: skip


def _run(spec: dict[str, Any]) -> list[str]:
    diagnostics = Diagnostics()
    normalize(spec, source="s.yaml", diagnostics=diagnostics)
    validate_spec(spec, source="s.yaml", diagnostics=diagnostics)
    return [str(p) for p in diagnostics.warnings]


def test_3_1_boolean_exclusive_bounds_become_numbers() -> None:
    spec = _spec("3.1.0", {"A": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "exclusiveMaximum": False}})
    warnings = _run(spec)
    assert spec["components"]["schemas"]["A"] == {"type": "number", "exclusiveMinimum": 0}
    assert warnings == [
        "s.yaml#/components/schemas/A/exclusiveMaximum: exclusiveMaximum: false is OpenAPI 3.0 (without maximum): "
        "ignored",
        "s.yaml#/components/schemas/A/exclusiveMinimum: exclusiveMinimum: true is OpenAPI 3.0; "
        "read as exclusiveMinimum: 0 (3.1)",
    ]


def test_3_0_numeric_exclusive_bounds_become_booleans() -> None:
    spec = _spec("3.0.3", {"A": {"type": "integer", "exclusiveMaximum": 10}})
    warnings = _run(spec)
    assert spec["components"]["schemas"]["A"] == {"type": "integer", "exclusiveMaximum": True, "maximum": 10}
    assert len(warnings) == 1 and "A/exclusiveMaximum: exclusiveMaximum: 10 is OpenAPI 3.1" in warnings[0]


def test_duplicate_required_and_2019_09_keywords() -> None:
    spec = _spec(
        "3.1.0",
        {"A": {"$recursiveAnchor": True, "type": "object", "required": ["id", "name", "id"],
               "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                              "kids": {"type": "array", "items": {"$recursiveRef": "#"}}}}},
    )  # fmt: skip
    warnings = _run(spec)
    schema = spec["components"]["schemas"]["A"]
    assert schema["required"] == ["id", "name"] and "$recursiveAnchor" not in schema
    assert schema["properties"]["kids"]["items"] == {}
    assert warnings == [
        "s.yaml#/components/schemas/A/$recursiveAnchor: $recursiveAnchor is JSON Schema 2019-09, not part of "
        "OpenAPI 3.1: ignored",
        "s.yaml#/components/schemas/A/properties/kids/items/$recursiveRef: $recursiveRef is JSON Schema 2019-09, "
        "not part of OpenAPI 3.1: ignored",
        "s.yaml#/components/schemas/A/required: required lists id more than once: read once",
    ]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_defaults_the_schema_rejects_are_dropped(version: str) -> None:
    schemas = {
        "Obj": {"type": "object", "default": None},
        "Tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"], "default": ["a", "b"]}},
        "Mode": {"type": "string", "enum": ["auto", "off"], "default": "auto"},
        "Param": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Mode"}], "default": None},
        "Maybe": {"type": "string", "nullable": True, "default": None},
    }
    spec = _spec(version, schemas)
    warnings = _run(spec)
    assert "default" not in schemas["Obj"] and "default" not in schemas["Tags"]["items"]
    assert "default" not in schemas["Param"]
    assert schemas["Mode"]["default"] == "auto" and schemas["Maybe"]["default"] is None
    dropped = [w for w in warnings if "/default:" in w]
    if version == "3.0.3":  # in 3.1 a default is an annotation: legal, dropped without a word
        assert dropped == [
            "s.yaml#/components/schemas/Obj/default: default null does not match the schema: ignored",
            "s.yaml#/components/schemas/Param/default: default null does not match the schema: ignored",
            's.yaml#/components/schemas/Tags/items/default: default ["a", "b"] does not match the schema: ignored',
        ]
    else:
        assert dropped == []


def test_left_over_nullable_in_3_1_is_read_as_in_3_0() -> None:
    spec = _spec("3.1.0", {"A": {"type": "string", "nullable": True}, "B": {"type": "string", "nullable": False}})
    warnings = _run(spec)
    assert spec["components"]["schemas"] == {"A": {"type": "string", "nullable": True}, "B": {"type": "string"}}
    assert warnings == ['s.yaml#/components/schemas/A/nullable: nullable is OpenAPI 3.0 (3.1 writes type: '
                        '[..., "null"]): read as in 3.0']  # fmt: skip


def test_unknown_keywords_in_3_0_are_named_not_dumped() -> None:
    big = {f"p{i}": {"type": "string", "description": "x" * 50} for i in range(20)}
    spec = _spec("3.0.3", {"A": {"type": "object", "properties": big, "const": "x", "$comment": "hi"}})
    warnings = _run(spec)
    assert warnings == [
        "s.yaml#/components/schemas/A/$comment: unknown keyword '$comment' in an OpenAPI 3.0 schema: ignored",
        "s.yaml#/components/schemas/A/const: unknown keyword 'const' in an OpenAPI 3.0 schema: ignored",
    ]


def test_integer_status_codes_and_extensions_under_paths_do_not_crash_the_validator() -> None:
    operation = {
        "responses": {200: {"description": "ok"}, "5XX": {"description": "error"}, "4xx": {"description": "e"}}
    }
    spec = _spec("3.0.3", {}, paths={"/a": {"get": operation}, "x-codegen-contextRoot": "/api"})
    assert _run(spec) == ["s.yaml#/paths/~1a/get/responses/4xx: status range '4xx' is written '4XX': read so"]
    assert list(spec["paths"]) == ["/a"] and list(operation["responses"]) == ["200", "5XX", "4XX"]


def test_other_validation_problems_are_one_line_warnings_and_bad_constraints_are_dropped() -> None:
    spec = _spec("3.1.0", {"A": {"type": "string", "maxLength": "ten", "description": "d" * 500}})
    spec["paths"] = {"/a": {"get": {"title": "Get A", "responses": {"200": {"description": "ok"}}}}}
    warnings = _run(spec)
    assert "maxLength" not in spec["components"]["schemas"]["A"]
    assert "s.yaml#/components/schemas/A/maxLength: 'ten' is not of type 'integer': maxLength ignored" in warnings
    assert any(w.startswith("s.yaml#/paths/~1a/get: ") and "'title'" in w for w in warnings), warnings
    assert all(len(w) < 400 and "\n" not in w and "d" * 100 not in w for w in warnings)


def test_a_validator_crash_is_one_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import openapi_spec_validator

    class Broken:
        def __init__(self, spec: Any) -> None:
            pass

        def iter_errors(self) -> Any:
            raise TypeError("expected string or bytes-like object, got 'int'")

    monkeypatch.setattr(openapi_spec_validator, "OpenAPIV31SpecValidator", Broken)
    diagnostics = Diagnostics()
    validate_spec(_spec("3.1.0", {}), source="s.yaml", diagnostics=diagnostics)
    assert [str(p) for p in diagnostics.warnings] == [
        "s.yaml#/: OpenAPI validation stopped here (TypeError: expected string or bytes-like object, got 'int'); "
        "the rest is unchecked"
    ]


def test_what_makes_the_spec_unusable_stays_an_error() -> None:
    with pytest.raises(CodegenError, match=r"s\.yaml#/openapi: unsupported OpenAPI version '2\.0'"):
        validate_spec({"openapi": "2.0"}, source="s.yaml")
    spec = _spec("3.1.0", {"A": {"$ref": "#/components/schemas/B"}})
    with pytest.raises(CodegenError, match=r"s\.yaml#/components/schemas/A: dangling \$ref"):
        validate_spec(spec, source="s.yaml")


def test_the_validators_shortcuts_find_the_same_problems_as_the_validator_as_it_is() -> None:
    import copy

    from pathable import accessors
    from referencing import Registry

    from codegen.validate import _findings

    crawl, lookup = Registry.crawl, type(Registry().resolver()).lookup
    subscriptable = accessors.Subscriptable  # type: ignore[attr-defined]

    schemas = {
        "A": {"type": "string", "maxLength": "ten", "pattern": 3},
        "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}, "n": {"minimum": "0"}}},
        "C": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object", "required": "a"}]},
        "D": {"type": "array", "items": {"oneOf": [{"type": "integer", "multipleOf": -1}, {"uniqueItems": 1}]}},
    }
    spec = _spec("3.1.0", schemas)
    spec["paths"] = {
        "/a": {"get": {"title": "x", "responses": {"200": {"description": 1}}}},
        "/b/{id}": {"post": {"parameters": [{"name": "id", "in": "path"}], "responses": {}}},
    }
    fast, plain = copy.deepcopy(spec), copy.deepcopy(spec)
    found = _findings(fast, source="s.yaml")
    assert len(found[0]) >= 6 and found[1], found  # a spec broken in many places, some keywords dropped
    assert found == _findings(plain, source="s.yaml", shortcuts=False)
    assert fast == plain
    assert (Registry.crawl, type(Registry().resolver()).lookup) == (crawl, lookup)  # the library as it was
    assert accessors.Subscriptable is subscriptable  # type: ignore[attr-defined]


class _Sized:
    def __contains__(self, key: object) -> bool:
        return False

    def __getitem__(self, key: object) -> object:
        return None

    def __len__(self) -> int:
        return 0


class _NotSized:
    __len__ = None

    def __contains__(self, key: object) -> bool:
        return False

    def __getitem__(self, key: object) -> object:
        return None


def test_protocol_checks_answered_by_type_are_the_protocols_answers() -> None:
    from pathable import accessors
    from pathable.protocols import Subscriptable

    from codegen.validate import subscriptable_by_type

    values: list[object] = [{}, {"a": 1}, [], [1], "", "text", 0, 3, 1.5, True, False, None, b"x", (1,), {1}]
    values += [_Sized(), _NotSized(), object(), type, range(2)]
    expected = [isinstance(value, Subscriptable) for value in values]
    assert True in expected and False in expected
    with subscriptable_by_type():
        stand_in = accessors.Subscriptable  # type: ignore[attr-defined]
        assert stand_in is not Subscriptable
        assert [isinstance(value, stand_in) for value in values * 2] == expected * 2  # asked, then known
    assert accessors.Subscriptable is Subscriptable  # type: ignore[attr-defined]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_title_or_description_that_is_not_text(version: str) -> None:
    shared = {"type": "string", "description": "The shared text."}
    spec = _spec(
        version,
        {"Shared": shared,
         "A": {"type": "array", "description": {"$ref": "#/components/schemas/Shared/description"}},
         "B": {"type": "string", "title": 5, "description": {"$ref": "#/components/schemas/Shared"}},
         "C": {"type": "string", "description": {"$ref": "#/components/schemas/Gone/description"}}},
    )  # fmt: skip
    warnings = _run(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["A"]["description"] == "The shared text."
    assert "title" not in schemas["B"] and "description" not in schemas["B"] and "description" not in schemas["C"]
    assert warnings == [
        "s.yaml#/components/schemas/A/description: description is a $ref (#/components/schemas/Shared/description), "
        "where OpenAPI wants text: read as the text it points to",
        "s.yaml#/components/schemas/B/description: description is not text: ignored",
        "s.yaml#/components/schemas/B/title: title is not text: ignored",
        "s.yaml#/components/schemas/C/description: description is not text: ignored",
    ]
