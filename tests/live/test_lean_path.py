"""The lean hot path: with our own pool, requests are built from what the client prepared once
(headers, timeout, base URL), not by httpx2's `build_request`. On the wire they must be the same."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx2
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from openai_chat_sdk import AsyncClient, Client
from tests.support.rawserver import RawServer, respond

KEY = "sk-lean"
BODY = b'{"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": []}'


def capture(httpserver: HTTPServer, headers: dict[str, str] | None = None) -> list[Request]:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        request.get_data()
        seen.append(request)
        return Response(BODY, headers=headers or {}, content_type="application/json")

    httpserver.expect_request(re.compile("/v1/chat/completions/.*")).respond_with_handler(handler)
    return seen


def wire(request: Request) -> dict[str, Any]:
    return {
        "method": request.method,
        "uri": request.environ["REQUEST_URI"],
        "headers": sorted((k.lower(), v) for k, v in request.headers.items()),
        "body": request.get_data(),
    }


def calls(kind: str, base_url: str, http: Any, completion_id: str = "c1", rounds: int = 2, **call_options: Any) -> None:
    options: dict[str, Any] = {"api_key": KEY, "base_url": base_url, "max_retries": 0, "organization": "org-1"}
    if kind == "sync":
        with Client(**options, http_client=http() if http else None) as client:
            for _ in range(rounds):
                client.chat.completions.update(completion_id, metadata={"k": "v"}, **call_options)
        return

    async def run() -> None:
        async with AsyncClient(**options, http_client=http() if http else None) as client:
            for _ in range(rounds):
                await client.chat.completions.update(completion_id, metadata={"k": "v"}, **call_options)

    asyncio.run(run())


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    ("completion_id", "call_options"),
    [("c1", {}), ("a.b c/d?", {"extra_headers": {"X-Extra": "1"}, "extra_query": {"q": "1"}})],
    ids=["plain", "odd-id-and-extras"],
)
def test_own_pool_sends_what_httpx2_build_request_sends(
    httpserver: HTTPServer, kind: str, completion_id: str, call_options: dict[str, Any]
) -> None:
    seen = capture(httpserver)
    base_url = httpserver.url_for("/v1")
    calls(kind, base_url, None, completion_id, **call_options)  # our pool: the lean path
    plain = httpx2.Client if kind == "sync" else httpx2.AsyncClient
    calls(kind, base_url, lambda: plain(follow_redirects=True), completion_id, **call_options)  # build_request
    assert len(seen) == 4
    ours, theirs = wire(seen[0]), wire(seen[2])
    assert ours == theirs
    assert ours["uri"].startswith("/v1/chat/completions/" + ("c1" if completion_id == "c1" else "a.b%20c%2Fd%3F?q=1"))
    assert ("authorization", f"Bearer {KEY}") in ours["headers"] and ("openai-organization", "org-1") in ours["headers"]


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_cookies_a_server_sets_are_sent_back(httpserver: HTTPServer, kind: str) -> None:
    seen = capture(httpserver, headers={"Set-Cookie": "__lb=abc; Path=/"})
    calls(kind, httpserver.url_for("/v1"), None)
    assert "Cookie" not in seen[0].headers
    assert seen[1].headers["Cookie"] == "__lb=abc"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_proxy_in_the_environment_is_used(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    ok = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%b" % (len(BODY), BODY)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with RawServer([respond(ok)]) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        calls(kind, "http://api.example.test/v1", None, rounds=1)
    assert proxy.connections[0].request.startswith(b"POST http://api.example.test/v1/chat/completions/c1 HTTP/1.1")
