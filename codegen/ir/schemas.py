"""Turn the spec's schemas into named, self-contained model schemas.

Input: a resolved OpenAPI 3.0 or 3.1 document. Output: {class name: JSON Schema} where every
object and enum has a name of its own and every `$ref` points at `#/$defs/<class name>`.

Why here and not in datamodel-code-generator: its own naming of inline schemas numbers
collisions (`Type1`, `Type2`) and drops descriptions inside `anyOf` branches. We name each
inline schema from where it sits (`ChatCompletion` + `choices` → `ChatCompletionChoice`), so
a name never changes because an unrelated schema appeared elsewhere in the spec.
Name precedence: `[tool.codegen.renames]` > `x-codegen-name` > the derived name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import CodegenError, Problem
from ..naming import dedupe, pascal, singular, snake
from ..prune import HTTP_METHODS
from ..refs import escape, resolve_ref, split_pointer

COMPONENT_PREFIX = "#/components/schemas/"
# Names models.py imports (or the models stage renames on its own): a schema so named gets `Model`.
RESERVED_CLASS_NAMES = frozenset(
    {"Annotated", "Any", "AnyUrl", "BaseModel", "ConfigDict", "Enum", "Field", "Literal", "RootModel"}
    | {"StringConstraints", "TypeAliasType", "mark_deprecated"}
)
# Formats that map to a Python type without losing what the server sent; the rest stay `str`/`int`.
KEPT_FORMATS = frozenset({"date-time", "binary"})
# Keywords passed on to datamodel-code-generator; everything else (x-*, examples, xml...) is dropped.
_ANNOTATIONS = ("description", "deprecated", "default")
_CONSTRAINTS = (
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
    "minProperties", "maxProperties",
)  # fmt: skip

# A keyword constrains only values of its own type (`minItems` on a string says nothing).
_CONSTRAINTS_OF = {
    "string": ("minLength", "maxLength", "pattern"),
    "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "array": ("minItems", "maxItems", "uniqueItems"),
    "object": ("minProperties", "maxProperties"),
    "boolean": (),
}


@dataclass
class SchemaSet:
    """Model schemas under construction; `defs` fills in as names are taken."""

    spec: dict[str, Any]
    source: str
    renames: Mapping[str, str]
    component_names: dict[str, str] = field(default_factory=dict)
    defs: dict[str, dict[str, Any]] = field(default_factory=dict)
    pointers: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    # Components that are "X or null": the model is X; each reference adds the null.
    nullable_components: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (property, {value: $ref}, the union) of every discriminated union seen (`narrow_discriminators`).
    discriminated: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)

    def narrow_discriminators(self) -> None:
        """A discriminator over a plain string property says which value each branch has: make that
        property a constant in the branch, so the models stage can pick the class by it (otherwise
        the union is tried left to right and `{"pet_type": "Dog"}` may parse as a Cat)."""
        for prop, mapping, union in self.discriminated:
            for value, ref in sorted(mapping.items()):
                key = ref.removeprefix(COMPONENT_PREFIX)
                name = self.component_names.get(key) if ref.startswith(COMPONENT_PREFIX) else None
                body = self.defs.get(name or ref.removeprefix("#/$defs/"), {})
                current = (body.get("properties") or {}).get(prop)
                if (
                    isinstance(current, dict)
                    and current.get("type") == "string"
                    and not {"enum", "const"} & current.keys()
                ):
                    body["properties"][prop] = {
                        "const": value,
                        **{k: current[k] for k in ("description",) if k in current},
                    }
            # The models stage picks a branch by a constant tag; a branch whose tag is not one (an enum
            # of two values) would get the schema's name as its only value. Such a union is tried
            # branch by branch instead, which the tags' own values decide as well.
            for branch in union.get("oneOf") or union.get("anyOf") or []:
                tag = self._property(branch, prop)
                if not (isinstance(tag, Mapping) and "const" in tag):
                    union.pop("discriminator", None)
                    break

    def _property(self, schema: Any, prop: str, depth: int = 0) -> Any:
        """The converted schema of `prop` in an object schema, following refs and allOf parts."""
        if not isinstance(schema, Mapping) or depth > 16:
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._property(self.defs.get(ref.removeprefix("#/$defs/")), prop, depth + 1)
        found = (schema.get("properties") or {}).get(prop)
        for part in schema.get("allOf") or []:
            found = self._property(part, prop, depth + 1) or found
        return found

    def claim(self, derived: str, schema: Mapping[str, Any], pointer: str) -> str:
        wanted = self.renames.get(derived) or schema.get("x-codegen-name") or derived
        if not isinstance(wanted, str) or not wanted.isidentifier():
            raise CodegenError.at(self.source, pointer, f"x-codegen-name {wanted!r} is not a Python identifier")
        if wanted in RESERVED_CLASS_NAMES:
            wanted += "Model"
        name = dedupe(wanted, self.taken)
        self.taken.add(name)
        self.pointers[name] = pointer
        return name

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{name}"}

    # -- entry points -------------------------------------------------------------------

    def add_components(self) -> None:
        """Name every component schema first, so inline names never take theirs."""
        schemas = (self.spec.get("components") or {}).get("schemas") or {}
        for key in sorted(schemas):
            self.component_names[key] = self.claim(pascal(key), schemas[key], COMPONENT_PREFIX[1:] + escape(key))
        bodies: dict[str, tuple[Mapping[str, Any], str]] = {}
        for key in sorted(schemas):
            schema, pointer = schemas[key], self.pointers[self.component_names[key]]
            unwrapped = _split_nullable(schema)
            if unwrapped is not None:
                inner, index, words = unwrapped
                self.nullable_components[key] = words
                schema, pointer = inner, f"{pointer}/{index}" if index else pointer
            bodies[key] = (schema, pointer)
        for key, (schema, pointer) in bodies.items():
            name = self.component_names[key]
            self.defs[name] = self.convert(schema, name, pointer, root=True)  # defined here, not hoisted again

    # -- conversion ----------------------------------------------------------------------

    def convert(self, schema: Any, hint: str, pointer: str, *, root: bool = False) -> dict[str, Any]:
        if schema is True or schema == {}:
            return {}
        if not isinstance(schema, Mapping):
            raise CodegenError.at(self.source, pointer, "a schema must be an object")
        if "$ref" in schema:
            return self._convert_ref(schema, pointer)
        if schema.get("nullable") is True:  # OpenAPI 3.0
            inner = {k: v for k, v in schema.items() if k != "nullable"}
            return self._nullable(self.convert(inner, hint, pointer, root=root), schema)
        types = schema.get("type")
        if isinstance(types, list):  # OpenAPI 3.1: type: [string, "null"]
            return self._convert_type_list(schema, types, hint, pointer, root=root)
        for key in ("anyOf", "oneOf"):
            if key in schema and "properties" in schema and all(map(_only_required, schema[key])):
                # `{properties, oneOf: [{required: [a]}, {required: [b]}]}`: the object, with the choice
                # of required properties left to the server (not expressible as one class).
                return self.convert({k: v for k, v in schema.items() if k != key}, hint, pointer, root=root)
            if key in schema:
                return self._convert_union(schema, key, hint, pointer, root=root)
        if "allOf" in schema:
            return self._convert_all_of(schema, hint, pointer, root=root)
        if "enum" in schema:
            return self._convert_enum(schema, hint, pointer, root=root)
        if "const" in schema:
            return self._with_annotations({"const": schema["const"]}, schema)
        if types == "object" or "properties" in schema or "additionalProperties" in schema:
            return self._convert_object(schema, hint, pointer, root=root)
        if types == "array" or (types is None and "items" in schema):  # `items` alone: an array
            items = self.convert(schema.get("items", {}), singular(hint), f"{pointer}/items")
            return self._with_annotations({"type": "array", "items": items}, schema, constraints=True)
        if isinstance(types, str):
            out: dict[str, Any] = {"type": types}
            if schema.get("format") in KEPT_FORMATS:
                out["format"] = schema["format"]
            elif types == "string" and schema.get("contentMediaType") and not schema.get("contentEncoding"):
                out["format"] = "binary"  # OpenAPI 3.1's way of saying "a file"
            return self._with_annotations(out, schema, constraints=True)
        return self._with_annotations({}, schema)

    def _convert_ref(self, schema: Mapping[str, Any], pointer: str) -> dict[str, Any]:
        ref = schema["$ref"]
        if not isinstance(ref, str) or not ref.startswith(COMPONENT_PREFIX):
            raise CodegenError.at(self.source, pointer, f"unsupported $ref {ref!r}: only {COMPONENT_PREFIX}<name>")
        key = split_pointer(ref)[-1]
        if key not in self.component_names:
            raise CodegenError.at(self.source, pointer, f"dangling $ref {ref!r}")
        out = self.ref(self.component_names[key])
        if key in self.nullable_components:
            out = {"anyOf": [out, {"type": "null"}], **self.nullable_components[key]}
        if "description" in schema:  # 3.1 allows siblings of $ref
            out["description"] = schema["description"]
        return out

    def _convert_type_list(
        self, schema: Mapping[str, Any], types: list[Any], hint: str, pointer: str, *, root: bool
    ) -> dict[str, Any]:
        others = [t for t in types if t != "null"]
        if len(others) == len(types):
            branches = [self.convert({**schema, "type": t}, hint, pointer, root=root) for t in others]
            return branches[0] if len(branches) == 1 else {"anyOf": branches}
        inner = self.convert({**schema, "type": others[0] if len(others) == 1 else others}, hint, pointer, root=root)
        return self._nullable(inner, {})

    def _convert_all_of(self, schema: Mapping[str, Any], hint: str, pointer: str, *, root: bool) -> dict[str, Any]:
        """`allOf: [Base, {properties}]` is a class extending Base: inline parts stay inline so their
        fields land in that class, named from it (no `Part1` classes)."""
        parts = []
        all_of = list(schema["allOf"])
        if isinstance(schema.get("properties"), Mapping):  # properties beside allOf: one more part
            all_of.append(
                {k: schema[k] for k in ("type", "properties", "required", "additionalProperties") if k in schema}
            )
        for index, part in enumerate(all_of):
            if isinstance(part, Mapping) and "$ref" not in part and "required" in part:
                # Required names another part declares are gathered at the top (below), not here.
                own = part.get("properties") or {}
                kept = [r for r in part["required"] if r in own]
                part = {k: v for k, v in part.items() if k != "required"} | ({"required": kept} if kept else {})
            inline_object = isinstance(part, Mapping) and "$ref" not in part and "properties" in part
            at = f"{pointer}/allOf/{index}" if index < len(schema["allOf"]) else pointer
            parts.append(self.convert(part, hint, at, root=inline_object))
        # `required` beside the parts, or in an inline part, may name a property another part declares
        # (`allOf: [Base, {required: [id]}]`): kept at the top, where build.py makes it required.
        inline = [p for p in all_of if isinstance(p, Mapping) and "$ref" not in p]
        required = sorted({str(r) for p in [schema, *inline] for r in p.get("required") or []})
        if len(parts) == 1 and not required:
            return self._with_annotations(parts[0], schema)
        body = self._with_annotations({"allOf": parts}, schema, defaults=False)
        if required:
            body["required"] = required
        if root:
            return body
        name = self.claim(hint, schema, pointer)
        self.defs[name] = body
        return self._with_annotations(self.ref(name), schema, defaults=False)

    def _convert_union(
        self, schema: Mapping[str, Any], key: str, hint: str, pointer: str, *, root: bool
    ) -> dict[str, Any]:
        branches = schema[key]
        non_null = [(i, b) for i, b in enumerate(branches) if not (isinstance(b, Mapping) and b.get("type") == "null")]
        if len(non_null) == 1 and len(branches) == 2:
            # `anyOf: [X, null]` is "X or null": X keeps the name and the outer schema its words.
            index, branch = non_null[0]
            inner = self.convert(branch, hint, f"{pointer}/{key}/{index}", root=root)
            return self._nullable(inner, schema, lift_from=branch)
        converted = []
        named = [b for _, b in non_null if isinstance(b, Mapping) and "$ref" not in b and _needs_name(b)]
        for index, branch in non_null:
            title = branch.get("title") if isinstance(branch, Mapping) else None
            if isinstance(title, str):
                branch_hint = f"{hint}{pascal(title)}"
            elif len(named) == 1:  # one class among plain types (an "open enum": str | Enum): no number
                branch_hint = hint if not root else hint + ("Enum" if "enum" in named[0] else "Object")
            elif (tag := _tag_value(branch)) is not None:  # `{event: "thread.run.created", ...}`
                branch_hint = hint + pascal(tag)
            else:
                branch_hint = f"{hint}Variant{index + 1}"
            converted.append(self.convert(branch, branch_hint, f"{pointer}/{key}/{index}"))
        out: dict[str, Any] = {key: converted}
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, Mapping) and len(non_null) == len(branches):
            out["discriminator"] = {"propertyName": discriminator["propertyName"]}
            mapping = discriminator.get("mapping")
            if isinstance(mapping, Mapping):
                out["discriminator"]["mapping"] = {
                    value: self._convert_ref({"$ref": target}, f"{pointer}/discriminator/mapping")["$ref"]
                    for value, target in mapping.items()
                }
            else:  # implicit: each branch's value is its schema's name
                mapping = {
                    b["$ref"].removeprefix(COMPONENT_PREFIX): b["$ref"]
                    for _, b in non_null
                    if isinstance(b, Mapping) and str(b.get("$ref", "")).startswith(COMPONENT_PREFIX)
                }
            self.discriminated.append((str(discriminator["propertyName"]), dict(mapping), out))
        if len(non_null) < len(branches):
            return self._nullable(self._with_annotations(out, schema), {})
        return self._with_annotations(out, schema)

    def _convert_enum(self, schema: Mapping[str, Any], hint: str, pointer: str, *, root: bool) -> dict[str, Any]:
        values = list(schema["enum"])
        nullable = None in values
        values = [v for v in values if v is not None]
        if len(values) == 1 and not root:
            # A one-value enum is a constant (`object: "chat.completion"`): a Literal, not a class.
            out = self._with_annotations({"const": values[0]}, schema, defaults=False)  # its own default
        else:
            body = {"type": schema.get("type", "string"), "enum": values}
            body = self._with_annotations(body, schema, defaults=False)
            if root:
                out = body
            else:
                name = self.claim(hint, schema, pointer)
                self.defs[name] = body
                out = self._with_annotations(self.ref(name), schema)
        return self._nullable(out, {}) if nullable and not root else out

    def _convert_object(self, schema: Mapping[str, Any], hint: str, pointer: str, *, root: bool) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        undeclared = [r for r in schema.get("required") or [] if isinstance(r, str) and r not in properties]
        if undeclared:  # required, of any type: the key must be there
            properties = {**properties, **{name: {} for name in undeclared}}
        extra = schema.get("additionalProperties")
        if (not properties and not root) or (not properties and extra not in (None, True, False)):
            # A map (`additionalProperties: {type: string}`) or a free-form object: no class.
            out: dict[str, Any] = {"type": "object"}
            if isinstance(extra, Mapping):
                out["additionalProperties"] = self.convert(extra, f"{hint}Value", f"{pointer}/additionalProperties")
            names = schema.get("propertyNames")
            if isinstance(names, Mapping):
                key_schema = {"type": "string", **names}
                out["propertyNames"] = self.convert(key_schema, f"{hint}Key", f"{pointer}/propertyNames")
            return self._with_annotations(out, schema, constraints=True)
        if not root:
            name = self.claim(hint, schema, pointer)
            self.defs[name] = self._convert_object(schema, name, pointer, root=True)
            return self._with_annotations(self.ref(name), schema, defaults=False)
        body: dict[str, Any] = {"type": "object", "properties": {}}
        for prop, prop_schema in properties.items():
            prop_hint = hint + pascal(prop)
            body["properties"][prop] = self.convert(prop_schema, prop_hint, f"{pointer}/properties/{escape(prop)}")
        if schema.get("required"):
            # One model serves requests and responses: a readOnly field is never sent and a writeOnly
            # one never comes back, so neither can be required of both.
            one_way = {
                p for p, s in properties.items() if isinstance(s, Mapping) and (s.get("readOnly") or s.get("writeOnly"))
            }
            body["required"] = [p for p in schema["required"] if p in properties and p not in one_way]
        if isinstance(extra, Mapping) and extra:
            # Typed unknown properties (`additionalProperties: {type: integer}` beside `properties`):
            # the class validates them (`__pydantic_extra__: dict[str, int]`). `false` is not passed
            # on: unknown properties are kept, whatever the spec says (README, forward compatibility).
            body["additionalProperties"] = self.convert(extra, f"{hint}Value", f"{pointer}/additionalProperties")
        for prop, prop_schema in properties.items():
            if isinstance(prop_schema, Mapping) and prop_schema.get("readOnly"):
                body["properties"][prop]["readOnly"] = True  # kept so the request side can leave it out
        return self._with_annotations(body, schema, defaults=False)

    # -- helpers -------------------------------------------------------------------------

    def _nullable(self, inner: dict[str, Any], outer: Mapping[str, Any], *, lift_from: Any = None) -> dict[str, Any]:
        # The words move to the outer schema: on a ref or a const inside `anyOf` the models stage
        # would drop them (or, for a const, turn it into an enum class of its own).
        words = {k: inner.pop(k) for k in _ANNOTATIONS if k in inner and ("$ref" in inner or "const" in inner)}
        out = nullable(inner)
        out.update(words)
        if isinstance(lift_from, Mapping):
            for key in _ANNOTATIONS:  # descriptions inside the branch would be lost by the models stage
                if key in lift_from and key not in out:
                    out[key] = lift_from[key]
        out = self._with_annotations(out, outer)
        if "const" in inner:
            # "Always X, or null" with default X: the models stage would make X an enum and type the
            # default wrongly. Absent reads as None; nothing changes on the wire (unset is not sent).
            out.pop("default", None)
        return out

    @staticmethod
    def _with_annotations(
        out: dict[str, Any],
        schema: Mapping[str, Any],
        *,
        constraints: bool = False,
        defaults: bool = True,
    ) -> dict[str, Any]:
        for key in _ANNOTATIONS:
            if key in schema and (defaults or key != "default"):
                out[key] = schema[key]
        if constraints:
            kind = out.get("type")
            applies = _CONSTRAINTS_OF.get(kind, _CONSTRAINTS) if isinstance(kind, str) else _CONSTRAINTS
            for key in applies:
                if key in schema:
                    out[key] = schema[key]
        return out


def _tag_value(schema: Any) -> str | None:
    """The constant of an object's tag property (`type`, `event`, ...: a const or one-value enum)."""
    if not isinstance(schema, Mapping):
        return None
    for prop in (schema.get("properties") or {}).values():
        if isinstance(prop, Mapping):
            values = [prop["const"]] if "const" in prop else prop.get("enum") or []
            if len(values) == 1 and isinstance(values[0], str):
                return values[0]
    return None


def _only_required(branch: Any) -> bool:
    """A union branch that only says which properties must be there (`{required: [a]}`)."""
    return isinstance(branch, Mapping) and "required" in branch and set(branch) <= {"required", "description", "title"}


def _needs_name(schema: Mapping[str, Any]) -> bool:
    """Would become a class of its own (so it needs a name) rather than a plain type."""
    return "properties" in schema or ("enum" in schema and len(schema["enum"]) > 1) or "allOf" in schema


def is_class(schema: Mapping[str, Any], defs: Mapping[str, Mapping[str, Any]], depth: int = 0) -> bool:
    """Objects with properties, enums, and `allOf` compositions of those become classes; maps, lists,
    unions and plain types stay type expressions (no RootModel to unwrap)."""
    if "properties" in schema or "enum" in schema or schema == {"type": "object"}:
        return True
    parts = schema.get("allOf")
    if not isinstance(parts, list) or depth > 16:
        return False
    for part in parts:
        ref = part.get("$ref") if isinstance(part, Mapping) else None
        target = defs.get(ref.removeprefix("#/$defs/"), {}) if isinstance(ref, str) else part
        if not ("properties" in target or is_class(target, defs, depth + 1)):
            return False
    return True


def nullable(inner: dict[str, Any]) -> dict[str, Any]:
    """ "`inner` or null". A plain type keeps its constraints at the top (`type: [object, "null"]`),
    where the models stage applies them; a ref or union gets an `anyOf` with null."""
    kind = inner.get("type")
    if isinstance(kind, str) and kind != "null" and "$ref" not in inner:
        return {**inner, "type": [kind, "null"]}
    return {"anyOf": [inner, {"type": "null"}]}


def _split_nullable(schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], str, dict[str, Any]] | None:
    """For "X or null" return (X, pointer suffix of X, the annotations a reference should carry)."""
    words = {k: schema[k] for k in _ANNOTATIONS if k in schema}
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and len(branches) == 2:
            nulls = [i for i, b in enumerate(branches) if isinstance(b, Mapping) and b.get("type") == "null"]
            if len(nulls) == 1:
                index = 1 - nulls[0]
                branch = branches[index]
                if isinstance(branch, Mapping) and "$ref" not in branch:
                    lifted = {k: branch[k] for k in _ANNOTATIONS if k in branch}
                    return branch, f"{key}/{index}", {**lifted, **words}
    if schema.get("nullable") is True:
        return {k: v for k, v in schema.items() if k != "nullable"}, "", words
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:  # `enum: [a, b, null]`
        inner = {**schema, "enum": [v for v in schema["enum"] if v is not None]}
        if isinstance(inner.get("type"), list):
            inner["type"] = next(t for t in inner["type"] if t != "null")
        return inner, "", words
    types = schema.get("type")
    if isinstance(types, list) and "null" in types and len(types) == 2:
        return {**schema, "type": next(t for t in types if t != "null")}, "", words
    return None


JSON = "application/json"
MULTIPART = "multipart/form-data"
SSE = "text/event-stream"
PARAMETER_LOCATIONS = ("path", "query", "header")
_CONSTRAINT_KEYS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern"}
    | {"minItems", "maxItems", "const", "enum", "multipleOf"}
)


@dataclass(frozen=True, slots=True)
class ParameterSchema:
    raw: Mapping[str, Any]  # the parameter object, refs followed
    location: str
    wire_name: str
    schema: dict[str, Any]  # converted


@dataclass(frozen=True, slots=True)
class BodySchema:
    encoding: str  # "json" or "multipart"
    required: bool
    schema: dict[str, Any]  # converted


@dataclass(frozen=True, slots=True)
class ResponseSchema:
    status: str
    media: str  # the media type chosen (the first one when none is JSON)
    format: str  # "json", "binary" or "none"
    schema: dict[str, Any] | None  # converted, for JSON


@dataclass(frozen=True, slots=True)
class OperationSchemas:
    """Every schema of one operation, converted and named (`add_operation`)."""

    operation_id: str
    path: str
    method: str
    pointer: str
    raw: Mapping[str, Any]  # the operation object
    parameters: tuple[ParameterSchema, ...]  # path, then query, then header; operation-level wins
    params_model: str | None  # checks query and header values, when some carry limits
    body: BodySchema | None
    responses: tuple[ResponseSchema, ...]  # the 2xx statuses, in order
    events: dict[str, Any] | None  # converted event schema of a `text/event-stream` success response


def operation_id(path: str, method: str, op: Mapping[str, Any]) -> str:
    return str(op.get("operationId") or snake(f"{method}_{path}"))


def _deref(spec: Mapping[str, Any], node: Any, *, source: str, at: str) -> Any:
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node and seen < 32:
        node = resolve_ref(dict(spec), node["$ref"], source=source, at=at)
        seen += 1
    return node


def _add_operation(
    schemas: SchemaSet, path: str, method: str, op: Mapping[str, Any], item: Mapping[str, Any]
) -> OperationSchemas:
    spec, source = schemas.spec, schemas.source
    at = f"/paths/{escape(path)}/{method}"
    op_id = operation_id(path, method, op)
    hint = pascal(op_id)
    by_key: dict[tuple[str, str], Mapping[str, Any]] = {}
    for index, entry in enumerate([*item.get("parameters", []), *op.get("parameters", [])]):
        param = _deref(spec, entry, source=source, at=f"{at}/parameters/{index}")
        by_key[(param.get("in", ""), param.get("name", ""))] = param  # operation-level wins
    parameters = []
    for (location, wire), param in sorted(by_key.items(), key=lambda kv: _location_rank(kv[0][0])):
        if location not in PARAMETER_LOCATIONS:
            raise CodegenError.at(source, at, f"parameter {wire!r} in {location!r} is not supported")
        converted = schemas.convert(param.get("schema", {}), hint + pascal(wire), f"{at}/parameters")
        parameters.append(ParameterSchema(param, location, wire, converted))
    checked = {p.wire_name: p.schema for p in parameters if p.location != "path"}
    params_model = None
    if any(_constrained(s, schemas.defs) for s in checked.values()):
        required = [p.wire_name for p in parameters if p.location != "path" and p.raw.get("required")]
        definition = {"type": "object", "properties": checked, "required": required}
        params_model = schemas.claim(hint + "Params", definition, f"{at}/parameters")
        schemas.defs[params_model] = definition
    return OperationSchemas(
        operation_id=op_id,
        path=path,
        method=method,
        pointer=at,
        raw=op,
        parameters=tuple(parameters),
        params_model=params_model,
        body=_body(schemas, op, hint, at),
        responses=_responses(schemas, op, hint, at),
        events=_events(schemas, op, hint, at),
    )


def _location_rank(location: str) -> int:
    return PARAMETER_LOCATIONS.index(location) if location in PARAMETER_LOCATIONS else 9


def _body(schemas: SchemaSet, op: Mapping[str, Any], hint: str, at: str) -> BodySchema | None:
    request = _deref(schemas.spec, op.get("requestBody"), source=schemas.source, at=f"{at}/requestBody")
    if not request:
        return None
    content = request.get("content") or {}
    media = JSON if JSON in content else MULTIPART if MULTIPART in content else ""
    if not media:
        raise CodegenError.at(
            schemas.source,
            f"{at}/requestBody",
            f"request content {sorted(content)} unsupported ({JSON} or {MULTIPART})",
        )
    pointer = f"{at}/requestBody/content/{escape(media)}/schema"
    converted = schemas.convert(content[media].get("schema") or {}, hint + "Request", pointer)
    return BodySchema("json" if media == JSON else "multipart", bool(request.get("required")), converted)


def _responses(schemas: SchemaSet, op: Mapping[str, Any], hint: str, at: str) -> tuple[ResponseSchema, ...]:
    """The 2xx responses. When several carry JSON, the first is `<Op>Response`, the others
    `<Op>Response<status>`."""
    responses = op.get("responses") or {}
    found: list[ResponseSchema] = []
    for code in sorted(str(c) for c in responses):
        if not code.startswith("2"):
            continue
        raw = responses[code] if code in responses else responses[int(code)]
        response = _deref(schemas.spec, raw, source=schemas.source, at=f"{at}/responses/{code}")
        content = response.get("content") or {}
        media = next((m for m in content if m == JSON or m.endswith("+json")), None)
        if not content:
            found.append(ResponseSchema(code, JSON, "none", None))
        elif media is None:
            found.append(ResponseSchema(code, next(iter(content)), "binary", None))  # audio, files, text: as sent
        else:
            name = hint + ("Response" if not found else f"Response{code}")
            pointer = f"{at}/responses/{code}/content/{escape(media)}/schema"
            converted = schemas.convert(content[media].get("schema") or {}, name, pointer)
            found.append(ResponseSchema(code, media, "json", converted))
    return tuple(found)


def _events(schemas: SchemaSet, op: Mapping[str, Any], hint: str, at: str) -> dict[str, Any] | None:
    """The event schema of the first success response that can be a server-sent event stream."""
    for code, raw in sorted((str(c), r) for c, r in (op.get("responses") or {}).items()):
        if code.startswith("2"):
            response = _deref(schemas.spec, raw, source=schemas.source, at=f"{at}/responses/{code}")
            content = response.get("content") or {}
            if SSE in content:
                pointer = f"{at}/responses/{code}/content/{escape(SSE)}/schema"
                return schemas.convert(content[SSE].get("schema") or {}, hint + "Event", pointer)
    return None


def _constrained(schema: Any, defs: Mapping[str, Mapping[str, Any]], depth: int = 0) -> bool:
    """Carries limits or allowed values somewhere (so a model should check it before sending)."""
    if depth > 8:
        return False
    if isinstance(schema, Mapping):
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return _constrained(defs.get(ref.removeprefix("#/$defs/"), {}), defs, depth + 1)
        return bool(_CONSTRAINT_KEYS & schema.keys()) or any(_constrained(v, defs, depth + 1) for v in schema.values())
    if isinstance(schema, list):
        return any(_constrained(v, defs, depth + 1) for v in schema)
    return False


@dataclass(frozen=True, slots=True)
class NamedSchemas:
    """Every schema of the spec, named: the models and each operation's schemas."""

    defs: Mapping[str, dict[str, Any]]  # class name → JSON Schema, refs as `#/$defs/<name>`
    pointers: Mapping[str, str]  # class name → where it was defined
    components: frozenset[str]  # names given to component schemas
    operations: tuple[OperationSchemas, ...]  # sorted by (path, method)


def model_schemas(spec: dict[str, Any], *, source: str, renames: Mapping[str, str]) -> NamedSchemas:
    """Name every schema: components first (so inline names never take theirs), then each
    operation's parameters, body, responses and events, in (path, method) order."""
    schemas = SchemaSet(spec=spec, source=source, renames=renames)
    schemas.add_components()
    problems: list[Problem] = []
    operations = []
    for path, item in sorted((spec.get("paths") or {}).items()):
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, Mapping) else None
            if isinstance(op, Mapping):
                try:
                    operations.append(_add_operation(schemas, path, method, op, item))
                except CodegenError as exc:
                    problems.extend(exc.problems)
    if problems:
        raise CodegenError(problems)
    schemas.narrow_discriminators()
    return NamedSchemas(
        defs=schemas.defs,
        pointers=schemas.pointers,
        components=frozenset(schemas.component_names.values()),
        operations=tuple(operations),
    )
