"""Responses dropped unread: closed when the object that owns them is garbage-collected.

A `Stream`, an `AsyncStream` or a streaming response holds its HTTP response open until it is read
to the end, closed, or its `with` block is left. One that is simply dropped would keep its
connection (and, in a bounded pool, its place) until the process ends; these functions, called from
the owner's `__del__`, close it instead. A sync response is closed at once (closing only shuts a
socket or hands it back, under the pool's own lock). An async one needs its event loop, and a
finalizer may run in the middle of anything, on any thread: the close is scheduled on that loop
with `call_soon_threadsafe`, so it runs between callbacks, never inside the pool's own code; when
the loop is closed there is nothing left to give the connection back to.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import httpx2

if TYPE_CHECKING:
    import asyncio

__all__ = ["close_abandoned", "close_abandoned_later", "running_loop"]

_CLOSING: set[Any] = set()  # the tasks closing abandoned async responses, kept until they are done


def close_abandoned(response: httpx2.Response) -> None:
    if not response.is_closed:
        response.close()


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The loop an async response belongs to (asyncio is loaded already: an async call made it)."""
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def close_abandoned_later(response: httpx2.Response, loop: asyncio.AbstractEventLoop | None) -> None:
    if response.is_closed or loop is None or loop.is_closed():
        return
    with contextlib.suppress(RuntimeError):  # the loop closed in the meantime
        loop.call_soon_threadsafe(_start_closing, loop, response)


def _start_closing(loop: asyncio.AbstractEventLoop, response: httpx2.Response) -> None:
    task = loop.create_task(response.aclose())
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)
