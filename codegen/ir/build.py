"""Build the IR from a spec (pure): every model, field, type and operation, decided once.

Input: the spec mapping, its source path, and Settings. Output: `nodes.Api`: models with their
kind (class, enum or type alias) and fields (Python names from `naming.attribute_names`),
operations sorted by (path, method) with typed arguments and their runtime `Endpoint`, the
resource tree that places each operation (`tree.place`: `POST /chat/completions` →
`client.chat.completions.create`), and the layout: for a large API, the module of every resource
and of every model (`layout.place_models`); credentials, servers and client options (`access`).
`schemas.model_schemas` names every schema first; this module only reads what it named.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

from ..config import Settings
from ..errors import Problem
from ..naming import attribute_names, dedupe, snake
from . import access
from .layout import place_models, resource_tree
from .nodes import (
    Api,
    AuthScheme,
    Endpoint,
    Field,
    Layout,
    Model,
    ModelKind,
    Operation,
    Param,
    Security,
    StatusBody,
)
from .operations import DEFAULT_STYLES, SSE, NamedSchemas, OperationSchemas, model_schemas
from .paging import find_paging, page_shapes, unknown_operations
from .schemas import TAG_ATTRIBUTE, is_class, nullable
from .tree import Placement, Route, place
from .types import (
    ANY,
    NONE,
    Binary,
    Builtin,
    ListOf,
    LiteralOf,
    MapOf,
    ModelRef,
    StreamOf,
    TypeNode,
    Upload,
    builtins_named,
    union,
)

# Names every generated method already uses: a parameter or property of the same name gets a `_`.
RESERVED_ARGUMENTS = frozenset({"self", "timeout", "extra_headers", "extra_query", "extra_body", "options"})
_DEFS = "#/$defs/"
JSON = "application/json"


def build_api(spec: dict[str, Any], *, source: str, settings: Settings) -> Api:
    named = model_schemas(spec, source=source, renames=settings.renames)
    defs = _separate_overrides(named.defs)
    kinds = _kinds(defs, named.components)
    typer = _Typer(defs, kinds)
    models = tuple(_model(name, named, defs, kinds, typer) for name in sorted(defs) if kinds[name] != "inline")
    fields = {m.name: m.fields for m in models}
    auth = access.auth_schemes(spec, settings)
    default_security = access.security(spec.get("security"), auth) or ()
    routes = [Route(op.operation_id, op.method.upper(), op.path) for op in named.operations]
    placements = place(routes, settings.resources, tree=len(routes) > settings.tree_above)
    operations = _unique_constants(
        [
            _operation(op, p, typer, fields, auth, default_security)
            for op, p in zip(named.operations, placements, strict=True)
        ]
    )
    operations, paging_warnings = _paged(operations, named, fields, settings, source)
    layout: Layout = "modules" if len(operations) > settings.split_above else "single"
    root = resource_tree(operations, layout)
    if layout == "modules":
        models = place_models(models, operations, root)
    server = access.server(spec, taken={a.option for a in auth} | set(settings.header_options))
    info = spec.get("info") or {}
    return Api(
        title=str(info.get("title", "API")),
        version=str(info.get("version", "")),
        base_url=str(((spec.get("servers") or [{}])[0]).get("url", "http://localhost")),
        spec_label=settings.spec_label or settings.spec.name,
        spec_sha256=hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest(),
        models=models,
        operations=tuple(operations),
        root=root,
        layout=layout,
        server=server,
        auth=auth,
        default_security=default_security,
        required_auth=access.required(default_security, operations),
        header_options=tuple((o, h, e) for o, (h, e) in sorted(settings.header_options.items())),
        options=access.client_options(auth, settings, server),
        warnings=named.warnings + access.auth_warnings(spec, auth, source) + paging_warnings,
    )


# -- models ----------------------------------------------------------------------------------

Kind = ModelKind | Literal["inline"]


def _kinds(defs: Mapping[str, Mapping[str, Any]], components: frozenset[str]) -> dict[str, Kind]:
    """Enums and objects are classes; a component that is neither (a map, a union, a list) is a
    type alias named as the spec names it; any other such schema is written out where it is used."""
    kinds: dict[str, Kind] = {}
    for name, schema in defs.items():
        if "enum" in schema:
            kinds[name] = "enum"
        elif is_class(schema, defs):
            kinds[name] = "class"
        elif name in components or {"minProperties", "maxProperties"} & schema.keys():
            kinds[name] = "alias"  # a counted map: the models stage keeps the count on a named alias only
        else:
            kinds[name] = "inline"
    return kinds


def _separate_overrides(defs: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`allOf: [Base, {status: OtherEnum}]` redefines a field of Base: valid for pydantic, an
    incompatible override for mypy; `allOf: [Base, {required: [id]}]` makes Base's optional `id`
    required. Such a class copies Base's properties instead of extending it, with what it requires."""
    out = dict(defs)
    for name, schema in defs.items():
        parts = schema.get("allOf")
        if not isinstance(parts, list):
            continue
        own = set(schema.get("properties") or {})
        for part in parts:
            if "$ref" not in part:
                own |= set(part.get("properties") or {})
        wanted = set(schema.get("required") or [])
        merged: list[Any] = []
        for part in parts:
            ref = part.get("$ref")
            properties, required = _flat_properties(part, defs) if isinstance(ref, str) else ({}, set())
            one_way = {p for p, s in properties.items() if isinstance(s, Mapping) and s.get("readOnly")}
            newly = (wanted & set(properties)) - required - one_way
            if isinstance(ref, str) and (own & set(properties) or newly):
                merged.append({"type": "object", "properties": properties, "required": sorted(required | newly)})
            else:
                merged.append(part)
        declared = own | {p for part in parts if "$ref" in part for p in _flat_properties(part, defs)[0]}
        if wanted - declared:  # required, declared by no part: the key must be there, of any type
            merged.append({"type": "object", "properties": {p: {} for p in sorted(wanted - declared)}})
            merged[-1]["required"] = sorted(wanted - declared)
        if merged != parts or "required" in schema:
            out[name] = {**{k: v for k, v in schema.items() if k != "required"}, "allOf": merged}
    return out


def _model(
    name: str, named: NamedSchemas, defs: Mapping[str, dict[str, Any]], kinds: Mapping[str, Kind], typer: _Typer
) -> Model:
    schema = defs[name]
    kind = kinds[name]
    fields: tuple[Field, ...] = ()
    if kind == "class":
        inherited, _ = _flat_properties({"allOf": [p for p in schema.get("allOf", []) if "$ref" in p]}, defs)
        properties, required = _flat_properties(schema, defs)
        ordered = {**{k: properties[k] for k in inherited}, **properties}
        typed = {wire: typer.type_of(prop) for wire, prop in ordered.items()}
        wanted = {w: p[TAG_ATTRIBUTE] for w, p in ordered.items() if isinstance(p, Mapping) and TAG_ATTRIBUTE in p}
        names = attribute_names(list(ordered), {wire: builtins_named(t) for wire, t in typed.items()}, wanted=wanted)
        fields = tuple(
            Field(
                name=names[wire],
                wire_name=wire,
                type=typed[wire],
                required=wire in required,
                deprecated=bool(isinstance(prop, Mapping) and prop.get("deprecated")),
                inherited=wire in inherited and wire not in _own_properties(schema),
            )
            for wire, prop in ordered.items()
        )
    assert kind != "inline"
    return Model(
        name=name,
        pointer=named.pointers[name],
        kind=kind,
        fields=fields,
        schema=_expand_inline(schema, defs, kinds, (name,)),
    )


def _expand_inline(node: Any, defs: Mapping[str, Any], kinds: Mapping[str, Kind], trail: tuple[str, ...]) -> Any:
    """Write out the schemas that get no name of their own where they are used, so a field reads
    `dict[str, str]`, not a RootModel; "X or null" stays one nullable type."""
    if isinstance(node, dict):
        branches = node.get("anyOf")
        if isinstance(branches, list) and len(branches) == 2 and branches[1] == {"type": "null"}:
            inner = _expand_inline(branches[0], defs, kinds, trail)
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            return {**nullable(inner), **rest}
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.removeprefix(_DEFS)
            if kinds.get(name) == "inline" and name not in trail:
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return {**_expand_inline(defs[name], defs, kinds, (*trail, name)), **rest}
            return node
        return {key: _expand_inline(value, defs, kinds, trail) for key, value in node.items()}
    if isinstance(node, list):
        return [_expand_inline(value, defs, kinds, trail) for value in node]
    return node


def _own_properties(schema: Mapping[str, Any]) -> set[str]:
    own = set(schema.get("properties") or {})
    for part in schema.get("allOf") or []:
        if "$ref" not in part:
            own |= set(part.get("properties") or {})
    return own


def _flat_properties(
    schema: Mapping[str, Any], defs: Mapping[str, Mapping[str, Any]], depth: int = 0
) -> tuple[dict[str, Any], set[str]]:
    """The properties of an object schema, following refs and merging `allOf` parts (earlier
    parts first, so a base's properties come before the ones a class adds)."""
    if depth > 16:
        return {}, set()
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _flat_properties(defs.get(ref.removeprefix(_DEFS), {}), defs, depth + 1)
    properties: dict[str, Any] = {}
    required: set[str] = set()
    for part in schema.get("allOf") or []:
        more, more_required = _flat_properties(part, defs, depth + 1)
        properties.update(more)
        required |= more_required
    properties.update(schema.get("properties") or {})
    return properties, required | set(schema.get("required") or [])


class _Typer:
    """The Python type a converted schema validates to, for signatures (pydantic validates)."""

    def __init__(self, defs: Mapping[str, Mapping[str, Any]], kinds: Mapping[str, Kind]) -> None:
        self._defs = defs
        self._kinds = kinds

    @property
    def defs(self) -> Mapping[str, Mapping[str, Any]]:
        return self._defs

    def kind(self, name: str) -> Kind:
        return self._kinds.get(name, "inline")

    def type_of(self, schema: Any, *, files: bool = False, depth: int = 0) -> TypeNode:
        """With `files`, a binary string is anything the runtime can upload (`FileTypes`)."""
        if not isinstance(schema, Mapping) or depth > 32:
            return ANY
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref.removeprefix(_DEFS)
            if self._kinds.get(name, "inline") != "inline":
                return ModelRef(name)
            return self.type_of(self._defs.get(name, {}), files=files, depth=depth + 1)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return union(*(self.type_of(b, files=files, depth=depth + 1) for b in schema[key]))
        if "allOf" in schema:
            parts = schema["allOf"]
            return self.type_of(parts[0], files=files, depth=depth + 1) if len(parts) == 1 else MapOf(ANY)
        if "const" in schema:
            value = schema["const"]
            return NONE if value is None else LiteralOf(value) if isinstance(value, str | int | float) else ANY
        kind = schema.get("type")
        if isinstance(kind, list):  # [X, "null"]
            return union(*(self.type_of({**schema, "type": k}, files=files, depth=depth + 1) for k in kind))
        if kind == "string" and (schema.get("format") == "binary" or schema.get("contentMediaType")):
            return Upload() if files else Builtin("bytes")
        if kind == "array":
            return ListOf(self.type_of(schema.get("items", {}), files=files, depth=depth + 1))
        if kind == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, Mapping) and extra:
                return MapOf(self.type_of(extra, files=files, depth=depth + 1))
            return MapOf(ANY)
        simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
        return Builtin(simple[kind]) if isinstance(kind, str) and kind in simple else ANY  # type: ignore[arg-type]


# -- operations ------------------------------------------------------------------------------


def _operation(
    op: OperationSchemas,
    placement: Placement,
    typer: _Typer,
    fields: Mapping[str, tuple[Field, ...]],
    auth: tuple[AuthScheme, ...],
    default_security: Security,
) -> Operation:
    taken = set(RESERVED_ARGUMENTS) | ({"stream"} if op.events is not None else set())
    params: list[Param] = []
    for p in op.parameters:
        arg = dedupe(_argument(p.wire_name), taken)
        taken.add(arg)
        params.append(
            Param(
                name=arg,
                wire_name=p.wire_name,
                location=p.location,  # type: ignore[arg-type]
                required=bool(p.raw.get("required")) or p.location == "path",
                type=typer.type_of(p.schema),
                description=str(p.raw.get("description", "")).strip(),
            )
        )
    body, body_model, whole = _body(op, typer, fields, taken)
    stream_flag = op.events is not None and any(p.wire_name == "stream" for p in body)
    rest = [p for p in params if p.location != "path"] + [
        p for p in body if not (stream_flag and p.wire_name == "stream")
    ]
    security = access.security(op.raw.get("security"), auth)
    endpoint = _endpoint(op, typer, body_model, None if security == default_security else security)
    # An event stream as the only success body (not an alternative to JSON or bytes): always streamed.
    stream_only = op.events is not None and bool(op.responses) and op.responses[0].media == SSE
    return Operation(
        operation_id=op.operation_id,
        resource=placement.resource,
        name=placement.name,
        summary=str(op.raw.get("summary") or op.raw.get("description") or "").strip(),
        deprecated=bool(op.raw.get("deprecated")),
        positional=tuple(p for p in params if p.location == "path"),
        keyword=tuple([p for p in rest if p.required] + [p for p in rest if not p.required]),
        body_whole=whole,
        returns=endpoint.stream if stream_only and endpoint.stream else _returns(op, typer),
        streaming="none" if op.events is None else "always" if stream_only else "optional",
        stream_flag=stream_flag,
        endpoint=endpoint,
    )


def _argument(wire: str) -> str:
    name = snake(wire)
    return name + "_" if name in RESERVED_ARGUMENTS else name


def _body(
    op: OperationSchemas, typer: _Typer, fields: Mapping[str, tuple[Field, ...]], taken: set[str]
) -> tuple[list[Param], str | None, bool]:
    """(arguments, validating model, whole). An object body (JSON, form or multipart) becomes keyword
    arguments named as the body model's attributes; any other body (a union, an array, text, bytes)
    is one `body` argument."""
    if op.body is None:
        return [], None, False
    kind = op.body.encoding
    files = kind == "multipart"
    schema = op.body.schema
    properties, required = (
        _flat_properties(schema, typer.defs) if kind in ("json", "form", "multipart") else ({}, set())
    )
    if not properties:
        whole = (
            Binary() if kind == "binary" else Builtin("str") if kind == "text" else typer.type_of(schema, files=files)
        )
        return [Param("body", "", "body", op.body.required, whole, "")], None, True
    ref = schema.get("$ref")
    model = ref.removeprefix(_DEFS) if isinstance(ref, str) else None
    if model is not None and typer.kind(model) != "class":
        model = None  # written out where it is used (an `allOf` of a map, say): nothing to validate with
    attributes = {f.wire_name: f.name for f in fields.get(model or "", ())} or attribute_names(list(properties))
    params: list[Param] = []
    for wire, prop in properties.items():
        if isinstance(prop, Mapping) and prop.get("readOnly"):
            continue  # set by the server: not an argument (the model no longer requires it)
        wanted = attributes.get(wire, snake(wire))
        name = dedupe(wanted + "_" if wanted in RESERVED_ARGUMENTS else wanted, taken)
        taken.add(name)
        params.append(
            Param(
                name=name,
                wire_name=wire,
                location="body",
                required=wire in required,
                type=typer.type_of(prop, files=files),
                description=str(prop.get("description", "") if isinstance(prop, Mapping) else "").strip(),
            )
        )
    # Only a JSON body is validated by its model: form and multipart fields are built as given.
    return params, model if model and kind == "json" else None, False


def _returns(op: OperationSchemas, typer: _Typer) -> TypeNode:
    """The first 2xx decides the format (JSON, text, bytes, nothing). When several 2xx statuses carry
    different JSON bodies (200 `Reservation`, 202 `Ticket`, 204 none), the method returns their union."""
    if not op.responses:
        return NONE
    first = op.responses[0]
    if first.format == "binary":
        return Builtin("bytes")
    if first.format == "text":
        return Builtin("str")
    return union(*(_status_type(r.schema, typer) for r in op.responses if r.format in ("json", "none")))


def _status_type(schema: Mapping[str, Any] | None, typer: _Typer) -> TypeNode:
    return NONE if schema is None else typer.type_of(schema)


def _endpoint(op: OperationSchemas, typer: _Typer, body_model: str | None, security: Security | None) -> Endpoint:
    first = op.responses[0] if op.responses else None
    parsed = [r for r in op.responses if r.format in ("json", "none")]
    types = [_status_type(r.schema, typer) for r in parsed]
    by_status: tuple[StatusBody, ...] = ()
    if first is not None and first.format in ("json", "none") and any(t != types[0] for t in types):
        by_status = tuple(StatusBody(r.status, None if r.schema is None else typer.type_of(r.schema)) for r in parsed)
    response_format = first.format if first is not None else "none"
    response: TypeNode | None = None
    if response_format == "json":
        response = union(*types) if by_status else types[0]
    styles = [(p.wire_name, *p.style) for p in op.parameters if p.style != DEFAULT_STYLES[p.location]]
    if op.body is not None:
        styles += [s for s in op.body.styles if s[1:] != ("form", True)]
    return Endpoint(
        const_name="_" + snake(op.operation_id).upper(),
        method=op.method.upper(),
        path=op.path,
        path_params=tuple(p.wire_name for p in op.parameters if p.location == "path"),
        response=response,
        body_model=body_model,
        params_model=op.params_model,
        stream=StreamOf(typer.type_of(op.events)) if op.events is not None else None,
        styles=tuple(styles),
        encoding=op.body.encoding if op.body is not None else "none",
        content_type=op.body.media if op.body is not None else "application/json",
        response_format=response_format,
        accept=first.media if first is not None and first.format != "none" and first.media != "*/*" else JSON,
        responses=by_status,
        security=security,
    )


def _paged(
    operations: list[Operation],
    named: NamedSchemas,
    fields: Mapping[str, tuple[Field, ...]],
    settings: Settings,
    source: str,
) -> tuple[list[Operation], tuple[Problem, ...]]:
    """Each list operation that pages gets its `Paging` (see paging.py); the warnings of the shapes
    that name an operation that does not fit them."""
    shapes = page_shapes(settings)
    if not shapes:
        return operations, ()
    paged: list[Operation] = []
    warnings = list(unknown_operations(shapes, {op.operation_id for op in operations}, source=source))
    for op, schemas in zip(operations, named.operations, strict=True):
        paging, problems = find_paging(schemas, op.endpoint.response, fields, shapes, source=source)
        warnings.extend(problems)
        if paging is not None:
            # the method returns pages (`SyncCursorPage[Item]`), not the list response
            op = dataclasses.replace(op, returns=paging.page, endpoint=dataclasses.replace(op.endpoint, paging=paging))
        paged.append(op)
    return paged, tuple(warnings)


def _unique_constants(operations: list[Operation]) -> list[Operation]:
    """Two operationIds that snake_case alike (`listTags`, `list_tags`) get `_LIST_TAGS`, `_LIST_TAGS_2`."""
    constants: set[str] = set()
    unique = []
    for op in operations:
        const = op.endpoint.const_name
        n = 2
        while const in constants:
            const = f"{op.endpoint.const_name}_{n}"
            n += 1
        constants.add(const)
        unique.append(dataclasses.replace(op, endpoint=dataclasses.replace(op.endpoint, const_name=const)))
    return unique
