"""An httpx 0.28 `httpx.Client` / `httpx.AsyncClient` passed as `http_client` keeps working: every
request goes through it (its hooks, headers, transport), and its errors become the client's."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from openai_chat_sdk import APIConnectionError, APITimeoutError, AsyncClient, Client, NotFoundError
from tests.support.rawserver import RawServer, hang, reset

KEY = "sk-httpx1"
BODY = b'{"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": []}'


def serve(httpserver: HTTPServer, status: int = 200, body: bytes = BODY) -> list[Request]:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        request.get_data()
        seen.append(request)
        return Response(body, status=status, headers={"x-request-id": "req_1"}, content_type="application/json")

    httpserver.expect_request("/v1/chat/completions/c1").respond_with_handler(handler)
    return seen


def call(kind: str, http: Any, base_url: str, **options: Any) -> Any:
    """One update through a client on `http` (an httpx 0.28 client, used and left open)."""
    settings = {"api_key": KEY, "base_url": base_url, "max_retries": 0, **options}
    if kind == "sync":
        client = Client(http_client=http, **settings)
        return client.chat.completions.update("c1", metadata={"k": "v"})

    async def run() -> Any:
        client = AsyncClient(http_client=http, **settings)
        return await client.chat.completions.update("c1", metadata={"k": "v"})

    return asyncio.run(run())


def httpx1(kind: str, **options: Any) -> Any:
    return httpx.Client(**options) if kind == "sync" else httpx.AsyncClient(**options)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_call_goes_through_the_httpx1_client(kind: str, httpserver: HTTPServer) -> None:
    seen = serve(httpserver)
    hooked: list[httpx.Request] = []

    def hook(request: httpx.Request) -> None:
        hooked.append(request)

    async def async_hook(request: httpx.Request) -> None:
        hooked.append(request)

    http = httpx1(kind, headers={"X-Mine": "yes"}, event_hooks={"request": [hook if kind == "sync" else async_hook]})
    completion = call(kind, http, httpserver.url_for("/v1"))
    assert completion.id == "c" and completion._request_id == "req_1"
    assert [type(r) for r in hooked] == [httpx.Request]  # httpx 0.28 sent it, with its hooks
    request = seen[0]
    assert request.headers["X-Mine"] == "yes" and request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["User-Agent"].startswith("openai-chat-sdk/")
    assert request.get_data() == b'{"metadata":{"k":"v"}}'
    assert not http.is_closed  # never closed by us


def test_status_errors_are_the_clients(kind: str, httpserver: HTTPServer) -> None:
    serve(httpserver, status=404, body=b'{"error": {"message": "gone"}}')
    with pytest.raises(NotFoundError, match="gone"):
        call(kind, httpx1(kind), httpserver.url_for("/v1"))


def test_httpx1_connection_errors_become_the_clients() -> None:
    for kind in ("sync", "async"):
        with RawServer([reset()]) as server, pytest.raises(APIConnectionError) as info:
            call(kind, httpx1(kind), server.url + "/v1")
        assert not isinstance(info.value, APITimeoutError)


def test_httpx1_timeouts_become_timeout_errors(kind: str) -> None:
    with RawServer([hang()]) as server, pytest.raises(APITimeoutError):
        call(kind, httpx1(kind), server.url + "/v1", timeout=0.2)


def test_the_wrong_kind_of_client_is_refused_with_the_fix() -> None:
    with pytest.raises(TypeError, match=r"httpx2\.Client \(or an httpx 0\.28 httpx\.Client\), got httpx\.AsyncClient"):
        Client(api_key=KEY, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"httpx2\.AsyncClient .*got builtins\.object"):
        AsyncClient(api_key=KEY, http_client=object())  # type: ignore[arg-type]
