"""The optional aiohttp transport: same client behaviour as httpx's own, over real loopback servers."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from typing import Any

import httpx2
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from openai_chat_sdk import APIConnectionError, APITimeoutError, AsyncClient, InternalServerError
from openai_chat_sdk._aiohttp import AiohttpTransport, aiohttp_http_client
from openai_chat_sdk.models import ChatCompletion
from tests.support.rawserver import RawServer, hang, http_response, reset, respond

MINIMAL = {"id": "c1", "object": "chat.completion", "created": 1, "model": "m", "choices": []}


def run(base_url: str, *, calls: int = 1, **options: Any) -> list[Any]:
    async def main() -> list[Any]:
        http = aiohttp_http_client()
        try:
            client = AsyncClient(api_key="sk-k", base_url=base_url, http_client=http, backoff=(0.01, 0.02), **options)
            return await asyncio.gather(
                *(client.chat.completions.update("c1", metadata={"n": str(i)}) for i in range(calls))
            )
        finally:
            await http.aclose()

    return asyncio.run(main())


def test_a_call_parses_and_sends_what_httpx_would(httpserver: HTTPServer) -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        request.get_data()
        seen.append(request)
        return Response(json.dumps(MINIMAL), content_type="application/json", headers={"x-request-id": "req_a"})

    httpserver.expect_request("/v1/chat/completions/c1", method="POST").respond_with_handler(handler)
    (completion,) = run(httpserver.url_for("/v1"))
    assert isinstance(completion, ChatCompletion) and completion._request_id == "req_a"
    assert json.loads(seen[0].get_data()) == {"metadata": {"n": "0"}}
    assert seen[0].headers["Authorization"] == "Bearer sk-k"


def test_32_concurrent_calls(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/chat/completions/c1", method="POST").respond_with_json(MINIMAL)
    results = run(httpserver.url_for("/v1"), calls=32)
    assert len(results) == 32 and len(httpserver.log) == 32


def test_503_is_retried(httpserver: HTTPServer) -> None:
    path = "/v1/chat/completions/c1"
    httpserver.expect_ordered_request(path).respond_with_json({"error": {"message": "busy"}}, status=503)
    httpserver.expect_ordered_request(path).respond_with_json(MINIMAL)
    (completion,) = run(httpserver.url_for("/v1"))
    assert completion.id == "c1" and len(httpserver.log) == 2
    httpserver.expect_request(path).respond_with_json({"error": {"message": "down"}}, status=500)
    with pytest.raises(InternalServerError, match="down"):
        run(httpserver.url_for("/v1"), max_retries=0)


def test_refused_connection_is_a_connection_error_not_a_timeout() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(APIConnectionError) as caught:
        run(f"http://127.0.0.1:{port}/v1", max_retries=0)
    assert type(caught.value) is APIConnectionError


def test_reset_then_success() -> None:
    with RawServer([reset(), respond(http_response(200, json.dumps(MINIMAL).encode()))]) as server:
        (completion,) = run(server.url + "/v1", max_retries=1)
    assert completion.id == "c1" and len(server.connections) == 2


def test_a_slow_server_is_a_timeout() -> None:
    with RawServer([hang()], hang_limit=3.0) as server:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            run(server.url + "/v1", max_retries=0, timeout=0.3)
    assert time.monotonic() - started < 2.5


def test_the_transport_closes_its_session(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/chat/completions/c1", method="POST").respond_with_json(MINIMAL)

    async def main() -> None:
        idle = AiohttpTransport()
        await idle.aclose()  # before first use: nothing to close, and no error
        assert idle._session is None
        transport = AiohttpTransport()
        async with httpx2.AsyncClient(transport=transport) as http:
            client = AsyncClient(api_key="sk-k", base_url=httpserver.url_for("/v1"), http_client=http)
            await client.chat.completions.update("c1", metadata={})
            session = transport._session
            assert session is not None and not session.closed  # opened on first use, kept open
        assert session.closed  # closing the httpx client closed the transport's aiohttp session

    asyncio.run(main())
