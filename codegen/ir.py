"""The intermediate representation: what the templates print, already named and sorted.

Input: nothing (definitions only). `build_ir` fills these from a resolved spec; the
renderers read them and never derive names, imports or types of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .naming import snake

Location = Literal["path", "query", "header"]


@dataclass(frozen=True, slots=True)
class Model:
    """A named JSON Schema that becomes one class (or enum) in models.py."""

    name: str
    pointer: str  # where it came from in the spec, for error messages
    schema: dict[str, Any] = field(compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Param:
    """A path, query or header parameter, or a top-level property of a JSON body."""

    name: str  # Python name, as the method signature spells it
    wire_name: str  # name on the wire
    location: Location | Literal["body"]
    required: bool
    type: str  # Python type expression, e.g. `dict[str, str] | None`
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str
    resource: tuple[str, ...]  # attribute path from the client, e.g. ("chat", "completions")
    name: str  # method name on the resource
    summary: str
    deprecated: bool
    params: tuple[Param, ...]  # path, then query, then header parameters, in spec order
    body: tuple[Param, ...]  # top-level properties of a JSON body
    body_model: str | None  # the model that validates a JSON body before it is sent
    body_required: bool
    body_encoding: Literal["json", "multipart", "none"]
    response_type: str  # Python type expression of the success body, or "None"
    response_format: Literal["json", "binary", "none"]
    accept: str  # the media type asked for: application/json, or the binary one (audio/mpeg, ...)
    responses: tuple[tuple[str, str], ...]  # (status, type) when 2xx statuses differ; else empty
    params_model: str | None  # checks query and header values before sending, when they have limits
    comma_joined: tuple[str, ...]  # query arrays sent as `a,b,c` (`explode: false`)
    stream_type: str | None  # the event type when a success response can also be `text/event-stream`
    stream_flag: bool  # the body has a `stream` property (the `_stream` method sets it to true)

    @property
    def const_name(self) -> str:
        return "_" + snake(self.operation_id).upper()


@dataclass(frozen=True, slots=True)
class Resource:
    """A group of operations reached as an attribute (`client.chat.completions`)."""

    attribute: str
    class_name: str
    children: tuple[Resource, ...]
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    version: str
    base_url: str  # the first server of the spec
    spec_label: str  # the spec path as the user gave it (never absolute)
    spec_sha256: str
    models: tuple[Model, ...]  # sorted by name
    operations: tuple[Operation, ...]  # sorted by (path, method)
    root: Resource  # the client itself; its operations are methods on the client
