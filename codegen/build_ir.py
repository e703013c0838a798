"""Build the IR from a resolved spec (pure).

Input: the spec mapping, its source path, and Settings. Output: `ir.Api` with models
(named schemas), operations sorted by (path, method), and the resource tree that places
each operation on the client (`updateChatCompletion` → `client.chat.completions.update`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import keyword
from collections.abc import Mapping
from typing import Any

from .config import Settings
from .errors import CodegenError, Problem
from .ir import Api, Model, Operation, Param, Resource
from .naming import dedupe, pascal, snake
from .prune import HTTP_METHODS
from .refs import escape, resolve_ref
from .schemas import SchemaSet, is_class, model_schemas

JSON = "application/json"
# Names every generated method already uses: a parameter or property of the same name gets a `_`.
RESERVED_ARGUMENTS = frozenset({"self", "timeout", "extra_headers", "extra_query", "extra_body"})


def build_api(spec: dict[str, Any], *, source: str, settings: Settings) -> Api:
    schemas = model_schemas(spec, source=source, renames=settings.renames)
    problems: list[Problem] = []
    operations: list[Operation] = []
    for path, item in sorted((spec.get("paths") or {}).items()):
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                try:
                    operations.append(
                        _operation(spec, schemas, path, method, op, item, source=source, settings=settings)
                    )
                except CodegenError as exc:
                    problems.extend(exc.problems)
    if problems:
        raise CodegenError(problems)
    operations = _unique_method_names(operations)
    models = tuple(Model(name, schemas.pointers[name], schemas.defs[name]) for name in sorted(schemas.defs))
    info = spec.get("info") or {}
    return Api(
        title=str(info.get("title", "API")),
        version=str(info.get("version", "")),
        base_url=str(((spec.get("servers") or [{}])[0]).get("url", "http://localhost")),
        spec_label=settings.spec_label or settings.spec.name,
        spec_sha256=hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest(),
        models=models,
        operations=tuple(operations),
        root=_resource_tree(operations),
    )


def _operation(
    spec: dict[str, Any],
    schemas: SchemaSet,
    path: str,
    method: str,
    op: dict[str, Any],
    item: dict[str, Any],
    *,
    source: str,
    settings: Settings,
) -> Operation:
    at = f"/paths/{escape(path)}/{method}"
    op_id = str(op.get("operationId") or snake(f"{method}_{path}"))
    placement = settings.resources.get(op_id, snake(op_id))
    *resource, name = placement.split(".")
    params, params_model, comma_joined = _parameters(
        spec, schemas, [*item.get("parameters", []), *op.get("parameters", [])], op_id, at, source=source
    )
    body, body_model, body_required, encoding = _body(
        spec, schemas, op, op_id, at, source=source, taken={p.name for p in params} | RESERVED_ARGUMENTS
    )
    response_type, response_format, accept, by_status = _response_type(spec, schemas, op, op_id, at, source=source)
    stream_type = _stream_type(spec, schemas, op, op_id, at, source=source)
    return Operation(
        operation_id=op_id,
        method=method.upper(),
        path=path,
        resource=tuple(resource),
        name=name,
        summary=str(op.get("summary") or op.get("description") or "").strip(),
        deprecated=bool(op.get("deprecated")),
        params=params,
        body=body,
        body_model=body_model,
        body_required=body_required,
        body_encoding=encoding,  # type: ignore[arg-type]
        response_type=response_type,
        response_format=response_format,  # type: ignore[arg-type]
        accept=accept,
        responses=by_status,
        params_model=params_model,
        comma_joined=comma_joined,
        stream_type=stream_type,
        stream_flag=stream_type is not None and any(p.wire_name == "stream" for p in body),
    )


def with_model_field_names(api: Api, fields: Mapping[str, Mapping[str, str]]) -> Api:
    """Body arguments take the attribute names of the body model (one name per wire name, whether
    you pass it to a method or read it off a model); names a method already uses keep ours."""

    def align(op: Operation) -> Operation:
        names = fields.get(op.body_model or "", {})
        taken = {p.name for p in op.params} | RESERVED_ARGUMENTS
        body = []
        for param in op.body:
            wanted = names.get(param.wire_name, param.name)
            ok = wanted not in taken and wanted.isidentifier() and not keyword.iskeyword(wanted)
            body.append(dataclasses.replace(param, name=wanted) if ok else param)
            taken.add(body[-1].name)
        return dataclasses.replace(op, body=tuple(body)) if names else op

    operations = tuple(align(op) for op in api.operations)
    return dataclasses.replace(api, operations=operations, root=_resource_tree(list(operations)))


def _argument_name(wire: str, taken: set[str] | frozenset[str]) -> str:
    name = snake(wire)
    return dedupe(name + "_" if name in RESERVED_ARGUMENTS else name, taken)


def _unique_method_names(operations: list[Operation]) -> list[Operation]:
    """Two operationIds that snake_case alike (`listTags`, `list_tags`) get `list_tags`, `list_tags2`."""
    taken: set[tuple[tuple[str, ...], str]] = set()
    constants: set[str] = set()
    unique = []
    for op in operations:
        name = op.name
        n = 2
        while (op.resource, name) in taken or ("_" + snake(name).upper() in constants and name != op.name):
            name = f"{op.name}{n}"
            n += 1
        taken.add((op.resource, name))
        renamed = (
            op if name == op.name else dataclasses.replace(op, name=name, operation_id=f"{op.operation_id}{n - 1}")
        )
        while renamed.const_name in constants:
            renamed = dataclasses.replace(renamed, operation_id=renamed.operation_id + "_")
        constants.add(renamed.const_name)
        unique.append(renamed)
    return unique


def _deref(spec: dict[str, Any], node: Any, *, source: str, at: str) -> Any:
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node and seen < 32:
        node = resolve_ref(spec, node["$ref"], source=source, at=at)
        seen += 1
    return node


def _parameters(
    spec: dict[str, Any], schemas: SchemaSet, raw: list[Any], op_id: str, at: str, *, source: str
) -> tuple[tuple[Param, ...], str | None, tuple[str, ...]]:
    """The parameters; the model that checks query and header values before a request is sent (made
    only when some carry constraints or enums); the query arrays sent comma-joined (`explode: false`)."""
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for index, entry in enumerate(raw):
        param = _deref(spec, entry, source=source, at=f"{at}/parameters/{index}")
        by_key[(param.get("in", ""), param.get("name", ""))] = param  # operation-level wins
    params: list[Param] = []
    joined: list[str] = []  # query arrays sent as one comma-joined value (`explode: false`)
    checked: dict[str, Any] = {}  # wire name → schema, for query and header parameters
    required: list[str] = []
    taken: set[str] = set(RESERVED_ARGUMENTS)
    order = {"path": 0, "query": 1, "header": 2}
    for (location, wire), param in sorted(by_key.items(), key=lambda kv: order.get(kv[0][0], 9)):
        if location not in order:
            raise CodegenError.at(source, at, f"parameter {wire!r} in {location!r} is not supported")
        schema = schemas.add_inline(param.get("schema", {}), pascal(op_id) + pascal(wire), f"{at}/parameters")
        name = _argument_name(wire, taken)
        taken.add(name)
        if location != "path":
            checked[wire] = schema
            if param.get("required"):
                required.append(wire)
        if location == "query" and param.get("explode", param.get("style", "form") == "form") is False:
            joined.append(wire)
        params.append(
            Param(
                name=name,
                wire_name=wire,
                location=location,  # type: ignore[arg-type]
                required=bool(param.get("required")) or location == "path",
                type=type_expr(schema, schemas.defs),
                description=str(param.get("description", "")).strip(),
            )
        )
    model = None
    if any(_constrained(s, schemas.defs) for s in checked.values()):
        definition = {"type": "object", "properties": checked, "required": required}
        model = schemas.claim(pascal(op_id) + "Params", definition, f"{at}/parameters")
        schemas.defs[model] = definition
    return tuple(params), model, tuple(joined)


_CONSTRAINT_KEYS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern"}
    | {"minItems", "maxItems", "const", "enum", "multipleOf"}
)


def _constrained(schema: Any, defs: Mapping[str, Mapping[str, Any]], depth: int = 0) -> bool:
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


MULTIPART = "multipart/form-data"


def _body(
    spec: dict[str, Any], schemas: SchemaSet, op: dict[str, Any], op_id: str, at: str, *, source: str, taken: set[str]
) -> tuple[tuple[Param, ...], str | None, bool, str]:
    """(fields, validating model, required, encoding). An object body becomes keyword arguments, one per
    property; any other JSON body (a union, an array) is one `body` argument."""
    request = _deref(spec, op.get("requestBody"), source=source, at=f"{at}/requestBody")
    if not request:
        return (), None, False, "none"
    content = request.get("content") or {}
    encoding = "json" if JSON in content else "multipart" if MULTIPART in content else ""
    if not encoding:
        raise CodegenError.at(
            source, f"{at}/requestBody", f"request content {sorted(content)} unsupported ({JSON} or {MULTIPART})"
        )
    media = JSON if encoding == "json" else MULTIPART
    raw = content[media].get("schema") or {}
    pointer = f"{at}/requestBody/content/{escape(media)}/schema"
    converted = schemas.add_inline(raw, pascal(op_id) + "Request", pointer)
    model = converted.get("$ref", "").removeprefix("#/$defs/")
    properties, required = _flat_properties(converted, schemas.defs)
    if not properties:
        whole = Param("body", "", "body", True, type_expr(converted, schemas.defs, files=encoding == "multipart"), "")
        return (whole,), None, bool(request.get("required")), encoding
    fields: list[Param] = []
    for wire, prop in properties.items():
        if isinstance(prop, Mapping) and prop.get("readOnly"):
            continue  # set by the server: not an argument (the model no longer requires it)
        name = _argument_name(wire, taken | {f.name for f in fields})
        fields.append(
            Param(
                name=name,
                wire_name=wire,
                location="body",
                required=wire in required,
                type=type_expr(prop, schemas.defs, files=encoding == "multipart"),
                description=str(prop.get("description", "")).strip(),
            )
        )
    # A multipart body carries files, which the models type as bytes: it is built, not validated.
    body_model = model if model and encoding == "json" else None
    return tuple(fields), body_model, bool(request.get("required")), encoding


def _flat_properties(
    schema: Mapping[str, Any], defs: Mapping[str, Mapping[str, Any]], depth: int = 0
) -> tuple[dict[str, Any], set[str]]:
    """The properties of an object schema, following refs and merging `allOf` parts."""
    if depth > 16:
        return {}, set()
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _flat_properties(defs.get(ref.removeprefix("#/$defs/"), {}), defs, depth + 1)
    properties = dict(schema.get("properties") or {})
    required = set(schema.get("required") or [])
    for part in schema.get("allOf") or []:
        more, more_required = _flat_properties(part, defs, depth + 1)
        properties = {**more, **properties}
        required |= more_required
    return properties, required


def _response_type(
    spec: dict[str, Any], schemas: SchemaSet, op: dict[str, Any], op_id: str, at: str, *, source: str
) -> tuple[str, str, str, tuple[tuple[str, str], ...]]:
    """(Python type, format, media type, per-status JSON types) of the success responses.

    The first 2xx decides the format (JSON, bytes, nothing). When several 2xx statuses carry
    different JSON bodies (200 `Reservation`, 202 `Ticket`, 204 none), the method returns their
    union and the runtime parses by status."""
    responses = op.get("responses") or {}
    found: list[tuple[str, str, str, str]] = []  # (status, type, format, media)
    for code in sorted(str(c) for c in responses):
        if not code.startswith("2"):
            continue
        response = _deref(
            spec,
            responses[code] if code in responses else responses[int(code)],
            source=source,
            at=f"{at}/responses/{code}",
        )
        content = response.get("content") or {}
        media = next((m for m in content if m == JSON or m.endswith("+json")), None)
        if not content:
            found.append((code, "None", "none", JSON))
        elif media is None:
            found.append((code, "bytes", "binary", next(iter(content))))  # audio, files, text: as sent
        else:
            hint = pascal(op_id) + ("Response" if not found else f"Response{code}")
            pointer = f"{at}/responses/{code}/content/{escape(media)}/schema"
            converted = schemas.add_inline(content[media].get("schema") or {}, hint, pointer)
            found.append((code, type_expr(converted, schemas.defs), "json", media))
    if not found:
        return "None", "none", JSON, ()
    _, first_type, first_format, first_media = found[0]
    if first_format == "binary" or all(f[1] == first_type for f in found):
        return first_type, first_format, first_media, ()
    types: list[str] = []
    for _, expr, _, _ in found:
        for part in expr.split(" | "):
            if part not in types:
                types.append(part)
    union = " | ".join([t for t in types if t != "None"] + (["None"] if "None" in types else []))
    return union, "json", JSON, tuple((code, expr) for code, expr, fmt, _ in found if fmt != "binary")


SSE = "text/event-stream"


def _stream_type(
    spec: dict[str, Any], schemas: SchemaSet, op: dict[str, Any], op_id: str, at: str, *, source: str
) -> str | None:
    """The event type of the first success response that can be a server-sent event stream."""
    for code, raw in sorted((str(c), r) for c, r in (op.get("responses") or {}).items()):
        if code.startswith("2"):
            content = (_deref(spec, raw, source=source, at=f"{at}/responses/{code}").get("content")) or {}
            if SSE in content:
                pointer = f"{at}/responses/{code}/content/{escape(SSE)}/schema"
                converted = schemas.add_inline(content[SSE].get("schema") or {}, pascal(op_id) + "Event", pointer)
                return type_expr(converted, schemas.defs)
    return None


def type_expr(schema: Mapping[str, Any], defs: Mapping[str, Mapping[str, Any]], *, files: bool = False) -> str:
    """The Python type a converted schema validates to, for signatures (not for validation).
    With `files`, a binary string is anything the runtime can upload (`FileTypes`)."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.removeprefix("#/$defs/")
        target = defs.get(name, {})
        return name if is_class(target, defs) else type_expr(target, defs, files=files)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts: list[str] = []
            for branch in schema[key]:
                expr = type_expr(branch, defs, files=files)
                if expr not in parts:
                    parts.append(expr)
            if "None" in parts:  # None last, as people write it
                parts = [p for p in parts if p != "None"] + ["None"]
            return " | ".join(parts)
    if "allOf" in schema:
        return type_expr(schema["allOf"][0], defs, files=files) if len(schema["allOf"]) == 1 else "dict[str, Any]"
    if "const" in schema:
        return f"Literal[{schema['const']!r}]"
    kind = schema.get("type")
    if isinstance(kind, list):  # [X, "null"]
        parts = [type_expr({**schema, "type": k}, defs, files=files) for k in kind if k != "null"]
        return " | ".join([*parts, "None"] if "null" in kind else parts)
    if kind == "string" and (schema.get("format") == "binary" or schema.get("contentMediaType")):
        return "FileTypes" if files else "bytes"
    if kind == "array":
        return f"list[{type_expr(schema.get('items', {}), defs, files=files)}]"
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            return f"dict[str, {type_expr(extra, defs, files=files)}]"
        return "dict[str, Any]"
    return {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}.get(
        str(kind), "Any"
    )


def _resource_tree(operations: list[Operation]) -> Resource:
    def build(prefix: tuple[str, ...]) -> Resource:
        depth = len(prefix)
        children = sorted(
            {op.resource[depth] for op in operations if op.resource[:depth] == prefix and len(op.resource) > depth}
        )
        return Resource(
            attribute=prefix[-1] if prefix else "",
            class_name="".join(pascal(p) for p in prefix) + "Resource" if prefix else "",
            children=tuple(build((*prefix, child)) for child in children),
            operations=tuple(sorted((op for op in operations if op.resource == prefix), key=lambda op: op.name)),
        )

    return build(())
