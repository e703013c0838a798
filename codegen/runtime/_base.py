"""The hand-written core every generated method calls.

`BaseClient` holds everything that does no I/O: options, headers, building a request,
deciding on retries, turning a response into a model or an error. `SyncAPIClient` and
`AsyncAPIClient` differ only in how they send and sleep, so the two cannot drift.
"""

from __future__ import annotations

import email.utils
import enum
import functools
import importlib
import io
import json
import logging
import os
import random
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Generic, Literal, TypeVar
from urllib.parse import quote

import httpx
import pydantic
import pydantic_core
from typing_extensions import Self, TypedDict, Unpack

from ._constants import DEFAULT_BASE_URL, ENV_PREFIX, USER_AGENT
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    OpenAIError,
    status_error,
)
from ._lenient import lenient_value
from ._response import RawResponse, async_raw_response_wrapper, raw_response_wrapper, wants_raw_response
from ._stream import AsyncStream, Stream

__all__ = [
    "NOT_GIVEN",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AsyncStream",
    "ClientOptions",
    "Endpoint",
    "FileTypes",
    "LazyModule",
    "NotGiven",
    "RawResponse",
    "RequestOptions",
    "RetryEvent",
    "Stream",
    "SyncAPIClient",
    "SyncAPIResource",
    "async_raw_response_wrapper",
    "header_values",
    "raw_response_wrapper",
]

_T = TypeVar("_T")
log = logging.getLogger(__package__ or "sdk")

DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_BACKOFF = (0.5, 8.0)  # initial and maximum delay between retries, seconds
MAX_SERVER_DELAY = 120.0  # a longer Retry-After is not waited for; our own backoff is used instead
_RETRY_STATUSES = frozenset({408, 409, 429})

Headers = Mapping[str, str]
Query = Mapping[str, object]
Body = Mapping[str, object]
FileContent = bytes | IO[bytes] | os.PathLike[str]
FileTypes = FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
TimeoutTypes = float | httpx.Timeout | None


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
    request: httpx.Request
    response: httpx.Response | None  # None after a connection error or timeout
    error: Exception | None


class ClientOptions(TypedDict, total=False):
    """The options of `Client` and `AsyncClient` besides `http_client` (and of `with_options()`)."""

    api_key: str | None  # default: the <PREFIX>_API_KEY environment variable
    organization: str | None
    project: str | None
    base_url: str | httpx.URL | None  # default: <PREFIX>_BASE_URL, else the spec's server
    timeout: TimeoutTypes | NotGiven  # seconds or an httpx.Timeout; None: no timeout
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


_CLIENT_OPTIONS = frozenset(ClientOptions.__annotations__)
_ARGUMENTS = frozenset({"path", "query", "headers", "body"})  # what a generated method passes by itself
_REQUEST_OPTIONS = frozenset(RequestOptions.__annotations__)


def _check_request_options(options: Mapping[str, object]) -> None:
    unknown = sorted(set(options) - _REQUEST_OPTIONS)
    if unknown:
        raise TypeError(f"got unexpected keyword argument(s): {', '.join(unknown)}")


class LazyModule:
    """A module imported on first attribute access. Generated clients refer to `models.X` through
    one of these, so models.py (and pydantic's model machinery) loads on the first call, not on import."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


TypeThunk = Callable[[], Any]  # `lambda: models.ChatCompletion`: a type, resolved on first use


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
    comma_joined: tuple[str, ...] = ()  # query arrays sent as `a,b,c` (`explode: false`), not `a&a&a`
    encoding: Literal["json", "multipart"] = "json"
    response_format: Literal["json", "binary"] = "json"
    accept: str = "application/json"
    # When 2xx statuses carry different bodies: status → type (None: no body).
    responses: Mapping[str, TypeThunk | None] = field(default_factory=dict)
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
        if self.stream is None:
            raise TypeError(f"{self.method} {self.path} has no event stream")
        return self._validator("stream", self.stream)

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


def _configure_logging() -> None:
    level = (_env("LOG") or "").lower()
    if level in ("debug", "info") and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.DEBUG if level == "debug" else logging.INFO)


_configure_logging()


def wire_value(value: object) -> object:
    """A query or header value as text: enum members by value, booleans as `true`/`false`."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [wire_value(item) for item in value]
    return value


def header_values(values: Mapping[str, object]) -> dict[str, str]:
    """Header parameters that were given, as strings."""
    given = {name: value for name, value in values.items() if value is not NOT_GIVEN and value is not None}
    return {name: str(wire_value(value)) for name, value in given.items()}


def encode_path(endpoint: Endpoint[Any], values: Mapping[str, object]) -> str:
    """Fill the path template; each value is one percent-encoded segment."""
    path = endpoint.path
    for name in endpoint.path_params:
        value = values[name]
        text = value if isinstance(value, str) else str(value)
        if not text:
            raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
        if text in (".", ".."):
            raise ValueError(f"`{name}` cannot be {text!r}: it would change the path")
        path = path.replace("{" + name + "}", quote(text, safe=""))
    return path


def _json_body(model: type[pydantic.BaseModel] | None, body: object, extra_body: Body | None) -> bytes | None:
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


def _multipart(fields: Mapping[str, object]) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
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


def _file(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        with open(path, "rb") as handle:
            return (os.path.basename(path), handle.read())
    return value


class BaseClient:
    """Options and request/response logic shared by `Client` and `AsyncClient`."""

    api_key: str
    organization: str | None
    project: str | None
    base_url: httpx.URL
    timeout: TimeoutTypes
    max_retries: int
    backoff: tuple[float, float]
    strict_response_validation: bool
    on_retry: Callable[[RetryEvent], None] | None
    _http: Any  # httpx.Client or httpx.AsyncClient, set by the subclass
    _owns_http: bool

    def __init__(self, **options: Unpack[ClientOptions]) -> None:
        unknown = sorted(set(options) - _CLIENT_OPTIONS)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): {', '.join(unknown)}")
        api_key = options.get("api_key")
        api_key = api_key if api_key is not None else _env("API_KEY")
        if not api_key:
            raise OpenAIError(
                "The api_key client option must be set either by passing api_key to the client "
                f"or by setting the {ENV_PREFIX}_API_KEY environment variable"
            )
        max_retries = options.get("max_retries", DEFAULT_MAX_RETRIES)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative integer, got {max_retries!r}")
        backoff = options.get("backoff", DEFAULT_BACKOFF)
        initial, maximum = backoff
        if not 0 <= initial <= maximum:
            raise ValueError(f"backoff must be (initial, maximum) with 0 <= initial <= maximum, got {backoff!r}")
        organization, project = options.get("organization"), options.get("project")
        timeout = options.get("timeout", NOT_GIVEN)
        self.api_key = api_key
        self.organization = organization if organization is not None else _env("ORG_ID")
        self.project = project if project is not None else _env("PROJECT_ID")
        self.base_url = httpx.URL(
            str(options.get("base_url") or _env("BASE_URL") or DEFAULT_BASE_URL).rstrip("/") + "/"
        )
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.max_retries = max_retries
        self.backoff = (float(initial), float(maximum))
        self.strict_response_validation = options.get("strict_response_validation", False)
        self.on_retry = options.get("on_retry")
        self._options = options
        default_headers, default_query = options.get("default_headers"), options.get("default_query")
        self._custom_headers = dict(default_headers or {})
        self._custom_query = dict(default_query or {})
        self._headers = self._build_default_headers()
        self._url_prefix = str(self.base_url).rstrip("/")

    def _build_default_headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Authorization": f"Bearer {self.api_key}",
        }
        if self.organization:
            headers["OpenAI-Organization"] = self.organization
        if self.project:
            headers["OpenAI-Project"] = self.project
        headers.update(self._custom_headers)
        return headers

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
        http: httpx.Client | httpx.AsyncClient,
        endpoint: Endpoint[Any],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        body: object = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        stream: bool = False,
    ) -> httpx.Request:
        """The request for one call: `path`, `query`, `headers` and `body` carry the method's
        arguments by wire name (NOT_GIVEN for those left out); the rest are `RequestOptions`."""
        url = self._url_prefix + encode_path(endpoint, path or {})
        content: bytes | None = None
        files: list[tuple[str, Any]] | None = None
        data: dict[str, Any] | None = None
        params_model = endpoint.types().params_model
        if params_model is not None:  # limits and allowed values of query and header parameters
            values = {**(query or {}), **(headers or {})}
            params_model.model_validate({k: v for k, v in values.items() if v is not NOT_GIVEN and v is not None})
        sent_headers = self._headers
        accept = "text/event-stream" if stream else endpoint.accept
        if accept != "application/json" or extra_headers or headers:
            sent_headers = {**sent_headers, "Accept": accept, **header_values(headers or {})}
            sent_headers.update(extra_headers or {})
        if isinstance(body, Mapping):
            body = {k: v for k, v in body.items() if v is not NOT_GIVEN}
        if endpoint.encoding == "multipart":
            data, files = _multipart({**(body if isinstance(body, Mapping) else {}), **(extra_body or {})})
            sent_headers = {k: v for k, v in sent_headers.items() if k.lower() != "content-type"}  # httpx: boundary
        else:
            content = _json_body(endpoint.types().body_model, body, extra_body)
        given = {k: wire_value(v) for k, v in (query or {}).items() if v is not NOT_GIVEN and v is not None}
        for name in endpoint.comma_joined:
            value = given.get(name)
            if isinstance(value, list):
                given[name] = ",".join(str(item) for item in value)
        params = {**self._custom_query, **given}
        if extra_query:
            params.update(extra_query)
        return http.build_request(
            endpoint.method,
            url,
            params=params or None,  # type: ignore[arg-type]
            headers=sent_headers,
            content=content,
            data=data,
            files=files,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
        )

    # -- retries ---------------------------------------------------------------------------

    @staticmethod
    def _should_retry(response: httpx.Response) -> bool:
        override = response.headers.get("x-should-retry")
        if override == "true":
            return True
        if override == "false":
            return False
        return response.status_code in _RETRY_STATUSES or response.status_code >= 500

    def _retry_delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        server = _server_delay(response) if response is not None else None
        if server is not None and 0 <= server <= MAX_SERVER_DELAY:
            return server
        initial, maximum = self.backoff
        delay = min(initial * 2.0 ** (attempt - 1), maximum)
        return delay * (1 - 0.25 * random.random())

    def _before_retry(
        self, attempt: int, request: httpx.Request, response: httpx.Response | None, error: Exception | None
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

    def _log_response(self, response: httpx.Response, attempt: int) -> None:
        log.debug(
            "%s %s -> %d (request id %s, attempt %d)",
            response.request.method,
            response.request.url.path,
            response.status_code,
            response.headers.get("x-request-id"),
            attempt + 1,
        )

    def _retry_or_raise(self, response: httpx.Response, attempt: int) -> bool:
        """True when an error response should be retried; raises the status error when not."""
        if attempt < self.max_retries and self._should_retry(response):
            return True
        raise status_error(response)

    def _parse(self, endpoint: Endpoint[_T], response: httpx.Response) -> _T:
        if endpoint.response_format == "binary":
            return response.content  # type: ignore[return-value]
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


def _validation_error(
    response: httpx.Response, exc: pydantic.ValidationError
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


def _server_delay(response: httpx.Response) -> float | None:
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


def _connection_error(request: httpx.Request, exc: httpx.RequestError) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request)
    return APIConnectionError(message=f"Connection error: {type(exc).__name__}", request=request)


async def _async_sleep(seconds: float) -> None:
    import asyncio  # not at module level: ~30 ms of import that sync users never need

    await asyncio.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process: building it costs ~30 ms, once instead of per client."""
    return httpx.create_ssl_context()


def _http_options(timeout: TimeoutTypes) -> dict[str, Any]:
    return {"timeout": timeout, "follow_redirects": True, "verify": _ssl_context()}


class SyncAPIClient(BaseClient):
    _http: httpx.Client

    def __init__(self, *, http_client: httpx.Client | None = None, **options: Unpack[ClientOptions]) -> None:
        super().__init__(**options)
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(f"http_client must be an httpx.Client, got {type(http_client).__name__}")
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(**_http_options(self.timeout))

    def close(self) -> None:
        """Close the connection pool, unless it belongs to an `http_client` you passed in."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _request(self, endpoint: Endpoint[_T], **arguments: Any) -> _T:
        """Send one call; returns the parsed body (a `RawResponse` inside a raw-response wrapper)."""
        _check_request_options({k: v for k, v in arguments.items() if k not in _ARGUMENTS})
        request = self._build_request(self._http, endpoint, **arguments)
        response, retries = self._send(request)
        if wants_raw_response():
            return RawResponse(response, lambda: self._parse(endpoint, response), retries_taken=retries)  # type: ignore[return-value]
        return self._parse(endpoint, response)

    def _request_stream(self, endpoint: Endpoint[Any], **arguments: Any) -> Stream[Any]:
        _check_request_options({k: v for k, v in arguments.items() if k not in _ARGUMENTS})
        request = self._build_request(self._http, endpoint, stream=True, **arguments)
        response, _ = self._send(request, stream=True)
        return Stream(response, endpoint.event_validator())

    def _send(self, request: httpx.Request, *, stream: bool = False) -> tuple[httpx.Response, int]:
        """Send with retries; returns a successful response and the retries it took, or raises.
        With `stream`, a successful body is left unread for the caller to iterate."""
        attempt = 0
        while True:
            try:
                response = self._http.send(request, stream=stream)
                if stream and response.status_code >= 400:
                    response.read()
            except httpx.RequestError as exc:  # transport, protocol, decoding, too many redirects
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
    _http: httpx.AsyncClient

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **options: Unpack[ClientOptions]) -> None:
        super().__init__(**options)
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}")
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(**_http_options(self.timeout))

    async def close(self) -> None:
        """Close the connection pool, unless it belongs to an `http_client` you passed in."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _request(self, endpoint: Endpoint[_T], **arguments: Any) -> _T:
        """Send one call; returns the parsed body (a `RawResponse` inside a raw-response wrapper)."""
        _check_request_options({k: v for k, v in arguments.items() if k not in _ARGUMENTS})
        request = self._build_request(self._http, endpoint, **arguments)
        response, retries = await self._send(request)
        if wants_raw_response():
            return RawResponse(response, lambda: self._parse(endpoint, response), retries_taken=retries)  # type: ignore[return-value]
        return self._parse(endpoint, response)

    async def _request_stream(self, endpoint: Endpoint[Any], **arguments: Any) -> AsyncStream[Any]:
        _check_request_options({k: v for k, v in arguments.items() if k not in _ARGUMENTS})
        request = self._build_request(self._http, endpoint, stream=True, **arguments)
        response, _ = await self._send(request, stream=True)
        return AsyncStream(response, endpoint.event_validator())

    async def _send(self, request: httpx.Request, *, stream: bool = False) -> tuple[httpx.Response, int]:
        attempt = 0
        while True:
            try:
                response = await self._http.send(request, stream=stream)
                if stream and response.status_code >= 400:
                    await response.aread()
            except httpx.RequestError as exc:  # transport, protocol, decoding, too many redirects
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
        self._request_stream = client._request_stream


class AsyncAPIResource:
    """A group of async methods reached as an attribute of the client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
        self._request = client._request
        self._request_stream = client._request_stream
