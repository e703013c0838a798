"""Repair what real-world specs commonly get wrong, so that validation and the later stages can read them.

Input: a bundled spec (every `$ref` local) and its source. Output: the same mapping, repaired in
place, and a warning per repair that changes meaning, naming the keyword and its pointer:

- every mapping key becomes a string (YAML reads `200:` as an integer); a status range `5xx`
  is read as `5XX`;
- `x-` keys directly under `paths` and `webhooks` are dropped (extensions nobody reads there);
- in a schema: duplicate `required` entries are dropped; a `default` its own schema rejects is
  dropped (legal in 3.1, where `default` is only an annotation: no warning then); the 2019-09
  keywords `$recursiveAnchor` and `$recursiveRef` are dropped;
- 3.1: a left-over 3.0 `nullable: true` is read as in 3.0 (the later stages honour it in any
  version; a warning says so) and a boolean `exclusiveMinimum`/`exclusiveMaximum` becomes the
  bound itself;
- 3.0: a numeric `exclusiveMinimum`/`exclusiveMaximum` becomes `minimum` + `true`, and a keyword
  a 3.0 schema cannot have is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import CodegenError, Diagnostics
from .grammar import walk
from .refs import escape, resolve_pointer

SCHEMA_30_KEYWORDS = frozenset(
    {
        "$ref", "title", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
        "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required",
        "enum", "type", "not", "allOf", "oneOf", "anyOf", "items", "properties", "additionalProperties",
        "description", "format", "default", "nullable", "discriminator", "readOnly", "writeOnly", "example",
        "externalDocs", "deprecated", "xml",
    }
)  # fmt: skip
_RANGE = re.compile(r"^[1-5]xx$", re.IGNORECASE)
_RECURSIVE = ("$recursiveAnchor", "$recursiveRef")
_BOUNDS = (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum"))


def normalize(spec: dict[str, Any], *, source: str, diagnostics: Diagnostics) -> dict[str, Any]:
    _string_keys(spec)
    for section in ("paths", "webhooks"):
        items = spec.get(section)
        if isinstance(items, dict):
            for key in [k for k in items if k.startswith("x-")]:
                del items[key]
    v31 = str(spec.get("openapi", "")).startswith("3.1")
    for node, kind, at in list(walk(spec, "document")):
        if kind == "schema" and isinstance(node, dict):
            _schema(node, spec, v31=v31, source=source, at=at, diagnostics=diagnostics)
        elif kind == "responses" and isinstance(node, dict):
            _status_ranges(node, source=source, at=at, diagnostics=diagnostics)
    return spec


def _string_keys(spec: dict[str, Any]) -> None:
    stack: list[Any] = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(not isinstance(key, str) for key in node):
                items = [(_key(key), value) for key, value in node.items()]
                node.clear()
                node.update(items)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def _status_ranges(responses: dict[str, Any], *, source: str, at: str, diagnostics: Diagnostics) -> None:
    """`5xx` is written `5XX` in OpenAPI."""
    if not any(_RANGE.match(key) and key != key.upper() for key in responses):
        return
    items = list(responses.items())
    responses.clear()
    for key, value in items:
        if _RANGE.match(key) and key != key.upper() and key.upper() not in responses:
            diagnostics.warn(source, f"{at}/{escape(key)}", f"status range {key!r} is written {key.upper()!r}: read so")
            key = key.upper()
        responses[key] = value


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def _schema(
    node: dict[str, Any], spec: dict[str, Any], *, v31: bool, source: str, at: str, diagnostics: Diagnostics
) -> None:
    def warn(keyword: str, message: str) -> None:
        diagnostics.warn(source, f"{at}/{escape(keyword)}", message)

    for keyword in _RECURSIVE:
        if keyword in node:
            del node[keyword]
            warn(keyword, f"{keyword} is JSON Schema 2019-09, not part of OpenAPI 3.1: ignored")
    for keyword in ("title", "description"):
        if keyword in node and not isinstance(node[keyword], str):
            _text_keyword(node, keyword, spec, warn)
    required = node.get("required")
    if isinstance(required, list) and len(required) != len({repr(r) for r in required}):
        seen: list[Any] = []
        for name in required:
            if name not in seen:
                seen.append(name)
        node["required"] = seen
        duplicates = sorted({str(r) for r in required if required.count(r) > 1})
        warn("required", f"required lists {', '.join(duplicates)} more than once: read once")
    if v31:
        _bounds_31(node, warn)
        if "nullable" in node:
            _nullable_31(node, warn)
    else:
        _bounds_30(node, warn)
        for keyword in sorted(k for k in node if k not in SCHEMA_30_KEYWORDS and not k.startswith("x-")):
            del node[keyword]
            warn(keyword, f"unknown keyword {keyword!r} in an OpenAPI 3.0 schema: ignored")
    if "default" in node and _accepts(node, node["default"], spec) is False:
        value = node.pop("default")
        if not v31:
            warn("default", f"default {_short(value)} does not match the schema: ignored")


def _text_keyword(node: dict[str, Any], keyword: str, spec: dict[str, Any], warn: Any) -> None:
    """A title or description that is not text: the text a `$ref` there points to (a spec that
    shares one description so), else left out."""
    value = node[keyword]
    ref = value.get("$ref") if isinstance(value, dict) and len(value) == 1 else None
    if isinstance(ref, str) and ref.startswith("#"):
        try:
            target = resolve_pointer(spec, ref[1:])
        except CodegenError:
            target = None
        if isinstance(target, str):
            node[keyword] = target
            warn(keyword, f"{keyword} is a $ref ({ref}), where OpenAPI wants text: read as the text it points to")
            return
    del node[keyword]
    warn(keyword, f"{keyword} is not text: ignored")


def _bounds_31(node: dict[str, Any], warn: Any) -> None:
    for exclusive, inclusive in _BOUNDS:
        value = node.get(exclusive)
        if not isinstance(value, bool):
            continue
        bound = node.get(inclusive)
        if value and isinstance(bound, (int, float)) and not isinstance(bound, bool):
            node[exclusive] = node.pop(inclusive)
            warn(exclusive, f"{exclusive}: true is OpenAPI 3.0; read as {exclusive}: {bound} (3.1)")
        else:
            del node[exclusive]
            warn(exclusive, f"{exclusive}: {str(value).lower()} is OpenAPI 3.0 (without {inclusive}): ignored")


def _bounds_30(node: dict[str, Any], warn: Any) -> None:
    for exclusive, inclusive in _BOUNDS:
        value = node.get(exclusive)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            node[inclusive] = value
            node[exclusive] = True
            warn(exclusive, f"{exclusive}: {value} is OpenAPI 3.1; read as {inclusive}: {value}, {exclusive}: true")


def _nullable_31(node: dict[str, Any], warn: Any) -> None:
    """Kept as it is: every later stage reads `nullable: true` as 3.0 does, whatever the version."""
    if node["nullable"] is True:
        warn("nullable", 'nullable is OpenAPI 3.0 (3.1 writes type: [..., "null"]): read as in 3.0')
    else:
        del node["nullable"]


def _is(value: Any, kind: Any) -> bool:
    if kind == "integer":
        whole = isinstance(value, float) and value.is_integer()
        return (isinstance(value, int) and not isinstance(value, bool)) or whole
    checks: dict[str, Any] = {
        "string": lambda v: isinstance(v, str),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "null": lambda v: v is None,
    }
    check = checks.get(kind) if isinstance(kind, str) else None
    return True if check is None else bool(check(value))


def _same(a: Any, b: Any) -> bool:
    return (type(a) is type(b) and a == b) or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and a == b
    )


def _accepts(schema: Any, value: Any, spec: dict[str, Any], depth: int = 0) -> bool | None:
    """False when `schema` surely rejects `value` (type, enum, const, every branch); None when unsure."""
    if depth > 16 or not isinstance(schema, dict):
        return None
    if value is None and schema.get("nullable") is True:
        return True
    ref = schema.get("$ref")
    if isinstance(ref, str):
        try:
            target = resolve_pointer(spec, ref)
        except Exception:
            return None
        return _accepts(target, value, spec, depth=depth + 1)
    if "const" in schema and not _same(schema["const"], value):
        return False
    enum = schema.get("enum")
    if isinstance(enum, list) and not any(_same(member, value) for member in enum):
        return False
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else None
    if kinds is not None and not any(_is(value, k) for k in kinds):
        return False
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            results = [_accepts(b, value, spec, depth=depth + 1) for b in branches]
            if all(r is False for r in results):
                return False
    parts = schema.get("allOf")
    parts = parts if isinstance(parts, list) else []
    return all(_accepts(p, value, spec, depth=depth + 1) is not False for p in parts)


def _short(value: Any) -> str:
    text = repr(value).replace("'", '"').replace("None", "null").replace("True", "true").replace("False", "false")
    return text if len(text) <= 60 else text[:57] + "..."
