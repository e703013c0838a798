"""Name every schema of the spec, operation by operation: parameters, bodies, responses, events.

Input: a valid OpenAPI 3.0 or 3.1 document. Output: `NamedSchemas`: the model schemas (see
schemas.py: components first, so inline names never take theirs) and, per operation, what each
parameter, body and response is, in which media type, with which schema. An operation that
cannot be generated is skipped with a warning naming its pointer; the rest of the spec is not.

Media types, by preference when an operation offers several: JSON (and any `+json`), form-urlencoded,
multipart, text, then raw bytes (`application/octet-stream`, images, archives, `*/*`). XML is sent
and read as text, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import CodegenError, Problem
from ..naming import pascal, snake
from ..prune import HTTP_METHODS
from ..refs import escape, resolve_ref
from .schemas import SchemaSet

JSON = "application/json"
MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"
SSE = "text/event-stream"
PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")
DEFAULT_STYLES = {"path": ("simple", False), "query": ("form", True), "header": ("simple", False)}
DEFAULT_STYLES["cookie"] = ("form", True)
_CONSTRAINT_KEYS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern"}
    | {"minItems", "maxItems", "const", "enum", "multipleOf"}
)
Encoding = Literal["json", "form", "multipart", "text", "binary"]


@dataclass(frozen=True, slots=True)
class ParameterSchema:
    raw: Mapping[str, Any]  # the parameter object, refs followed
    location: str
    wire_name: str
    schema: dict[str, Any]  # converted
    style: tuple[str, bool]  # (style, explode), defaults filled in


@dataclass(frozen=True, slots=True)
class BodySchema:
    encoding: Encoding
    media: str  # the media type sent as Content-Type
    required: bool
    schema: dict[str, Any]  # converted
    styles: tuple[tuple[str, str, bool], ...]  # form fields' (name, style, explode) from `encoding`


@dataclass(frozen=True, slots=True)
class ResponseSchema:
    status: str
    media: str  # the media type chosen
    format: Literal["json", "text", "binary", "none"]
    schema: dict[str, Any] | None  # converted, for JSON


@dataclass(frozen=True, slots=True)
class OperationSchemas:
    """Every schema of one operation, converted and named."""

    operation_id: str
    path: str
    method: str
    pointer: str
    raw: Mapping[str, Any]  # the operation object
    parameters: tuple[ParameterSchema, ...]  # path, query, header, cookie; operation-level wins
    params_model: str | None  # checks query and header values, when some carry limits
    body: BodySchema | None
    responses: tuple[ResponseSchema, ...]  # the 2xx statuses, in order
    events: dict[str, Any] | None  # converted event schema of a `text/event-stream` success response


@dataclass(frozen=True, slots=True)
class NamedSchemas:
    """Every schema of the spec, named: the models and each operation's schemas."""

    defs: Mapping[str, dict[str, Any]]  # class name → JSON Schema, refs as `#/$defs/<name>`
    pointers: Mapping[str, str]  # class name → where it was defined
    components: frozenset[str]  # names given to component schemas
    operations: tuple[OperationSchemas, ...]  # sorted by (path, method)
    warnings: tuple[Problem, ...]  # what was skipped or read leniently, and why


def model_schemas(spec: dict[str, Any], *, source: str, renames: Mapping[str, str]) -> NamedSchemas:
    """Name every schema: components first, then each operation's parameters, body, responses
    and events, in (path, method) order."""
    schemas = SchemaSet(spec=spec, source=source, renames=renames)
    schemas.add_components()
    warnings: list[Problem] = []
    operations = []
    for path, item in sorted((spec.get("paths") or {}).items()):
        if not isinstance(item, Mapping) or str(path).startswith("x-"):
            continue
        item = _deref(spec, item, source=source, at=f"/paths/{escape(path)}")
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, Mapping) else None
            if not isinstance(op, Mapping):
                continue
            at = f"/paths/{escape(path)}/{method}"
            attempt = _Attempt(schemas)
            try:
                operations.append(_add_operation(schemas, path, method, op, item, attempt))
                warnings.extend(attempt.warnings)
            except CodegenError as exc:
                attempt.undo()
                warnings.extend(_skipped(problem) for problem in exc.problems)
            if op.get("callbacks"):
                warnings.append(
                    Problem(source, f"{at}/callbacks", "callbacks are not generated (the server calls you)")
                )
    webhooks = sorted(spec.get("webhooks") or {})
    if webhooks:
        listed = ", ".join(webhooks[:5]) + (f" and {len(webhooks) - 5} more" if len(webhooks) > 5 else "")
        warnings.append(Problem(source, "/webhooks", f"webhooks are not generated (the server calls you): {listed}"))
    schemas.narrow_discriminators()
    return NamedSchemas(
        defs=schemas.defs,
        pointers=schemas.pointers,
        components=frozenset(schemas.component_names.values()),
        operations=tuple(operations),
        warnings=tuple(warnings),
    )


def _skipped(problem: Problem) -> Problem:
    return Problem(problem.source, problem.pointer, f"operation skipped: {problem.message}")


class _Attempt:
    """Names an operation claims, given back if the operation is skipped (so a skipped operation
    leaves no orphan model behind and takes no name from a later one)."""

    def __init__(self, schemas: SchemaSet) -> None:
        self._schemas = schemas
        self._before = set(schemas.defs)
        self._taken = set(schemas.taken)
        self._discriminated = len(schemas.discriminated)
        self.warnings: list[Problem] = []  # kept only if the operation is

    def undo(self) -> None:
        for name in set(self._schemas.defs) - self._before:
            del self._schemas.defs[name]
            self._schemas.pointers.pop(name, None)
        self._schemas.taken.intersection_update(self._taken)
        del self._schemas.discriminated[self._discriminated :]


def operation_id(path: str, method: str, op: Mapping[str, Any]) -> str:
    return str(op.get("operationId") or snake(f"{method}_{path}"))


def _deref(spec: Mapping[str, Any], node: Any, *, source: str, at: str) -> Any:
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node and seen < 32:
        node = resolve_ref(dict(spec), node["$ref"], source=source, at=at)
        seen += 1
    return node


def _add_operation(
    schemas: SchemaSet, path: str, method: str, op: Mapping[str, Any], item: Mapping[str, Any], attempt: _Attempt
) -> OperationSchemas:
    spec, source = schemas.spec, schemas.source
    at = f"/paths/{escape(path)}/{method}"
    op_id = operation_id(path, method, op)
    hint = pascal(op_id)
    by_key: dict[tuple[str, str], Mapping[str, Any]] = {}
    for index, entry in enumerate([*item.get("parameters", []), *op.get("parameters", [])]):
        param = _deref(spec, entry, source=source, at=f"{at}/parameters/{index}")
        if isinstance(param, Mapping):
            by_key[(str(param.get("in", "")), str(param.get("name", "")))] = param  # operation-level wins
    parameters = []
    for (location, wire), param in sorted(by_key.items(), key=lambda kv: _location_rank(kv[0][0])):
        if location not in PARAMETER_LOCATIONS:
            raise CodegenError.at(source, f"{at}/parameters", f"parameter {wire!r} in {location!r} is not supported")
        raw_schema = param.get("schema")
        if raw_schema is None and isinstance(param.get("content"), Mapping) and param["content"]:
            raw_schema = next(iter(param["content"].values())).get("schema")  # `content` instead of `schema`
        converted = schemas.convert(raw_schema or {}, hint + pascal(wire), f"{at}/parameters")
        style = str(param.get("style") or DEFAULT_STYLES[location][0])
        explode = param.get("explode")
        style_pair = (style, bool(explode) if explode is not None else style == "form")
        parameters.append(ParameterSchema(param, location, wire, converted, style_pair))
    checked = {p.wire_name: p.schema for p in parameters if p.location in ("query", "header")}
    params_model = None
    if any(_constrained(s, schemas.defs) for s in checked.values()):
        required = [p.wire_name for p in parameters if p.location in ("query", "header") and p.raw.get("required")]
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
        body=_body(schemas, op, hint, at, attempt),
        responses=_responses(schemas, op, hint, at, attempt),
        events=_events(schemas, op, hint, at),
    )


def _location_rank(location: str) -> int:
    return PARAMETER_LOCATIONS.index(location) if location in PARAMETER_LOCATIONS else 9


def is_json(media: str) -> bool:
    base = media.split(";")[0].strip().lower()
    return base == JSON or base.endswith("+json") or base == "text/json"


def _is_xml(media: str) -> bool:
    base = media.split(";")[0].strip().lower()
    return base.endswith(("/xml", "+xml"))


def _kind(media: str, schema: Any) -> Encoding:
    base = media.split(";")[0].strip().lower()
    if base == SSE:
        return "binary"  # read as events by the runtime (`Stream`), not by a parser of its own
    if is_json(base):
        return "json"
    if base == FORM:
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/") or _is_xml(base):
        return "text"
    if base == "*/*" and isinstance(schema, Mapping) and _json_shaped(schema):
        return "json"  # "anything", described by a JSON schema: JSON
    return "binary"


def _json_shaped(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    binary = schema.get("format") == "binary" or "contentMediaType" in schema
    return not binary and (kind in ("object", "array") or "$ref" in schema or "properties" in schema)


_PREFERENCE: tuple[Encoding, ...] = ("json", "form", "multipart", "text", "binary")


def _choose(content: Mapping[str, Any]) -> tuple[str, Encoding] | None:
    """The media type to use among those offered: JSON first, XML only when nothing else is, an event
    stream (read apart, as the method's `stream=True`) only when it is all there is."""
    offered = [(media, _kind(media, (entry or {}).get("schema"))) for media, entry in content.items()]
    for wanted in _PREFERENCE:
        plain = [media for media, kind in offered if kind == wanted and not _is_xml(media) and media != SSE]
        if plain:
            return plain[0], wanted
    return offered[0] if offered else None


def _body(schemas: SchemaSet, op: Mapping[str, Any], hint: str, at: str, attempt: _Attempt) -> BodySchema | None:
    request = _deref(schemas.spec, op.get("requestBody"), source=schemas.source, at=f"{at}/requestBody")
    if not isinstance(request, Mapping):
        return None
    content = request.get("content") or {}
    chosen = _choose(content)
    if chosen is None:
        return None
    media, kind = chosen
    if _is_xml(media):
        attempt.warnings.append(Problem(schemas.source, f"{at}/requestBody", f"{media} is sent as text you write"))
    entry = content[media] or {}
    pointer = f"{at}/requestBody/content/{escape(media)}/schema"
    schema = entry.get("schema") or {}
    if kind == "text":
        converted: dict[str, Any] = {"type": "string"}
    elif kind == "binary":
        converted = {"type": "string", "format": "binary"}
    else:
        converted = schemas.convert(schema, hint + "Request", pointer)
    styles = []
    for name, encoding in sorted((entry.get("encoding") or {}).items()):
        if isinstance(encoding, Mapping) and ("style" in encoding or "explode" in encoding):
            style = str(encoding.get("style", "form"))
            styles.append((str(name), style, bool(encoding.get("explode", style == "form"))))
    return BodySchema(kind, media, bool(request.get("required")), converted, tuple(styles))


def _responses(
    schemas: SchemaSet, op: Mapping[str, Any], hint: str, at: str, attempt: _Attempt
) -> tuple[ResponseSchema, ...]:
    """The 2xx responses. When several carry JSON, the first is `<Op>Response`, the others
    `<Op>Response<status>`."""
    responses = op.get("responses") or {}
    found: list[ResponseSchema] = []
    for code in sorted(str(c) for c in responses):
        if not code.upper().startswith("2"):
            continue
        raw = responses[code] if code in responses else responses[int(code)]
        response = _deref(schemas.spec, raw, source=schemas.source, at=f"{at}/responses/{code}")
        content = (response or {}).get("content") or {}
        chosen = _choose(content)
        if chosen is None:
            if not (response or {}).get("content"):
                found.append(ResponseSchema(code, JSON, "none", None))
            continue
        media, kind = chosen
        if kind == "json":
            name = hint + ("Response" if not any(r.format == "json" for r in found) else f"Response{code}")
            pointer = f"{at}/responses/{code}/content/{escape(media)}/schema"
            converted = schemas.convert((content[media] or {}).get("schema") or {}, name, pointer)
            found.append(ResponseSchema(code, media, "json", converted))
        elif kind == "text":
            if _is_xml(media):
                attempt.warnings.append(
                    Problem(schemas.source, f"{at}/responses/{code}", f"{media} is returned as text, not parsed")
                )
            found.append(ResponseSchema(code, media, "text", None))
        else:
            found.append(ResponseSchema(code, media, "binary", None))  # audio, files, images: as sent
    return tuple(found)


def _events(schemas: SchemaSet, op: Mapping[str, Any], hint: str, at: str) -> dict[str, Any] | None:
    """The event schema of the first success response that can be a server-sent event stream."""
    for code, raw in sorted((str(c), r) for c, r in (op.get("responses") or {}).items()):
        if code.startswith("2"):
            response = _deref(schemas.spec, raw, source=schemas.source, at=f"{at}/responses/{code}")
            content = (response or {}).get("content") or {}
            if SSE in content:
                pointer = f"{at}/responses/{code}/content/{escape(SSE)}/schema"
                return schemas.convert((content[SSE] or {}).get("schema") or {}, hint + "Event", pointer)
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
