"""The intermediate representation: the whole SDK, named, typed and sorted, before anything renders.

Input: nothing (definitions only). `build.build_api` fills these from a spec; the renderers
print them and never derive a name, an import or a type of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..config import PageKind
from ..errors import Problem
from .types import PageOf, TypeNode

Location = Literal["path", "query", "header", "cookie", "body"]
ModelKind = Literal["class", "enum", "alias"]
Layout = Literal["single", "modules"]


@dataclass(frozen=True, slots=True)
class Field:
    """A property of a model class: its Python attribute and its name on the wire."""

    name: str
    wire_name: str
    type: TypeNode
    required: bool
    deprecated: bool
    inherited: bool  # declared by a base class (an `allOf` part that is a class of its own)


@dataclass(frozen=True, slots=True)
class Model:
    """A named schema of models.py: a class, an enum or a type alias."""

    name: str
    pointer: str  # where it came from in the spec, for error messages
    kind: ModelKind
    fields: tuple[Field, ...]  # classes: every property, inherited ones first
    schema: dict[str, Any] = field(compare=False, hash=False)  # JSON Schema for the models stage
    module: str = ""  # layout "modules": its module under models/ (`chat_completions`, `_shared`); else ""


@dataclass(frozen=True, slots=True)
class Param:
    """An argument of a method: a path, query or header parameter, or a property of the body."""

    name: str  # Python name, as the method signature spells it
    wire_name: str  # name on the wire ("" for a whole body passed as one argument)
    location: Location
    required: bool
    type: TypeNode
    description: str


@dataclass(frozen=True, slots=True)
class StatusBody:
    """The body of one 2xx status, when statuses carry different bodies (None: no body)."""

    status: str
    type: TypeNode | None


AuthKind = Literal["bearer", "basic", "header", "query", "cookie"]


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """One way to authenticate, from `components/securitySchemes`: a client option of its own."""

    option: str  # the client option, e.g. `api_key`
    scheme: str  # its name in the spec
    kind: AuthKind  # bearer (also oauth2, openIdConnect), basic, or an API key in a header, query or cookie
    wire_name: str  # the header, query parameter or cookie that carries it
    env: str  # environment variable suffix: <PREFIX>_<env>


@dataclass(frozen=True, slots=True)
class ClientOption:
    """A client option the spec or the settings add: a credential, a server variable, a header."""

    name: str
    annotation: str  # as the options TypedDict spells it
    description: str


@dataclass(frozen=True, slots=True)
class Server:
    """Where requests go by default: `servers[0]`, its variables filled from client options."""

    url: str  # may hold `{variable}`s
    variables: tuple[tuple[str, str, str], ...]  # (option, name in the url, default)


Security = tuple[tuple[str, ...], ...]  # alternatives, each the client options it needs together


@dataclass(frozen=True, slots=True)
class Paging:
    """How a list operation's responses page (`ir/paging.py` finds it). Response fields are
    attribute paths of the parsed response, as Python spells them."""

    kind: PageKind
    item: TypeNode  # one item of the page
    items: tuple[str, ...]  # the list of items
    param: str  # the query parameter (wire name) the next request sets; "" for a next link
    next: tuple[str, ...] = ()  # the next cursor (cursor: optional; else the last item's `id`), token or URL
    has_more: tuple[str, ...] = ()  # a boolean: false ends the walk
    before: str = ""  # cursor: a query parameter that walks backwards; a call that sets it gets one page

    @property
    def page(self) -> PageOf:
        return PageOf(self.kind, self.item)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """What the runtime needs of an operation besides the call's arguments (its `Endpoint`)."""

    const_name: str  # the module constant in _client.py, e.g. `_UPDATE_CHAT_COMPLETION`
    method: str  # upper case
    path: str
    path_params: tuple[str, ...]
    response: TypeNode | None  # the JSON success body; None for no body or bytes
    body_model: str | None  # validates a JSON body before it is sent
    params_model: str | None  # checks query and header values before sending, when they have limits
    stream: TypeNode | None  # the event of a `text/event-stream` success response
    styles: tuple[tuple[str, str, bool], ...]  # (wire name, style, explode) where not the location's default
    encoding: Literal["json", "form", "multipart", "text", "binary", "none"]
    content_type: str  # the request body's media type
    response_format: Literal["json", "text", "binary", "none"]
    accept: str  # the media type asked for
    responses: tuple[StatusBody, ...]  # only when 2xx statuses differ
    security: Security | None  # None: the spec's default; (): no credentials
    paging: Paging | None = None  # a list operation whose responses page: the method returns a page


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    resource: tuple[str, ...]  # attribute path from the client, e.g. ("chat", "completions")
    name: str  # method name on the resource
    summary: str
    deprecated: bool
    positional: tuple[Param, ...]  # path parameters, in path order
    keyword: tuple[Param, ...]  # query, header and body arguments, required first
    body_whole: bool  # the body is one `body` argument, not keyword arguments per property
    returns: TypeNode  # what the method returns (a list operation that pages: `PageOf`, see `endpoint.paging`)
    stream_flag: bool  # the body has a `stream` property that the `_stream` method sets to true
    endpoint: Endpoint

    @property
    def params(self) -> tuple[Param, ...]:
        return self.positional + self.keyword


@dataclass(frozen=True, slots=True)
class Resource:
    """A group of operations reached as an attribute (`client.chat.completions`)."""

    attribute: str
    class_name: str
    children: tuple[Resource, ...]
    operations: tuple[Operation, ...]
    path: tuple[str, ...] = ()  # attributes from the client: ("chat", "completions")
    # builtin type names its methods shadow (a method `list`): its annotations spell `builtins.list`
    shadows: frozenset[str] = frozenset()
    module: str = ""  # layout "modules": its module under resources/ (`chat_completions`); "" for the client


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
    server: Server
    auth: tuple[AuthScheme, ...]  # sorted by option
    default_security: Security  # what operations without their own `security` need
    required_auth: tuple[str, ...]  # credentials every operation needs: a client without one fails at once
    header_options: tuple[tuple[str, str, str], ...]  # (option, header, env suffix), from the settings
    options: tuple[ClientOption, ...]  # what the spec adds to the client's options, in this order
    warnings: tuple[Problem, ...] = ()  # what was skipped or read leniently, each with its pointer
    # "single": one _client.py and one models.py; "modules": a module per resource (resources/) and
    # models/ split by the resources that use them (see build.LAYOUT_THRESHOLD)
    layout: Layout = "single"
