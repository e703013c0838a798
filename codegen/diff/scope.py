"""Cut both specs down to where their generated APIs can differ, before the IR is built.

Input: the two specs and the operations the wire diff found changed (keyed by HTTP method and
path with parameter names blanked). Output: both specs with only those operations, the component
schemas they reach, and every component schema that changed (used or not: it is still a class in
models.py). Methods of unchanged operations and classes of unchanged schemas are the same on both
sides, so leaving them out changes no comparison and keeps a diff of two 3 MB specs fast.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from ..prune import HTTP_METHODS
from ..refs import escape, iter_refs, ref_closure
from .wire import unchanged_components

_SCHEMAS = "#/components/schemas/"


def operation_key(label: str) -> tuple[str, str]:
    """`POST /things/{id}` → (`POST`, `/things/{}`): how an operation is matched across versions."""
    method, _, path = label.partition(" ")
    return method.upper(), re.sub(r"\{[^}]*\}", "{}", path)


def changed_scope(
    old: dict[str, Any], new: dict[str, Any], *, sources: tuple[str, str], unchanged: frozenset[str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    if unchanged is None:
        unchanged = unchanged_components(old, new)
    operations = _changed_operations(old, new, unchanged)
    return (
        _cut(old, operations, unchanged, source=sources[0]),
        _cut(new, operations, unchanged, source=sources[1]),
    )


def _changed_operations(
    old: Mapping[str, Any], new: Mapping[str, Any], unchanged: frozenset[str]
) -> set[tuple[str, str]]:
    """Operations whose text differs, or that reach a changed component (or are on one side only)."""
    before, after = _operations(old), _operations(new)
    changed = before.keys() ^ after.keys()
    for key in before.keys() & after.keys():
        if before[key] != after[key] or any(ref not in unchanged for ref, _ in iter_refs(after[key])):
            changed.add(key)
    return changed


def _operations(spec: Mapping[str, Any]) -> dict[tuple[str, str], list[Any]]:
    """(method, path) → [path item's parameters, operation]."""
    found: dict[tuple[str, str], list[Any]] = {}
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, Mapping):
            for method in HTTP_METHODS:
                if isinstance(item.get(method), Mapping):
                    found[operation_key(f"{method} {path}")] = [item.get("parameters"), item[method]]
    return found


def _cut(
    spec: dict[str, Any], operations: Collection[tuple[str, str]], unchanged: frozenset[str], *, source: str
) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        kept = {
            key: value
            for key, value in item.items()
            if key not in HTTP_METHODS or operation_key(f"{key} {path}") in operations
        }
        if any(method in kept for method in HTTP_METHODS):
            paths[path] = kept
    components = spec.get("components") or {}
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    if not isinstance(schemas, Mapping):
        return {**spec, "paths": paths}
    changed = {name: schema for name, schema in schemas.items() if _SCHEMAS + escape(str(name)) not in unchanged}
    roots = [(item, "/paths/" + escape(path)) for path, item in paths.items()]
    roots += [(schema, "/components/schemas/" + escape(str(name))) for name, schema in changed.items()]
    reached = ref_closure(spec, roots, source=source)
    kept_schemas = {
        name: schema for name, schema in schemas.items() if name in changed or _SCHEMAS + escape(str(name)) in reached
    }
    return {**spec, "paths": paths, "components": {**components, "schemas": kept_schemas}}
