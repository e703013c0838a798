"""An httpx2 transport on aiohttp, opt-in (`pip install "<package>[aiohttp]"`).

The client's default transport (`_transport.py`) is already lean under concurrency; this one is for
an application that runs on aiohttp anyway and wants one connection pool (bench/transports.py
compares them). Use it through httpx2's API, so everything else stays the same:

    from <package> import AsyncClient
    from <package>._aiohttp import aiohttp_http_client   # needs `pip install aiohttp`

    client = AsyncClient(http_client=aiohttp_http_client())   # close it yourself: await client.aclose()

aiohttp's errors become httpx2's (a refused or reset connection is a ConnectError or ReadError, not
a timeout), so retries and the client's exceptions behave as with the default transport.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator
from typing import Any

import httpx2

# aiohttp is imported by name, so a type checker does not follow it: the SDK type-checks whether
# or not this optional extra is installed, and a cold check of the SDK skips aiohttp's modules
# (about a sixth of `mypy --strict` on a large SDK). Its objects are `Any` here; the tests of this
# transport run it against real servers.
aiohttp: Any = importlib.import_module("aiohttp")

__all__ = ["AiohttpTransport", "aiohttp_http_client"]


def _timeout(request: httpx2.Request) -> Any:
    limits: dict[str, Any] = request.extensions.get("timeout", {})
    return aiohttp.ClientTimeout(
        total=None,
        sock_connect=limits.get("connect"),
        sock_read=limits.get("read"),
        connect=limits.get("pool"),
    )


def _mapped(exc: BaseException, request: httpx2.Request) -> httpx2.RequestError:
    message = str(exc) or type(exc).__name__
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return httpx2.ConnectTimeout(message, request=request)
        return httpx2.ReadTimeout(message, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx2.ConnectError(message, request=request)
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientResponseError)):
        return httpx2.RemoteProtocolError(message, request=request)
    return httpx2.ReadError(message, request=request)


class _Body(httpx2.AsyncByteStream):
    def __init__(self, response: Any, request: httpx2.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise _mapped(exc, self._request) from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx2.AsyncBaseTransport):
    """Sends httpx2 requests with one aiohttp session (created on first use, closed by `aclose`)."""

    def __init__(self, *, limit: int = 100) -> None:
        self._limit = limit
        self._session: Any = None  # an aiohttp.ClientSession

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._limit)
            self._session = aiohttp.ClientSession(connector=connector, auto_decompress=False)
        body = await request.aread()  # multipart and other streamed bodies are read here
        try:
            response = await self._session.request(
                request.method,
                str(request.url),
                headers=list(request.headers.multi_items()),
                data=body,
                allow_redirects=False,
                timeout=_timeout(request),
                skip_auto_headers=("Accept-Encoding", "User-Agent", "Content-Type"),
            )
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            raise _mapped(exc, request) from exc
        return httpx2.Response(
            response.status,
            headers=list(response.raw_headers),
            stream=_Body(response, request),
            request=request,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def aiohttp_http_client(**options: Any) -> httpx2.AsyncClient:
    """An `httpx2.AsyncClient` on `AiohttpTransport`; `options` go to httpx2.AsyncClient."""
    return httpx2.AsyncClient(transport=AiohttpTransport(), follow_redirects=True, **options)
