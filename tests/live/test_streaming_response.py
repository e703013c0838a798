"""`with_streaming_response`: the HTTP response as a context manager, its body read only when asked.

The streaming corpus SDK (tests/support/streaming.py) against a loopback story server, sync and
async; and the project SDK, whose one operation gains `with_streaming_response` too.
"""

from __future__ import annotations

import asyncio
import json
from types import ModuleType

import pytest

from openai_chat_sdk import AsyncClient as ChatAsyncClient
from openai_chat_sdk import Client as ChatClient
from openai_chat_sdk.models import ChatCompletion
from tests.support.streaming import AUDIO, EVENTS, STORY
from tests.support.streamserver import Reply, Request, StreamServer


def options(server: StreamServer) -> dict[str, object]:
    return {"base_url": server.url, "max_retries": 0, "timeout": 5.0}


# -- sync ---------------------------------------------------------------------------------------


def test_the_head_is_there_before_the_body_which_streams_as_it_arrives(sdk: ModuleType, server: StreamServer) -> None:
    """The server sends the head and a first chunk, then holds the rest back: the block is entered,
    the head read and the first chunk iterated while the response is still unfinished; leaving the
    block gives the connection up (the server sees it closed)."""
    with sdk.Client(**options(server)) as client:
        with client.with_streaming_response.get_story_audio("held") as response:
            assert response.status_code == 200 and response.headers["content-type"] == "audio/mpeg"
            assert not response.is_closed
            chunks = response.iter_bytes()
            assert next(chunks) == AUDIO[0]
            assert server.open_connections == 1 and not response.is_closed
        assert response.is_closed
        assert server.wait_until_open_at_most(0) == 0


def test_nothing_is_sent_until_the_block_is_entered(sdk: ModuleType, server: StreamServer) -> None:
    with sdk.Client(**options(server)) as client:
        manager = client.with_streaming_response.get_story_audio("s1")
        assert server.requests == []
        with manager as response:
            assert b"".join(response.iter_bytes()) == b"".join(AUDIO)
        assert [r.target for r in server.requests] == ["/stories/s1/audio"]


def test_read_parse_text_and_json(sdk: ModuleType, server: StreamServer) -> None:
    with sdk.Client(**options(server)) as client:
        with client.with_streaming_response.create_story(prompt="p") as response:
            story = response.parse()
            assert isinstance(story, sdk.models.Story) and story.model_dump() == STORY
            assert response.parse() is story and response.request_id == "req-1"
            assert response.read() == json.dumps(STORY).encode() and response.json() == STORY
            assert response.text() == json.dumps(STORY)
        with client.with_streaming_response.get_story_audio("s1") as audio:
            assert audio.parse() == b"".join(AUDIO)
    assert json.loads(server.requests[0].body) == {"prompt": "p"}


def test_iter_lines_and_parse_of_a_stream(sdk: ModuleType, server: StreamServer) -> None:
    with sdk.Client(**options(server)) as client:
        with client.with_streaming_response.create_story(prompt="p", stream=True) as response:
            assert response.headers["content-type"] == "text/event-stream"
            events = response.parse()
            assert isinstance(events, sdk.Stream)
            assert [e.model_dump(exclude_none=True) for e in events] == EVENTS
        with client.with_streaming_response.watch_story("s1") as response:
            lines = [line for line in response.iter_lines() if line.startswith("data: {")]
            assert [json.loads(line.removeprefix("data: ")) for line in lines] == EVENTS


def test_a_body_read_to_the_end_gives_its_connection_back_for_the_next_call(
    sdk: ModuleType, server: StreamServer
) -> None:
    with sdk.Client(**options(server)) as client:
        for _ in range(3):
            with client.with_streaming_response.get_story_audio("s1") as response:
                assert response.read() == b"".join(AUDIO)
        assert client.create_story(prompt="p").id == "s1"
    assert server.accepted == 1  # one keep-alive connection served all four


def test_an_error_status_raises_on_entering(sdk: ModuleType, server: StreamServer) -> None:
    with (
        sdk.Client(**options(server)) as client,
        pytest.raises(sdk.NotFoundError, match="no such story"),
        client.with_streaming_response.get_story_audio("missing"),
    ):
        pytest.fail("entered the block of an error response")
    assert len(server.requests) == 1


# -- async --------------------------------------------------------------------------------------


def test_async_head_first_then_the_body_as_it_arrives(sdk: ModuleType, server: StreamServer) -> None:
    async def main() -> None:
        async with sdk.AsyncClient(**options(server)) as client:
            async with client.with_streaming_response.get_story_audio("held") as response:
                assert response.status_code == 200 and not response.is_closed
                async for chunk in response.aiter_bytes():
                    assert chunk == AUDIO[0]
                    break
            assert response.is_closed

    asyncio.run(main())
    assert server.wait_until_open_at_most(0) == 0


def test_async_read_parse_lines_and_events(sdk: ModuleType, server: StreamServer) -> None:
    async def main() -> None:
        async with sdk.AsyncClient(**options(server)) as client:
            manager = client.with_streaming_response.create_story(prompt="p")
            assert server.requests == []
            async with manager as response:
                story = await response.parse()
                assert isinstance(story, sdk.models.Story) and story.model_dump() == STORY
                assert await response.json() == STORY and await response.text() == json.dumps(STORY)
            async with client.with_streaming_response.get_story_audio("s1") as audio:
                assert b"".join([chunk async for chunk in audio.aiter_bytes()]) == b"".join(AUDIO)
            async with client.with_streaming_response.watch_story("s1") as response:
                lines = [line async for line in response.aiter_lines() if line.startswith("data: {")]
                assert [json.loads(line.removeprefix("data: ")) for line in lines] == EVENTS
            async with client.with_streaming_response.create_story(prompt="p", stream=True) as response:
                events = await response.parse()
                assert isinstance(events, sdk.AsyncStream)
                assert [e.index async for e in events] == [0, 1, 2]
            with pytest.raises(sdk.NotFoundError):
                async with client.with_streaming_response.get_story_audio("missing"):
                    pytest.fail("entered the block of an error response")

    asyncio.run(main())


# -- the project SDK ----------------------------------------------------------------------------


def test_the_project_sdk_has_a_streaming_response_too(response_examples: dict[str, bytes]) -> None:
    body = next(iter(response_examples.values()))

    def reply(request: Request) -> Reply:
        return Reply(body=body, headers={"x-request-id": "req-9"})

    with StreamServer(reply) as server:
        client = ChatClient(api_key="sk-test", base_url=server.url, max_retries=0)
        with client, client.chat.completions.with_streaming_response.update("c1", metadata={"a": "b"}) as response:
            assert response.status_code == 200 and response.request_id == "req-9"
            completion = response.parse()
            assert isinstance(completion, ChatCompletion) and completion._request_id == "req-9"

        async def main() -> ChatCompletion:
            aclient = ChatAsyncClient(api_key="sk-test", base_url=server.url, max_retries=0)
            async with aclient, aclient.chat.completions.with_streaming_response.update("c1", metadata={}) as response:
                return await response.parse()

        assert asyncio.run(main()) == completion
        assert [r.target for r in server.requests] == ["/chat/completions/c1"] * 2
        assert json.loads(server.requests[0].body) == {"metadata": {"a": "b"}}
        assert not server.errors
