"""Which branch of a discriminated union each tag value selects, for a union pydantic cannot pick
by Literal tags alone: a branch that is itself a union, or whose tag takes values the mapping gives
another branch (`enum: [submitted, cancelled]` beside `submitted → AsyncPlanningResult`).

Input: the union's model schemas (`#/$defs/<name>` refs), its property and mapping. Output:
{tag value: branch name} for `x-codegen-dispatch` (the renderer writes a `Discriminator` that reads
it), or None where the union stays tried branch by branch: a branch not named by a ref, a tag a
branch does not require (an absent tag selects no branch), or a value two branches claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFS = "#/$defs/"
# Set on a union schema: {"property": wire name, "branches": {tag value: branch model name}}.
DISPATCH = "x-codegen-dispatch"


def dispatch(
    prop: str, mapping: Mapping[str, str], implicit: Mapping[str, str], branches: list[Any], defs: Mapping[str, Any]
) -> dict[str, str] | None:
    """`mapping` is {value: branch model name}: the spec's entries plus, for a branch no entry names,
    its schema's name (`implicit`, {branch: that value}). Such a branch that pins its tag itself is
    selected by the values it pins instead (a union branch by those its members pin)."""
    chosen: dict[str, str] = {}
    for branch in branches:
        name = _def_name(branch)
        pinned = _pinned(defs, name, prop) if name else None
        if name is None or pinned is None:  # not a model, or a tag that may be absent
            return None
        values = {value for value, target in mapping.items() if target == name}
        if name in implicit and pinned:
            values = pinned
        for value in values:
            if chosen.setdefault(value, name) != name:
                return None
    return dict(sorted(chosen.items())) if chosen else None


def _def_name(branch: Any) -> str | None:
    ref = branch.get("$ref") if isinstance(branch, Mapping) else None
    return ref.removeprefix(DEFS) if isinstance(ref, str) and ref.startswith(DEFS) else None


def _pinned(defs: Mapping[str, Any], name: str, prop: str, depth: int = 0) -> set[str] | None:
    """The values a branch allows its required tag (empty: any string); None if it may be absent."""
    body = defs.get(name)
    if not isinstance(body, Mapping) or depth > 16:
        return None
    members = body.get("oneOf") or body.get("anyOf")
    if isinstance(members, list) and "properties" not in body:
        found: set[str] = set()
        for member in members:
            inner = _def_name(member)
            values = _pinned(defs, inner, prop, depth + 1) if inner else None
            if values is None:
                return None
            if not values:  # a member that takes any value: so does the union
                return set()
            found |= values
        return found
    if prop not in _required(defs, body):
        return None
    return _values(defs, _property(defs, body, prop), depth)


def _values(defs: Mapping[str, Any], tag: Any, depth: int) -> set[str] | None:
    if not isinstance(tag, Mapping) or depth > 16:
        return None
    ref = tag.get("$ref")
    if isinstance(ref, str):  # an enum class
        return _values(defs, defs.get(ref.removeprefix(DEFS)), depth + 1)
    if "const" in tag:
        return {tag["const"]} if isinstance(tag["const"], str) else None
    if "enum" in tag:
        values = tag["enum"]
        return set(values) if all(isinstance(v, str) for v in values) else None
    return set() if tag.get("type") == "string" else None


def _property(defs: Mapping[str, Any], schema: Any, prop: str, depth: int = 0) -> Any:
    if not isinstance(schema, Mapping) or depth > 16:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _property(defs, defs.get(ref.removeprefix(DEFS)), prop, depth + 1)
    found = (schema.get("properties") or {}).get(prop)
    for part in schema.get("allOf") or []:
        found = _property(defs, part, prop, depth + 1) or found
    return found


def _required(defs: Mapping[str, Any], schema: Any, depth: int = 0) -> set[str]:
    if not isinstance(schema, Mapping) or depth > 16:
        return set()
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _required(defs, defs.get(ref.removeprefix(DEFS)), depth + 1)
    found = {str(r) for r in schema.get("required") or []}
    for part in schema.get("allOf") or []:
        found |= _required(defs, part, depth + 1)
    return found
