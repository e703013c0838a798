"""The hand-written core every generated method calls.

`BaseClient` holds everything that does no I/O: options, headers, building a request,
deciding on retries, turning a response into a model or an error. `SyncAPIClient` and
`AsyncAPIClient` differ only in how they send and sleep, so the two cannot drift.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import importlib
import json
import logging
import os
import random
import re
import ssl
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar
from urllib.parse import urlencode

import httpx2
import pydantic
from typing_extensions import Self, TypedDict, Unpack

from ._constants import (
    AUTH_SCHEMES,
    DEFAULT_BASE_URL,
    DEFAULT_SECURITY,
    ENV_PREFIX,
    HEADER_OPTIONS,
    REQUIRED_AUTH,
    SERVER_VARIABLES,
    USER_AGENT,
    SpecAttributes,
    SpecOptions,
)
from ._encoding import (
    BinaryContent,
    FileTypes,
    Style,
    binary_body,
    cookie_header,
    form_body,
    header_values,
    json_body,
    multipart_body,
    path_value,
    query_pairs,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    SDKError,
    status_error,
)
from ._lenient import lenient_value
from ._response import (
    AsyncStreamedResponse,
    RawResponse,
    ResponseMode,
    StreamedResponse,
    async_raw_response_wrapper,
    async_streaming_response_wrapper,
    raw_response_wrapper,
    response_mode,
    streaming_response_wrapper,
)
from ._stream import AsyncStream, Stream
from ._transport import AsyncTransport, SyncTransport, httpx1_client

if TYPE_CHECKING:
    from ._pagination import Paging  # imported by the clients whose operations page, not here

__all__ = [
    "NOT_GIVEN",
    "BinaryContent",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AsyncStream",
    "AsyncStreamedResponse",
    "ClientOptions",
    "Endpoint",
    "FileTypes",
    "LazyModule",
    "NotGiven",
    "RawResponse",
    "RequestOptions",
    "RetryEvent",
    "Stream",
    "StreamedResponse",
    "SyncAPIClient",
    "SyncAPIResource",
    "async_raw_response_wrapper",
    "async_streaming_response_wrapper",
    "header_values",
    "raw_response_wrapper",
    "streaming_response_wrapper",
]

_T = TypeVar("_T")
_C = TypeVar("_C", httpx2.Client, httpx2.AsyncClient)
log = logging.getLogger(__package__ or "sdk")

DEFAULT_TIMEOUT = httpx2.Timeout(600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_BACKOFF = (0.5, 8.0)  # initial and maximum delay between retries, seconds
MAX_SERVER_DELAY = 120.0  # a longer Retry-After is not waited for; our own backoff is used instead
_RETRY_STATUSES = frozenset({408, 409, 429})
_CONTENT_TYPES = {
    "json": "application/json",
    "multipart": "multipart/form-data",  # httpx adds the boundary
    "form": "application/x-www-form-urlencoded",
    "text": "text/plain",
    "binary": "application/octet-stream",
}

Headers = Mapping[str, str]
Query = Mapping[str, object]
Body = Mapping[str, object]
TimeoutTypes = float | httpx2.Timeout | None


class NotGiven:
    """Marks an argument the caller left out, as opposed to one set to None."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """What `on_retry` receives before each retry's wait."""

    attempt: int  # 1 for the first retry
    delay: float  # seconds we are about to wait
    request: httpx2.Request
    response: httpx2.Response | None  # None after a connection error or timeout
    error: Exception | None


class ClientOptions(SpecOptions, total=False):
    """The options of `Client` and `AsyncClient` besides `http_client` (and of `with_options()`):
    these, and the API's own (`SpecOptions`: credentials, server variables, headers)."""

    base_url: str | httpx2.URL | None  # default: <PREFIX>_BASE_URL, else the spec's server
    timeout: TimeoutTypes | NotGiven  # seconds or an httpx2.Timeout; None: no timeout
    max_retries: int
    backoff: tuple[float, float]  # initial and maximum delay between retries, seconds
    default_headers: Headers | None
    default_query: Query | None
    strict_response_validation: bool  # raise on a response that does not match the spec
    on_retry: Callable[[RetryEvent], None] | None  # called before each retry's wait


class RequestOptions(TypedDict, total=False):
    """What every generated method takes besides its own arguments."""

    extra_headers: Headers | None  # merged over the client's headers
    extra_query: Query | None  # merged over the query parameters
    extra_body: Body | None  # merged into the JSON (or form) body
    timeout: TimeoutTypes | NotGiven  # this call's timeout


_CLIENT_OPTIONS = ClientOptions.__required_keys__ | ClientOptions.__optional_keys__
_REQUEST_OPTIONS = frozenset(RequestOptions.__annotations__)
_ARGUMENTS = frozenset({"path", "query", "headers", "cookies", "body"})  # what a generated method passes by itself
_ALLOWED_ARGUMENTS = _ARGUMENTS | _REQUEST_OPTIONS


def _check_arguments(arguments: Mapping[str, object]) -> None:
    """A keyword a method does not take fails before anything is sent (one set test per call)."""
    if not arguments.keys() <= _ALLOWED_ARGUMENTS:
        unknown = sorted(arguments.keys() - _ALLOWED_ARGUMENTS)
        raise TypeError(f"got unexpected keyword argument(s): {', '.join(unknown)}")


def _check_stream(endpoint: Endpoint[Any], stream: object) -> None:
    """`stream` other than False: only True, and only for an operation that can stream."""
    if endpoint.stream is None:
        raise TypeError("got unexpected keyword argument(s): stream")
    if stream is not True:
        raise TypeError(f"stream must be True or False, got {stream!r}")


class LazyModule:
    """A module imported on first attribute access. Generated clients refer to `models.X` through
    one of these, so models.py (and pydantic's model machinery) loads on the first call, not on import."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


TypeThunk = Callable[[], Any]  # `lambda: models.ChatCompletion`: a type, resolved on first use
Security = tuple[tuple[str, ...], ...]  # alternatives, each the credentials (client options) it needs together


@dataclass(frozen=True, slots=True)
class EndpointTypes:
    """What an endpoint's type thunks resolve to."""

    response: Any  # the success body's type; None when there is no JSON body
    body_model: type[pydantic.BaseModel] | None  # validates the JSON body before it is sent
    params_model: type[pydantic.BaseModel] | None  # checks query and header values before sending
    validate_json: Callable[[bytes], Any]  # the one-call parser of a success body


@dataclass(slots=True)
class Endpoint(Generic[_T]):
    """One operation, built once at import: what a call needs besides its arguments.

    Types are thunks (`lambda: models.ChatCompletion`), called on the first request, so `import`
    of the package stays cheap.
    """

    method: str
    path: str
    path_params: tuple[str, ...] = ()
    response: TypeThunk | None = None  # None: no JSON body (nothing, or bytes)
    body_model: TypeThunk | None = None
    params_model: TypeThunk | None = None
    stream: TypeThunk | None = None  # the event type of a `text/event-stream` response, when there is one
    styles: Mapping[str, Style] = field(default_factory=dict)  # (style, explode) where not the default
    encoding: Literal["json", "multipart", "form", "binary", "text"] = "json"
    content_type: str | None = None  # the request body's media type, when not the encoding's usual one
    response_format: Literal["json", "binary", "text"] = "json"
    accept: str = "application/json"
    # When 2xx statuses carry different bodies: status → type (None: no body).
    responses: Mapping[str, TypeThunk | None] = field(default_factory=dict)
    security: Security | None = None  # None: the API's default (DEFAULT_SECURITY)
    paging: Paging | None = None  # a list endpoint whose responses page (see _pagination.py)
    _types: EndpointTypes | None = field(default=None, init=False, repr=False)
    _adapters: dict[str, Callable[[bytes], Any]] = field(default_factory=dict, init=False, repr=False)

    def types(self) -> EndpointTypes:
        """The endpoint's types, resolved on first use."""
        if self._types is None:
            response: Any = self.response() if self.response is not None else None
            validate = _json_validator(response)
            self._types = EndpointTypes(
                response=response,
                body_model=self.body_model() if self.body_model is not None else None,
                params_model=self.params_model() if self.params_model is not None else None,
                validate_json=validate,
            )
        return self._types

    def event_validator(self) -> Callable[[bytes], Any]:
        return self._validator("stream", self.event_type)

    def event_type(self) -> Any:
        """The type of each event of a `text/event-stream` response."""
        if self.stream is None:
            raise TypeError(f"{self.method} {self.path} has no event stream")
        return self.stream()

    def parse_json(self, content: bytes, status: int = 200) -> _T:
        if self.responses and str(status) in self.responses:
            thunk = self.responses[str(status)]
            return None if thunk is None else self._validator(str(status), thunk)(content)  # type: ignore[return-value]
        return self.types().validate_json(content)  # type: ignore[no-any-return]

    def response_type(self, status: int) -> Any:
        """The type a response of this status parses to (for the lenient path)."""
        thunk = self.responses.get(str(status)) if self.responses else None
        return thunk() if thunk is not None else self.types().response

    def _validator(self, key: str, thunk: TypeThunk) -> Callable[[bytes], Any]:
        """A JSON validator per status or for stream events, built once per endpoint."""
        validate = self._adapters.get(key)
        if validate is None:
            validate = self._adapters[key] = _json_validator(thunk())
        return validate


def _json_validator(annotation: Any) -> Callable[[bytes], Any]:
    """One strict `validate_json` call: JSON that matches the spec, nothing coerced (`"7"` is not an
    integer, `"true"` not a boolean, a number not a date-time), and keys read by their wire names only
    (`{"foo_bar": 1}` fills the field whose alias is `foo_bar`, never the attribute `foo_bar` of
    `fooBar`). What it refuses goes to the lenient path, unless `strict_response_validation` is set."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return functools.partial(annotation.model_validate_json, strict=True, by_alias=True, by_name=False)
    adapter = pydantic.TypeAdapter(annotation)
    return functools.partial(adapter.validate_json, strict=True, by_alias=True, by_name=False)


def _env(name: str) -> str | None:
    return os.environ.get(f"{ENV_PREFIX}_{name}") or None


def _credential_from_env(option: str) -> Any:
    value = _env(option.upper())
    if value is not None and AUTH_SCHEMES[option][0] == "basic":
        username, _, password = value.partition(":")  # <PREFIX>_<OPTION>=username:password
        return (username, password)
    return value


def _apply_credential(option: str, value: Any, headers: dict[str, str], query: dict[str, str]) -> None:
    kind, name = AUTH_SCHEMES[option]
    if kind == "bearer":
        headers["Authorization"] = f"Bearer {value}"
    elif kind == "basic":
        username, password = value
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    elif kind == "header":
        headers[name] = str(value)
    elif kind == "query":
        query[name] = str(value)
    else:  # a cookie
        cookie = f"{name}={value}"
        headers["Cookie"] = f"{headers['Cookie']}; {cookie}" if "Cookie" in headers else cookie


def _base_url(given: str | httpx2.URL | None, options: Mapping[str, Any]) -> httpx2.URL:
    """The base URL: the option, else <PREFIX>_BASE_URL, else the spec's server with its variables."""
    url = str(given or _env("BASE_URL") or "")
    if not url:
        url = DEFAULT_BASE_URL
        for option, (name, default) in SERVER_VARIABLES.items():
            url = url.replace("{" + name + "}", str(options.get(option) or _env(option.upper()) or default))
    if not url.startswith(("http://", "https://")):
        raise SDKError(
            f"base_url must be an absolute http(s) URL, got {url!r}: pass base_url or set {ENV_PREFIX}_BASE_URL"
        )
    return httpx2.URL(url.rstrip("/") + "/")


def _configure_logging() -> None:
    level = (_env("LOG") or "").lower()
    if level in ("debug", "info") and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.DEBUG if level == "debug" else logging.INFO)


_configure_logging()


def encode_path(endpoint: Endpoint[Any], values: Mapping[str, object]) -> str:
    """Fill the path template, each parameter in its style."""
    path = endpoint.path
    for name in endpoint.path_params:
        path = path.replace("{" + name + "}", path_value(name, values[name], endpoint.styles.get(name)))
    return path


@dataclass(frozen=True, slots=True)
class _Lean:
    """What a request through our own pool needs beyond the call's arguments, built once per client."""

    client_headers: httpx2.Headers  # httpx2's defaults (Accept-Encoding, Connection, ...)
    headers: httpx2.Headers  # those with the client's own (auth, User-Agent, default_headers, ...)
    timeout: dict[str, float | None]  # the client's timeout, as a request extension
    url: Callable[[str], httpx2.URL] | None  # base URL + an encoded path, without parsing it again


# A path as encode_path makes it: nothing for httpx2's URL parser to escape or normalize.
_PLAIN_PATH = re.compile(r"(?:/[A-Za-z0-9\-_~!$&'()*+,;=:@%]+(?:\.+[A-Za-z0-9\-_~!$&'()*+,;=:@%]+)*)+")


def _url_joiner(base: httpx2.URL) -> Callable[[str], httpx2.URL] | None:
    """`path -> base URL with that path appended`, reusing the base's parsed form (httpx2.URL keeps
    it as a named tuple); None when this httpx2 keeps it otherwise, and every URL is parsed whole."""
    parsed: Any = getattr(base, "_uri_reference", None)
    named_tuple = isinstance(parsed, tuple) and all(
        hasattr(parsed, a) for a in ("_replace", "path", "query", "fragment")
    )
    if not named_tuple:
        return None
    if parsed.query is not None or parsed.fragment is not None:
        return None
    prefix = parsed.path.rstrip("/")
    check = httpx2.URL(str(base).rstrip("/") + "/x")

    def join(path: str) -> httpx2.URL:
        url = object.__new__(httpx2.URL)
        url._uri_reference = parsed._replace(path=prefix + path)
        return url

    return join if join("/x") == check else None


# The httpx2 clients we built: nothing of theirs (hooks, auth, base_url, params) needs merging per request.
_OUR_POOLS: weakref.WeakSet[Any] = weakref.WeakSet()


class BaseClient(SpecAttributes):
    """Options and request/response logic shared by `Client` and `AsyncClient`."""

    base_url: httpx2.URL
    timeout: TimeoutTypes
    max_retries: int
    backoff: tuple[float, float]
    strict_response_validation: bool
    on_retry: Callable[[RetryEvent], None] | None
    _http: Any  # httpx2.Client or httpx2.AsyncClient, set by the subclass
    _owns_http: bool
    _lean: _Lean | None  # set when _http is our own pool

    def __init__(self, **options: Unpack[ClientOptions]) -> None:
        unknown = sorted(set(options) - _CLIENT_OPTIONS)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): {', '.join(unknown)}")
        given: Mapping[str, Any] = options
        # Credentials, server variables and header options: the argument, else <PREFIX>_<OPTION>.
        self._credentials: dict[str, Any] = {}
        for option in AUTH_SCHEMES:
            value = given.get(option)
            self._credentials[option] = value if value is not None else _credential_from_env(option)
        for option in REQUIRED_AUTH:
            if not self._credentials[option]:
                raise SDKError(
                    f"The {option} client option must be set either by passing {option} to the client "
                    f"or by setting the {ENV_PREFIX}_{option.upper()} environment variable"
                )
        max_retries = options.get("max_retries", DEFAULT_MAX_RETRIES)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative integer, got {max_retries!r}")
        backoff = options.get("backoff", DEFAULT_BACKOFF)
        initial, maximum = backoff
        if not 0 <= initial <= maximum:
            raise ValueError(f"backoff must be (initial, maximum) with 0 <= initial <= maximum, got {backoff!r}")
        timeout = options.get("timeout", NOT_GIVEN)
        self.base_url = _base_url(options.get("base_url"), given)
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.max_retries = max_retries
        self.backoff = (float(initial), float(maximum))
        self.strict_response_validation = options.get("strict_response_validation", False)
        self.on_retry = options.get("on_retry")
        self._options = options
        default_headers, default_query = options.get("default_headers"), options.get("default_query")
        self._custom_headers = dict(default_headers or {})
        self._custom_query = dict(default_query or {})
        self._header_values = {option: given.get(option) or _env(env) for option, (_, env) in HEADER_OPTIONS.items()}
        variables = {option: given.get(option) or _env(option.upper()) for option in SERVER_VARIABLES}
        for name, value in {**self._credentials, **self._header_values, **variables}.items():
            setattr(self, name, value)  # `client.api_key`, typed by SpecAttributes
        self._auth_cache: dict[Security, tuple[dict[str, str], dict[str, str]]] = {}
        auth_headers, self._auth_query = self._auth(DEFAULT_SECURITY, required=False)
        self._default_auth_ok = not DEFAULT_SECURITY or DEFAULT_SECURITY in self._auth_cache
        self._headers = self._build_default_headers(auth_headers)
        self._headers_without_auth = self._build_default_headers({})
        self._url_prefix = str(self.base_url).rstrip("/")

    def _prepare_lean(self) -> None:
        """When the pool is our own, what every request carries is built once, here."""
        http = self._http
        if http not in _OUR_POOLS:
            self._lean = None
            return
        headers = httpx2.Headers(http.headers)
        headers.update(self._headers)
        self._lean = _Lean(http.headers, headers, httpx2.Timeout(self.timeout).as_dict(), _url_joiner(self.base_url))

    def _build_default_headers(self, auth_headers: Mapping[str, str]) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **auth_headers,
        }
        for option, (header, _) in HEADER_OPTIONS.items():
            value = self._header_values[option]
            if value:
                headers[header] = str(value)
        headers.update(self._custom_headers)
        return headers

    def _auth(self, security: Security, *, required: bool) -> tuple[dict[str, str], dict[str, str]]:
        """The headers and query parameters that authenticate a request: the first alternative
        whose credentials are all set. None set and `required`: a clear error before sending."""
        cached = self._auth_cache.get(security)
        if cached is not None:
            return cached
        for alternative in sorted(security, key=lambda alternative: not alternative):  # "no credentials" last
            if all(self._credentials.get(option) for option in alternative):
                headers: dict[str, str] = {}
                query: dict[str, str] = {}
                for option in alternative:
                    _apply_credential(option, self._credentials[option], headers, query)
                self._auth_cache[security] = (headers, query)
                return headers, query
        if required and security:
            wanted = " or ".join(" and ".join(f"{o} ({ENV_PREFIX}_{o.upper()})" for o in alt) for alt in security)
            raise SDKError(f"This operation needs credentials: set {wanted}")
        return {}, {}

    def with_options(self, **changes: Any) -> Self:
        """A copy with some options changed, sharing this client's connection pool."""
        options = self._options
        unknown = sorted(set(changes) - _CLIENT_OPTIONS - {"http_client"})
        if unknown:
            raise TypeError(f"with_options() got unknown option(s): {', '.join(unknown)}")
        shared = "http_client" not in changes
        http_client = changes.pop("http_client", self._http)
        copy = type(self)(**{**options, **changes, "http_client": http_client})
        copy._owns_http = False if shared else copy._owns_http
        return copy

    copy = with_options

    # -- requests --------------------------------------------------------------------------

    def _build_request(
        self,
        http: httpx2.Client | httpx2.AsyncClient,
        endpoint: Endpoint[Any],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        body: object = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        stream: bool = False,
    ) -> httpx2.Request:
        """The request for one call: `path`, `query`, `headers` and `body` carry the method's
        arguments by wire name (NOT_GIVEN for those left out); the rest are `RequestOptions`."""
        encoded = encode_path(endpoint, path or {})
        url = self._url_prefix + encoded
        content: Any = None
        files: list[tuple[str, Any]] | None = None
        data: dict[str, Any] | None = None
        params_model = endpoint.types().params_model
        if params_model is not None:  # limits and allowed values of query and header parameters
            values = {**(query or {}), **(headers or {})}
            params_model.model_validate({k: v for k, v in values.items() if v is not NOT_GIVEN and v is not None})
        sent_headers, auth_query = self._headers, self._auth_query
        if endpoint.security is not None:  # the operation states its own (`security: []`: none at all)
            own_headers, auth_query = self._auth(endpoint.security, required=True)
            sent_headers = {**self._headers_without_auth, **own_headers}
        elif not self._default_auth_ok:
            self._auth(DEFAULT_SECURITY, required=True)  # raises: no credentials for any alternative
        accept = "text/event-stream" if stream else endpoint.accept
        kind = endpoint.encoding
        if (
            accept != "application/json"
            or extra_headers
            or headers
            or cookies
            or kind != "json"
            or endpoint.content_type
        ):
            sent_headers = {**sent_headers, "Accept": accept, **header_values(headers or {}, endpoint.styles)}
            if cookies and (cookie := cookie_header(cookies)):
                sent_headers["Cookie"] = f"{sent_headers['Cookie']}; {cookie}" if "Cookie" in sent_headers else cookie
            if kind != "json" or endpoint.content_type:
                sent_headers["Content-Type"] = endpoint.content_type or _CONTENT_TYPES[kind]
            sent_headers.update(extra_headers or {})
        if isinstance(body, Mapping):
            body = {k: v for k, v in body.items() if v is not NOT_GIVEN}
        fields = {**(body if isinstance(body, Mapping) else {}), **(extra_body or {})}
        if kind == "json":
            content = json_body(endpoint.types().body_model, body, extra_body)
        elif kind == "multipart":
            data, files = multipart_body(fields)
            sent_headers = {k: v for k, v in sent_headers.items() if k.lower() != "content-type"}  # httpx: boundary
        elif kind == "form":
            content = urlencode(form_body(fields, endpoint.styles)).encode()
        else:
            content = binary_body(body, kind)
        pairs = [
            pair
            for name, value in (query or {}).items()
            if value is not NOT_GIVEN and value is not None
            for pair in query_pairs(name, value, endpoint.styles.get(name))
        ]
        params: Any = pairs or None
        if self._custom_query or auth_query or extra_query:
            fixed = {**self._custom_query, **auth_query, **(extra_query or {})}
            mine = {name for name, _ in pairs} - set(extra_query or ())
            extra = set(extra_query or ())
            params = [pair for k, v in fixed.items() if k not in mine for pair in query_pairs(k, v, None)]
            params += [(k, v) for k, v in pairs if k not in extra]
        lean = self._lean
        if lean is None or files is not None or data is not None:  # your http_client, or multipart
            return http.build_request(
                endpoint.method,
                url,
                params=params,
                headers=sent_headers,
                content=content,
                data=data,
                files=files,
                timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            )
        # Our own pool: what build_request would merge (its headers, the timeout) is prepared once,
        # and the URL is the base URL's, parsed once, with this call's path.
        target: str | httpx2.URL = url
        if lean.url is not None and _PLAIN_PATH.fullmatch(encoded):
            target = lean.url(encoded)
        if sent_headers is self._headers:
            request_headers = lean.headers
        else:
            request_headers = httpx2.Headers(lean.client_headers)
            request_headers.update(sent_headers)
        timeouts = lean.timeout if isinstance(timeout, NotGiven) else httpx2.Timeout(timeout).as_dict()
        request = httpx2.Request(
            endpoint.method,
            target,
            params=params,
            headers=request_headers,
            content=content,
            extensions={"timeout": timeouts},
        )
        if http.cookies:  # the cookies a server set (a load balancer's), sent back as httpx2 would
            http.cookies.set_cookie_header(request)
        return request

    # -- retries ---------------------------------------------------------------------------

    @staticmethod
    def _should_retry(response: httpx2.Response) -> bool:
        override = response.headers.get("x-should-retry")
        if override == "true":
            return True
        if override == "false":
            return False
        return response.status_code in _RETRY_STATUSES or response.status_code >= 500

    def _retry_delay(self, attempt: int, response: httpx2.Response | None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        server = _server_delay(response) if response is not None else None
        if server is not None and 0 <= server <= MAX_SERVER_DELAY:
            return server
        initial, maximum = self.backoff
        delay = min(initial * 2.0 ** (attempt - 1), maximum)
        return delay * (1 - 0.25 * random.random())

    def _before_retry(
        self, attempt: int, request: httpx2.Request, response: httpx2.Response | None, error: Exception | None
    ) -> float:
        delay = self._retry_delay(attempt, response)
        reason = f"status {response.status_code}" if response is not None else type(error).__name__
        log.info(
            "retrying %s %s in %.2fs (retry %d of %d, %s)",
            request.method,
            request.url.path,
            delay,
            attempt,
            self.max_retries,
            reason,
        )
        if self.on_retry is not None:
            self.on_retry(RetryEvent(attempt=attempt, delay=delay, request=request, response=response, error=error))
        return delay

    # -- responses -------------------------------------------------------------------------

    def _log_response(self, response: httpx2.Response, attempt: int) -> None:
        log.debug(
            "%s %s -> %d (request id %s, attempt %d)",
            response.request.method,
            response.request.url.path,
            response.status_code,
            response.headers.get("x-request-id"),
            attempt + 1,
        )

    def _retry_or_raise(self, response: httpx2.Response, attempt: int) -> bool:
        """True when an error response should be retried; raises the status error when not."""
        if attempt < self.max_retries and self._should_retry(response):
            return True
        raise status_error(response)

    def _parse(self, endpoint: Endpoint[_T], response: httpx2.Response) -> _T:
        if endpoint.response_format == "binary":
            return response.content  # type: ignore[return-value]
        if endpoint.response_format == "text":
            return response.text  # type: ignore[return-value]
        if endpoint.response is None:
            return None  # type: ignore[return-value]
        content = response.content
        try:
            parsed = endpoint.parse_json(content, response.status_code)
        except pydantic.ValidationError as exc:
            error, is_json = _validation_error(response, exc)
            if self.strict_response_validation or not is_json:
                raise error from exc
            log.debug("response does not match the schema; keeping it as sent: %s", exc)
            parsed = lenient_value(endpoint.response_type(response.status_code), error.body)
        request_id = response.headers.get("x-request-id")
        if request_id is not None and isinstance(parsed, pydantic.BaseModel):
            object.__setattr__(parsed, "_request_id", request_id)
        return parsed

    def _event_parser(self, endpoint: Endpoint[Any], response: httpx2.Response) -> Callable[[bytes], Any]:
        """Each event's JSON as a body's: strict validation, then (unless `strict_response_validation`)
        the lenient path, so an event from a newer server still parses."""
        validate = endpoint.event_validator()
        strict = self.strict_response_validation

        def parse(data: bytes) -> Any:
            try:
                return validate(data)
            except pydantic.ValidationError as exc:
                try:
                    body: object = json.loads(data)
                except ValueError:
                    message = "An event of the stream is not valid JSON"
                    raise APIResponseValidationError(response, None, message=message) from exc
                if strict:
                    message = f"An event of the stream does not match the schema: {exc}"
                    raise APIResponseValidationError(response, body, message=message) from exc
                log.debug("event does not match the schema; keeping it as sent: %s", exc)
                return lenient_value(endpoint.event_type(), body)

        return parse


def _validation_error(
    response: httpx2.Response, exc: pydantic.ValidationError
) -> tuple[APIResponseValidationError, bool]:
    """The error to raise, and whether the body was JSON at all (only then can it be kept as sent)."""
    first = exc.errors()[0] if exc.error_count() else None
    if first is not None and first["type"].startswith("json_"):
        message = f"The response body is not valid JSON: {first['msg']}"
        return APIResponseValidationError(response, None, message=message), False
    try:
        body: object = response.json()
    except ValueError:
        return APIResponseValidationError(response, None, message="The response body is not valid JSON"), False
    return APIResponseValidationError(response, body, message=f"The response does not match the schema: {exc}"), True


def _server_delay(response: httpx2.Response) -> float | None:
    """The delay the server asks for: `retry-after-ms`, then `Retry-After` (seconds or HTTP date)."""
    headers = response.headers
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return float(email.utils.mktime_tz(parsed) - time.time())


def _connection_error(request: httpx2.Request, exc: httpx2.RequestError) -> APIConnectionError:
    if isinstance(exc, httpx2.TimeoutException):
        return APITimeoutError(request)
    return APIConnectionError(message=f"Connection error: {type(exc).__name__}", request=request)


async def _async_sleep(seconds: float) -> None:
    import asyncio  # not at module level: ~30 ms of import that sync users never need

    await asyncio.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process (httpx2's: the system trust store through truststore):
    building it costs tens of ms, once, on the first https connection instead of per client."""
    return httpx2.create_ssl_context()


def _http_options(timeout: TimeoutTypes) -> dict[str, Any]:
    return {"timeout": timeout, "follow_redirects": True}


_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def _proxy_in_environment() -> bool:
    """A proxy set in the environment: httpx2's own pool honours it (and NO_PROXY); ours does not."""
    return any(os.environ.get(name) or os.environ.get(name.lower()) for name in _PROXY_VARIABLES)


def _default_sync_http(timeout: TimeoutTypes) -> httpx2.Client:
    """Our own pool: httpx2's client (redirects, errors) on our lean HTTP/1.1 transport; httpx2's
    own transport when the environment names a proxy."""
    if _proxy_in_environment():
        return httpx2.Client(verify=_ssl_context(), **_http_options(timeout))
    http = httpx2.Client(transport=SyncTransport(ssl_context=_ssl_context), **_http_options(timeout))
    _OUR_POOLS.add(http)
    return http


def _default_async_http(timeout: TimeoutTypes) -> httpx2.AsyncClient:
    if _proxy_in_environment():
        return httpx2.AsyncClient(verify=_ssl_context(), **_http_options(timeout))
    http = httpx2.AsyncClient(transport=AsyncTransport(ssl_context=_ssl_context), **_http_options(timeout))
    _OUR_POOLS.add(http)
    return http


def _adopted(http_client: object, wanted: type[_C]) -> _C:
    """An httpx 0.28 client of the right kind, behind an httpx2 client that sends through it."""
    adapted = httpx1_client(http_client)
    if not isinstance(adapted, wanted):
        kind = type(http_client)
        raise TypeError(
            f"http_client must be an httpx2.{wanted.__name__} (or an httpx 0.28 httpx.{wanted.__name__}), "
            f"got {kind.__module__}.{kind.__qualname__}"
        )
    return adapted


class SyncAPIClient(BaseClient):
    _http: httpx2.Client

    def __init__(self, *, http_client: httpx2.Client | None = None, **options: Unpack[ClientOptions]) -> None:
        super().__init__(**options)
        if http_client is not None and not isinstance(http_client, httpx2.Client):
            http_client = _adopted(http_client, httpx2.Client)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else _default_sync_http(self.timeout)
        self._prepare_lean()

    def close(self) -> None:
        """Close the connection pool, unless it belongs to an `http_client` you passed in."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Three entry points, not one with `Literal` overloads: mypy resolves an overloaded call by
    # inferring its arguments against each item, and a method's body dict costs it 10-30x more.
    def _request(self, endpoint: Endpoint[_T], **arguments: Any) -> _T:
        """Send one call; returns the parsed body (a `RawResponse` or `StreamedResponse` of it
        inside a wrapper)."""
        _check_arguments(arguments)
        mode = response_mode()
        request = self._build_request(self._http, endpoint, **arguments)
        if mode is None:
            response, _ = self._send(request)
            return self._parse(endpoint, response)
        return self._respond(endpoint, request, mode, False)  # type: ignore[no-any-return]

    def _stream(self, endpoint: Endpoint[Any], **arguments: Any) -> Stream[Any]:
        """Send one call that streams: the `Stream` of its events (inside a wrapper, its response)."""
        _check_arguments(arguments)
        request = self._build_request(self._http, endpoint, stream=True, **arguments)
        return self._respond(endpoint, request, response_mode(), True)  # type: ignore[no-any-return]

    def _request_or_stream(self, endpoint: Endpoint[_T], stream: bool, **arguments: Any) -> _T | Stream[Any]:
        """A method's `stream` argument decides: the parsed body, or the `Stream` of its events."""
        if stream is False:
            return self._request(endpoint, **arguments)
        _check_stream(endpoint, stream)
        return self._stream(endpoint, **arguments)

    def _respond(self, endpoint: Endpoint[Any], request: httpx2.Request, mode: ResponseMode, stream: bool) -> Any:
        """A call that streams, or is made through a wrapper: the response, or what wraps it."""
        response, retries = self._send(request, stream=stream or mode == "streaming")
        parse: Callable[[], Any]
        if stream:
            events = Stream[Any](response, self._event_parser(endpoint, response))
            if mode is None:
                return events
            parse = lambda: events  # noqa: E731 - the stream goes with its wrapper, and is dropped with it
        else:
            parse = functools.partial(self._parse, endpoint, response)
        if mode == "raw":
            return RawResponse(response, parse, retries_taken=retries)
        return StreamedResponse(response, parse, retries_taken=retries, events=stream)

    def _send(self, request: httpx2.Request, *, stream: bool = False) -> tuple[httpx2.Response, int]:
        """Send with retries; returns a successful response and the retries it took, or raises.
        With `stream`, a successful body is left unread for the caller to iterate."""
        attempt = 0
        while True:
            try:
                response = self._http.send(request, stream=stream)
                if stream and response.status_code >= 400:
                    response.read()
            except httpx2.RequestError as exc:  # transport, protocol, decoding, too many redirects
                if attempt >= self.max_retries:
                    raise _connection_error(request, exc) from exc
                attempt += 1
                time.sleep(self._before_retry(attempt, request, None, exc))
                continue
            self._log_response(response, attempt)
            if response.status_code < 400:
                return response, attempt
            if self._retry_or_raise(response, attempt):
                response.close()
                attempt += 1
                time.sleep(self._before_retry(attempt, request, response, None))


class AsyncAPIClient(BaseClient):
    _http: httpx2.AsyncClient

    def __init__(self, *, http_client: httpx2.AsyncClient | None = None, **options: Unpack[ClientOptions]) -> None:
        super().__init__(**options)
        if http_client is not None and not isinstance(http_client, httpx2.AsyncClient):
            http_client = _adopted(http_client, httpx2.AsyncClient)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else _default_async_http(self.timeout)
        self._prepare_lean()

    async def close(self) -> None:
        """Close the connection pool, unless it belongs to an `http_client` you passed in."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _request(self, endpoint: Endpoint[_T], **arguments: Any) -> _T:
        """Send one call; returns the parsed body (a `RawResponse` or `AsyncStreamedResponse` of it
        inside a wrapper)."""
        _check_arguments(arguments)
        mode = response_mode()
        request = self._build_request(self._http, endpoint, **arguments)
        if mode is None:
            response, _ = await self._send(request)
            return self._parse(endpoint, response)
        return await self._respond(endpoint, request, mode, False)  # type: ignore[no-any-return]

    async def _stream(self, endpoint: Endpoint[Any], **arguments: Any) -> AsyncStream[Any]:
        """Send one call that streams: the `AsyncStream` of its events (inside a wrapper, its response)."""
        _check_arguments(arguments)
        request = self._build_request(self._http, endpoint, stream=True, **arguments)
        return await self._respond(endpoint, request, response_mode(), True)  # type: ignore[no-any-return]

    async def _request_or_stream(self, endpoint: Endpoint[_T], stream: bool, **arguments: Any) -> _T | AsyncStream[Any]:
        """A method's `stream` argument decides: the parsed body, or the `AsyncStream` of its events."""
        if stream is False:
            return await self._request(endpoint, **arguments)
        _check_stream(endpoint, stream)
        return await self._stream(endpoint, **arguments)

    async def _respond(self, endpoint: Endpoint[Any], request: httpx2.Request, mode: ResponseMode, stream: bool) -> Any:
        response, retries = await self._send(request, stream=stream or mode == "streaming")
        parse: Callable[[], Any]
        if stream:
            events = AsyncStream[Any](response, self._event_parser(endpoint, response))
            if mode is None:
                return events
            parse = lambda: events  # noqa: E731 - the stream goes with its wrapper, and is dropped with it
        else:
            parse = functools.partial(self._parse, endpoint, response)
        if mode == "raw":
            # The body is read already (or, streaming, left to the events): nothing to await.
            return RawResponse(response, parse, retries_taken=retries)
        return AsyncStreamedResponse(response, parse, retries_taken=retries, events=stream)

    async def _send(self, request: httpx2.Request, *, stream: bool = False) -> tuple[httpx2.Response, int]:
        attempt = 0
        while True:
            try:
                response = await self._http.send(request, stream=stream)
                if stream and response.status_code >= 400:
                    await response.aread()
            except httpx2.RequestError as exc:  # transport, protocol, decoding, too many redirects
                if attempt >= self.max_retries:
                    raise _connection_error(request, exc) from exc
                attempt += 1
                await _async_sleep(self._before_retry(attempt, request, None, exc))
                continue
            self._log_response(response, attempt)
            if response.status_code < 400:
                return response, attempt
            if self._retry_or_raise(response, attempt):
                await response.aclose()
                attempt += 1
                await _async_sleep(self._before_retry(attempt, request, response, None))


class SyncAPIResource:
    """A group of methods reached as an attribute of the client (`client.chat.completions`)."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client
        self._request = client._request
        self._stream = client._stream
        self._request_or_stream = client._request_or_stream


class AsyncAPIResource:
    """A group of async methods reached as an attribute of the client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
        self._request = client._request
        self._stream = client._stream
        self._request_or_stream = client._request_or_stream
