"""The base of every generated model.

Plain pydantic v2, plus what the official SDK's models offer: `to_dict()`, `to_json()`, and
`_request_id` (the `x-request-id` of the response a model was parsed from). Unknown fields
are kept (`extra="allow"`) so nothing a newer server sends is lost.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar, Literal

import pydantic

__all__ = ["BaseModel", "by_tag", "mark_deprecated"]


class BaseModel(pydantic.BaseModel):
    # defer_build: validators are built on first use, not at import (import time is a cost every
    # process pays; most use a handful of models).
    model_config = pydantic.ConfigDict(extra="allow", defer_build=True, populate_by_name=True)

    # Set per instance on the model a call returns; a ClassVar so that pydantic neither
    # validates nor serializes it, and nested models pay nothing for it.
    _request_id: ClassVar[str | None] = None

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The fields as the server sent them (unset fields left out), extra fields included."""
        # warnings=False: a value kept as sent (an enum value newer than the spec) is not an error here.
        return self.model_dump(
            mode=mode, by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none, warnings=False
        )

    def to_json(self, *, indent: int | None = 2, exclude_unset: bool = True) -> str:
        return self.model_dump_json(indent=indent, by_alias=True, exclude_unset=exclude_unset, warnings=False)


def by_tag(prop: str, branches: dict[str, str]) -> pydantic.Discriminator:
    """The discriminator of a union pydantic cannot pick by a Literal alone (a branch that is itself a
    union, or whose tag takes values the mapping gives another branch): `prop`'s value names the
    branch's `Tag` as the spec's mapping says. A value it does not name is an error; the lenient
    path keeps such a value as sent."""

    def tag_of(value: Any) -> str | None:
        tag = value.get(prop) if isinstance(value, dict) else _wire_value(value, prop)
        return branches.get(tag) if isinstance(tag, str) else None

    return pydantic.Discriminator(tag_of)


def _wire_value(model: Any, key: str) -> Any:
    """A model's value under its wire name `key` (serializing picks the branch by it as well)."""
    if not isinstance(model, pydantic.BaseModel):
        return None
    for name, info in type(model).model_fields.items():
        if (info.alias or name) == key:
            return model.__dict__.get(name)
    return (model.__pydantic_extra__ or {}).get(key)


def mark_deprecated(cls: type[BaseModel], *names: str) -> None:
    """Make reading these fields warn. pydantic does it only for a model built on its own, and ours
    are built lazily, often as part of another model, so models.py lists them explicitly."""
    for name in names:
        info = cls.model_fields[name]
        setattr(cls, name, _DeprecatedField(name, info.deprecation_message or f"{cls.__name__}.{name} is deprecated"))


class _DeprecatedField:
    """Reading a field the spec marks deprecated emits a DeprecationWarning, as pydantic's own do."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            raise AttributeError(self.name)
        warnings.warn(self.message, DeprecationWarning, stacklevel=2)
        return obj.__dict__[self.name]

    def __set__(self, obj: object, value: Any) -> None:  # a data descriptor wins over the instance dict
        obj.__dict__[self.name] = value
