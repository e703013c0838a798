"""What `with_raw_response` methods return: the HTTP response, and the model on demand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

__all__ = ["RawResponse"]

_T = TypeVar("_T")
_UNSET: Any = object()


class RawResponse(Generic[_T]):
    """A successful response before parsing; `.parse()` gives the typed model (once, cached)."""

    def __init__(self, response: httpx.Response, parse: Callable[[], _T], *, retries_taken: int) -> None:
        self.http_response = response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: Any = _UNSET

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def request_id(self) -> str | None:
        value: str | None = self.http_response.headers.get("x-request-id")
        return value

    @property
    def url(self) -> httpx.URL:
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
