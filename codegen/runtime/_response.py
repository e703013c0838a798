"""What `with_raw_response` methods return: the HTTP response, and the model on demand.

`raw_response_wrapper(resource.update)` is the same method returning a `RawResponse`: it marks
the call (a context variable, so concurrent tasks don't see each other's mark) and the client
hands back the response unparsed. One method per operation, whatever way it is called.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import httpx2
from typing_extensions import ParamSpec

__all__ = ["RawResponse", "async_raw_response_wrapper", "raw_response_wrapper", "wants_raw_response"]

_T = TypeVar("_T")
_P = ParamSpec("_P")
_UNSET: Any = object()
_RAW = contextvars.ContextVar("raw_response", default=False)


def wants_raw_response() -> bool:
    """True inside a call made through a raw-response wrapper."""
    return _RAW.get()


def raw_response_wrapper(method: Callable[_P, _T]) -> Callable[_P, RawResponse[_T]]:
    @functools.wraps(method)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
        token = _RAW.set(True)
        try:
            return method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            _RAW.reset(token)

    return wrapped


def async_raw_response_wrapper(method: Callable[_P, Awaitable[_T]]) -> Callable[_P, Awaitable[RawResponse[_T]]]:
    @functools.wraps(method)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
        token = _RAW.set(True)
        try:
            return await method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            _RAW.reset(token)

    return wrapped


class RawResponse(Generic[_T]):
    """A successful response before parsing; `.parse()` gives the typed model (once, cached)."""

    def __init__(self, response: httpx2.Response, parse: Callable[[], _T], *, retries_taken: int) -> None:
        self.http_response = response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: Any = _UNSET

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

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self.http_request.method} {self.url.path}>"
