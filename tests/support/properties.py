"""Property checks of generated models against the spec they come from (tests/properties/).

For every component schema that becomes a model: draw spec-valid instances (hypothesis-jsonschema,
each checked against the schema with jsonschema first), and check that

- the model accepts each (`model_validate`, what user code does) and so does the SDK's response path
  (`Endpoint.parse_json`: one strict `model_validate_json`, what `strict_response_validation=True` uses);
- `model_dump(mode="json", by_alias=True, exclude_unset=True)` gives the instance back;
- a broken copy (a wrong type, a required property dropped, a string or array over or under its
  length, a number out of range, a string off its pattern, a value outside an enum), once jsonschema
  confirms the spec forbids it, is rejected by the response path.

OpenAPI's dialect becomes JSON Schema here, independently of the generator (`to_json_schema`):
3.0's `nullable` and boolean `exclusiveMinimum`/`exclusiveMaximum`, `discriminator` (the property
picks the branch), `$ref` siblings (ignored in 3.0, `allOf` in 3.1). Generation inlines refs with
recursion cut at a depth (`bounded`); validity is always judged against the unbounded schema.

Where the SDK is lenient on purpose, the checks say so (`LENIENT`) and leave that out:
- unknown properties are kept (`model_extra`), even under `additionalProperties: false`;
- an optional property may be null (absent and null both read as None), as in the official SDK;
- a required readOnly or writeOnly property is optional: one model serves requests and responses;
- `oneOf` is read as `anyOf`: a value that matches several branches is taken by the best match;
- `{properties, oneOf: [{required: [a]}, {required: [b]}]}` is the object; which of a or b must be
  there is not checked (one class cannot say it);
- a branch of a discriminated union whose tag is a plain string takes only its tag values, even
  where it is used on its own (the generator makes the tag a constant so the union can pick by it);
  a branch several discriminated unions select takes the tag values of all of them, in each;
- JSON numbers: an integral float (`1.0`) is not an integer to the SDK (never drawn, never broken to).
Deterministic: every draw is seeded from the schema's name; a time budget per schema bounds drawing.
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import math
import re
import time
import types
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import jsonschema
import pydantic
import referencing
from hypothesis import HealthCheck, Phase
from hypothesis_jsonschema import from_schema

COMPONENTS = "#/components/schemas/"
DEFS = "#/$defs/"
URN = "urn:spec"
KINDS = ("type", "required", "length", "range", "pattern", "enum")
LENIENT = (
    "unknown properties are kept, even under additionalProperties: false",
    "a branch of a discriminated union takes only its tag values, even when used on its own",
    "a branch of several discriminated unions takes the tag values of all of them, in each",
    "oneOf is read as anyOf: a value that matches several branches is taken by the best match",
    "a oneOf/anyOf that only chooses which properties are required (beside properties) is not checked",
    "an optional property may be null (absent and null both read as None)",
    "a required readOnly/writeOnly property is optional (one model serves requests and responses)",
)
_ANNOTATIONS_ONLY = {"description", "title", "example", "examples", "externalDocs", "xml", "deprecated"}


# -- OpenAPI → JSON Schema ---------------------------------------------------------------------


def to_json_schema(spec: Mapping[str, Any]) -> dict[str, Any]:
    """{"$defs": {component key: JSON Schema}} with refs as `#/$defs/<key>`."""
    version = str(spec.get("openapi", "3.0"))
    schemas = (spec.get("components") or {}).get("schemas") or {}
    three_one = version.startswith("3.1")
    tagged = _tagged_branches(spec, schemas)
    converted = {key: _convert(s, three_one=three_one, schemas=schemas, tagged=tagged) for key, s in schemas.items()}
    for key, (prop, values) in tagged.items():
        tag = {"properties": {prop: {"enum": sorted(values)}}}
        converted[key] = {"allOf": [converted[key], tag]}
    return {"$defs": converted}


def _tagged_branches(spec: Mapping[str, Any], schemas: Mapping[str, Any]) -> dict[str, tuple[str, set[str]]]:
    """Kept exception (LENIENT): a component that is a branch of a discriminated union, whose tag is
    a plain string property, takes only its tag values, even where it is used on its own: the
    generator makes that property a constant so the union can pick the class by it."""
    found: dict[str, tuple[str, set[str]]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for value in node:
                visit(value)
            return
        if not isinstance(node, Mapping):
            return
        discriminator = node.get("discriminator")
        branches = node.get("oneOf") or node.get("anyOf")
        if isinstance(discriminator, Mapping) and isinstance(branches, list):
            prop = str(discriminator.get("propertyName"))
            mapping = discriminator.get("mapping")
            pairs = [(v, _target(t)) for v, t in mapping.items()] if isinstance(mapping, Mapping) else []
            mapped = {ref for _, ref in pairs}
            pairs += [  # a branch no entry names is selected by its schema's name
                (str(b["$ref"]).removeprefix(COMPONENTS), str(b["$ref"]))
                for b in branches
                if isinstance(b, Mapping) and "$ref" in b and b["$ref"] not in mapped
            ]
            for value, ref in pairs:
                key = ref.removeprefix(COMPONENTS)
                current = ((schemas.get(key) or {}).get("properties") or {}).get(prop)
                plain = isinstance(current, Mapping) and current.get("type") == "string"
                if ref.startswith(COMPONENTS) and plain and not {"enum", "const"} & current.keys():
                    found.setdefault(key, (prop, set()))[1].add(value)
        for value in node.values():
            visit(value)

    visit(spec)
    return found


def _target(target: Any) -> str:
    """A mapping's target: a ref, or (as many specs write it) a bare schema name."""
    return str(target) if str(target).startswith("#") else COMPONENTS + str(target)


def _ref(ref: str) -> str:
    key = ref.removeprefix(COMPONENTS)
    return DEFS + key


def _convert(
    node: Any, *, three_one: bool, schemas: Mapping[str, Any], tagged: Mapping[str, tuple[str, set[str]]]
) -> Any:
    if isinstance(node, bool) or not isinstance(node, Mapping):
        return node
    if "$ref" in node:
        target = {"$ref": _ref(str(node["$ref"]))}
        siblings = {k: v for k, v in node.items() if k != "$ref" and k not in _ANNOTATIONS_ONLY}
        if three_one and siblings:
            return {"allOf": [target, _convert(siblings, three_one=three_one, schemas=schemas, tagged=tagged)]}
        return target
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
            out[key] = {k: _convert(v, three_one=three_one, schemas=schemas, tagged=tagged) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"):
            out[key] = (
                [_convert(v, three_one=three_one, schemas=schemas, tagged=tagged) for v in value]
                if isinstance(value, list)
                else _convert(value, three_one=three_one, schemas=schemas, tagged=tagged)
            )
        elif key in ("oneOf", "anyOf") and "properties" in node and all(map(_only_required, value)):
            continue  # LENIENT: a choice of required properties beside properties is not checked
        elif key in ("allOf", "anyOf", "prefixItems"):
            out[key] = [_convert(v, three_one=three_one, schemas=schemas, tagged=tagged) for v in value]
        elif key == "oneOf":  # LENIENT: read as anyOf
            out["anyOf"] = [_convert(v, three_one=three_one, schemas=schemas, tagged=tagged) for v in value]
        elif key in ("nullable", "discriminator") or key in _ANNOTATIONS_ONLY or key.startswith("x-"):
            continue
        elif key == "pattern" and isinstance(value, str):
            out[key] = _ecma_whitespace(value)
        else:
            out[key] = value
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(exclusive) is True and bound in node:  # 3.0: a boolean beside the bound
            out[exclusive] = out.pop(bound)
        elif isinstance(node.get(exclusive), bool):
            out.pop(exclusive)
    discriminator = node.get("discriminator")
    for key in ("oneOf", "anyOf"):
        if isinstance(discriminator, Mapping) and isinstance(node.get(key), list):
            out["anyOf"] = _discriminated(node[key], out["anyOf"], discriminator, schemas, tagged)
    if "type" not in out and not {"$ref", "allOf", "anyOf", "oneOf", "enum", "const"} & out.keys():
        # OpenAPI's reading (and the generator's): `properties` alone is an object, `items` an array.
        if {"properties", "required", "additionalProperties"} & out.keys():
            out["type"] = "object"
        elif "items" in out:
            out["type"] = "array"
    if node.get("nullable") is True:
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        out = {"anyOf": [out, {"type": "null"}]}
    return out


# `\s` as ECMA-262 (JSON Schema's regex dialect) and pydantic's regex engine both read it; Python's
# `re` (jsonschema, hypothesis-jsonschema) also counts \x1c-\x1f and \x85 as whitespace.
_WHITESPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


def _ecma_whitespace(pattern: str) -> str:
    out, in_class, index = [], False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            pair = pattern[index : index + 2]
            out.append((_WHITESPACE if in_class else f"[{_WHITESPACE}]") if pair == "\\s" else pair)
            index += 2
            continue
        in_class = (char == "[") or (in_class and char != "]")
        out.append(char)
        index += 1
    return "".join(out)


def _only_required(branch: Any) -> bool:
    return isinstance(branch, Mapping) and "required" in branch and set(branch) <= {"required", "description", "title"}


def _discriminated(
    raw: list[Any],
    branches: list[Any],
    discriminator: Mapping[str, Any],
    schemas: Mapping[str, Any],
    tagged: Mapping[str, tuple[str, set[str]]],
) -> list[Any]:
    """Each branch also says which discriminator values select it (OpenAPI: the property is the tag):
    those of `mapping`, else the schema's name, unless the branch pins the property itself (a const
    or enum), which then says it. LENIENT: a branch whose tag is a plain string takes the values of
    every union it is in (one class serves them all)."""
    prop = str(discriminator["propertyName"])
    mapping = discriminator.get("mapping") or {}
    values: dict[str, list[str]] = {}
    for value, target in mapping.items():
        values.setdefault(_ref(_target(target)), []).append(value)
    out = []
    for original, branch in zip(raw, branches, strict=True):
        ref = original.get("$ref") if isinstance(original, Mapping) else None
        if not isinstance(ref, str):
            out.append(branch)
            continue
        shared = tagged.get(ref.removeprefix(COMPONENTS))
        tags = (
            sorted(shared[1])
            if shared is not None and shared[0] == prop
            else values.get(_ref(ref)) or [ref.removeprefix(COMPONENTS)]
        )
        if _ref(ref) not in values and _pins(schemas, ref, prop):
            out.append(branch)
            continue
        tag = {"type": "object", "properties": {prop: {"enum": sorted(tags)}}, "required": [prop]}
        out.append({"allOf": [branch, tag]})
    return out


def _pins(schemas: Mapping[str, Any], ref: str, prop: str, depth: int = 0) -> bool:
    """The branch says its own tag values: a const or enum (or one of them or null, as
    `ItemReferenceParam.type`), in its properties or an allOf part, or in every member of a union."""
    schema = schemas.get(ref.removeprefix(COMPONENTS), {}) if ref.startswith(COMPONENTS) else {}
    if not isinstance(schema, Mapping) or depth > 16:
        return False
    members = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(members, list) and members and "properties" not in schema:
        refs = [m.get("$ref") if isinstance(m, Mapping) else None for m in members]
        return all(isinstance(r, str) and _pins(schemas, r, prop, depth + 1) for r in refs)
    if _pinned(schema, prop):
        return True
    parts = [p.get("$ref") for p in schema.get("allOf") or [] if isinstance(p, Mapping)]
    inline = [p for p in schema.get("allOf") or [] if isinstance(p, Mapping) and "$ref" not in p]
    if any(_pinned(p, prop) for p in inline):
        return True
    return any(isinstance(r, str) and _pins(schemas, r, prop, depth + 1) for r in parts)


def _pinned(schema: Mapping[str, Any], prop: str) -> bool:
    sub = (schema.get("properties") or {}).get(prop)
    if not isinstance(sub, Mapping):
        return False
    parts = sub.get("anyOf") or sub.get("oneOf") or [sub]
    values = [p for p in parts if isinstance(p, Mapping) and p.get("type") != "null"]
    return bool(values) and all("enum" in p or "const" in p for p in values)


_SCALAR = {"type": ["string", "integer", "boolean", "null"]}


def bounded(
    schema: Any, defs: Mapping[str, Any], *, trail: tuple[str, ...] = (), budget: int = 5, part: bool = False
) -> Any:
    """`schema` to draw from: refs written out; a ref already on the trail, or deeper than `budget`,
    becomes `false` (so only finite instances are drawn: an optional property left out, a branch not
    taken); unknown properties and free-form values are scalars (arbitrary JSON is slow to draw and
    kept as it is anyway). Every instance of it is an instance of `schema`."""
    if schema is True or schema == {}:
        return _SCALAR
    if isinstance(schema, list):
        return [bounded(v, defs, trail=trail, budget=budget) for v in schema]
    if not isinstance(schema, Mapping):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        key = ref.removeprefix(DEFS)
        if key in trail or len(trail) >= budget or key not in defs:
            return False
        return bounded(defs[key], defs, trail=(*trail, key), budget=budget, part=part)
    out = {}
    for key, value in schema.items():
        if key in ("properties", "patternProperties"):
            out[key] = {k: bounded(v, defs, trail=trail, budget=budget) for k, v in value.items()}
        elif key in ("enum", "const", "required", "type", "pattern"):
            out[key] = value
        elif key == "allOf":
            out[key] = [bounded(v, defs, trail=trail, budget=budget, part=True) for v in value]
        else:
            out[key] = bounded(value, defs, trail=trail, budget=budget)
    is_object = out.get("type") == "object" or "properties" in out
    # Not in an allOf (a part's additionalProperties would also judge the other parts' properties).
    if is_object and not part and "allOf" not in out and not {"additionalProperties", "patternProperties"} & out.keys():
        out["additionalProperties"] = _SCALAR
    return out


# -- drawing -----------------------------------------------------------------------------------


class _OutOfTime(BaseException):
    """A BaseException, so hypothesis does not take it for a failing example."""


def draw(schema: Any, *, count: int, seed: int, budget: float) -> tuple[list[Any], str]:
    """Up to `count` instances and what stopped it short ("" when nothing did)."""
    drawn: list[Any] = []
    strategy = from_schema(schema, allow_x00=False)

    @hypothesis.seed(seed)
    @hypothesis.settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    @hypothesis.given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)
        if time.monotonic() > deadline:
            raise _OutOfTime

    deadline = time.monotonic() + budget
    note = ""
    try:
        collect()
    except _OutOfTime:
        note = "time budget"
    except hypothesis.errors.Unsatisfiable:
        note = "unsatisfiable within the recursion bound"
    except Exception as exc:  # hypothesis-jsonschema cannot draw from this schema
        note = f"cannot draw: {type(exc).__name__}: {str(exc)[:120]}"
    return drawn, note


# -- breaking ----------------------------------------------------------------------------------


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _allowed(kind: str, types_: list[str]) -> bool:
    return kind in types_ or (kind == "integer" and "number" in types_)


# For each JSON type a wrong value that a lax parser would coerce into it: "7" for an integer, ...
_WRONG = {"integer": "7", "number": "7.5", "boolean": "true", "string": 7, "array": {"0": 1}, "object": [["a", 1]]}


class Oracle:
    """jsonschema over the converted components: is an instance valid, and which subschemas apply
    at each place of it. Refs are absolute here (`urn:spec#/$defs/X`), so any subschema validates."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = _absolute(document["$defs"])
        contents = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": URN, "$defs": self.defs}
        resource = referencing.Resource.from_contents(contents)
        self.registry: referencing.Registry[Any] = referencing.Registry().with_resource(URN, resource)
        self._validators: dict[int, tuple[Any, Any]] = {}

    def ref(self, key: str) -> dict[str, Any]:
        return {"$ref": f"{URN}#/$defs/{key}"}

    def valid(self, schema: Any, instance: Any) -> bool:
        found = self._validators.get(id(schema))
        if found is None:  # the schema is kept with its validator, so its id is never reused
            found = self._validators[id(schema)] = (
                jsonschema.Draft202012Validator(schema, registry=self.registry),
                schema,
            )
        return bool(found[0].is_valid(instance))

    def resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, Mapping) and "$ref" in schema and seen < 64:
            schema = self.defs.get(str(schema["$ref"]).removeprefix(f"{URN}#/$defs/"), {})
            seen += 1
        return schema

    def sites(self, schema: Any, instance: Any, path: tuple[Any, ...] = (), depth: int = 0) -> Iterator[Any]:
        """(path, subschema) for each subschema that applies at each place of `instance`."""
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping) or depth > 60:
            return
        yield path, schema
        for part in schema.get("allOf") or []:
            yield from self.sites(part, instance, path, depth + 1)
        for key in ("anyOf", "oneOf"):
            for branch in schema.get(key) or []:
                if self.valid(branch, instance):
                    yield from self.sites(branch, instance, path, depth + 1)
        if isinstance(instance, dict):
            properties = schema.get("properties") or {}
            extra = schema.get("additionalProperties")
            for name, value in instance.items():
                sub = properties.get(name, extra if name not in properties else None)
                if sub is not None and sub is not True:
                    yield from self.sites(sub, value, (*path, name), depth + 1)
        if isinstance(instance, list) and isinstance(schema.get("items"), Mapping):
            for index, value in enumerate(instance):
                yield from self.sites(schema["items"], value, (*path, index), depth + 1)


def _absolute(node: Any) -> Any:
    if isinstance(node, list):
        return [_absolute(v) for v in node]
    if not isinstance(node, Mapping):
        return node
    return {
        k: URN + v
        if k == "$ref" and isinstance(v, str) and v.startswith("#")
        else v
        if k in ("enum", "const")
        else _absolute(v)
        for k, v in node.items()
    }


def _get(instance: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        instance = instance[step]
    return instance


def _replace(instance: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(instance)
    _get(out, path[:-1])[path[-1]] = value
    return out


def _drop(instance: Any, path: tuple[Any, ...], key: str) -> Any:
    out = copy.deepcopy(instance)
    del _get(out, path)[key]
    return out


def breakages(
    schema: Mapping[str, Any], instance: Any, path: tuple[Any, ...]
) -> Iterator[tuple[str, Callable[[], Any]]]:
    """(kind, a maker of the broken instance) candidates for one subschema at one place; the caller keeps those the
    spec really forbids."""
    value = _get(instance, path)
    kind = _json_type(value)
    declared = schema.get("type")
    types_ = [declared] if isinstance(declared, str) else declared if isinstance(declared, list) else []
    if types_ and _allowed(kind, types_):
        for wanted in types_:
            wrong = _WRONG.get(wanted)
            if wrong is not None and not _allowed(_json_type(wrong), types_):
                yield "type", functools.partial(_replace, instance, path, wrong)
                break
    if isinstance(value, dict) and not (schema.get("readOnly") or schema.get("writeOnly")):
        properties = schema.get("properties") or {}
        for name in schema.get("required") or []:
            sub = properties.get(name)
            one_way = isinstance(sub, Mapping) and (sub.get("readOnly") or sub.get("writeOnly"))
            if name in value and not one_way:
                yield "required", functools.partial(_drop, instance, path, name)
    if isinstance(value, str):
        if isinstance(schema.get("maxLength"), int):
            yield (
                "length",
                functools.partial(_replace, instance, path, value + "x" * (schema["maxLength"] - len(value) + 1)),
            )
        if isinstance(schema.get("minLength"), int) and schema["minLength"] > 0:
            yield "length", functools.partial(_replace, instance, path, value[: schema["minLength"] - 1])
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            low, high = schema.get("minLength", 0), schema.get("maxLength", 64)
            for char in ("!", " ", "~", "0", "a", "é", "-"):
                candidate = char * max(low, min(high, 3))
                try:
                    if re.search(pattern, candidate) is None:
                        yield "pattern", functools.partial(_replace, instance, path, candidate)
                        break
                except re.error:
                    break
        if isinstance(schema.get("enum"), list) and "zz-not-a-member" not in schema["enum"]:
            yield "enum", functools.partial(_replace, instance, path, "zz-not-a-member")
    if isinstance(value, list):
        if isinstance(schema.get("maxItems"), int) and value:
            yield (
                "length",
                functools.partial(
                    _replace, instance, path, value + [value[-1]] * (schema["maxItems"] - len(value) + 1)
                ),
            )
        if isinstance(schema.get("minItems"), int) and schema["minItems"] > 0:
            yield "length", functools.partial(_replace, instance, path, value[: schema["minItems"] - 1])
    if isinstance(value, int | float) and not isinstance(value, bool):
        integral = kind == "integer"
        step = 1 if integral else 0.5
        for key, sign in (("maximum", 1), ("exclusiveMaximum", 0), ("minimum", -1), ("exclusiveMinimum", 0)):
            bound = schema.get(key)
            if isinstance(bound, int | float) and not isinstance(bound, bool):
                out = bound + sign * step
                yield (
                    "range",
                    functools.partial(
                        _replace, instance, path, int(out) if integral and float(out).is_integer() else out
                    ),
                )


# -- checking ----------------------------------------------------------------------------------


@dataclass
class SchemaResult:
    name: str  # the component key
    drawn: int = 0
    rejected_valid: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    broken: Counter[str] = field(default_factory=Counter)  # kind → broken instances tried
    accepted_broken: Counter[str] = field(default_factory=Counter)  # kind → accepted by strict validation
    examples: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def round_trips(self) -> bool:
        return self.drawn > 0 and not self.rejected_valid and not self.lost


@dataclass
class SpecReport:
    label: str
    results: list[SchemaResult]

    def summary(self) -> str:
        tested = [r for r in self.results if r.drawn]
        broken_schemas = [r for r in tested if sum(r.broken.values())]
        accepted = Counter[str]()
        tried = Counter[str]()
        for r in tested:
            accepted.update(r.accepted_broken)
            tried.update(r.broken)
        kinds = ", ".join(f"{k} {accepted[k]}/{tried[k]}" for k in KINDS if tried[k])
        skipped = len(self.results) - len(tested)
        return (
            f"{self.label}: round-trip {sum(r.round_trips for r in tested)}/{len(tested)} schemas"
            f" ({skipped} not drawn); reject valid {sum(bool(r.rejected_valid) for r in tested)};"
            f" lose data {sum(bool(r.lost) for r in tested)};"
            f" accept broken (strict) {sum(bool(r.accepted_broken) for r in broken_schemas)}/{len(broken_schemas)}"
            f" schemas ({kinds or 'none tried'})"
        )

    def failures(self) -> list[str]:
        out = []
        for r in self.results:
            out.extend(f"{self.label} {r.name}: {line}" for line in r.examples)
        return out


def _same(a: Any, b: Any) -> bool:
    """JSON equality; date-time strings compare as instants with their offsets (the SDK writes `Z`)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str) and a != b:
        left, right = _datetime(a), _datetime(b)
        return left is not None and left == right and left.utcoffset() == right.utcoffset()  # type: ignore[union-attr]
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _datetime(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True)
class Target:
    """How one model is validated and dumped: the user's path and the SDK's response path."""

    validate: Callable[[Any], Any]  # python input, lax (user code), keys by their wire names
    parse_json: Callable[[bytes], Any]  # the response path, as strict_response_validation uses it
    dump: Callable[[Any], Any]


def target(models: types.ModuleType, base: types.ModuleType, name: str) -> Target | None:
    model = getattr(models, name, None)
    if model is None:
        return None
    endpoint = base.Endpoint(method="GET", path="/", response=lambda: model)
    if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
        return Target(
            functools.partial(model.model_validate, by_alias=True, by_name=False),
            endpoint.parse_json,
            lambda m: m.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False),
        )
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(model)
    return Target(
        functools.partial(adapter.validate_python, by_alias=True, by_name=False),
        endpoint.parse_json,
        lambda v: adapter.dump_python(v, mode="json", by_alias=True, exclude_unset=True, warnings=False),
    )


@dataclass(frozen=True)
class Budget:
    examples: int = 25  # instances drawn per schema
    seconds: float = 2.0  # drawing time per schema
    broken_per_kind: int = 8  # broken instances tried per schema and kind
    recursion: int = 4  # refs written out below a schema


def check_schema(
    key: str, document: dict[str, Any], oracle: Oracle, tgt: Target, *, nullable: bool, budget: Budget
) -> SchemaResult:
    result = SchemaResult(key)
    schema = document["$defs"][key]
    generating = bounded(schema, document["$defs"], trail=(key,), budget=budget.recursion)
    if nullable:  # the model is X; each reference to it adds the null
        generating = {"allOf": [generating, {"not": {"type": "null"}}]}
    instances, result.note = draw(
        generating, count=budget.examples, seed=zlib.crc32(key.encode()), budget=budget.seconds
    )
    ref = oracle.ref(key)
    seen: set[str] = set()
    stop = time.monotonic() + 3 * budget.seconds  # checking, too, has its time (instances in order)
    for instance in instances:
        if time.monotonic() > stop and result.drawn:
            result.note = result.note or "time budget (checks)"
            break
        text = json.dumps(instance, sort_keys=True)
        if text in seen or not oracle.valid(ref, instance):
            continue
        seen.add(text)
        result.drawn += 1
        _check_valid(result, tgt, instance, text)
        _check_broken(result, oracle, ref, tgt, instance, budget)
    return result


def _check_valid(result: SchemaResult, tgt: Target, instance: Any, text: str) -> None:
    for label, run in (("model_validate", tgt.validate), ("response path", lambda i: tgt.parse_json(text.encode()))):
        try:
            parsed = run(instance)
        except (pydantic.ValidationError, ValueError, TypeError) as exc:
            if not result.rejected_valid:
                result.examples.append(f"rejects valid data ({label}): {text[:300]} — {str(exc)[:400]}")
            result.rejected_valid.append(text)
            return
        dumped = tgt.dump(parsed)
        if not _same(dumped, instance):
            if not result.lost:
                result.examples.append(f"loses data ({label}): {text[:300]} → {json.dumps(dumped)[:300]}")
            result.lost.append(text)
            return


def _check_broken(
    result: SchemaResult, oracle: Oracle, ref: dict[str, Any], tgt: Target, instance: Any, budget: Budget
) -> None:
    for path, sub in oracle.sites(ref, instance):
        if all(result.broken[kind] >= budget.broken_per_kind for kind in KINDS):
            return
        for kind, make in breakages(sub, instance, path):
            if result.broken[kind] >= budget.broken_per_kind:
                continue
            broken = make()
            if oracle.valid(ref, broken):
                continue
            result.broken[kind] += 1
            try:
                tgt.parse_json(json.dumps(broken).encode())
            except (pydantic.ValidationError, ValueError):
                continue
            if result.accepted_broken[kind] < 2:
                where = "/".join(map(str, path))
                result.examples.append(f"accepts broken {kind} at /{where}: {json.dumps(broken)[:300]}")
            result.accepted_broken[kind] += 1


def check_spec(
    label: str,
    spec: Mapping[str, Any],
    models: types.ModuleType,
    base: types.ModuleType,
    *,
    class_names: Mapping[str, str],
    nullable: frozenset[str],
    budget: Budget = Budget(),
    keys: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SpecReport:
    document = to_json_schema(spec)
    oracle = Oracle(document)
    results = []
    for key in sorted(keys if keys is not None else document["$defs"]):
        tgt = target(models, base, class_names[key])
        if tgt is None:
            results.append(SchemaResult(key, note="no model"))
            continue
        results.append(check_schema(key, document, oracle, tgt, nullable=key in nullable, budget=budget))
        if progress is not None:
            progress(len(results), len(document["$defs"]))
    return SpecReport(label, results)


def component_models(spec: dict[str, Any]) -> tuple[dict[str, str], frozenset[str]]:
    """{component key: class name} as the generator names them, and the keys that are "X or null"."""
    from codegen.ir.schemas import SchemaSet

    schemas = SchemaSet(spec=spec, source="spec", renames={})
    schemas.add_components()
    return dict(schemas.component_names), frozenset(schemas.nullable_components)


__all__ = ["LENIENT", "Budget", "SpecReport", "check_spec", "component_models", "math", "to_json_schema"]
