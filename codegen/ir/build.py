"""Build the IR from a spec (pure): every model, field, type and operation, decided once.

Input: the spec mapping, its source path, and Settings. Output: `nodes.Api`: models with their
kind (class, enum or type alias) and fields (Python names from `naming.attribute_names`),
operations sorted by (path, method) with typed arguments and their runtime `Endpoint`, the
resource tree that places each operation (`tree.place`: `POST /chat/completions` →
`client.chat.completions.create`), and the layout: for a large API, the module of every resource
and of every model (`_place_models`).
`schemas.model_schemas` names every schema first; this module only reads what it named.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from collections.abc import Mapping
from typing import Any, Literal

from ..config import Settings
from ..errors import Problem
from ..naming import attribute_names, dedupe, pascal, snake
from ..refs import escape
from .nodes import (
    Api,
    AuthKind,
    AuthScheme,
    ClientOption,
    Endpoint,
    Field,
    Layout,
    Model,
    ModelKind,
    Operation,
    Param,
    Resource,
    Security,
    Server,
    StatusBody,
)
from .operations import DEFAULT_STYLES, NamedSchemas, OperationSchemas, model_schemas
from .schemas import is_class, nullable
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
    model_names,
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
    auth = _auth_schemes(spec, settings)
    default_security = _security(spec.get("security"), auth) or ()
    routes = [Route(op.operation_id, op.method.upper(), op.path, op.events is not None) for op in named.operations]
    placements = place(routes, settings.resources, tree=len(routes) > settings.tree_above)
    operations = _unique_constants(
        [
            _operation(op, p, typer, fields, auth, default_security)
            for op, p in zip(named.operations, placements, strict=True)
        ]
    )
    layout: Layout = "modules" if len(operations) > settings.split_above else "single"
    root = _resource_tree(operations, layout)
    if layout == "modules":
        models = _place_models(models, operations, root)
    server = _server(spec, taken={a.option for a in auth} | set(settings.header_options))
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
        required_auth=_required(default_security, operations),
        header_options=tuple((o, h, e) for o, (h, e) in sorted(settings.header_options.items())),
        options=_client_options(auth, settings, server),
        warnings=named.warnings + _auth_warnings(spec, auth, source),
    )


# -- client: auth, servers, options ----------------------------------------------------------

# Options every client has (the runtime's ClientOptions): a spec's own options must not take these names.
RUNTIME_OPTIONS = frozenset(
    {"base_url", "timeout", "max_retries", "backoff", "default_headers", "default_query", "http_client"}
    | {"strict_response_validation", "on_retry"}
)
_SUFFIXES = ("_authentication", "_auth", "_scheme", "_security")


def _auth_schemes(spec: Mapping[str, Any], settings: Settings) -> tuple[AuthScheme, ...]:
    """One client option per security scheme the runtime can send; mutual TLS and HTTP schemes
    other than bearer and basic are left out (the operations that need only them send nothing)."""
    schemes = ((spec.get("components") or {}).get("securitySchemes")) or {}
    taken = set(RUNTIME_OPTIONS) | set(settings.header_options)
    found: list[AuthScheme] = []
    for name in sorted(schemes):
        scheme = schemes[name]
        if not isinstance(scheme, Mapping):
            continue
        kind, wire = _auth_kind(scheme)
        if kind is None:
            continue
        option = settings.auth_options.get(name) or _auth_option(name)
        option = dedupe(option, taken)
        taken.add(option)
        found.append(AuthScheme(option=option, scheme=name, kind=kind, wire_name=wire, env=option.upper()))
    return tuple(sorted(found, key=lambda a: a.option))


def _auth_kind(scheme: Mapping[str, Any]) -> tuple[AuthKind | None, str]:
    kind = scheme.get("type")
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        return ("bearer" if http == "bearer" else "basic" if http == "basic" else None), "Authorization"
    if kind in ("oauth2", "openIdConnect"):
        return "bearer", "Authorization"  # a token got elsewhere, sent as a bearer token
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie") and scheme.get("name"):
        return scheme["in"], str(scheme["name"])
    return None, ""


def _auth_option(scheme: str) -> str:
    name = snake(scheme)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


def _security(requirements: Any, auth: tuple[AuthScheme, ...]) -> Security | None:
    """The alternatives of a `security` list, as the client options each needs; None when absent.
    An alternative naming a scheme the client cannot send is dropped; `{}` is "no credentials"."""
    if not isinstance(requirements, list):
        return None
    by_scheme = {a.scheme: a.option for a in auth}
    alternatives: list[tuple[str, ...]] = []
    for requirement in requirements:
        if isinstance(requirement, Mapping) and all(name in by_scheme for name in requirement):
            alternative = tuple(sorted(by_scheme[name] for name in requirement))
            if alternative not in alternatives:
                alternatives.append(alternative)
    return tuple(alternatives)


def _auth_warnings(spec: Mapping[str, Any], auth: tuple[AuthScheme, ...], source: str) -> tuple[Problem, ...]:
    sent = {a.scheme for a in auth}
    schemes = ((spec.get("components") or {}).get("securitySchemes")) or {}
    why = "not sent by the client (mutual TLS or an HTTP scheme other than bearer and basic): set it up on http_client"
    return tuple(
        Problem(source, f"/components/securitySchemes/{escape(name)}", why)
        for name in sorted(schemes)
        if name not in sent
    )


def _required(default: Security, operations: list[Operation]) -> tuple[str, ...]:
    """Credentials a client must have at construction: those every operation needs."""
    if len(default) != 1 or any(op.endpoint.security is not None for op in operations):
        return ()
    return default[0]


def _server(spec: Mapping[str, Any], *, taken: set[str]) -> Server:
    servers = spec.get("servers") or [{}]
    first = servers[0] if isinstance(servers[0], Mapping) else {}
    url = str(first.get("url") or "http://localhost")
    variables = []
    used = set(taken) | RUNTIME_OPTIONS
    for name, variable in sorted((first.get("variables") or {}).items()):
        if "{" + name + "}" in url and isinstance(variable, Mapping):
            option = dedupe(snake(name), used)
            used.add(option)
            variables.append((option, str(name), str(variable.get("default", ""))))
    return Server(url=url, variables=tuple(variables))


def _client_options(auth: tuple[AuthScheme, ...], settings: Settings, server: Server) -> tuple[ClientOption, ...]:
    options = [
        ClientOption(
            a.option,
            "tuple[str, str] | None" if a.kind == "basic" else "str | None",
            f"{a.scheme}: " + ("(username, password)" if a.kind == "basic" else f"{a.kind} {a.wire_name}"),
        )
        for a in auth
    ]
    options += [ClientOption(o, "str | None", f"sent as {h}") for o, (h, _) in sorted(settings.header_options.items())]
    options += [ClientOption(o, "str | None", f"the server's {{{n}}}, default {d!r}") for o, n, d in server.variables]
    return tuple(options)


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
        else:
            kinds[name] = "alias" if name in components else "inline"
    return kinds


def _separate_overrides(defs: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`allOf: [Base, {status: OtherEnum}]` redefines a field of Base: valid for pydantic, an
    incompatible override for mypy. Such a class copies Base's properties instead of extending it."""
    out = dict(defs)
    for name, schema in defs.items():
        parts = schema.get("allOf")
        if not isinstance(parts, list):
            continue
        own = set(schema.get("properties") or {})
        for part in parts:
            if "$ref" not in part:
                own |= set(part.get("properties") or {})
        merged: list[Any] = []
        for part in parts:
            ref = part.get("$ref")
            if isinstance(ref, str) and own & set(_flat_properties(part, defs)[0]):
                properties, required = _flat_properties(part, defs)
                merged.append({"type": "object", "properties": properties, "required": sorted(required)})
            else:
                merged.append(part)
        if merged != parts:
            out[name] = {**schema, "allOf": merged}
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
        names = attribute_names(list(ordered), {wire: builtins_named(t) for wire, t in typed.items()})
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
    taken = set(RESERVED_ARGUMENTS)
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
    security = _security(op.raw.get("security"), auth)
    endpoint = _endpoint(op, typer, body_model, None if security == default_security else security)
    return Operation(
        operation_id=op.operation_id,
        resource=placement.resource,
        name=placement.name,
        summary=str(op.raw.get("summary") or op.raw.get("description") or "").strip(),
        deprecated=bool(op.raw.get("deprecated")),
        positional=tuple(p for p in params if p.location == "path"),
        keyword=tuple([p for p in rest if p.required] + [p for p in rest if not p.required]),
        body_whole=whole,
        returns=_returns(op, typer),
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
        _flat_properties(schema, typer._defs) if kind in ("json", "form", "multipart") else ({}, set())
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


def _resource_tree(operations: list[Operation], layout: Layout) -> Resource:
    """The client and its resources; with layout "modules", each resource names its module
    (`chat.completions` → `chat_completions`, numbered in the rare case two paths join alike)."""
    paths = sorted({op.resource[:n] for op in operations for n in range(1, len(op.resource) + 1)})
    modules: dict[tuple[str, ...], str] = {}
    taken: set[str] = set()
    for path in paths:
        modules[path] = dedupe("_".join(path), taken) if layout == "modules" else ""
        taken.add(modules[path])

    def build(prefix: tuple[str, ...]) -> Resource:
        depth = len(prefix)
        children = sorted({p[depth] for p in paths if len(p) == depth + 1 and p[:depth] == prefix})
        mine = tuple(sorted((op for op in operations if op.resource == prefix), key=lambda op: op.name))
        names = {op.name for op in mine} | {op.name + "_stream" for op in mine if op.endpoint.stream}
        return Resource(
            shadows=frozenset(names & SHADOWABLE),
            attribute=prefix[-1] if prefix else "",
            class_name="".join(pascal(p) for p in prefix) + "Resource" if prefix else "",
            children=tuple(build((*prefix, child)) for child in children),
            operations=mine,
            path=prefix,
            module=modules.get(prefix, ""),
        )

    return build(())


SHADOWABLE = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})  # what annotations spell
SHARED_MODULE = "_shared"  # models that operations of three or more top-level resources use
OTHER_MODULE = "_other"  # models no operation uses (components kept for completeness)
MODULE_CAP = 80  # models per module at most; a bigger group is cut, dependencies first


def _place_models(models: tuple[Model, ...], operations: list[Operation], root: Resource) -> tuple[Model, ...]:
    """Decide each model's module from the operations that use it (directly or through other models):
    - one top-level resource: the module of the deepest resource whose operations include every
      user (`ChatCompletionMessage` → `chat_completions`);
    - two: `_shared_<a>_and_<b>`; more: `_shared`; none: `_other`.
    A model uses only models with at least its users, so imports go from a resource's module up to
    its ancestors and to shared modules, never back: no cycles. A group above MODULE_CAP models is
    cut into parts by dependency depth (`_cut`).
    """
    refs = {m.name: _schema_refs(m.schema) & {n.name for n in models} for m in models}
    users: dict[str, set[tuple[str, ...]]] = {m.name: set() for m in models}
    for op in operations:
        stack = sorted(_operation_models(op))
        seen: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen or name not in users:
                continue
            seen.add(name)
            users[name].add(op.resource)
            stack.extend(refs[name])
    modules: dict[tuple[str, ...], str] = {}
    nodes = [root]
    while nodes:
        node = nodes.pop()
        modules[node.path] = node.module or SHARED_MODULE
        nodes.extend(node.children)
    groups: dict[str, list[str]] = {}
    for m in models:
        tops = sorted({path[:1] for path in users[m.name]})
        if not tops:
            module = OTHER_MODULE
        elif len(tops) == 1:
            module = modules[_common_prefix(sorted(users[m.name]))]
        elif len(tops) == 2:
            module = f"{SHARED_MODULE}_{modules[tops[0]]}_and_{modules[tops[1]]}"
        else:
            module = SHARED_MODULE
        groups.setdefault(module, []).append(m.name)
    placed: dict[str, str] = {}
    for module, names in groups.items():
        for name, suffix in (_cut(names, refs) if len(names) > MODULE_CAP else dict.fromkeys(names, "")).items():
            placed[name] = module + suffix
    return tuple(dataclasses.replace(m, module=placed[m.name]) for m in models)


def _cut(names: list[str], refs: Mapping[str, set[str]]) -> dict[str, str]:
    """{name: module suffix} for a group above MODULE_CAP, stable under additions. Models get a
    depth (0: uses no other model of the group; else one more than the deepest it uses; a cycle
    shares one), so a model only uses models of lower depth or of its own cycle. Consecutive
    depths fill a part up to MODULE_CAP (`""` from depth 0, else `_<first depth>`); a depth too big
    alone is cut by a hash of each cycle's first name (`_<depth>_<bucket>`), which a new model
    elsewhere never changes. Parts import only parts of lower depth: no cycles."""
    components = _components(names, refs)
    depth: dict[str, int] = {}
    for component in components:  # dependencies first
        uses = {w for v in component for w in refs[v] if w in depth}
        level = 1 + max((depth[w] for w in uses), default=-1)
        depth.update((v, level) for v in component)
    levels: dict[int, list[list[str]]] = {}
    for component in components:
        levels.setdefault(depth[component[0]], []).append(component)
    suffix: dict[str, str] = {}
    run: list[str] = []
    start = 0
    for level in sorted(levels):
        members = [v for component in levels[level] for v in component]
        if len(members) > MODULE_CAP:
            buckets = -(-len(members) // MODULE_CAP)
            for component in levels[level]:
                bucket = zlib.crc32(component[0].encode()) % buckets + 1
                suffix.update((v, f"_{level}_{bucket}") for v in component)
            run, start = [], level + 1
            continue
        if len(run) + len(members) > MODULE_CAP:
            run, start = [], level
        run += members
        suffix.update((v, f"_{start}" if start else "") for v in members)
    return suffix


def _components(names: list[str], refs: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components (Tarjan) of the names' uses among themselves, each sorted,
    dependencies first; ties by name."""
    inside = set(names)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(refs[v] & inside):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            found.append(sorted(component))

    for name in sorted(names):
        if name not in index:
            visit(name)
    return found


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    first, last = paths[0], paths[-1]  # sorted: the common prefix of all is that of the extremes
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def _schema_refs(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(_DEFS):
                found.add(ref.removeprefix(_DEFS))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _operation_models(op: Operation) -> set[str]:
    nodes = [op.returns, *(p.type for p in op.params)]
    endpoint = op.endpoint
    nodes += [n for n in (endpoint.response, endpoint.stream) if n is not None]
    nodes += [r.type for r in endpoint.responses if r.type is not None]
    names = {name for node in nodes for name in model_names(node)}
    return names | {n for n in (endpoint.body_model, endpoint.params_model) if n}
