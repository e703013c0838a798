"""Server-sent events: `<method>_stream()` yields one parsed model per event, sync and async.

A generated client for tests/fixtures/specs/streaming-31.yaml against a loopback server that
writes its events in separate chunks.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support import ROOT

EVENTS = [
    {"type": "story.sentence", "index": 0, "sentence": "Once upon a time."},
    {"type": "story.sentence", "index": 1, "sentence": "The end."},
    {"type": "story.done", "index": 2},
]


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("sse")
    command = [sys.executable, "-m", "codegen", "generate", "--spec", "tests/fixtures/specs/streaming-31.yaml"]
    subprocess.run([*command, "--out", str(out), "--package", "sse_sdk"], cwd=ROOT, check=True, capture_output=True)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("sse_sdk")
    finally:
        sys.path.remove(str(out))


def sse(*chunks: str) -> Callable[[Request], Response]:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        request.get_data()
        seen.append(request)
        return Response((chunk.encode() for chunk in chunks), content_type="text/event-stream")

    handler.seen = seen  # type: ignore[attr-defined]
    return handler


def events_text(events: list[dict[str, Any]], *, done: bool = True) -> list[str]:
    chunks = [": keep-alive\n\n"]
    for event in events:
        text = json.dumps(event)
        chunks += [f"data: {text[:10]}", f"{text[10:]}\n\n"]  # an event split across two chunks
    return chunks + (["data: [DONE]\n\n"] if done else [])


@pytest.fixture(params=["sync", "async"])
def stream(request: pytest.FixtureRequest, sdk: ModuleType, httpserver: HTTPServer) -> Callable[..., list[Any]]:
    """Read the whole `create_story_stream(...)` through Client or AsyncClient."""
    base_url = httpserver.url_for("/")

    def sync_read(**kwargs: Any) -> list[Any]:
        with (
            sdk.Client(base_url=base_url, max_retries=0) as client,
            client.create_story_stream(**kwargs) as events,
        ):
            return list(events)

    def async_read(**kwargs: Any) -> list[Any]:
        async def main() -> list[Any]:
            async with sdk.AsyncClient(base_url=base_url, max_retries=0) as client:
                events = await client.create_story_stream(**kwargs)
                async with events:
                    return [event async for event in events]

        return asyncio.run(main())

    return sync_read if request.param == "sync" else async_read


def test_events_arrive_as_models_and_done_ends_the_stream(
    sdk: ModuleType, stream: Callable[..., list[Any]], httpserver: HTTPServer
) -> None:
    handler = sse(*events_text(EVENTS), 'data: {"after": "done"}\n\n')
    httpserver.expect_request("/stories", method="POST").respond_with_handler(handler)
    events = stream(prompt="a short story")
    assert [type(e).__name__ for e in events] == ["StoryEvent"] * 3
    assert [e.sentence for e in events[:2]] == ["Once upon a time.", "The end."]
    assert events[2].type == "story.done" and events[2].index == 2
    (request,) = handler.seen  # type: ignore[attr-defined]
    assert json.loads(request.get_data()) == {"prompt": "a short story", "stream": True}
    assert request.headers["Accept"] == "text/event-stream"


def test_a_stream_without_done_ends_with_the_connection(
    stream: Callable[..., list[Any]], httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/stories", method="POST").respond_with_handler(sse(*events_text(EVENTS, done=False)))
    assert [e.index for e in stream(prompt="p")] == [0, 1, 2]


def test_an_error_event_raises(sdk: ModuleType, stream: Callable[..., list[Any]], httpserver: HTTPServer) -> None:
    chunks = ['event: error\ndata: {"message": "overloaded"}\n\n']
    httpserver.expect_request("/stories", method="POST").respond_with_handler(sse(*chunks))
    with pytest.raises(sdk.APIError, match="overloaded") as caught:
        stream(prompt="p")
    assert caught.value.body == {"message": "overloaded"}


def test_an_error_status_raises_before_any_event(
    sdk: ModuleType, stream: Callable[..., list[Any]], httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/stories", method="POST").respond_with_json(
        {"error": {"message": "bad prompt"}}, status=400
    )
    with pytest.raises(sdk.BadRequestError, match="bad prompt"):
        stream(prompt="p")


def test_arguments_are_checked_before_sending(stream: Callable[..., list[Any]], httpserver: HTTPServer) -> None:
    with pytest.raises(ValueError, match="prompt"):
        stream(prompt="x" * 201)
    assert httpserver.log == []


def test_the_plain_method_still_returns_the_json_body(sdk: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/stories", method="POST").respond_with_json({"id": "s1", "text": "Once."})
    with sdk.Client(base_url=httpserver.url_for("/"), max_retries=0) as client:
        story = client.create_story(prompt="p")
    assert (story.id, story.text) == ("s1", "Once.")
    assert json.loads(httpserver.log[0][0].get_data()) == {"prompt": "p"}
