"""Streams dropped unread give their connection back: on `close()`, on leaving their block, and
when garbage-collected, with every transport the client runs on, sync and async.

The story server (tests/support/streaming.py) keeps each `held` response open after its first part
until the client closes the connection, so a stream nobody closes holds its connection (and its
place in a bounded pool) for as long as its response lives. Every pool here holds at most 100
connections (ours async, httpx2's, httpx 0.28's, aiohttp's), so after 100 abandoned streams an
ordinary call only gets through if they were given back; the server also counts what is still open.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import warnings
from collections.abc import Awaitable, Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import httpx2
import pytest

from tests.support.streamserver import StreamServer

ABANDONED = 100
TIMEOUT = 5.0  # the clients' timeout, the pool's included: an exhausted pool fails the call in 5 s


@pytest.fixture
def closed_by_us() -> Iterator[None]:
    """Every connection is closed by the client: a socket or transport left for its own finalizer to
    close (which is what dropping a response unclosed would do) warns "unclosed", and fails the test.
    (Not for garbage in a reference cycle, whose objects are finalized in no set order.)"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        gc.collect()
    unclosed = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert unclosed == []


def abandon_sync(client: Any, n: int) -> None:
    """Start `n` streams of three kinds and drop each unread: a `Stream` (`stream=True`), a stream-only
    operation's `Stream`, and a streaming response entered but never left."""
    for i in range(n):
        if i % 3 == 0:
            client.create_story(prompt="held", stream=True)
        elif i % 3 == 1:
            client.watch_story("held")
        else:
            client.with_streaming_response.get_story_audio("held").__enter__()


async def abandon_async(client: Any, n: int) -> None:
    for i in range(n):
        if i % 3 == 0:
            await client.create_story(prompt="held", stream=True)
        elif i % 3 == 1:
            await client.watch_story("held")
        else:
            await client.with_streaming_response.get_story_audio("held").__aenter__()


SYNC_POOLS: dict[str, Callable[[], Any]] = {
    "ours": lambda: None,
    "httpx2": lambda: httpx2.Client(timeout=TIMEOUT),
    "httpx-0.28": lambda: httpx.Client(timeout=TIMEOUT),
}


@pytest.mark.parametrize("pool", SYNC_POOLS)
def test_sync_100_abandoned_streams_then_the_pool_still_serves(
    sdk: ModuleType, server: StreamServer, pool: str, closed_by_us: None
) -> None:
    http = SYNC_POOLS[pool]()
    try:
        with sdk.Client(base_url=server.url, max_retries=0, timeout=TIMEOUT, http_client=http) as client:
            abandon_sync(client, ABANDONED)
            assert client.create_story(prompt="p").id == "s1"
            assert client.get_story("s1").id == "s1"
            assert server.wait_until_open_at_most(1) <= 1  # the ordinary calls' keep-alive connection
    finally:
        if http is not None:
            http.close()
    assert len(server.requests) == ABANDONED + 2


async def _aiohttp() -> Any:
    from openai_chat_sdk._aiohttp import aiohttp_http_client  # the same runtime module as every SDK's

    return aiohttp_http_client(timeout=TIMEOUT)


async def _none() -> None:
    return None


async def _httpx2() -> httpx2.AsyncClient:
    return httpx2.AsyncClient(timeout=TIMEOUT)


async def _httpx1() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT)


ASYNC_POOLS: dict[str, Callable[[], Awaitable[Any]]] = {
    "ours": _none,
    "httpx2": _httpx2,
    "httpx-0.28": _httpx1,
    "aiohttp": _aiohttp,
}


@pytest.mark.parametrize("pool", ASYNC_POOLS)
def test_async_100_abandoned_streams_then_the_pool_still_serves(
    sdk: ModuleType, server: StreamServer, pool: str, closed_by_us: None
) -> None:
    async def main() -> None:
        http = await ASYNC_POOLS[pool]()
        try:
            async with sdk.AsyncClient(base_url=server.url, max_retries=0, timeout=TIMEOUT, http_client=http) as client:
                await abandon_async(client, ABANDONED)
                assert (await client.create_story(prompt="p")).id == "s1"
                assert (await client.get_story("s1")).id == "s1"
                for _ in range(250):  # the closes run on this loop: give them their turn, up to 5 s
                    if server.open_connections <= 1:
                        break
                    await asyncio.sleep(0.02)
                assert server.open_connections <= 1
        finally:
            if http is not None:
                await http.aclose()

    asyncio.run(main())
    assert len(server.requests) == ABANDONED + 2


# -- each way of giving a stream up, one at a time ----------------------------------------------


def test_close_leaving_the_block_and_dropping_each_release_the_connection(
    sdk: ModuleType, server: StreamServer, closed_by_us: None
) -> None:
    with sdk.Client(base_url=server.url, max_retries=0, timeout=TIMEOUT) as client:
        events = client.create_story(prompt="held", stream=True)
        assert next(events).index == 0 and server.open_connections == 1
        events.close()
        assert server.wait_until_open_at_most(0) == 0

        with client.watch_story("held") as events:
            assert next(events).index == 0
        assert server.wait_until_open_at_most(0) == 0

        events = client.watch_story("held")
        assert next(events).index == 0  # started, then dropped mid-stream
        del events
        assert server.wait_until_open_at_most(0) == 0

        response = client.with_streaming_response.get_story_audio("held").__enter__()
        assert response.status_code == 200
        del response
        assert server.wait_until_open_at_most(0) == 0

        raw = client.with_raw_response.create_story(prompt="held", stream=True)
        del raw
        assert server.wait_until_open_at_most(0) == 0


def test_a_stream_in_a_reference_cycle_is_released_by_the_garbage_collector(
    sdk: ModuleType, server: StreamServer
) -> None:
    """On httpx2's own pool, which keeps every connection it made: only closing the response frees it."""
    with httpx2.Client(timeout=TIMEOUT) as http:
        client = sdk.Client(base_url=server.url, max_retries=0, http_client=http)
        holder: dict[str, Any] = {"stream": client.watch_story("held")}
        holder["self"] = holder  # only the cycle collector can free it
        del holder
        assert server.open_connections == 1
        gc.collect()
        assert server.wait_until_open_at_most(0) == 0


def test_async_close_leaving_the_block_and_dropping_each_release_the_connection(
    sdk: ModuleType, server: StreamServer, closed_by_us: None
) -> None:
    async def settled() -> int:
        for _ in range(250):
            if server.open_connections == 0:
                break
            await asyncio.sleep(0.02)
        return server.open_connections

    async def main() -> None:
        async with sdk.AsyncClient(base_url=server.url, max_retries=0, timeout=TIMEOUT) as client:
            events = await client.create_story(prompt="held", stream=True)
            assert (await events.__anext__()).index == 0 and server.open_connections == 1
            await events.close()
            assert await settled() == 0

            async with await client.watch_story("held") as events:
                assert (await events.__anext__()).index == 0
            assert await settled() == 0

            events = await client.watch_story("held")
            assert (await events.__anext__()).index == 0
            del events
            assert await settled() == 0

            response = await client.with_streaming_response.get_story_audio("held").__aenter__()
            del response
            assert await settled() == 0

    asyncio.run(main())


def test_an_async_stream_dropped_after_its_loop_closed_is_left_alone(sdk: ModuleType, server: StreamServer) -> None:
    """Nothing to give back to once the loop is gone: dropping the stream then raises nothing."""
    kept: list[Any] = []

    async def main() -> None:
        async with sdk.AsyncClient(base_url=server.url, max_retries=0, timeout=TIMEOUT) as client:
            kept.append(await client.watch_story("held"))

    asyncio.run(main())
    unraisable: list[Any] = []
    hook = sys.unraisablehook
    sys.unraisablehook = unraisable.append
    try:
        kept.clear()
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert unraisable == []
