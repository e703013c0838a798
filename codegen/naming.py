"""Python names from OpenAPI names.

Input: names as the spec spells them (`completion_id`, `top_logprobs`, `x-request-id`, `class`).
Output: valid, PEP 8 Python identifiers: snake_case for attributes and methods, PascalCase
for classes, with keyword and builtin clashes resolved by a trailing underscore.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
from collections.abc import Mapping

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Names that would shadow pydantic's BaseModel API or builtins users rely on.
_RESERVED_ATTRIBUTES = frozenset({"model_config", "model_fields", "model_extra", "copy", "dict", "json", "schema"})
# Attribute names that would shadow the rest of the models' API: pydantic's BaseModel and the runtime's own.
_MODEL_API = _RESERVED_ATTRIBUTES | frozenset(
    {"construct", "from_orm", "mro", "parse_file", "parse_obj", "parse_raw", "register"}
    | {"schema_json", "update_forward_refs", "validate", "to_dict", "to_json"}
    | {"model_computed_fields", "model_construct", "model_copy", "model_dump", "model_dump_json"}
    | {"model_fields_set", "model_json_schema", "model_parametrized_name"}
    | {"model_post_init", "model_rebuild", "model_validate", "model_validate_json", "model_validate_strings"}
)


def words(name: str) -> list[str]:
    return [w for w in _WORD.findall(re.sub(r"[^0-9A-Za-z]+", " ", name).replace(" ", "_")) if w]


@functools.cache  # pure, and asked again for each field or schema of a name: the whole API's IR 0.335 -> 0.29 s
def snake(name: str) -> str:
    """`completionID` → `completion_id`; keywords get a trailing underscore (`class_`)."""
    result = "_".join(w.lower() for w in words(name)) or "field"
    if result[0].isdigit():
        result = f"n{result}" if not result.startswith("_") else result
    if keyword.iskeyword(result) or keyword.issoftkeyword(result) or result in _RESERVED_ATTRIBUTES:
        result += "_"
    return result


@functools.cache  # as `snake`
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


def attribute_names(
    wire_names: list[str], shadowed: Mapping[str, set[str]] | None = None, *, wanted: Mapping[str, str] | None = None
) -> dict[str, str]:
    """{wire name: Python attribute} for the properties of one model, in order: the one naming of
    fields, used for model attributes and body arguments alike (the models stage is told them).
    `shadowed`: the builtins a property's own type names (`list: list[str]` would hide `list`);
    `wanted`: names decided elsewhere (a discriminator's tag, named alike in every branch)."""
    names: dict[str, str] = {wire: name for wire, name in (wanted or {}).items() if wire in wire_names}
    taken: set[str] = set(names.values())
    for wire in wire_names:
        if wire in names:
            continue
        name = snake(wire)
        clash = name in _MODEL_API or name in (shadowed or {}).get(wire, set())
        names[wire] = dedupe(name + "_" if clash else name, taken)
        taken.add(names[wire])
    return {wire: names[wire] for wire in wire_names}
