"""Fold the SDK-level changes into the wire-level ones, so nothing is listed twice.

Input: wire `Change`s (wire.py), `SdkChange`s (sdk.py) and both `Surface`s. Output: one list of
`Change`s in wire order. A wire change gets its Python spelling (`python`) and, when an SDK
change explains it and says more (the method was renamed, the keyword arguments became `body=`),
that SDK kind (`merged`); the stricter of the two levels counts. An SDK change that no wire change explains is
listed on its own, after the changes of its operation (or at the end, for model classes).
An operationId change that leaves the method's name and place as they were is no break.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from .rules import SEVERITY, rule
from .sdk import SdkChange, argument_site, call
from .surface import Method, Surface
from .wire import Change

_ID_KINDS = ("operation-id-changed", "operation-id-added", "operation-id-removed")
# SDK changes that break nobody when the wire did not change there (a readOnly/writeOnly flag moved).
_SIGNATURE_ONLY = {
    "sdk-argument-became-required": "sdk-argument-became-required-in-signature",
    "sdk-argument-added-required": "sdk-argument-added-required-in-signature",
}


def merge(wire: Sequence[Change], sdk: Sequence[SdkChange], old: Surface, new: Surface) -> list[Change]:
    new_operations = {m.operation for m in new.methods}
    methods = {m.operation: m for m in new.methods} | {
        m.operation: m for m in old.methods if m.operation not in new_operations
    }
    renamed = {s.change.operation for s in sdk if s.change.kind == "sdk-method-renamed"}
    matches = _matches(wire, sdk, old, new)
    folded = _fold(wire, matches)
    merged: list[Change] = []
    for j, change in enumerate(wire):
        python = next((sdk[i].change.python for i in matches[j] if sdk[i].change.python), "")
        python = python or _spelling(change, methods.get(change.operation), old, new)
        strongest = max(folded.get(j, []), key=lambda i: SEVERITY[sdk[i].change.rule.level], default=None)
        kind, extra, values, spelled = change.kind, "", (change.old, change.new), change.python_values
        if strongest is not None:
            extra = sdk[strongest].change.kind
            spelled = (sdk[strongest].change.old, sdk[strongest].change.new)
            if _says_more(sdk[strongest], change):  # its Python-level values replace the wire's
                values = spelled
        if kind in _ID_KINDS and change.operation in methods and change.operation not in renamed:
            kind = "operation-id-changed-same-method"
        merged.append(
            dataclasses.replace(
                change, kind=kind, python=python, merged=extra, old=values[0], new=values[1], python_values=spelled
            )
        )
    explained = {i for found in matches for i in found}
    return _interleave(merged, [item.change for i, item in enumerate(sdk) if i not in explained])


def _matches(wire: Sequence[Change], sdk: Sequence[SdkChange], old: Surface, new: Surface) -> list[list[int]]:
    """For each wire change, the SDK changes that explain it (indexes into `sdk`)."""
    by_place: dict[str, list[int]] = {}  # operation, `.alias` or `=member` → SDK changes that may explain one there
    for i, item in enumerate(sdk):
        place = f"={item.member}" if item.member else f".{item.alias}" if item.model else item.change.operation
        by_place.setdefault(place, []).append(i)
    matches: list[list[int]] = []
    for change in wire:
        tail = "." + _property(change.location) if change.owner and _property(change.location) else ""
        candidates = by_place.get(change.operation, []) + (by_place.get(tail, []) if tail else [])
        if "enum-value" in change.kind:
            candidates += by_place.get(f"={change.new if change.old is None else change.old}", [])
        matches.append([] if change.doc_only else [i for i in candidates if _explains(sdk[i], change, old, new)])
    return matches


def _fold(wire: Sequence[Change], matches: list[list[int]]) -> dict[int, list[int]]:
    """Each SDK change is folded into one wire change per operation: the most severe it explains."""
    targets: dict[tuple[int, str], int] = {}
    for j, found in enumerate(matches):
        for i in found:
            key = (i, wire[j].operation)
            if key not in targets or SEVERITY[wire[j].rule.level] > SEVERITY[wire[targets[key]].rule.level]:
                targets[key] = j
    folded: dict[int, list[int]] = {}
    for (i, _), j in targets.items():
        folded.setdefault(j, []).append(i)
    return folded


def _interleave(merged: list[Change], alone: list[Change]) -> list[Change]:
    """SDK changes no wire change explains, after the changes of their operation (model classes last)."""
    by_operation: dict[str, list[Change]] = {}
    models: list[Change] = []
    for change in alone:
        if change.kind in _SIGNATURE_ONLY:  # the server required it all along: working calls pass it
            change = dataclasses.replace(change, kind=_SIGNATURE_ONLY[change.kind])
        if change.operation:
            by_operation.setdefault(change.operation, []).append(change)
        else:
            models.append(change)
    result: list[Change] = []
    for position, change in enumerate(merged):
        result.append(change)
        last = position + 1 == len(merged) or merged[position + 1].operation != change.operation
        if last:
            result.extend(by_operation.pop(change.operation, []))
    for rest in by_operation.values():
        result.extend(rest)
    return result + models


def _says_more(item: SdkChange, change: Change) -> bool:
    """The SDK change is stricter than the wire's (the keyword arguments became `body=`)."""
    return SEVERITY[rule(item.change.kind).level] > SEVERITY[rule(change.kind).level]


def _explains(item: SdkChange, change: Change, old: Surface, new: Surface) -> bool:
    if item.member:  # `PetStatus.pending` added explains `.status` gaining `pending` where `status: PetStatus`
        value = change.new if change.old is None else change.old
        if "enum-value" not in change.kind or str(value) != item.member or not change.owner:
            return False
        tail = _property(change.location)
        annotations = [
            surface.field_annotation(name, tail)
            for surface in (new, old)
            if (name := surface.class_for_ref(change.owner)) is not None
        ]
        return any(item.model in re.findall(r"\w+", text) for text in annotations)
    if item.model:
        if not change.owner or not item.alias or _property(change.location) != item.alias:
            return False
        return item.model in (new.class_for_ref(change.owner), old.class_for_ref(change.owner))
    if item.change.operation != change.operation or item.site is None:
        return False
    if item.prefix:
        return change.location == item.site or change.location.startswith(item.site + " ")
    if item.site == "":
        return change.location == "" and change.kind != "description-changed"
    return change.location == item.site


def _property(location: str) -> str:
    """The property a location ends in: `.choices[].message.tool_calls[]` → `tool_calls`."""
    trimmed = re.sub(r"(\[\]|\{\}|<[^<>]*>)+$", "", location)
    return trimmed.rsplit(".", 1)[-1] if "." in trimmed else ""


def _spelling(change: Change, method: Method | None, old: Surface, new: Surface) -> str:
    """`Class.field` for a property of a model class; else the call: `client.x.update(limit=…)`."""
    if change.owner and change.location.count(" ") >= 1:
        name = new.class_for_ref(change.owner) or old.class_for_ref(change.owner)
        tail = _property(change.location)
        field = name and tail and (new.field_name(name, tail) or old.field_name(name, tail))
        if name and field:
            return f"{name}.{field}"
    if method is None:
        return ""
    if change.location.startswith("response"):
        return f"{method.spelling}() -> {method.returns}"
    for argument in method.arguments:
        site = argument_site(argument)
        if change.location == site or change.location.startswith((site + ".", site + "[", site + "<", site + "{")):
            return call(method, argument)
    return call(method)
