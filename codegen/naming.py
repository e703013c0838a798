"""Python names from OpenAPI names.

Input: names as the spec spells them (`completion_id`, `top_logprobs`, `x-request-id`, `class`).
Output: valid, PEP 8 Python identifiers: snake_case for attributes and methods, PascalCase
for classes, with keyword and builtin clashes resolved by a trailing underscore.
"""

from __future__ import annotations

import builtins
import keyword
import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Attribute names that would shadow pydantic's BaseModel API or builtins users rely on.
_RESERVED_ATTRIBUTES = frozenset({"model_config", "model_fields", "model_extra", "copy", "dict", "json", "schema"})


def words(name: str) -> list[str]:
    return [w for w in _WORD.findall(re.sub(r"[^0-9A-Za-z]+", " ", name).replace(" ", "_")) if w]


def snake(name: str) -> str:
    """`completionID` → `completion_id`; keywords get a trailing underscore (`class_`)."""
    result = "_".join(w.lower() for w in words(name)) or "field"
    if result[0].isdigit():
        result = f"n{result}" if not result.startswith("_") else result
    if keyword.iskeyword(result) or keyword.issoftkeyword(result) or result in _RESERVED_ATTRIBUTES:
        result += "_"
    return result


def pascal(name: str) -> str:
    """`chat.completion` → `ChatCompletion`; already-Pascal names keep their capitals."""
    parts = words(name)
    result = "".join(p if p[:1].isupper() else p[:1].upper() + p[1:] for p in parts) or "Model"
    if result[0].isdigit():
        result = f"N{result}"
    if keyword.iskeyword(result) or hasattr(builtins, result):
        result += "_"
    return result


def singular(name: str) -> str:
    """The name of one item of a list property: `choices` → `choice`, `entries` → `entry`."""
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith(("sses", "ches", "shes", "xes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith(("ss", "us", "is")):
        return name[:-1]
    return name


def dedupe(name: str, taken: set[str] | frozenset[str]) -> str:
    """`name`, or `name2`, `name3`, ... whichever is free first."""
    if name not in taken:
        return name
    n = 2
    while f"{name}{n}" in taken:
        n += 1
    return f"{name}{n}"
