"""Fault injection: the generated client against misbehaving servers on loopback, sync and async.

HTTP-level faults (status codes, retry headers, bad bodies) come from pytest-httpserver with a
scripted handler that records every request; transport-level faults (resets, hangs, truncated
bodies) come from `tests/support/rawserver.py`, a raw-socket server that follows a script per connection.
Every test runs once with `Client` and once with `AsyncClient` through the same `call` fixture,
and every wait is bounded: small backoffs, small timeouts, few retries.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import pickle
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx2
import pydantic
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from openai_chat_sdk import AsyncClient, Client
from openai_chat_sdk._base import RetryEvent
from openai_chat_sdk._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from openai_chat_sdk.models import ChatCompletion
from tests.support.rawserver import RawServer, hang, http_response, reset, respond, stall

API_KEY = "sk-test-fault-key"
COMPLETION_ID = "chatcmpl-1"
PATH = f"/v1/chat/completions/{COMPLETION_ID}"
FAST = (0.01, 0.02)  # backoff (initial, maximum) used unless a test says otherwise
LOGGER = "openai_chat_sdk"

Call = Callable[..., Any]


# -- the client, sync or async ---------------------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Call:
    """`call(base_url, *, call_options=None, **client_options)`: one `update` through a fresh client.

    Client options default to a test key, a tiny backoff and a 5 s timeout (so a runtime bug
    cannot hang the suite); `max_retries` is left at the runtime's default unless given.
    """

    def options(base_url: str, client_options: Mapping[str, Any]) -> dict[str, Any]:
        return {"api_key": API_KEY, "base_url": base_url, "backoff": FAST, "timeout": 5.0, **client_options}

    def sync_call(base_url: str, *, call_options: Mapping[str, Any] | None = None, **client_options: Any) -> Any:
        with Client(**options(base_url, client_options)) as client:
            return client.chat.completions.update(COMPLETION_ID, metadata={"k": "v"}, **(call_options or {}))

    def async_call(base_url: str, *, call_options: Mapping[str, Any] | None = None, **client_options: Any) -> Any:
        async def run() -> Any:
            async with AsyncClient(**options(base_url, client_options)) as client:
                return await client.chat.completions.update(COMPLETION_ID, metadata={"k": "v"}, **(call_options or {}))

        return asyncio.run(run())

    return sync_call if request.param == "sync" else async_call


@pytest.fixture
def ok_body(response_examples: dict[str, bytes]) -> bytes:
    return response_examples["every_field"]


# -- HTTP-level faults: a scripted pytest-httpserver handler ----------------------------------


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None  # a callable: made per request
    content_type: str = "application/json"


@dataclass(frozen=True)
class Hit:
    at: float  # time.monotonic() when the server got it
    request: Request


def script(httpserver: HTTPServer, *replies: Reply) -> list[Hit]:
    """Answer POSTs to PATH with `replies` in order (the last one repeats); returns every request seen."""
    hits: list[Hit] = []

    def handler(request: Request) -> Response:
        request.get_data()  # read while the connection is open
        hits.append(Hit(time.monotonic(), request))
        reply = replies[min(len(hits), len(replies)) - 1]
        headers = reply.headers() if callable(reply.headers) else reply.headers
        return Response(reply.body, status=reply.status, headers=dict(headers or {}), content_type=reply.content_type)

    httpserver.expect_request(PATH, method="POST").respond_with_handler(handler)
    return hits


def error_body(message: str = "something is wrong", **fields: object) -> bytes:
    return json.dumps({"error": {"message": message, "type": "invalid_request_error", **fields}}).encode()


def base_url(httpserver: HTTPServer) -> str:
    return httpserver.url_for("/v1")


# -- transport-level faults: the raw-socket server --------------------------------------------


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    """`raw_server(*behaviours)`: a started RawServer, stopped (and checked) at teardown."""
    servers: list[RawServer] = []

    def start(*behaviours: Any, **kwargs: Any) -> RawServer:
        server = RawServer(behaviours, **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
        assert server.errors == [], f"raw server errors: {server.errors!r}"


def raw_url(server: RawServer) -> str:
    return server.url + "/v1"


def ok_response(body: bytes) -> bytes:
    return http_response(200, body, headers={"x-request-id": "req_raw"})


# -- 1-5, 7: what is retried, how many times, how long we wait -------------------------------


def test_two_503_then_200_succeeds_on_the_third_request(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    hits = script(httpserver, Reply(503, error_body()), Reply(503, error_body()), Reply(200, ok_body))
    started = time.monotonic()
    completion = call(base_url(httpserver), backoff=(0.01, 0.02))
    assert isinstance(completion, ChatCompletion) and completion.id == "id"
    assert len(hits) == 3  # default max_retries is 2: exactly enough
    assert time.monotonic() - started < 1.0
    assert [hit.request.path for hit in hits] == [PATH] * 3
    assert all(json.loads(hit.request.get_data()) == {"metadata": {"k": "v"}} for hit in hits)


def test_three_503_exhaust_the_default_retries(call: Call, httpserver: HTTPServer) -> None:
    hits = script(httpserver, Reply(503, error_body("overloaded")))
    with pytest.raises(InternalServerError) as info:
        call(base_url(httpserver))
    assert len(hits) == 3 and info.value.status_code == 503


def test_retry_after_seconds_is_waited_for(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    hits = script(httpserver, Reply(429, error_body("slow down"), {"Retry-After": "1"}), Reply(200, ok_body))
    started = time.monotonic()
    completion = call(base_url(httpserver))
    elapsed = time.monotonic() - started
    assert isinstance(completion, ChatCompletion) and len(hits) == 2
    assert 0.9 <= elapsed <= 2.5
    assert hits[1].at - hits[0].at >= 0.9


def test_retry_after_ms_wins_over_the_backoff(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    hits = script(httpserver, Reply(503, error_body(), {"retry-after-ms": "50"}), Reply(200, ok_body))
    events: list[RetryEvent] = []
    started = time.monotonic()
    completion = call(base_url(httpserver), backoff=(2, 2), on_retry=events.append)  # 1.5-2 s if ignored
    elapsed = time.monotonic() - started
    assert isinstance(completion, ChatCompletion) and len(hits) == 2
    assert elapsed < 1.0
    assert hits[1].at - hits[0].at >= 0.045
    assert [event.delay for event in events] == [pytest.approx(0.05)]


def test_retry_after_http_date_is_waited_for(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    asked: list[float] = []

    def date_header() -> dict[str, str]:
        target = time.time() + 1.25  # an HTTP date has whole seconds: the wait asked for is 0.25-1.25 s
        asked.append(int(target) - time.time())
        return {"Retry-After": email.utils.formatdate(target, usegmt=True)}

    hits = script(httpserver, Reply(503, error_body(), date_header), Reply(200, ok_body))
    events: list[RetryEvent] = []
    started = time.monotonic()
    completion = call(base_url(httpserver), backoff=(3, 3), on_retry=events.append)  # >= 2.25 s if ignored
    elapsed = time.monotonic() - started
    assert isinstance(completion, ChatCompletion) and len(hits) == 2
    (event,), (wait,) = events, asked
    assert wait - 0.2 <= event.delay <= wait
    assert hits[1].at - hits[0].at >= event.delay - 0.01
    assert elapsed < 2.0


def test_retry_after_ms_is_read_before_retry_after(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    script(httpserver, Reply(429, error_body(), {"retry-after-ms": "30", "Retry-After": "100"}), Reply(200, ok_body))
    events: list[RetryEvent] = []
    started = time.monotonic()
    call(base_url(httpserver), on_retry=events.append)
    assert time.monotonic() - started < 1.0
    assert [event.delay for event in events] == [pytest.approx(0.03)]


def test_no_wait_after_the_last_attempt(call: Call, httpserver: HTTPServer) -> None:
    hits = script(httpserver, Reply(429, error_body("slow down"), {"Retry-After": "100"}))
    started = time.monotonic()
    with pytest.raises(RateLimitError):
        call(base_url(httpserver), max_retries=0)
    assert time.monotonic() - started < 1.0 and len(hits) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "1000"},  # longer than the 120 s cap: not waited for
        {"Retry-After": "-5"},
        {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},  # in the past
        {"Retry-After": "soon"},
        {"retry-after-ms": "junk"},
        {"retry-after-ms": "500000"},
    ],
    ids=["over-cap", "negative", "past-date", "garbage", "ms-garbage", "ms-over-cap"],
)
def test_unusable_retry_after_falls_back_to_the_backoff(
    call: Call, httpserver: HTTPServer, ok_body: bytes, headers: dict[str, str]
) -> None:
    hits = script(httpserver, Reply(429, error_body(), headers), Reply(200, ok_body))
    events: list[RetryEvent] = []
    started = time.monotonic()
    completion = call(base_url(httpserver), backoff=(0.01, 0.02), on_retry=events.append)
    assert isinstance(completion, ChatCompletion) and len(hits) == 2
    assert time.monotonic() - started < 1.0
    (event,) = events
    assert 0.0075 <= event.delay <= 0.01  # first retry: initial * (1 - 0.25 * jitter)


def test_x_should_retry_false_stops_a_retryable_status(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    hits = script(httpserver, Reply(500, error_body("boom"), {"x-should-retry": "false"}), Reply(200, ok_body))
    with pytest.raises(InternalServerError) as info:
        call(base_url(httpserver))
    assert len(hits) == 1 and info.value.status_code == 500


def test_x_should_retry_true_retries_a_client_error(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    hits = script(httpserver, Reply(400, error_body(), {"x-should-retry": "true"}), Reply(200, ok_body))
    assert isinstance(call(base_url(httpserver)), ChatCompletion)
    assert len(hits) == 2


def test_x_should_retry_true_still_ends_after_max_retries(call: Call, httpserver: HTTPServer) -> None:
    hits = script(httpserver, Reply(400, error_body(), {"x-should-retry": "true"}))
    with pytest.raises(BadRequestError):
        call(base_url(httpserver), max_retries=1)
    assert len(hits) == 2


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (408, APIStatusError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
    ],
)
def test_retryable_statuses_are_retried(
    call: Call, httpserver: HTTPServer, status: int, error_class: type[APIStatusError]
) -> None:
    hits = script(httpserver, Reply(status, error_body()))
    with pytest.raises(APIStatusError) as info:
        call(base_url(httpserver), max_retries=2)
    assert len(hits) == 3  # max_retries + 1
    assert type(info.value) is error_class and info.value.status_code == status


def test_a_retried_status_then_success_returns_the_success(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    hits = script(httpserver, Reply(408, b""), Reply(409, error_body()), Reply(200, ok_body, {"x-request-id": "req_3"}))
    completion = call(base_url(httpserver))
    assert isinstance(completion, ChatCompletion) and len(hits) == 3
    assert completion._request_id == "req_3"  # type: ignore[attr-defined]


# -- 6: the error classes and their fields ---------------------------------------------------


RETRIED = frozenset({408, 409, 429}) | frozenset(range(500, 600))


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_maps_to_its_exception(
    call: Call, httpserver: HTTPServer, status: int, error_class: type[APIStatusError]
) -> None:
    """Each status gets its class and fields; the ones not retried are sent once even with retries left."""
    message = f"the server says no ({status})"
    hits = script(
        httpserver, Reply(status, error_body(message, code="some_code", param=None), {"x-request-id": f"req_{status}"})
    )
    with pytest.raises(APIStatusError) as info:
        call(base_url(httpserver), max_retries=0 if status in RETRIED else 2)
    error = info.value
    assert type(error) is error_class
    assert isinstance(error, APIError) and isinstance(error, OpenAIError)
    assert len(hits) == 1
    assert error.status_code == status and error.response.status_code == status
    assert error.body == {"message": message, "type": "invalid_request_error", "code": "some_code", "param": None}
    assert message in error.message and str(error) == error.message
    assert error.request_id == f"req_{status}"
    assert error.request is not None and error.request.url.path == PATH


def test_error_without_json_body(call: Call, httpserver: HTTPServer) -> None:
    html = b"<html><body>502 Bad Gateway</body></html>"
    script(httpserver, Reply(502, html, content_type="text/html"))
    with pytest.raises(InternalServerError) as info:
        call(base_url(httpserver), max_retries=0)
    assert info.value.status_code == 502 and info.value.body == html.decode()
    assert info.value.request_id is None and "502 Bad Gateway" in info.value.message


def test_error_with_empty_body(call: Call, httpserver: HTTPServer) -> None:
    script(httpserver, Reply(500, b""))
    with pytest.raises(InternalServerError) as info:
        call(base_url(httpserver), max_retries=0)
    assert info.value.status_code == 500 and info.value.body is None


def test_error_json_without_error_key_keeps_the_whole_body(call: Call, httpserver: HTTPServer) -> None:
    script(httpserver, Reply(400, b'{"detail": "nope"}'))
    with pytest.raises(BadRequestError) as info:
        call(base_url(httpserver), max_retries=0)
    assert info.value.body == {"detail": "nope"}


# -- 8-10: resets, refused connections, hangs ------------------------------------------------


def test_reset_then_success(call: Call, raw_server: Callable[..., RawServer], ok_body: bytes) -> None:
    server = raw_server(reset(), respond(ok_response(ok_body)))
    completion = call(raw_url(server))
    assert isinstance(completion, ChatCompletion) and completion._request_id == "req_raw"  # type: ignore[attr-defined]
    assert len(server.connections) == 2
    assert all(c.request.startswith(f"POST {PATH} HTTP/1.1\r\n".encode()) for c in server.connections)


@pytest.mark.parametrize("max_retries", [0, 2])
def test_every_attempt_reset_raises_connection_error(
    call: Call, raw_server: Callable[..., RawServer], max_retries: int
) -> None:
    server = raw_server(*[reset()] * (max_retries + 1))
    with pytest.raises(APIConnectionError) as info:
        call(raw_url(server), max_retries=max_retries)
    assert type(info.value) is APIConnectionError
    assert info.value.message.startswith("Connection error") and info.value.body is None
    assert isinstance(info.value.__cause__, httpx2.TransportError)
    assert info.value.request is not None and info.value.request.url.path == PATH
    assert len(server.connections) == max_retries + 1


def test_connection_refused_is_retried_then_raises(call: Call) -> None:
    with socket.socket() as sock:  # a port nobody listens on once this socket is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    events: list[RetryEvent] = []
    with pytest.raises(APIConnectionError) as info:
        call(f"http://127.0.0.1:{port}/v1", max_retries=2, on_retry=events.append)
    assert type(info.value) is APIConnectionError
    assert [event.attempt for event in events] == [1, 2]
    assert all(event.response is None and isinstance(event.error, httpx2.ConnectError) for event in events)


def test_hang_times_out(call: Call, raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(hang())
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        call(raw_url(server), timeout=0.3, max_retries=0)
    elapsed = time.monotonic() - started
    assert 0.25 <= elapsed <= 2.0
    assert isinstance(info.value, APIConnectionError) and info.value.message == "Request timed out."
    assert isinstance(info.value.__cause__, httpx2.TimeoutException)
    assert len(server.connections) == 1


def test_hang_is_retried_then_times_out(call: Call, raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(hang(), hang())
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        call(raw_url(server), timeout=0.3, max_retries=1)
    assert 0.5 <= time.monotonic() - started <= 3.0
    assert len(server.connections) == 2


def test_hang_then_success(call: Call, raw_server: Callable[..., RawServer], ok_body: bytes) -> None:
    server = raw_server(hang(), respond(ok_response(ok_body)))
    assert isinstance(call(raw_url(server), timeout=0.15, max_retries=1), ChatCompletion)
    assert len(server.connections) == 2


def test_per_call_timeout_overrides_the_client_timeout(call: Call, raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(hang())
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        call(raw_url(server), timeout=30.0, max_retries=0, call_options={"timeout": 0.15})
    assert time.monotonic() - started <= 2.0


def test_body_that_stops_half_way_times_out(call: Call, raw_server: Callable[..., RawServer], ok_body: bytes) -> None:
    server = raw_server(stall(http_response(200, ok_body[:20], content_length=len(ok_body))))
    with pytest.raises(APITimeoutError):
        call(raw_url(server), timeout=0.15, max_retries=0)
    assert len(server.connections) == 1


# -- 11: bodies that are not what the spec promises ------------------------------------------

NEVER_RAW = (httpx2.HTTPError, json.JSONDecodeError, pydantic.ValidationError)


@pytest.mark.parametrize("body", [b"{not json", b"", b"<html>oops</html>", b'{"id": "x"', b"\xff\xfe\x00"], ids=repr)
def test_malformed_success_body_raises_validation_error(call: Call, httpserver: HTTPServer, body: bytes) -> None:
    hits = script(httpserver, Reply(200, body, {"x-request-id": "req_bad"}))
    with pytest.raises(APIResponseValidationError) as info:
        call(base_url(httpserver))
    error = info.value
    assert not isinstance(error, NEVER_RAW)
    assert error.status_code == 200 and error.body is None
    assert "not valid JSON" in error.message
    assert error.response.headers["x-request-id"] == "req_bad"
    assert len(hits) == 1  # a 2xx is never retried


def test_malformed_success_body_also_fails_in_strict_mode(call: Call, httpserver: HTTPServer) -> None:
    script(httpserver, Reply(200, b"{not json"))
    with pytest.raises(APIResponseValidationError):
        call(base_url(httpserver), strict_response_validation=True)


def test_truncated_success_body_is_a_connection_error(
    call: Call, raw_server: Callable[..., RawServer], ok_body: bytes
) -> None:
    truncated = http_response(200, ok_body[:40], content_length=len(ok_body) + 1000)
    server = raw_server(respond(truncated))
    with pytest.raises(APIConnectionError) as info:
        call(raw_url(server), max_retries=0)
    assert type(info.value) is APIConnectionError  # not a validation error: the body never arrived
    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)
    assert len(server.connections) == 1


def test_truncated_body_is_retried_like_any_connection_error(
    call: Call, raw_server: Callable[..., RawServer], ok_body: bytes
) -> None:
    truncated = http_response(200, ok_body[:40], content_length=len(ok_body) + 1000)
    server = raw_server(respond(truncated), respond(ok_response(ok_body)))
    assert isinstance(call(raw_url(server), max_retries=1), ChatCompletion)
    assert len(server.connections) == 2


def test_truncated_error_body_is_a_connection_error(call: Call, raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(respond(http_response(500, b'{"error": {"mess', content_length=500)))
    with pytest.raises(APIConnectionError) as info:
        call(raw_url(server), max_retries=0)
    assert type(info.value) is APIConnectionError and len(server.connections) == 1


def test_garbage_instead_of_http_is_a_connection_error(call: Call, raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(respond(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"), respond(b"\x00\x01\x02 not http\r\n\r\n"))
    with pytest.raises(APIConnectionError) as info:
        call(raw_url(server), max_retries=1)
    assert type(info.value) is APIConnectionError and len(server.connections) == 2


@pytest.mark.parametrize(("body", "value"), [(b"[1, 2, 3]", [1, 2, 3]), (b'"hello"', "hello"), (b"42", 42)])
def test_json_that_is_not_an_object_is_returned_as_sent_by_default(
    call: Call, httpserver: HTTPServer, body: bytes, value: object
) -> None:
    """Lenient mode (the default, like openai-python's non-strict mode) keeps what cannot validate as sent."""
    script(httpserver, Reply(200, body))
    assert call(base_url(httpserver)) == value


@pytest.mark.parametrize(("body", "value"), [(b"[1, 2, 3]", [1, 2, 3]), (b'"hello"', "hello"), (b"{}", {})])
def test_json_that_does_not_match_raises_in_strict_mode(
    call: Call, httpserver: HTTPServer, body: bytes, value: object
) -> None:
    script(httpserver, Reply(200, body))
    with pytest.raises(APIResponseValidationError) as info:
        call(base_url(httpserver), strict_response_validation=True)
    assert info.value.body == value and info.value.status_code == 200
    assert "does not match the schema" in info.value.message


def test_json_null_success_body_is_kept_as_sent_unless_strict(call: Call, httpserver: HTTPServer) -> None:
    script(httpserver, Reply(200, b"null"))
    assert call(base_url(httpserver)) is None
    with pytest.raises(APIResponseValidationError) as info:
        call(base_url(httpserver), strict_response_validation=True)
    assert info.value.body is None and "does not match the schema" in info.value.message


def test_undecodable_content_encoding_is_a_connection_error(call: Call, httpserver: HTTPServer) -> None:
    script(httpserver, Reply(200, b"this is not gzip", {"Content-Encoding": "gzip"}))
    with pytest.raises(APIConnectionError):
        call(base_url(httpserver), max_retries=0)


def test_redirect_loop_is_a_connection_error(call: Call, httpserver: HTTPServer) -> None:
    script(httpserver, Reply(307, b"", {"Location": PATH}))
    with pytest.raises(APIConnectionError):
        call(base_url(httpserver), max_retries=0)


# -- 12: on_retry and logging ----------------------------------------------------------------


def test_on_retry_gets_every_retry_in_order(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    script(
        httpserver,
        Reply(503, error_body(), {"x-request-id": "req_a"}),
        Reply(429, error_body(), {"retry-after-ms": "20", "x-request-id": "req_b"}),
        Reply(200, ok_body),
    )
    events: list[RetryEvent] = []
    call(base_url(httpserver), backoff=(0.01, 0.02), on_retry=events.append)
    assert [event.attempt for event in events] == [1, 2]
    first, second = events
    assert 0.0075 <= first.delay <= 0.01
    assert second.delay == pytest.approx(0.02)
    assert [event.response.status_code for event in events if event.response is not None] == [503, 429]
    assert [event.response.headers["x-request-id"] for event in events if event.response is not None] == [
        "req_a",
        "req_b",
    ]
    assert all(event.error is None for event in events)
    assert all(event.request.method == "POST" and event.request.url.path == PATH for event in events)


def test_on_retry_after_connection_errors(call: Call, raw_server: Callable[..., RawServer], ok_body: bytes) -> None:
    server = raw_server(reset(), hang(), respond(ok_response(ok_body)))
    events: list[RetryEvent] = []
    call(raw_url(server), backoff=(0.01, 0.02), timeout=0.15, max_retries=2, on_retry=events.append)
    assert [event.attempt for event in events] == [1, 2]
    assert all(event.response is None for event in events)
    assert isinstance(events[0].error, httpx2.TransportError)
    assert isinstance(events[1].error, httpx2.TimeoutException)
    assert len(server.connections) == 3


def test_no_on_retry_without_retries(call: Call, httpserver: HTTPServer, ok_body: bytes) -> None:
    script(httpserver, Reply(200, ok_body))
    events: list[RetryEvent] = []
    call(base_url(httpserver), on_retry=events.append)
    assert events == []


def test_each_retry_is_logged_at_info(
    call: Call, httpserver: HTTPServer, ok_body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    script(httpserver, Reply(503, error_body()), Reply(502, error_body()), Reply(200, ok_body))
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    call(base_url(httpserver), max_retries=2)
    retries = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.INFO]
    assert len(retries) == 2
    assert "retry 1 of 2" in retries[0].getMessage() and "status 503" in retries[0].getMessage()
    assert "retry 2 of 2" in retries[1].getMessage() and "status 502" in retries[1].getMessage()
    assert all(PATH in r.getMessage() for r in retries)
    assert API_KEY not in caplog.text


def test_connection_retry_is_logged_with_the_error_type(
    call: Call, raw_server: Callable[..., RawServer], ok_body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    server = raw_server(reset(), respond(ok_response(ok_body)))
    caplog.set_level(logging.INFO, logger=LOGGER)
    call(raw_url(server), max_retries=1)
    (record,) = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.INFO]
    assert "retry 1 of 1" in record.getMessage()
    assert any(name in record.getMessage() for name in ("ReadError", "RemoteProtocolError", "WriteError"))


# -- 13: exceptions pickle, without the key --------------------------------------------------


def assert_pickles(error: APIError) -> APIError:
    assert error.request is not None and error.request.headers["Authorization"] == f"Bearer {API_KEY}"
    data = pickle.dumps(error)
    assert b"sk-test" not in data
    copy = pickle.loads(data)
    assert type(copy) is type(error)
    assert copy.message == error.message and str(copy) == str(error) and copy.args == error.args
    assert copy.body == error.body
    assert copy.request is not None
    assert "authorization" not in copy.request.headers
    assert copy.request.method == error.request.method and copy.request.url == error.request.url
    assert copy.request.headers["User-Agent"] == error.request.headers["User-Agent"]
    for name in ("status_code", "request_id"):
        assert getattr(copy, name, None) == getattr(error, name, None)
    response = getattr(error, "response", None)
    if response is not None:
        assert copy.response.status_code == response.status_code
        assert copy.response.content == response.content
        assert copy.response.headers == response.headers
        assert "authorization" not in copy.response.request.headers
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert b"sk-test" not in pickle.dumps(error, protocol=protocol)
        assert type(pickle.loads(pickle.dumps(error, protocol=protocol))) is type(error)
    return copy


def test_status_error_pickles(call: Call, httpserver: HTTPServer) -> None:
    script(httpserver, Reply(400, error_body("bad metadata", param="metadata"), {"x-request-id": "req_p"}))
    with pytest.raises(BadRequestError) as info:
        call(base_url(httpserver), max_retries=0)
    copy = assert_pickles(info.value)
    assert isinstance(copy, BadRequestError)
    assert (copy.status_code, copy.request_id) == (400, "req_p")
    assert copy.body == {"message": "bad metadata", "type": "invalid_request_error", "param": "metadata"}
    assert copy.response.json() == json.loads(error_body("bad metadata", param="metadata"))


def test_connection_error_pickles(call: Call, raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(reset())
    with pytest.raises(APIConnectionError) as info:
        call(raw_url(server), max_retries=0)
    assert type(assert_pickles(info.value)) is APIConnectionError


def test_timeout_error_pickles(call: Call, raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(hang())
    with pytest.raises(APITimeoutError) as info:
        call(raw_url(server), timeout=0.15, max_retries=0)
    assert assert_pickles(info.value).message == "Request timed out."


def test_validation_error_pickles(call: Call, httpserver: HTTPServer) -> None:
    script(httpserver, Reply(200, b"[1, 2]"))
    with pytest.raises(APIResponseValidationError) as info:
        call(base_url(httpserver), strict_response_validation=True)
    copy = assert_pickles(info.value)
    assert isinstance(copy, APIResponseValidationError) and copy.body == [1, 2] and copy.status_code == 200
