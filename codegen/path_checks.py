"""The validator's walk of the paths, with the path items that passed it before left out.

Input: a cache (`cache.py`), the spec and the hashes of its entries (`entry_digests`).
Output: the spec the validator walks (`walked()`): without the known path items, or None for the
whole spec; and `remember()`, which keeps this spec's items after a validation that found nothing.

After the document check, openapi-spec-validator walks the paths (each operation's operationId,
path parameters, responses, and the schemas they reach) and then the component schemas: 0.55 and
0.4 s of validating the whole upstream API. What it finds in a path item depends on the item, the
components it reaches, the other items' operationIds (which must all differ), and, through the
order in which it first meets a schema, on whether a schema with `allOf` requires a property none
of its parts defines (the only check that reads how a schema was reached). So when no operationId
repeats, no schema could fail that check and nothing refers into `paths`, a path item that passed
before, with the same text and the same components reachable from it, is left out of the walk;
the component schemas are all walked as before. When the walk finds anything, the caller walks the
whole spec again, so that what it reports is the validator's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .cache import Cache, exact, generator_fingerprint, key
from .refs import ref_values, split_pointer

_KIND = "path-checks"
_LIMIT = 50_000  # hashes kept in the entry; those of the latest run go first


@dataclass(frozen=True, slots=True)
class Walk:
    """What the validator walks: `spec` (the known path items left out) and, taken as walked
    already, `schemas` (the known component schemas)."""

    spec: dict[str, Any]
    schemas: list[dict[str, Any]]


class PathChecks:
    """The hashes of the path items and component schemas known to pass the validator's walk."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.entry = key(_KIND, generator_fingerprint())
        self.known = cache.get_hashes(_KIND, self.entry)
        self.current: list[str] = []  # this spec's path items and component schemas
        self.left_out = 0  # path items and component schemas not walked in this run

    def walk(self, spec: dict[str, Any], digests: dict[tuple[str, str], str]) -> Walk | None:
        """What the walk may leave out; None when nothing (then the whole spec is walked)."""
        paths = spec.get("paths")
        if not isinstance(paths, dict):
            return None
        items, schemas = _closure_digests(spec, paths, digests)
        self.current = [digest for digest in [*items.values(), *schemas.values()] if digest]
        if not self.known or "" in items.values() or not _items_independent(spec):
            return None  # nothing known, or an item refers to what is not a component
        kept = {url: item for url, item in paths.items() if items[url] not in self.known}
        components = (spec.get("components") or {}).get("schemas") or {}
        walked = [components[name] for name, digest in schemas.items() if digest in self.known]
        walked = [schema for schema in walked if isinstance(schema, dict)]
        self.left_out = len(paths) - len(kept) + len(walked)
        return Walk({**spec, "paths": kept}, walked) if self.left_out else None

    def remember(self) -> None:
        """Keep this run's hashes, then the earlier ones up to the limit; nothing new, no write."""
        self.cache.put_hashes(_KIND, self.entry, self.current, self.known, limit=_LIMIT)


def _places(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(place, map) of `paths` and of each map of components, whose entries the walk's hashes name."""
    found: list[tuple[str, Any]] = [("paths", spec.get("paths"))]
    components = spec.get("components")
    if isinstance(components, dict):
        found += [(f"components/{name}", value) for name, value in components.items() if _is_map(name, value)]
    return [(place, entries) for place, entries in found if isinstance(entries, dict)]


def _is_map(name: str, value: Any) -> bool:
    """A map of components (`schemas`, `parameters`...); not an extension (`x-...`)."""
    return isinstance(value, dict) and not name.startswith("x-")


def entry_digests(spec: dict[str, Any], validator: type) -> dict[tuple[str, str], str]:
    """{(place, key): hash} of each path item and component: of its key and value and the validator's
    class; "" for a value that cannot be hashed so (never known)."""
    digests: dict[tuple[str, str], str] = {}
    for place, entries in _places(spec):
        for name, value in entries.items():
            named, valued = exact(name), exact(value)
            digests[place, name] = key(validator.__qualname__, place, named, valued) if named and valued else ""
    return digests


def _closure_digests(
    spec: dict[str, Any], paths: dict[str, Any], digests: dict[tuple[str, str], str]
) -> tuple[dict[str, str], dict[str, str]]:
    """({url: hash}, {schema name: hash}): of a path item's or component schema's own hash and of
    every component it reaches; "" when it refers to something other than a component, or cannot
    be hashed."""
    components: dict[str, Any] = spec["components"] if isinstance(spec.get("components"), dict) else {}
    refers: dict[tuple[str, str], set[tuple[str, str]] | None] = {}

    def targets(value: Any) -> set[tuple[str, str]] | None:
        found: set[tuple[str, str]] = set()
        for ref in _refs(value):
            tokens = split_pointer(ref[1:]) if ref.startswith("#/") else []
            if len(tokens) < 3 or tokens[0] != "components":
                return None
            found.add((f"components/{tokens[1]}", tokens[2]))
        return found

    def reached(start: set[tuple[str, str]]) -> list[str] | None:
        seen = set(start)
        stack = list(start)
        while stack:
            place, name = stack.pop()
            if (place, name) not in refers:
                entries = components.get(place.removeprefix("components/"))
                value = entries.get(name) if isinstance(entries, dict) else None
                refers[place, name] = targets(value) if value is not None else None
            more = refers[place, name]
            if more is None or not digests.get((place, name)):
                return None
            stack += [target for target in more if target not in seen]
            seen |= more
        return sorted(digests[target] for target in seen)

    def closure(kind: str, own: str, value: Any) -> str:
        start = targets(value) if own else None
        reachable = reached(start) if start is not None else None
        return key(kind, own, *reachable) if reachable is not None else ""

    items = {url: closure("path item", digests.get(("paths", url), ""), item) for url, item in paths.items()}
    schemas = components.get("schemas")
    named = {
        name: closure("schema", digests.get(("components/schemas", name), ""), value)
        for name, value in (schemas.items() if isinstance(schemas, dict) else ())
    }
    return items, named


def _refs(value: Any) -> list[str]:
    """Every `$ref` string in the value (non-string refs as "", which refer to nothing known)."""
    return [ref if isinstance(ref, str) else "" for ref in ref_values(value) if ref is not None]


def _items_independent(spec: dict[str, Any]) -> bool:
    """No operationId repeats and no schema could fail the `allOf` check (see above)."""
    from .refs import resolve_pointer

    def resolved(node: Any, depth: int = 0) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 50:
            ref = node["$ref"]
            if not ref.startswith("#"):
                return None
            try:
                node = resolve_pointer(spec, ref[1:])
            except Exception:
                return None
            depth += 1
        return node

    seen: set[Any] = set()
    for item in (spec.get("paths") or {}).values():
        item = resolved(item)
        for operation in item.values() if isinstance(item, dict) else ():
            if isinstance(operation, dict) and operation.get("operationId") is not None:
                name = exact(operation["operationId"]) if _plain(operation["operationId"]) else None
                if name is None or name in seen:
                    return False
                seen.add(name)

    def properties(node: Any, seen: set[int]) -> set[Any] | None:
        node = resolved(node)
        if node is None:
            return None
        if not isinstance(node, dict) or id(node) in seen:
            return set()
        seen.add(id(node))
        found: set[Any] = set(node["properties"]) if isinstance(node.get("properties"), dict) else set()
        parts = [part for k in ("allOf", "anyOf", "oneOf") if isinstance(node.get(k), list) for part in node[k]]
        parts += [node[k] for k in ("items", "not") if k in node]
        for part in parts:
            more = properties(part, seen)
            if more is None:
                return None
            found |= more
        return found

    for node in _with_all_of(spec):
        required = node.get("required") or []
        if not isinstance(required, list) or not all(isinstance(name, str) for name in required) or "$ref" in node:
            return False
        if "properties" in node and not isinstance(node["properties"], dict):
            return False
        own = set(node.get("properties") or {})
        nested = [properties(part, set()) for part in node["allOf"]] if isinstance(node["allOf"], list) else [None]
        if any(part is None for part in nested):
            return False
        if set(required) - own - set().union(*(part for part in nested if part is not None)):
            return False
    return True


def _with_all_of(spec: Any) -> list[dict[str, Any]]:
    """Every mapping in the document with an `allOf`: the schemas that have one, and maybe some data
    that looks like one (which only makes the check stricter)."""
    found: list[dict[str, Any]] = []
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "allOf" in node:
                found.append(node)
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    return found


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)
