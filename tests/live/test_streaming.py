"""Server-sent events through `stream=True` on the same method, sync and async.

The client generated from tests/fixtures/specs/streaming-31.yaml against a loopback story server
(tests/support/streaming.py) that writes each event across two chunks: `createStory` streams when its
body says `stream: true`, `getStory` when the Accept header asks for events (its body has no `stream`
property), `watchStory` always (events are its only response).
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.support.streaming import EVENTS, STORY
from tests.support.streamserver import StreamServer

Call = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest, sdk: ModuleType, server: StreamServer) -> Call:
    """`call("create_story", prompt=...)`: the method on a Client or AsyncClient; a stream it returns is
    read whole (a list of events), anything else returned as it is."""
    options = {"base_url": server.url, "max_retries": 0, "timeout": 5.0}

    def sync_call(method: str, *args: Any, client_options: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        with sdk.Client(**options, **(client_options or {})) as client:
            result = getattr(client, method)(*args, **kwargs)
            if isinstance(result, sdk.Stream):
                with result:
                    return list(result)
            return result

    def async_call(method: str, *args: Any, client_options: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        async def main() -> Any:
            async with sdk.AsyncClient(**options, **(client_options or {})) as client:
                result = await getattr(client, method)(*args, **kwargs)
                if isinstance(result, sdk.AsyncStream):
                    async with result:
                        return [event async for event in result]
                return result

        return asyncio.run(main())

    return sync_call if request.param == "sync" else async_call


def test_stream_true_yields_one_model_per_event_and_asks_for_events(
    sdk: ModuleType, call: Call, server: StreamServer
) -> None:
    events = call("create_story", prompt="a short story", stream=True)
    assert [type(e).__name__ for e in events] == ["StoryEvent"] * 3
    assert [e.model_dump(exclude_none=True) for e in events] == EVENTS
    (request,) = server.requests
    assert json.loads(request.body) == {"prompt": "a short story", "stream": True}
    assert request.headers["accept"] == "text/event-stream"


@pytest.mark.parametrize("stream", [{}, {"stream": False}], ids=["left-out", "false"])
def test_without_stream_the_method_returns_the_model_and_sends_no_flag(
    sdk: ModuleType, call: Call, server: StreamServer, stream: dict[str, bool]
) -> None:
    story = call("create_story", prompt="p", **stream)
    assert isinstance(story, sdk.models.Story) and story.model_dump() == STORY
    assert story._request_id == "req-1"
    (request,) = server.requests
    assert json.loads(request.body) == {"prompt": "p"}
    assert request.headers["accept"] == "application/json"


def test_a_bool_variable_chooses_at_run_time(sdk: ModuleType, call: Call, server: StreamServer) -> None:
    for flag in (True, False):
        result = call("create_story", prompt="p", stream=flag)
        assert isinstance(result, list if flag else sdk.models.Story)
    assert [json.loads(r.body) for r in server.requests] == [{"prompt": "p", "stream": True}, {"prompt": "p"}]


@pytest.mark.parametrize("bad", ["yes", 1, 0, None, "true"])
def test_a_stream_value_other_than_true_or_false_fails_before_sending(
    call: Call, server: StreamServer, bad: object
) -> None:
    with pytest.raises(TypeError, match=f"^stream must be True or False, got {bad!r}$"):
        call("create_story", prompt="p", stream=bad)
    assert server.requests == []


def test_stream_on_an_operation_without_events_is_an_unexpected_keyword(call: Call, server: StreamServer) -> None:
    with pytest.raises(TypeError, match=r"unexpected keyword argument.*stream"):
        call("get_story_audio", "s1", stream=True)
    assert server.requests == []


def test_without_a_stream_property_the_accept_header_chooses(call: Call, server: StreamServer) -> None:
    events = call("get_story", "s1", stream=True)
    story = call("get_story", "s1")
    assert [e.index for e in events] == [0, 1, 2] and story.id == "s1"
    streamed, plain = server.requests
    assert (streamed.method, streamed.target, streamed.body) == ("GET", "/stories/s1", b"")
    assert streamed.headers["accept"] == "text/event-stream"
    assert plain.headers["accept"] == "application/json"


def test_an_operation_that_only_streams_always_returns_a_stream(
    sdk: ModuleType, call: Call, server: StreamServer
) -> None:
    assert "stream" not in inspect.signature(sdk.Client.watch_story).parameters
    assert "stream" not in inspect.signature(sdk.AsyncClient.watch_story).parameters
    events = call("watch_story", "s1", since=1)
    assert [e.index for e in events] == [0, 1, 2]
    (request,) = server.requests
    assert request.target == "/stories/s1/events?since=1"
    assert request.headers["accept"] == "text/event-stream"
    with pytest.raises(ValueError, match="since"):
        call("watch_story", "s1", since=-1)  # limits are checked before sending, as for any call
    assert len(server.requests) == 1


def test_a_stream_without_done_ends_with_the_response(call: Call) -> None:
    assert [e.index for e in call("watch_story", "nodone")] == [0, 1, 2]


def test_an_error_event_raises(sdk: ModuleType, call: Call) -> None:
    with pytest.raises(sdk.APIError, match="overloaded") as caught:
        call("create_story", prompt="error", stream=True)
    assert caught.value.body == {"message": "overloaded"}


def test_an_event_from_a_newer_server_is_kept_as_sent_unless_strict(sdk: ModuleType, call: Call) -> None:
    (event,) = call("watch_story", "newer")
    assert isinstance(event, sdk.models.StoryEvent)
    assert (event.type, event.index, event.model_extra) == ("story.paused", None, {"at": 1})
    with pytest.raises(sdk.APIResponseValidationError, match="does not match the schema") as caught:
        call("watch_story", "newer", client_options={"strict_response_validation": True})
    assert caught.value.body == {"type": "story.paused", "at": 1}


def test_an_error_status_raises_before_any_event(sdk: ModuleType, call: Call) -> None:
    with pytest.raises(sdk.NotFoundError, match="no such story"):
        call("create_story", prompt="missing", stream=True)


def test_arguments_are_checked_before_sending(call: Call, server: StreamServer) -> None:
    with pytest.raises(ValueError, match="prompt"):
        call("create_story", prompt="x" * 201, stream=True)
    assert server.requests == []


def test_with_raw_response_and_stream_true_parses_to_the_stream(sdk: ModuleType, server: StreamServer) -> None:
    with sdk.Client(base_url=server.url, max_retries=0) as client:
        raw = client.with_raw_response.create_story(prompt="p", stream=True)
        assert raw.status_code == 200 and raw.headers["content-type"] == "text/event-stream"
        events = raw.parse()
        assert isinstance(events, sdk.Stream) and raw.parse() is events
        assert [e.index for e in events] == [0, 1, 2]

    async def main() -> list[int]:
        async with sdk.AsyncClient(base_url=server.url, max_retries=0) as client:
            raw = await client.with_raw_response.create_story(prompt="p", stream=True)
            events = raw.parse()
            assert isinstance(events, sdk.AsyncStream)
            return [e.index async for e in events]

    assert asyncio.run(main()) == [0, 1, 2]
