"""The generated client against a real HTTP server on loopback, sync and async.

The server (pytest-httpserver, a werkzeug server in a thread) answers with the seed pages'
example responses; every assertion reads a parsed field or a byte seen on the wire.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from openai_chat_sdk import AsyncClient, Client
from openai_chat_sdk.models import (
    ChatCompletion,
    ChatCompletionChoiceFinishReason,
    ChatCompletionMessageFunctionToolCall,
    ServiceTier,
)

API_KEY = "sk-test-key"
NODE_SEED_INT64 = 4944116822809979520

Call = Callable[..., ChatCompletion]


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest, httpserver: HTTPServer) -> Call:
    """`call(completion_id, metadata=...)` through Client or AsyncClient, same arguments."""
    base_url = httpserver.url_for("/v1")

    def sync_call(completion_id: str, **kwargs: Any) -> ChatCompletion:
        with Client(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
            return client.chat.completions.update(completion_id, **kwargs)

    def async_call(completion_id: str, **kwargs: Any) -> ChatCompletion:
        async def run() -> ChatCompletion:
            async with AsyncClient(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
                return await client.chat.completions.update(completion_id, **kwargs)

        return asyncio.run(run())

    return sync_call if request.param == "sync" else async_call


def serve(httpserver: HTTPServer, body: bytes, *, path: str = "/v1/chat/completions/chatcmpl-1") -> list[Request]:
    """Answer one POST with `body`; returns the list the received requests are appended to."""
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        request.get_data()  # read while the connection is open
        seen.append(request)
        return Response(body, status=200, content_type="application/json", headers={"x-request-id": "req_1"})

    httpserver.expect_oneshot_request(path, method="POST").respond_with_handler(handler)
    return seen


def test_full_seed_example_parses_field_by_field(
    call: Call, httpserver: HTTPServer, response_examples: dict[str, bytes]
) -> None:
    serve(httpserver, response_examples["every_field"])
    completion = call("chatcmpl-1", metadata={"foo": "string"})

    assert isinstance(completion, ChatCompletion)
    assert (completion.id, completion.created, completion.model, completion.object) == (
        "id",
        0,
        "model",
        "chat.completion",
    )
    assert completion.service_tier is ServiceTier.auto and completion.service_tier == "auto"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.finish_reason is ChatCompletionChoiceFinishReason.stop
    assert choice.index == 0
    message = choice.message
    assert (message.content, message.refusal, message.role) == ("content", "refusal", "assistant")
    assert message.annotations is not None
    citation = message.annotations[0].url_citation
    assert (citation.start_index, citation.end_index, citation.title, citation.url) == (0, 0, "title", "url")
    assert message.audio is not None
    assert (message.audio.id, message.audio.data, message.audio.expires_at, message.audio.transcript) == (
        "id",
        "data",
        0,
        "transcript",
    )
    with pytest.warns(DeprecationWarning):
        function_call = message.function_call
    assert function_call is not None and (function_call.name, function_call.arguments) == ("name", "arguments")
    assert message.tool_calls is not None
    tool_call = message.tool_calls[0]
    assert isinstance(tool_call, ChatCompletionMessageFunctionToolCall)
    assert (tool_call.id, tool_call.type, tool_call.function.name, tool_call.function.arguments) == (
        "id",
        "function",
        "name",
        "arguments",
    )
    assert choice.logprobs is not None and choice.logprobs.content is not None and choice.logprobs.refusal is not None
    token = choice.logprobs.content[0]
    assert (token.token, token.bytes, token.logprob) == ("token", [0], 0.0)
    assert (token.top_logprobs[0].token, token.top_logprobs[0].bytes, token.top_logprobs[0].logprob) == (
        "token",
        [0],
        0,
    )
    assert choice.logprobs.refusal[0].top_logprobs[0].token == "token"
    usage = completion.usage
    assert usage is not None and (usage.completion_tokens, usage.prompt_tokens, usage.total_tokens) == (0, 0, 0)
    assert usage.completion_tokens_details is not None and usage.prompt_tokens_details is not None
    details = usage.completion_tokens_details
    assert (
        details.accepted_prediction_tokens,
        details.audio_tokens,
        details.reasoning_tokens,
        details.rejected_prediction_tokens,
    ) == (0, 0, 0, 0)
    assert (usage.prompt_tokens_details.audio_tokens, usage.prompt_tokens_details.cached_tokens) == (0, 0)
    with pytest.warns(DeprecationWarning):
        assert completion.system_fingerprint == "system_fingerprint"
    assert completion.model_extra == {}


def test_node_seed_example_keeps_extra_fields_and_exact_int64(
    call: Call, httpserver: HTTPServer, response_examples: dict[str, bytes]
) -> None:
    body = response_examples["stored_completion"]
    assert str(NODE_SEED_INT64).encode() in body  # the bytes on the wire hold the exact integer
    serve(httpserver, body)
    completion = call("chatcmpl-1", metadata={"foo": "bar"})

    assert completion.id == "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2"
    assert completion.created == 1738960610 and completion.model == "gpt-4o-2024-08-06"
    assert completion.service_tier == "default"
    extra = completion.model_extra
    assert extra is not None
    assert extra["seed"] == NODE_SEED_INT64 and type(extra["seed"]) is int
    assert extra["request_id"] == "req_ded8ab984ec4bf840f37566c1011c417"
    assert completion.metadata == {"foo": "bar"} and "metadata" not in extra  # declared since 2026-08-21
    assert extra["top_p"] == 1.0 and extra["tool_choice"] is None and extra["response_format"] is None
    message = completion.choices[0].message
    assert message.content is not None and message.content.startswith("Mind of circuits hum,")
    assert message.tool_calls is None and message.refusal is None
    assert completion.usage is not None and completion.usage.total_tokens == 31
    assert completion.usage.completion_tokens_details is None
    # Round trip: dumping gives back every field the server sent, the int64 exactly.
    assert json.loads(completion.model_dump_json())["seed"] == NODE_SEED_INT64


def test_curl_placeholder_example_parses(
    call: Call, httpserver: HTTPServer, response_examples: dict[str, bytes]
) -> None:
    serve(httpserver, response_examples["placeholders"])
    completion = call("chatcmpl-1", metadata={})
    assert completion.id == "<string>" and completion.created == 123
    assert completion.choices[0].message.annotations is not None
    assert completion.choices[0].message.annotations[0].url_citation.end_index == 123


@pytest.mark.parametrize("example", ["empty_metadata", "set_metadata"])
def test_request_on_the_wire(
    call: Call,
    httpserver: HTTPServer,
    response_examples: dict[str, bytes],
    request_examples: dict[str, Any],
    example: str,
) -> None:
    seen = serve(httpserver, response_examples["every_field"])
    call("chatcmpl-1", **request_examples[example])

    (request,) = seen
    assert request.method == "POST"
    assert request.path == "/v1/chat/completions/chatcmpl-1"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("openai-chat-sdk/")
    assert json.loads(request.get_data()) == request_examples[example]


def test_populated_metadata_and_null_on_the_wire(
    call: Call, httpserver: HTTPServer, response_examples: dict[str, bytes]
) -> None:
    seen = serve(httpserver, response_examples["every_field"])
    metadata = {"user": "u-42", "ünïcode": "välue ✓", "k" * 64: "v" * 512}
    call("chatcmpl-1", metadata=metadata)
    assert json.loads(seen[0].get_data()) == {"metadata": metadata}

    seen = serve(httpserver, response_examples["every_field"])
    call("chatcmpl-1", metadata=None)
    assert seen[0].get_data() == b'{"metadata":null}'


@pytest.mark.parametrize(
    ("completion_id", "wire_path"),
    [
        ("a/b", "/v1/chat/completions/a%2Fb"),
        ("a?b=1", "/v1/chat/completions/a%3Fb%3D1"),
        ("a#frag", "/v1/chat/completions/a%23frag"),
        ("100%", "/v1/chat/completions/100%25"),
        ("with space", "/v1/chat/completions/with%20space"),
    ],
)
def test_path_parameter_is_one_encoded_segment(
    call: Call, httpserver: HTTPServer, response_examples: dict[str, bytes], completion_id: str, wire_path: str
) -> None:
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.environ["RAW_URI"] if "RAW_URI" in request.environ else request.environ["REQUEST_URI"])
        return Response(response_examples["every_field"], content_type="application/json")

    httpserver.expect_request("/v1/chat/completions/" + completion_id, method="POST").respond_with_handler(handler)
    call(completion_id, metadata={})
    assert seen == [wire_path]


@pytest.mark.parametrize("bad_id", ["", ".", ".."])
def test_unusable_completion_id_fails_before_sending(call: Call, httpserver: HTTPServer, bad_id: str) -> None:
    with pytest.raises(ValueError, match="completion_id"):
        call(bad_id, metadata={})
    assert httpserver.log == []
