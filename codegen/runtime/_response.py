"""What `with_raw_response` and `with_streaming_response` methods return.

`raw_response_wrapper(resource.update)` is the same method returning a `RawResponse` (the body read
whole, the model on demand); `streaming_response_wrapper(resource.update)` is the same method
returning a context manager of a `StreamedResponse`, whose body is read only when asked. Each marks
its call with a context variable (so concurrent tasks don't see each other's mark) and the client
hands back the response instead of the model. One method per operation, whatever way it is called.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, Literal, TypeVar

import httpx2
from typing_extensions import ParamSpec

from ._abandon import close_abandoned, close_abandoned_later, running_loop

__all__ = [
    "AsyncResponseContextManager",
    "AsyncStreamedResponse",
    "RawResponse",
    "ResponseContextManager",
    "StreamedResponse",
    "async_raw_response_wrapper",
    "async_streaming_response_wrapper",
    "raw_response_wrapper",
    "response_mode",
    "streaming_response_wrapper",
]

_T = TypeVar("_T")
_U = TypeVar("_U")
_P = ParamSpec("_P")
_UNSET: Any = object()
ResponseMode = Literal["raw", "streaming"] | None
_MODE: contextvars.ContextVar[ResponseMode] = contextvars.ContextVar("response_mode", default=None)


def response_mode() -> ResponseMode:
    """`raw` inside a call made through a raw-response wrapper, `streaming` through a
    streaming-response wrapper, None for a plain call."""
    return _MODE.get()


def raw_response_wrapper(method: Callable[_P, _T]) -> Callable[_P, RawResponse[_T]]:
    @functools.wraps(method)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
        token = _MODE.set("raw")
        try:
            return method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            _MODE.reset(token)

    return wrapped


def async_raw_response_wrapper(method: Callable[_P, Awaitable[_T]]) -> Callable[_P, Awaitable[RawResponse[_T]]]:
    @functools.wraps(method)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
        token = _MODE.set("raw")
        try:
            return await method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            _MODE.reset(token)

    return wrapped


def streaming_response_wrapper(
    method: Callable[_P, _T],
) -> Callable[_P, ResponseContextManager[StreamedResponse[_T]]]:
    @functools.wraps(method)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> ResponseContextManager[StreamedResponse[_T]]:
        def send() -> StreamedResponse[_T]:
            token = _MODE.set("streaming")
            try:
                return method(*args, **kwargs)  # type: ignore[return-value]
            finally:
                _MODE.reset(token)

        return ResponseContextManager(send)

    return wrapped


def async_streaming_response_wrapper(
    method: Callable[_P, Awaitable[_T]],
) -> Callable[_P, AsyncResponseContextManager[AsyncStreamedResponse[_T]]]:
    @functools.wraps(method)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncResponseContextManager[AsyncStreamedResponse[_T]]:
        async def send() -> AsyncStreamedResponse[_T]:
            token = _MODE.set("streaming")
            try:
                return await method(*args, **kwargs)  # type: ignore[return-value]
            finally:
                _MODE.reset(token)

        return AsyncResponseContextManager(send)

    return wrapped


class _ResponseInfo:
    """What a response says before its body is read."""

    http_response: httpx2.Response
    retries_taken: int

    @property
    def http_request(self) -> httpx2.Request:
        return self.http_response.request

    @property
    def headers(self) -> httpx2.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def request_id(self) -> str | None:
        value: str | None = self.http_response.headers.get("x-request-id")
        return value

    @property
    def url(self) -> httpx2.URL:
        return self.http_response.url

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.http_request.method} {self.url.path}>"


class RawResponse(_ResponseInfo, Generic[_T]):
    """A successful response before parsing; `.parse()` gives the typed model (once, cached). With
    `stream=True` the body is left unread and `.parse()` gives the `Stream` of events."""

    def __init__(self, response: httpx2.Response, parse: Callable[[], _T], *, retries_taken: int) -> None:
        self.http_response = response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: Any = _UNSET

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    @property
    def elapsed(self) -> float:
        return self.http_response.elapsed.total_seconds()

    def json(self) -> Any:
        return self.http_response.json()

    def parse(self) -> _T:
        if self._parsed is _UNSET:
            self._parsed = self._parse()
        return self._parsed  # type: ignore[no-any-return]

    def _then(self, make: Callable[[_T], _U]) -> RawResponse[_U]:
        """The same response, whose `parse()` gives `make(what it gave)` (a list method's page)."""
        return RawResponse(self.http_response, lambda: make(self.parse()), retries_taken=self.retries_taken)


class StreamedResponse(_ResponseInfo, Generic[_T]):
    """A successful response whose body is read only when asked: `iter_bytes()`, `iter_text()`,
    `iter_lines()`, `read()`, `text()`, `json()`, or `parse()` for the typed model (with `stream=True`,
    the `Stream` of events, read as you iterate it). The connection is released when the body has
    been read, on `close()`, when the `with` block is left, or when the response is dropped."""

    def __init__(self, response: httpx2.Response, parse: Callable[[], _T], *, retries_taken: int, events: bool) -> None:
        self.http_response = response
        self.retries_taken = retries_taken
        self._parse = parse
        self._events = events  # parse() makes a Stream that reads the body itself
        self._parsed: Any = _UNSET

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def parse(self) -> _T:
        if self._parsed is _UNSET:
            if not self._events:
                self.read()
            self._parsed = self._parse()
        return self._parsed  # type: ignore[no-any-return]

    def close(self) -> None:
        self.http_response.close()

    def _then(self, make: Callable[[_T], _U]) -> StreamedResponse[_U]:
        """The same response, whose `parse()` gives `make(what it gave)`; the new one keeps this one
        (and so its response) alive through `make`'s closure."""
        return StreamedResponse(
            self.http_response, lambda: make(self._parse()), retries_taken=self.retries_taken, events=self._events
        )

    def __del__(self) -> None:
        close_abandoned(self.http_response)


class AsyncStreamedResponse(_ResponseInfo, Generic[_T]):
    """`StreamedResponse` for `AsyncClient`: `aiter_bytes()`, `aiter_text()`, `aiter_lines()`,
    `await read()`, `await text()`, `await json()`, `await parse()`, `await close()`."""

    def __init__(self, response: httpx2.Response, parse: Callable[[], _T], *, retries_taken: int, events: bool) -> None:
        self.http_response = response
        self.retries_taken = retries_taken
        self._parse = parse
        self._events = events
        self._parsed: Any = _UNSET
        self._loop = running_loop()

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        await self.read()
        return self.http_response.json()

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def aiter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def parse(self) -> _T:
        if self._parsed is _UNSET:
            if not self._events:
                await self.read()
            self._parsed = self._parse()
        return self._parsed  # type: ignore[no-any-return]

    async def close(self) -> None:
        await self.http_response.aclose()

    def _then(self, make: Callable[[_T], _U]) -> AsyncStreamedResponse[_U]:
        return AsyncStreamedResponse(
            self.http_response, lambda: make(self._parse()), retries_taken=self.retries_taken, events=self._events
        )

    def __del__(self) -> None:
        close_abandoned_later(self.http_response, self._loop)


_R = TypeVar("_R", bound=StreamedResponse[Any])
_AR = TypeVar("_AR", bound=AsyncStreamedResponse[Any])


class ResponseContextManager(Generic[_R]):
    """`with client.x.with_streaming_response.method(...) as response:` sends on entering and
    closes the response on leaving; nothing is sent until the block is entered."""

    def __init__(self, send: Callable[[], _R]) -> None:
        self._send = send
        self._response: _R | None = None

    def __enter__(self) -> _R:
        self._response = self._send()
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[_AR]):
    """`async with client.x.with_streaming_response.method(...) as response:`."""

    def __init__(self, send: Callable[[], Awaitable[_AR]]) -> None:
        self._send = send
        self._response: _AR | None = None

    async def __aenter__(self) -> _AR:
        self._response = await self._send()
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await self._response.close()
