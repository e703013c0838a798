"""Server-sent events (`text/event-stream`) as iterators of parsed models.

`Stream` and `AsyncStream` read the response line by line as it arrives, join the `data:` lines
of each event, stop at `data: [DONE]`, and validate each event's JSON with the operation's event
type. The connection is released when the events end, on `close()`, on leaving a `with` block, and
when a stream is dropped unread (`_abandon.py`).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx2

from ._abandon import close_abandoned, close_abandoned_later, running_loop
from ._exceptions import APIError

__all__ = ["AsyncStream", "ServerSentEvent", "Stream"]

_T = TypeVar("_T")


@dataclass(slots=True)
class ServerSentEvent:
    event: str | None = None
    data: str = ""
    id: str | None = None
    retry: int | None = None
    _lines: list[str] = field(default_factory=list, repr=False)


class _Decoder:
    """The SSE line protocol (WHATWG): fields until a blank line make one event."""

    def __init__(self) -> None:
        self._event = ServerSentEvent()

    def feed(self, line: str) -> ServerSentEvent | None:
        if not line:
            event = self._event
            self._event = ServerSentEvent()
            if not event._lines and event.event is None:
                return None
            event.data = "\n".join(event._lines)
            return event
        if line.startswith(":"):
            return None  # a comment (keep-alive)
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._event._lines.append(value)
        elif name == "event":
            self._event.event = value
        elif name == "id":
            self._event.id = value
        elif name == "retry" and value.isdigit():
            self._event.retry = int(value)
        return None


def _events(lines: Iterable[str]) -> Iterator[ServerSentEvent]:
    decoder = _Decoder()
    for line in lines:
        event = decoder.feed(line.rstrip("\r"))
        if event is not None:
            yield event
    last = decoder.feed("")
    if last is not None:
        yield last


def _parse(event: ServerSentEvent, validate: Callable[[bytes], Any], response: httpx2.Response) -> Any:
    if event.event == "error":
        body = json.loads(event.data) if event.data.startswith("{") else event.data
        raise APIError(f"The stream reported an error: {event.data[:200]}", response.request, body=body)
    return validate(event.data.encode())


def _iterate(response: httpx2.Response, validate: Callable[[bytes], Any]) -> Iterator[Any]:
    """The events of a response, parsed; a function of its own (not a method) so the generator holds
    no reference to its `Stream`: no cycle, so a stream dropped unread is freed, and its response
    closed, at once rather than at the next garbage collection."""
    try:
        for event in _events(response.iter_lines()):
            if event.data == "[DONE]":
                break
            yield _parse(event, validate, response)
    finally:
        response.close()


async def _aiterate(response: httpx2.Response, validate: Callable[[bytes], Any]) -> AsyncIterator[Any]:
    decoder = _Decoder()
    try:
        async for line in response.aiter_lines():
            event = decoder.feed(line.rstrip("\r"))
            if event is None:
                continue
            if event.data == "[DONE]":
                break
            yield _parse(event, validate, response)
    finally:
        await response.aclose()


class Stream(Generic[_T]):
    """Iterate to get each event as a model. The connection is released at the end of the events, on
    `close()`, on leaving `with`, or when the stream is dropped unread (garbage-collected)."""

    def __init__(self, response: httpx2.Response, validate: Callable[[bytes], Any]) -> None:
        self.response = response
        self._iterator: Iterator[_T] = _iterate(response, validate)

    def __iter__(self) -> Iterator[_T]:
        return self  # not the generator: a loop over a stream it was handed keeps the stream alive

    def __next__(self) -> _T:
        return next(self._iterator)

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Stream[_T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        close_abandoned(self.response)


class AsyncStream(Generic[_T]):
    """`async for` each event as a model. The connection is released at the end of the events, on
    `await close()`, on leaving `async with`, or when the stream is dropped unread (closed on its loop)."""

    def __init__(self, response: httpx2.Response, validate: Callable[[bytes], Any]) -> None:
        self.response = response
        self._iterator: AsyncIterator[_T] = _aiterate(response, validate)
        self._loop = running_loop()

    def __aiter__(self) -> AsyncIterator[_T]:
        return self

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[_T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __del__(self) -> None:
        close_abandoned_later(self.response, self._loop)
