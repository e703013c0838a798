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

from ..errors import CodegenError
from ..naming import dedupe, pascal, singular, snake
from ..refs import escape, split_pointer
from .dispatch import DISPATCH, dispatch

COMPONENT_PREFIX = "#/components/schemas/"
# The attribute a discriminator's tag gets in every branch, where its own would be another property's
# wire name (build.py names the fields; the models stage never sees the key).
TAG_ATTRIBUTE = "x-codegen-attribute"
# Names models.py imports (or the models stage renames on its own): a schema so named gets `Model`.
RESERVED_CLASS_NAMES = frozenset(
    {"Annotated", "Any", "AnyUrl", "BaseModel", "ConfigDict", "Enum", "Field", "Literal", "RootModel"}
    | {"StringConstraints", "TypeAliasType", "mark_deprecated"}
)
# Formats that map to a Python type without losing what the server sent; the rest stay `str`/`int`.
KEPT_FORMATS = frozenset({"date-time", "binary"})
# Keywords passed on to datamodel-code-generator; everything else (x-*, examples, xml...) is dropped.
_ANNOTATIONS = ("description", "deprecated", "default")
# Keywords that describe a value without constraining it: an `allOf` part of only these adds words, not a type.
_WORDS_ONLY = frozenset(
    {"description", "title", "deprecated", "default", "example", "examples", "readOnly", "writeOnly", "nullable"}
    | {"externalDocs", "$comment"}
)
_CONSTRAINTS = (
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
    "minProperties", "maxProperties",
)  # fmt: skip

_PLAIN = ("string", "integer", "number", "boolean")
_COMPOSED = frozenset({"$ref", "allOf", "anyOf", "oneOf", "not", "properties", "items"})
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
    component_names: dict[str, str] = field(default_factory=dict)  # component key → class name
    component_keys: dict[str, str] = field(default_factory=dict)  # class name → component key
    defs: dict[str, dict[str, Any]] = field(default_factory=dict)
    pointers: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    # Components that are "X or null": the model is X; each reference adds the null.
    nullable_components: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (property, {value: $ref}, the union) of every discriminated union seen (`narrow_discriminators`).
    discriminated: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)

    def narrow_discriminators(self) -> None:
        """A discriminator over a plain string property says which values each branch has: make that
        property a `Literal` of them in the branch, so the models stage can pick the class by it
        (otherwise the union is tried left to right and `{"pet_type": "Dog"}` may parse as a Cat).
        A branch gets every value that selects it in any union (`mapping` entries, and its schema's
        name where no entry names it): one class serves them all."""
        tags: dict[tuple[str, str], set[str]] = {}  # (class name, property) → values
        for prop, mapping, _ in self.discriminated:
            for value, ref in mapping.items():
                key = ref.removeprefix(COMPONENT_PREFIX)
                name = self.component_names.get(key) if ref.startswith(COMPONENT_PREFIX) else None
                tags.setdefault((name or ref.removeprefix("#/$defs/"), prop), set()).add(value)
        for (name, prop), values in sorted(tags.items()):
            body = self.defs.get(name, {})
            current = (body.get("properties") or {}).get(prop)
            if isinstance(current, dict) and current.get("type") == "string" and not {"enum", "const"} & current.keys():
                words = {k: current[k] for k in ("description",) if k in current}
                if len(values) == 1:
                    body["properties"][prop] = {"const": next(iter(values)), **words}
                else:  # a Literal of several values, not an enum class: pydantic picks a branch by it
                    tag = {"type": "string", "enum": sorted(values), "x-enum-field-as-literal": True}
                    body["properties"][prop] = {**tag, **words}
        # The models stage picks a branch by a Literal tag; a branch whose tag is not one (an enum
        # class, a plain string) would get the schema's name as its only value. Such a union is tried
        # branch by branch instead, which the tags' own values decide as well. The models stage is told
        # every value of every branch, so each union writes the same Literal into a shared branch.
        for prop, mapping, union in self.discriminated:
            every: dict[str, str] = {}
            for branch in union.get("oneOf") or union.get("anyOf") or []:
                tag = self._property(branch, prop)
                target = branch.get("$ref") if isinstance(branch, Mapping) else None
                if not (isinstance(tag, Mapping) and ("const" in tag or tag.get("x-enum-field-as-literal"))):
                    union.pop("discriminator", None)
                    self._dispatch_by_mapping(prop, mapping, union)
                    break
                if isinstance(target, str):
                    enum: Any = tag.get("enum") or []
                    tag_values = [tag["const"]] if "const" in tag else list(enum)
                    every.update({str(value): target for value in tag_values})
            else:
                union["discriminator"]["mapping"] = dict(sorted(every.items()))
                self._name_tag(prop, union.get("oneOf") or union.get("anyOf") or [])

    def _dispatch_by_mapping(self, prop: str, mapping: Mapping[str, str], union: dict[str, Any]) -> None:
        """A named union pydantic cannot pick by Literal tags picks by the mapping itself (`dispatch.py`;
        the renderer writes the `Discriminator`). Otherwise, or inline, it is tried branch by branch."""
        if not any(body is union for body in self.defs.values()):
            return
        named: dict[str, str] = {}
        implicit: dict[str, str] = {}
        for value, ref in mapping.items():
            key = ref.removeprefix(COMPONENT_PREFIX)
            name = self.component_names.get(key) if ref.startswith(COMPONENT_PREFIX) else None
            named[value] = name = name or ref.removeprefix("#/$defs/")
            if value == key and list(mapping.values()).count(ref) == 1:  # (or an entry just like it)
                implicit[name] = value
        branches = union.get("oneOf") or union.get("anyOf") or []
        found = dispatch(prop, named, implicit, branches, self.defs)
        if found is not None:
            union[DISPATCH] = {"property": prop, "branches": found}

    def _name_tag(self, prop: str, branches: list[Any]) -> None:
        """pydantic reads a tag by its attribute name before its wire name: `@type`, named `type`,
        beside a `type` property would read that one. Such a tag is `type_tag` in every branch."""
        name = snake(prop)
        if name == prop or not any(name in self._wire_names(branch) for branch in branches):
            return
        for branch in branches:
            tag = self._property(branch, prop)
            if isinstance(tag, dict):
                tag[TAG_ATTRIBUTE] = f"{name}_tag"

    def _wire_names(self, schema: Any, depth: int = 0) -> set[str]:
        """The property names of an object schema, following refs and allOf parts."""
        if not isinstance(schema, Mapping) or depth > 16:
            return set()
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._wire_names(self.defs.get(ref.removeprefix("#/$defs/")), depth + 1)
        names = set(schema.get("properties") or {})
        for part in schema.get("allOf") or []:
            names |= self._wire_names(part, depth + 1)
        return names

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

    def same_component(self, derived: str, schema: Mapping[str, Any]) -> str | None:
        """The component an inline schema would collide with by name, when it is that very schema
        (a spec that repeats a component inline): reuse it rather than make `Name2`."""
        key = self.component_keys.get(derived)
        components = (self.spec.get("components") or {}).get("schemas") or {}
        return derived if key is not None and components.get(key) == schema else None

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
            self.component_keys[self.component_names[key]] = key
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
            merged = self._scalar_with_siblings(schema)
            if merged is not None:
                return self.convert(merged, hint, pointer, root=root)
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
        if types == "object" or (types is None and ({"properties", "additionalProperties"} & schema.keys())):
            # `properties` beside another type (`type: array` with `properties`) says nothing: JSON
            # Schema applies them to objects only.
            return self._convert_object(schema, hint, pointer, root=root)
        if types == "array" or (types is None and "items" in schema):  # `items` alone: an array
            items = self.convert(schema.get("items", {}), singular(hint), f"{pointer}/items")
            items = self._counted_map_named(items, singular(hint), f"{pointer}/items")
            return self._with_annotations({"type": "array", "items": items}, schema, constraints=True)
        if isinstance(types, str):
            out: dict[str, Any] = {"type": types}
            if schema.get("format") in KEPT_FORMATS:
                out["format"] = schema["format"]
            elif types == "string" and schema.get("contentMediaType") and not schema.get("contentEncoding"):
                out["format"] = "binary"  # OpenAPI 3.1's way of saying "a file"
            return self._with_annotations(out, schema, constraints=True)
        return self._with_annotations({}, schema)

    def _scalar_with_siblings(self, schema: Mapping[str, Any]) -> dict[str, Any] | None:
        """OpenAPI 3.1: keywords beside a `$ref` apply too (`{$ref: ExpressionType, enum: [lt, gt]}`).
        A ref to a plain value (a string, a number) narrowed so is that value with both sets of
        keywords; 3.0 ignores them."""
        siblings = {k: v for k, v in schema.items() if k != "$ref" and k not in _WORDS_ONLY and not k.startswith("x-")}
        ref = schema["$ref"]
        if not siblings or not str(self.spec.get("openapi", "")).startswith("3.1"):
            return None
        if not (isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX)):
            return None
        target = ((self.spec.get("components") or {}).get("schemas") or {}).get(split_pointer(ref)[-1])
        if not isinstance(target, Mapping) or target.get("type") not in _PLAIN:
            return None
        if _COMPOSED & target.keys() or _COMPOSED & siblings.keys():
            return None
        return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}

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
        words: dict[str, Any] = {}  # `allOf: [X, {description: ...}]` only says something about X
        nullable_part = False
        typed = [
            (i, p)
            for i, p in enumerate(all_of)
            if not (isinstance(p, Mapping) and set(p) <= _WORDS_ONLY and len(all_of) > 1)
        ]
        for part in all_of:
            if all(part is not p for _, p in typed):
                words.update({k: part[k] for k in _ANNOTATIONS if k in part})
                nullable_part = nullable_part or part.get("nullable") is True
        narrowed = self._narrowed_value([p for _, p in typed])
        if narrowed is not None:
            return self.convert(
                {**narrowed, **words, **{k: schema[k] for k in _ANNOTATIONS if k in schema}}, hint, pointer, root=root
            )
        distributed = self._distribute(typed, words)
        if distributed is not None:
            return self.convert(distributed, hint, pointer, root=root)
        # `required` beside the parts, or in an inline part, may name a property another part declares
        # (`allOf: [Base, {required: [id]}]`): kept at the top, where build.py makes it required.
        inline = [p for _, p in typed if isinstance(p, Mapping) and "$ref" not in p]
        required = sorted({str(r) for p in [schema, *inline] for r in p.get("required") or []})
        for index, part in typed:
            if isinstance(part, Mapping) and "$ref" not in part and ("required" in part or required):
                # Each inline part requires the names it declares, wherever they are listed (beside the
                # parts or in another part); the names other parts declare are gathered at the top.
                own = part.get("properties") or {}
                kept = [r for r in required if r in own]
                part = {k: v for k, v in part.items() if k != "required"} | ({"required": kept} if kept else {})
            if len(typed) > 1 and isinstance(part, Mapping) and _nullable_ref(part, self.nullable_components):
                # A part of a composition is the object it extends: "X or null" adds no null to the
                # composition (whose own `nullable` says whether it may be null).
                parts.append(self.ref(self.component_names[split_pointer(part["$ref"])[-1]]))
                continue
            # Inline object parts of a composition stay inline, so their fields land in its class;
            # a lone part is the schema itself, named as any other.
            inline_object = isinstance(part, Mapping) and "$ref" not in part and "properties" in part
            part_root = root if len(typed) == 1 and not required else inline_object
            at = f"{pointer}/allOf/{index}" if index < len(schema["allOf"]) else pointer
            parts.append(self.convert(part, hint, at, root=part_root))
        if len(parts) == 1 and not required:
            out = self._with_annotations(self._with_annotations(parts[0], words), schema)
            return self._nullable(out, {}) if nullable_part else out
        body = self._with_annotations({"allOf": parts}, schema, defaults=False)
        if required:
            body["required"] = required
        if root:
            return body
        name = self.claim(hint, schema, pointer)
        self.defs[name] = body
        return self._with_annotations(self.ref(name), schema, defaults=False)

    def _narrowed_value(self, parts: list[Any]) -> dict[str, Any] | None:
        """`allOf: [{$ref: Label}, {maxLength: 12}]` where Label is a plain value (a string, a number):
        that value with the other parts' constraints (the models stage would keep only the ref)."""
        components = (self.spec.get("components") or {}).get("schemas") or {}
        values, constraints = [], []
        for part in parts:
            if not isinstance(part, Mapping):
                return None
            ref = part.get("$ref")
            target = components.get(split_pointer(ref)[-1]) if isinstance(ref, str) else part
            if isinstance(ref, str) and (not ref.startswith(COMPONENT_PREFIX) or len(part) > 1):
                return None
            if isinstance(target, Mapping) and target.get("type") in _PLAIN and not _COMPOSED & target.keys():
                values.append(target)
            elif set(part) <= {*_CONSTRAINTS, *_WORDS_ONLY, "format"}:
                constraints.append(part)
            else:
                return None
        if len(values) != 1 or not constraints:
            return None
        merged = dict(values[0])
        for part in constraints:
            merged.update({k: v for k, v in part.items() if k not in _WORDS_ONLY})
        return merged

    def _distribute(self, typed: list[tuple[int, Any]], words: Mapping[str, Any]) -> dict[str, Any] | None:
        """`allOf: [anyOf: [A, B], {stream_id}]` is "A with stream_id, or B with stream_id": a union of
        classes, each named after its branch's tag or schema (`...ResponseAudioDelta`), where the
        models stage would number them (`...Item1`, `...Item2`)."""
        unions = [p for _, p in typed if isinstance(p, Mapping) and ("anyOf" in p or "oneOf" in p) and "$ref" not in p]
        others = [p for _, p in typed if all(p is not u for u in unions)]
        if len(unions) != 1 or not others or not all(isinstance(o, Mapping) and _objectish(o) for o in others):
            return None
        key = "anyOf" if "anyOf" in unions[0] else "oneOf"
        branches = unions[0][key]
        if not all(isinstance(b, Mapping) and isinstance(b.get("$ref"), str) for b in branches):
            return None
        components = (self.spec.get("components") or {}).get("schemas") or {}
        out = []
        for branch in branches:
            target = split_pointer(branch["$ref"])[-1]
            tag = _tag_value(components.get(target)) if branch["$ref"].startswith(COMPONENT_PREFIX) else None
            out.append({"allOf": [branch, *others], "title": tag or self.component_names.get(target, target)})
        return {key: out, **words}

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
            at = f"{pointer}/{key}/{index}"
            converted.append(self._counted_map_named(self.convert(branch, branch_hint, at), branch_hint, at))
        out: dict[str, Any] = {key: converted}
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, Mapping) and len(non_null) == len(branches):
            out["discriminator"] = {"propertyName": discriminator["propertyName"]}
            mapping = discriminator.get("mapping")
            if isinstance(mapping, Mapping):  # targets are refs, or (as many specs write them) bare names
                mapping = {
                    value: target if str(target).startswith(("#", ".", "/")) else COMPONENT_PREFIX + str(target)
                    for value, target in mapping.items()
                }
                for target in mapping.values():  # a dangling target is an error here
                    self._convert_ref({"$ref": target}, f"{pointer}/discriminator/mapping")
            # A branch no mapping entry names is selected by its schema's name (OpenAPI's implicit value).
            mapped = set(mapping.values()) if isinstance(mapping, Mapping) else set()
            mapping = {**(mapping if isinstance(mapping, Mapping) else {})} | {
                b["$ref"].removeprefix(COMPONENT_PREFIX): b["$ref"]
                for _, b in non_null
                if isinstance(b, Mapping)
                and str(b.get("$ref", "")).startswith(COMPONENT_PREFIX)
                and b["$ref"] not in mapped
            }
            self.discriminated.append((str(discriminator["propertyName"]), dict(mapping), out))
        if len(non_null) < len(branches):
            return self._nullable(self._with_annotations(out, schema), {})
        return self._with_annotations(out, schema)

    def _convert_enum(self, schema: Mapping[str, Any], hint: str, pointer: str, *, root: bool) -> dict[str, Any]:
        values = list(schema["enum"]) if isinstance(schema["enum"], list) else []
        nullable = None in values
        values = [v for v in values if v is not None]
        if not values:  # `enum: [null]`: only null
            return self._with_annotations({"type": "null"}, schema, defaults=False)
        if len(values) == 1 and not root:
            # A one-value enum is a constant (`object: "chat.completion"`): a Literal, not a class.
            out = self._with_annotations({"const": values[0]}, schema, defaults=False)  # its own default
        else:
            body = {"type": schema.get("type", "string"), "enum": values}
            body = self._with_annotations(body, schema, defaults=False)
            if root:
                out = body
            elif (reused := self.same_component(hint, schema)) is not None:
                out = self._with_annotations(self.ref(reused), schema)
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
            if extra is False:  # no properties and no others: only the empty object (a value, not a class)
                out["maxProperties"] = 0
            return self._with_annotations(out, schema, constraints=True)
        if not root:
            if (reused := self.same_component(hint, schema)) is not None:
                return self._with_annotations(self.ref(reused), schema, defaults=False)
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

    def _counted_map_named(self, converted: dict[str, Any], hint: str, pointer: str) -> dict[str, Any]:
        """A map with a property count (`maxProperties`; `additionalProperties: false` alone is the
        empty object) inside a union or a list gets a name: the models stage applies the count to a
        field's own type or a named alias only, and drops it elsewhere."""
        kind = converted.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        counts = {k: converted[k] for k in ("minProperties", "maxProperties") if k in converted}
        if "object" not in kinds or not counts or "properties" in converted or "$ref" in converted:
            return converted
        body = {k: v for k, v in converted.items() if k not in _ANNOTATIONS} | {"type": "object"}
        name = self.claim(hint, {}, pointer)
        self.defs[name] = body
        out = self.ref(name) | {k: converted[k] for k in _ANNOTATIONS if k in converted}
        return nullable(out) if "null" in kinds else out

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


def _nullable_ref(schema: Mapping[str, Any], nullable_components: Mapping[str, Any]) -> bool:
    """A `$ref` to a component that is "X or null"."""
    ref = schema.get("$ref")
    return isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX) and split_pointer(ref)[-1] in nullable_components


def _objectish(schema: Mapping[str, Any]) -> bool:
    """An object part of a composition: a ref, or an inline schema with properties."""
    return "$ref" in schema or "properties" in schema


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
    typed_map = kind == "object" and isinstance(inner.get("additionalProperties"), Mapping)
    if isinstance(kind, str) and kind != "null" and "$ref" not in inner and not typed_map:
        return {**inner, "type": [kind, "null"]}
    if typed_map:  # the models stage reads a map's value type only where the type is `object` alone
        words = {k: inner[k] for k in _ANNOTATIONS if k in inner}
        return {"anyOf": [{k: v for k, v in inner.items() if k not in words}, {"type": "null"}], **words}
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
    if isinstance(schema.get("enum"), list) and None in schema["enum"] and len(schema["enum"]) > 1:  # `[a, null]`
        inner = {**schema, "enum": [v for v in schema["enum"] if v is not None]}
        if isinstance(inner.get("type"), list):
            inner["type"] = next(t for t in inner["type"] if t != "null")
        return inner, "", words
    types = schema.get("type")
    if isinstance(types, list) and "null" in types and len(types) == 2:
        return {**schema, "type": next(t for t in types if t != "null")}, "", words
    return None
