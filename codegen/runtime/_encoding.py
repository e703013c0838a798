"""Arguments on the wire: parameters in every OpenAPI style, and bodies in every media type.

Parameters (`Style`): path `simple`, `label`, `matrix`; query `form` (exploded or comma-joined),
`spaceDelimited`, `pipeDelimited`, `deepObject`; header `simple`; cookie `form`. Bodies: JSON
(validated by the body model when there is one), `multipart/form-data`, `application/x-www-form-
urlencoded`, raw bytes (a file, a path, an iterator) and text. Pure functions: no I/O but reading
a file the caller named.
"""

from __future__ import annotations

import enum
import io
import json
import os
from collections.abc import AsyncIterable, Iterable, Mapping
from typing import IO, Any, Literal
from urllib.parse import quote

import pydantic
import pydantic_core

__all__ = [
    "BinaryContent",
    "FileTypes",
    "Style",
    "binary_body",
    "cookie_header",
    "form_body",
    "header_values",
    "json_body",
    "multipart_body",
    "path_value",
    "query_pairs",
    "wire_value",
]

Style = tuple[str, bool]  # (style, explode)
FileContent = bytes | IO[bytes] | os.PathLike[str]
FileTypes = FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
BinaryContent = bytes | IO[bytes] | os.PathLike[str] | Iterable[bytes] | AsyncIterable[bytes]
_DEFAULT_STYLE = {"path": ("simple", False), "query": ("form", True), "header": ("simple", False)}
_SEPARATORS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def wire_value(value: object) -> object:
    """A value as parameters carry it: enum members by value, booleans as `true`/`false`, models
    as their JSON fields; lists and maps keep their shape for the style to lay out."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (list, tuple)):
        return [wire_value(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): wire_value(item) for key, item in value.items()}
    return value


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def query_pairs(name: str, value: object, style: Style | None) -> list[tuple[str, str]]:
    """`name=value` pairs of one query parameter, in its style."""
    kind, explode = style or _DEFAULT_STYLE["query"]
    value = wire_value(value)
    if isinstance(value, list):
        if explode and kind == "form":
            return [(name, _text(item)) for item in value]
        return [(name, _SEPARATORS.get(kind, ",").join(_text(item) for item in value))]
    if isinstance(value, dict):
        if kind == "deepObject":
            return [(f"{name}[{key}]", _text(item)) for key, item in value.items()]
        if explode:
            return [(key, _text(item)) for key, item in value.items()]
        return [(name, ",".join(f"{key},{_text(item)}" for key, item in value.items()))]
    return [(name, _text(value))]


def path_value(name: str, value: object, style: Style | None) -> str:
    """One path parameter, percent-encoded, in its style: `simple` (`a,b`), `label` (`.a.b`) or
    `matrix` (`;x=a`). An empty, `.` or `..` value is refused: it would change the path itself."""
    kind, explode = style or _DEFAULT_STYLE["path"]
    kind = kind if kind in ("label", "matrix") else "simple"
    value = wire_value(value)
    if isinstance(value, list):
        items = [quote(_text(item), safe="") for item in value]
        if kind == "matrix":
            return "".join(f";{name}={item}" for item in items) if explode else f";{name}=" + ",".join(items)
        return ("." if kind == "label" else "") + ("." if explode and kind == "label" else ",").join(items)
    if isinstance(value, dict):
        pairs = [(quote(key, safe=""), quote(_text(item), safe="")) for key, item in value.items()]
        if explode:
            separator = {"simple": ",", "label": ".", "matrix": ";"}[kind]
            return ("" if kind == "simple" else separator) + separator.join(f"{k}={v}" for k, v in pairs)
        prefix = {"simple": "", "label": ".", "matrix": f";{name}="}[kind]
        return prefix + ",".join(f"{k},{v}" for k, v in pairs)
    text = _text(value)
    if kind == "simple":
        if not text:
            raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
        if text in (".", ".."):
            raise ValueError(f"`{name}` cannot be {text!r}: it would change the path")
    encoded = quote(text, safe="")
    return {"simple": encoded, "label": f".{encoded}", "matrix": f";{name}={encoded}"}[kind]


def header_values(values: Mapping[str, object], styles: Mapping[str, Style] | None = None) -> dict[str, str]:
    """Header parameters that were given, as text (`simple` style: lists comma-joined)."""
    out: dict[str, str] = {}
    for name, value in values.items():
        if value is None or _absent(value):
            continue
        value = wire_value(value)
        explode = (styles or {}).get(name, _DEFAULT_STYLE["header"])[1]
        if isinstance(value, list):
            out[name] = ",".join(_text(item) for item in value)
        elif isinstance(value, dict):
            out[name] = ",".join(f"{k}={_text(v)}" if explode else f"{k},{_text(v)}" for k, v in value.items())
        else:
            out[name] = _text(value)
    return out


def cookie_header(values: Mapping[str, object]) -> str:
    """Cookie parameters as one `Cookie` header value (`form` style)."""
    parts = []
    for name, value in values.items():
        if value is None or _absent(value):
            continue
        value = wire_value(value)
        text = ",".join(_text(item) for item in value) if isinstance(value, list) else _text(value)
        parts.append(f"{name}={quote(text, safe='')}")
    return "; ".join(parts)


def _absent(value: object) -> bool:
    return type(value).__name__ == "NotGiven"


def json_body(
    model: type[pydantic.BaseModel] | None, body: object, extra_body: Mapping[str, object] | None
) -> bytes | None:
    """The JSON to send: validated by the operation's model when it has one (so nothing the spec
    forbids leaves the machine), with `extra_body` merged in on top."""
    if model is not None:
        validated = model.model_validate(body if body is not None else {})
        if not extra_body:
            return validated.model_dump_json(by_alias=True, exclude_unset=True).encode()
        body = validated.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if extra_body:
        body = {**(body if isinstance(body, Mapping) else {}), **extra_body}
    if body is None:
        return None
    return pydantic_core.to_json(body, by_alias=True, exclude_none=False)


def form_body(fields: Mapping[str, object], styles: Mapping[str, Style] | None = None) -> list[tuple[str, str]]:
    """`application/x-www-form-urlencoded` pairs: each field in its `encoding` style (form, exploded,
    by default; `deepObject` for nested objects), None left out."""
    pairs: list[tuple[str, str]] = []
    for name, value in fields.items():
        if value is None:
            continue
        style = (styles or {}).get(name) or (("deepObject", True) if isinstance(value, Mapping) else None)
        pairs.extend(query_pairs(name, value, style))
    return pairs


def multipart_body(fields: Mapping[str, object]) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """Split form fields into plain values and files (bytes, file objects, paths, or tuples)."""
    data: dict[str, Any] = {}
    files: list[tuple[str, Any]] = []
    for name, value in fields.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, (bytes, io.IOBase, os.PathLike, tuple)):
                files.append((name, _file(item)))
            elif item is not None:
                text = item if isinstance(item, str) else json.dumps(pydantic_core.to_jsonable_python(item))
                data.setdefault(name, []).append(text.strip('"') if isinstance(item, (int, float, bool)) else text)
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}, files


def binary_body(body: object, kind: Literal["binary", "text"]) -> Any:
    """Raw content for httpx: bytes, text, a file object's bytes, a path's bytes, or an iterator
    of chunks (streamed as it is read)."""
    if body is None:
        return None
    if kind == "text" or isinstance(body, str):
        return _text(body).encode()
    if isinstance(body, os.PathLike):
        with open(os.fspath(body), "rb") as handle:
            return handle.read()
    if isinstance(body, io.IOBase):
        return body.read()
    return body  # bytes, or an iterator httpx streams


def _file(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        with open(path, "rb") as handle:
            return (os.path.basename(path), handle.read())
    return value
