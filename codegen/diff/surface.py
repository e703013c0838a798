"""The public Python API a spec generates: the only module of the diff that reads the IR.

Input: a spec (already pruned and overlaid) and the project's Settings, or an `ir.Api`.
Output: a `Surface`, plain frozen dataclasses of strings: the client's methods (resource path,
name, positional and keyword arguments with their annotation text, required flag and default,
return type, streaming variant) and the model classes (fields with Python name, wire alias,
annotation text, required flag) and enums (values) of models.py. `sdk.py` compares two of them.

Everything is read from the IR, which decides every name and type before anything renders: method
signatures from its operations, fields (Python name, wire name, type) from its models. An operation
the generator skips (with a warning) has no method: it is left out, with the reason kept in `skipped`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..config import Settings
from ..ir import types
from ..ir.build import build_api
from ..ir.nodes import Api, Operation
from ..refs import iter_refs, split_pointer


@dataclass(frozen=True, slots=True)
class Argument:
    name: str  # as the signature spells it
    wire_name: str  # "" for a whole-body `body` argument
    location: str  # path, query, header or body
    annotation: str
    required: bool
    positional: bool
    default: str | None = None  # the default's text (`NOT_GIVEN` for an optional argument)


@dataclass(frozen=True, slots=True)
class Method:
    operation: str  # `POST /chat/completions/{completion_id}`, as the wire diff labels it
    operation_id: str
    resource: tuple[str, ...]
    name: str
    arguments: tuple[Argument, ...]  # positional first, then keyword-only, as the signature orders them
    returns: str
    stream: str | None  # the event type of `stream=True` (or of a stream-only method), when there is one
    deprecated: bool

    @property
    def spelling(self) -> str:
        return ".".join(("client", *self.resource, self.name))

    @property
    def key(self) -> tuple[str, str]:
        """(HTTP method, path with parameter names blanked): what stays when the method is renamed."""
        method, _, path = self.operation.partition(" ")
        return method, re.sub(r"\{[^}]*\}", "{}", path)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    alias: str  # the wire name
    annotation: str
    required: bool


@dataclass(frozen=True, slots=True)
class ModelClass:
    name: str
    pointer: str  # where in the spec it comes from (`/components/schemas/ChatCompletion`)
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class EnumClass:
    name: str
    pointer: str
    values: tuple[str, ...]  # JSON text of each value
    base: str = "str"  # the type its members also are: str, int or float


@dataclass(frozen=True, slots=True)
class Surface:
    methods: tuple[Method, ...]
    classes: tuple[ModelClass, ...]
    enums: tuple[EnumClass, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (operation, `file#/pointer: why`) the generator rejects
    by_pointer: Mapping[str, str] = field(default_factory=dict, compare=False)  # spec pointer → class name

    def class_for_ref(self, ref: str) -> str | None:
        """The class a component `$ref` (`#/components/schemas/X`) generates, if any."""
        return self.by_pointer.get(ref.removeprefix("#"))

    fields_of: Mapping[str, Mapping[str, Field]] = field(default_factory=dict, compare=False)  # class → alias → field

    def field_name(self, class_name: str, alias: str) -> str | None:
        """The Python name of the field `alias` of `class_name`, if the class has one."""
        found = self.fields_of.get(class_name, {}).get(alias)
        return found.name if found else None

    def field_annotation(self, class_name: str, alias: str) -> str:
        found = self.fields_of.get(class_name, {}).get(alias)
        return found.annotation if found else ""

    @property
    def enum_bases(self) -> dict[str, str]:
        return {e.name: e.base for e in self.enums}

    @property
    def names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.classes) | {e.name for e in self.enums}


def build_surfaces(
    old: dict[str, Any], new: dict[str, Any], *, sources: tuple[str, str], settings: Settings
) -> tuple[Surface, Surface]:
    """Both sides' surfaces. A class whose model schema is the same on both sides is listed without
    its fields: they cannot differ, and spelling 2,000 classes out twice is most of the cost."""
    old_api, old_skipped = build_tolerant(old, source=sources[0], settings=settings)
    new_api, new_skipped = build_tolerant(new, source=sources[1], settings=settings)
    old_models = {m.name: m.schema for m in old_api.models}
    same = _unchanged({m.name: m.schema for m in new_api.models}, old_models)
    return (
        surface_of(old_api, skipped=old_skipped, same=same),
        surface_of(new_api, skipped=new_skipped, same=same),
    )


_MISSING: dict[str, Any] = {"$missing": True}


def _unchanged(new: Mapping[str, Any], old: Mapping[str, Any]) -> frozenset[str]:
    """Models equal on both sides whose referenced models are too (a field's annotation depends on them)."""
    refs = {name: {ref.removeprefix("#/$defs/") for ref, _ in iter_refs(schema)} for name, schema in new.items()}
    changed = {name for name, schema in new.items() if old.get(name, _MISSING) != schema}
    changed |= old.keys() - new.keys()
    users: dict[str, set[str]] = {}
    for name, targets in refs.items():
        for target in targets:
            users.setdefault(target, set()).add(name)
    stack = list(changed)
    while stack:
        for user in users.get(stack.pop(), ()):
            if user not in changed:
                changed.add(user)
                stack.append(user)
    return frozenset(new.keys() - changed)


def build_surface(spec: dict[str, Any], *, source: str, settings: Settings) -> Surface:
    """One side's whole surface."""
    api, skipped = build_tolerant(spec, source=source, settings=settings)
    return surface_of(api, skipped=skipped)


def build_tolerant(spec: dict[str, Any], *, source: str, settings: Settings) -> tuple[Api, tuple[tuple[str, str], ...]]:
    """The IR, and the operations it skipped (`METHOD /path`, the warning); a spec-wide error propagates."""
    api = build_api(spec, source=source, settings=settings)
    skipped = tuple(
        (label, str(w))
        for w in api.warnings
        if "operation skipped" in w.message and (label := _operation_of(w.pointer))
    )
    return api, skipped


def _operation_of(pointer: str) -> str:
    """`/paths/~1things/post/parameters` → `POST /things`; "" outside any operation."""
    parts = split_pointer(pointer) if pointer.startswith("/") else []
    return f"{parts[2].upper()} {parts[1]}" if len(parts) >= 3 and parts[0] == "paths" else ""


def surface_of(api: Api, *, skipped: tuple[tuple[str, str], ...] = (), same: frozenset[str] = frozenset()) -> Surface:
    """The surface of `api`; the classes named in `same` without their fields."""
    # A method's parameter-checking model repeats its arguments: not an API of its own.
    internal = {op.endpoint.params_model for op in api.operations if op.endpoint.params_model}
    classes, enums = [], []
    for model in api.models:
        if model.name in internal:
            continue
        if model.kind == "enum":
            values = tuple(_json(v) for v in model.schema.get("enum", []) if v is not None)
            base = {"integer": "int", "number": "float"}.get(str(model.schema.get("type")), "str")
            enums.append(EnumClass(model.name, model.pointer, values, base))
        elif model.kind == "class":
            fields = () if model.name in same else tuple(_field(f) for f in model.fields)
            classes.append(ModelClass(model.name, model.pointer, fields))
    by_pointer = {m.pointer: m.name for m in api.models}
    fields_of = {c.name: {f.alias: f for f in c.fields} for c in classes}
    methods = tuple(_method(op) for op in api.operations)
    return Surface(methods, tuple(classes), tuple(enums), skipped, by_pointer, fields_of)


def _field(field: Any) -> Field:
    annotation = types.annotation(field.type)
    if not field.required and not annotation.endswith("None"):
        annotation += " | None"
    return Field(field.name, field.wire_name, annotation, field.required)


def _method(op: Operation) -> Method:
    arguments = tuple(
        Argument(
            name=p.name,
            wire_name=p.wire_name,
            location=p.location,
            annotation=types.annotation(p.type),
            required=p.required,
            positional=p in op.positional,
            default=None if p.required else "NOT_GIVEN",
        )
        for p in op.params
    )
    stream = op.endpoint.stream
    return Method(
        operation=f"{op.endpoint.method} {op.endpoint.path}",
        operation_id=op.operation_id,
        resource=op.resource,
        name=op.name,
        arguments=arguments,
        returns=types.annotation(op.returns),
        stream=types.annotation(stream.event) if isinstance(stream, types.StreamOf) else None,
        deprecated=op.deprecated,
    )


def _json(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else value
