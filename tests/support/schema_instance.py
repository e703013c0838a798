"""Build the fullest valid instance of a schema: every property, the first non-null branch."""

from __future__ import annotations

from typing import Any

from codegen.refs import resolve_pointer


def instance(spec: dict[str, Any], schema: dict[str, Any], *, depth: int = 0) -> Any:
    if depth > 40:
        return None
    if "$ref" in schema:
        return instance(spec, resolve_pointer(spec, schema["$ref"]), depth=depth + 1)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [b for b in schema[key] if b.get("type") != "null"]
            return instance(spec, branches[0], depth=depth + 1) if branches else None
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = instance(spec, part, depth=depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        if not props and isinstance(schema.get("additionalProperties"), dict):
            return {"key": instance(spec, schema["additionalProperties"], depth=depth + 1)}
        return {name: instance(spec, sub, depth=depth + 1) for name, sub in props.items()}
    if kind == "array":
        return [instance(spec, schema.get("items", {}), depth=depth + 1)]
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return True
    if kind == "string":
        return "https://example.com/x" if schema.get("format") == "uri" else "text"
    return None
