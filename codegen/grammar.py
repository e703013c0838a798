"""Which OpenAPI object a node of a document is, from where it sits.

Input: the kind of a node (`"document"`, `"operation"`, `"schema"`, ...) and one key or index
inside it. Output: the kind of the child there, or None when the child is an extension (`x-`),
plain data (examples, defaults, enums) or anything the generator never looks into.

The bundler uses it to know what a `$ref` points at (a schema is hoisted into
`components/schemas`, other objects are inlined) and which `$ref`s it must not follow; the
normaliser uses it to find every schema and every responses map.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .refs import escape

METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

# kind → {key: kind of the value}; "map:K" is a mapping of K (user-chosen keys), "list:K" a list of K.
_FIELDS: dict[str, dict[str, str]] = {
    "document": {
        "paths": "paths",
        "webhooks": "map:pathItem",
        "components": "components",
        "tags": "other",
        "info": "other",
        "servers": "other",
        "security": "data",
        "externalDocs": "other",
    },
    "components": {
        "schemas": "map:schema",
        "responses": "map:response",
        "parameters": "map:parameter",
        "examples": "map:example",
        "requestBodies": "map:requestBody",
        "headers": "map:header",
        "securitySchemes": "map:other",
        "links": "map:other",
        "callbacks": "map:callback",
        "pathItems": "map:pathItem",
    },
    "pathItem": {"parameters": "list:parameter", "servers": "other", **dict.fromkeys(sorted(METHODS), "operation")},
    "operation": {
        "parameters": "list:parameter",
        "requestBody": "requestBody",
        "responses": "responses",
        "callbacks": "map:callback",
        "security": "data",
        "servers": "other",
        "externalDocs": "other",
    },
    "parameter": {"schema": "schema", "content": "map:mediaType", "examples": "map:example", "example": "data"},
    "header": {"schema": "schema", "content": "map:mediaType", "examples": "map:example", "example": "data"},
    "requestBody": {"content": "map:mediaType"},
    "response": {"headers": "map:header", "content": "map:mediaType", "links": "map:other"},
    "mediaType": {"schema": "schema", "examples": "map:example", "example": "data", "encoding": "map:encoding"},
    "encoding": {"headers": "map:header"},
    "example": {"value": "data"},
    "schema": {
        **dict.fromkeys(("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"), "map:schema"),
        **dict.fromkeys(("allOf", "anyOf", "oneOf", "prefixItems"), "list:schema"),
        **dict.fromkeys(
            (
                "additionalProperties",
                "not",
                "contains",
                "propertyNames",
                "if",
                "then",
                "else",
                "unevaluatedItems",
                "unevaluatedProperties",
                "additionalItems",
                "contentSchema",
            ),
            "schema",
        ),
        "items": "schema",  # a list of schemas in draft 4 style: see child_kind
        "discriminator": "discriminator",
        **dict.fromkeys(("example", "examples", "default", "enum", "const"), "data"),
    },
}
# Objects whose fixed fields are listed above; any other key of theirs is "other" (followed, inlined).
_MAPS = {"paths": "pathItem", "responses": "response", "callback": "pathItem"}


def child_kind(kind: str, key: str | int, value: Any = None) -> str | None:
    """The kind of `node[key]` for a node of `kind`; None: do not look inside it."""
    if kind == "data":
        return None
    if kind.startswith(("map:", "list:")):
        return kind.split(":", 1)[1]
    if isinstance(key, str) and key.startswith("x-"):
        return None
    if kind in _MAPS:
        return _MAPS[kind]
    if kind == "schema" and key == "items" and isinstance(value, list):
        return "list:schema"
    fields = _FIELDS.get(kind)
    if fields is None:
        return "other"
    return fields.get(str(key), "other")


def walk(node: Any, kind: str, at: str = "") -> Iterator[tuple[Any, str, str]]:
    """Every (node, kind, pointer) below and including `node`, parents first; refs not followed."""
    stack: list[tuple[Any, str, str]] = [(node, kind, at)]
    while stack:
        current, current_kind, where = stack.pop()
        yield current, current_kind, where
        if isinstance(current, dict):
            children = [(k, v, f"{where}/{escape(str(k))}") for k, v in current.items() if k != "$ref"]
        elif isinstance(current, list):
            children = [(i, v, f"{where}/{i}") for i, v in enumerate(current)]
        else:
            continue
        for key, value, child_at in reversed(children):
            sub = child_kind(current_kind, key, value)
            if sub is not None and isinstance(value, (dict, list)):
                stack.append((value, sub, child_at))
