"""Apply an OpenAPI Overlay 1.0 document to a spec.

Input: a spec mapping and an overlay `Document`. Output: a new spec mapping (the input is
not changed). Targets are RFC 9535 JSONPath queries. `update` merges objects recursively
(update wins on scalars) and appends to arrays; `remove: true` deletes the selected nodes.
An action that selects nothing is an error: when upstream moves a node, the overlay must
be fixed rather than silently drop what it adds.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import jsonpath_rfc9535 as jsonpath

from .errors import CodegenError, Problem
from .load import Document


def merge(target: Any, update: Any) -> Any:
    if isinstance(target, dict) and isinstance(update, dict):
        merged = dict(target)
        for key, value in update.items():
            merged[key] = merge(target[key], value) if key in target else copy.deepcopy(value)
        return merged
    if isinstance(target, list):
        return [*target, *copy.deepcopy(update if isinstance(update, list) else [update])]
    return copy.deepcopy(update)


def _check_header(overlay: Document) -> list[dict[str, Any]]:
    data = overlay.data
    version = str(data.get("overlay", ""))
    if not version.startswith("1."):
        raise CodegenError.at(
            overlay.source, "/overlay", f"expected an Overlay 1.x document, got {version or 'nothing'!r}"
        )
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        raise CodegenError.at(overlay.source, "/actions", "an overlay needs a non-empty list of actions")
    return actions


def apply_overlay(spec: dict[str, Any], overlay: Document) -> dict[str, Any]:
    result: dict[str, Any] = copy.deepcopy(spec)
    problems: list[Problem] = []
    for index, action in enumerate(_check_header(overlay)):
        at = f"/actions/{index}"
        target = action.get("target") if isinstance(action, dict) else None
        if not isinstance(target, str):
            problems.append(Problem(overlay.source, at, "action has no target"))
            continue
        try:
            nodes = jsonpath.find(target, result)
        except jsonpath.JSONPathError as exc:
            problems.append(Problem(overlay.source, f"{at}/target", f"invalid JSONPath {target!r}: {exc}"))
            continue
        if not nodes:
            problems.append(Problem(overlay.source, f"{at}/target", f"{target} selects nothing in the spec"))
            continue
        # Last match first, so removing one array item never shifts another's index.
        for node in reversed(nodes):
            parent, key = _parent_and_key(result, node.location)
            if action.get("remove") is True:
                if parent is None:
                    problems.append(Problem(overlay.source, at, "cannot remove the document root"))
                    break
                del parent[key]
            elif "update" in action:
                if not isinstance(node.value, (dict, list)):
                    problems.append(
                        Problem(
                            overlay.source,
                            f"{at}/target",
                            f"{target} selects a scalar; update needs an object or array",
                        )
                    )
                    break
                merged = merge(node.value, action["update"])
                if parent is None:
                    result = merged
                else:
                    parent[key] = merged
            else:
                problems.append(Problem(overlay.source, at, "action has neither update nor remove: true"))
                break
    if problems:
        raise CodegenError(problems)
    return result


def _parent_and_key(root: Any, location: Sequence[str | int]) -> tuple[Any, str | int | None]:
    if not location:
        return None, None
    parent = root
    for key in location[:-1]:
        parent = parent[key]
    return parent, location[-1]
