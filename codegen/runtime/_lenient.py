"""Parse what a newer (or sloppier) server sends instead of failing the whole call.

Used only after strict validation failed and `strict_response_validation` is off. Every
part that validates is validated as usual; a part that does not is kept as the server sent
it: an unknown enum value stays a plain string, an unknown union member stays a dict, and
a missing required field becomes None. Unknown fields are kept as always (`model_extra`).
"""

from __future__ import annotations

import types
import typing
from typing import Any

import pydantic
import typing_extensions

_adapters: dict[Any, pydantic.TypeAdapter[Any]] = {}
_ALIAS_TYPES = tuple(
    dict.fromkeys([typing_extensions.TypeAliasType, getattr(typing, "TypeAliasType", typing_extensions.TypeAliasType)])
)


def _adapter(annotation: Any) -> pydantic.TypeAdapter[Any]:
    adapter = _adapters.get(annotation)
    if adapter is None:
        adapter = _adapters[annotation] = pydantic.TypeAdapter(annotation)
    return adapter


def lenient_model(cls: type[pydantic.BaseModel], data: Any) -> Any:
    try:
        return cls.model_validate(data, by_alias=True, by_name=False)
    except pydantic.ValidationError:
        pass
    if not isinstance(data, dict):
        return data
    values: dict[str, Any] = {}
    known: set[str] = set()
    for name, field in cls.model_fields.items():
        key = field.alias or name
        known.add(key)
        if key in data:
            values[name] = lenient_value(field.annotation, data[key])
        elif field.is_required():
            values[name] = None
    values.update({key: value for key, value in data.items() if key not in known})
    return cls.model_construct(**values)


def lenient_value(annotation: Any, value: Any) -> Any:
    try:
        return _adapter(annotation).validate_python(value, by_alias=True, by_name=False)
    except pydantic.ValidationError:
        pass
    annotation = _unalias(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        if typing.get_origin(args[0]) in (typing.Union, types.UnionType):  # tagged branches (`by_tag`)
            return _lenient_union(typing.get_args(args[0]), value)
        return lenient_value(args[0], value)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return lenient_model(annotation, value)
    if origin in (list, tuple, set) and isinstance(value, list) and args:
        return [lenient_value(args[0], item) for item in value]
    if origin is dict and isinstance(value, dict) and len(args) == 2:
        return {key: lenient_value(args[1], item) for key, item in value.items()}
    if origin in (typing.Union, types.UnionType):
        return _lenient_union(args, value)
    return value


def _lenient_union(members: tuple[Any, ...], value: Any) -> Any:
    """`X | None` is X; among models, the one whose literal tag (`type: "function"`) matches."""
    options = [m for m in members if m is not type(None)]
    if value is None:
        return None
    if len(options) == 1:
        return lenient_value(options[0], value)
    if isinstance(value, list):
        lists = [m for m in options if typing.get_origin(_unwrap(m)) in (list, tuple, set)]
        return lenient_value(lists[0], value) if len(lists) == 1 else value
    if not isinstance(value, dict):
        return value
    candidates = (_unwrap(member) for member in options)
    models = [m for m in candidates if isinstance(m, type) and issubclass(m, pydantic.BaseModel)]
    for model in models:
        if _tag_matches(model, value):
            return lenient_model(model, value)
    return lenient_model(models[0], value) if len(models) == 1 else value


def _unwrap(annotation: Any) -> Any:
    annotation = _unalias(annotation)
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


def _unalias(annotation: Any) -> Any:
    """A named type alias (`Metadata = TypeAliasType(...)`) is what it stands for."""
    while isinstance(annotation, _ALIAS_TYPES):
        annotation = annotation.__value__
    return annotation


def _tag_matches(model: type[pydantic.BaseModel], value: dict[str, Any]) -> bool:
    for name, field in model.model_fields.items():
        if typing.get_origin(field.annotation) is typing.Literal:
            return value.get(field.alias or name) in typing.get_args(field.annotation)
    return False
