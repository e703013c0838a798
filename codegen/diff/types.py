"""Python annotation text, compared: does every value of one type fit the other?

Input: two annotations as the generator spells them (`int | str`, `list[ChatCompletionMessage]`,
`Literal['auto']`, `dict[str, Any] | None`) and the names of the model classes on each side.
Output: `same`, `wider` (every old value fits the new type), `narrower` (every new value fits the
old type), `renamed` (the same shape, other class names) or `other`. A caller's argument may widen;
a reader's attribute may narrow. An `int` fits `float`, a `Literal` its base type, anything `Any`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

Relation = Literal["same", "wider", "narrower", "renamed", "other"]
_CLASS = "Model"


def relation(
    old: str,
    new: str,
    *,
    old_classes: frozenset[str],
    new_classes: frozenset[str],
    enums: Mapping[str, str] | None = None,
) -> Relation:
    """How `new` relates to `old`; `enums` maps enum class names to their base (`str`), which they fit."""
    bases = enums or {}
    if old == new:
        return "same"
    if fits(old, new, bases):
        return "wider"
    if fits(new, old, bases):
        return "narrower"
    masked_old, masked_new = _mask(old, old_classes), _mask(new, new_classes)
    if masked_old == masked_new or fits(masked_old, masked_new, bases) or fits(masked_new, masked_old, bases):
        return "renamed"
    return "other"


def fits(inner: str, outer: str, enums: Mapping[str, str] | None = None) -> bool:
    """Every value of `inner` is a value of `outer`."""
    outer_parts = split_union(outer)
    if "Any" in outer_parts:
        return True
    return all(any(_part_fits(p, q, enums or {}) for q in outer_parts) for p in split_union(inner))


def _part_fits(inner: str, outer: str, enums: Mapping[str, str]) -> bool:
    if inner == outer or outer == "Any":
        return True
    if inner == "int" and outer == "float":
        return True
    if inner in enums:  # a `str` enum's members are strings
        return enums[inner] == outer or (enums[inner] == "int" and outer == "float")
    head, args = _generic(inner)
    outer_head, outer_args = _generic(outer)
    if head == "Literal":
        if outer_head == "Literal":
            return set(_split_top(args, ",")) <= set(_split_top(outer_args, ","))
        base = {"'": "str", '"': "str", "T": "bool", "F": "bool"}.get(args[:1], "int")
        return base == outer or (base == "int" and outer == "float")
    if head and head == outer_head and head in ("list", "dict"):
        inner_args, wider_args = _split_top(args, ","), _split_top(outer_args, ",")
        return len(inner_args) == len(wider_args) and all(
            fits(a, b, enums) for a, b in zip(inner_args, wider_args, strict=True)
        )
    return False


def split_union(annotation: str) -> list[str]:
    return [part.strip() for part in _split_top(annotation, "|")]


def _split_top(text: str, separator: str) -> list[str]:
    """`text` split at `separator` outside brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        if char == separator and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _generic(text: str) -> tuple[str, str]:
    """`list[int]` → (`list`, `int`); a plain name → (``, ``)."""
    match = re.fullmatch(r"(\w+)\[(.*)\]", text.strip())
    return (match.group(1), match.group(2)) if match else ("", "")


def _mask(annotation: str, classes: frozenset[str]) -> str:
    return re.sub(r"\b[A-Za-z_]\w*\b", lambda m: _CLASS if m.group(0) in classes else m.group(0), annotation)
