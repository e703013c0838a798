"""User code of a streaming SDK type-checks under `mypy --strict`, as the overloads promise.

A small program calls the client generated from tests/fixtures/specs/streaming-31.yaml and pins every
type with `assert_type`: `stream` left out or `Literal[False]` gives the model, `Literal[True]` a
`Stream` (`AsyncStream`) of events, a plain `bool` their union; the stream-only operation, raw and
streaming responses and what they parse to. A second program makes the mistakes the overloads must
catch, and mypy has to report each of them, on its line.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.streaming import story_generation

USAGE = """
from typing import assert_type

from streaming_31 import (
    AsyncClient,
    AsyncStream,
    AsyncStreamedResponse,
    Client,
    RawResponse,
    Stream,
    StreamedResponse,
)
from streaming_31.models import Story, StoryEvent


def sync_usage(client: Client, flag: bool) -> None:
    assert_type(client.create_story(prompt="p"), Story)
    assert_type(client.create_story(prompt="p", stream=False), Story)
    assert_type(client.create_story(prompt="p", stream=True), Stream[StoryEvent])
    assert_type(client.create_story(prompt="p", stream=flag), Story | Stream[StoryEvent])
    assert_type(client.get_story("s1", stream=True), Stream[StoryEvent])
    assert_type(client.watch_story("s1", since=2), Stream[StoryEvent])
    assert_type(client.get_story_audio("s1"), bytes)
    with client.create_story(prompt="p", stream=True) as events:
        for event in events:
            assert_type(event, StoryEvent)
    assert_type(client.with_raw_response.create_story(prompt="p"), RawResponse[Story])
    assert_type(client.with_raw_response.create_story(prompt="p", stream=True).parse(), Stream[StoryEvent])
    with client.with_streaming_response.create_story(prompt="p") as response:
        assert_type(response, StreamedResponse[Story])
        assert_type(response.parse(), Story)
        assert_type(response.status_code, int)
        for line in response.iter_lines():
            assert_type(line, str)
    with client.with_streaming_response.create_story(prompt="p", stream=True) as streamed:
        assert_type(streamed.parse(), Stream[StoryEvent])
    with client.with_streaming_response.get_story_audio("s1") as audio:
        for chunk in audio.iter_bytes():
            assert_type(chunk, bytes)
        assert_type(audio.parse(), bytes)


async def async_usage(client: AsyncClient, flag: bool) -> None:
    assert_type(await client.create_story(prompt="p"), Story)
    assert_type(await client.create_story(prompt="p", stream=False), Story)
    assert_type(await client.create_story(prompt="p", stream=True), AsyncStream[StoryEvent])
    assert_type(await client.create_story(prompt="p", stream=flag), Story | AsyncStream[StoryEvent])
    assert_type(await client.watch_story("s1"), AsyncStream[StoryEvent])
    async with await client.create_story(prompt="p", stream=True) as events:
        async for event in events:
            assert_type(event, StoryEvent)
    raw = await client.with_raw_response.create_story(prompt="p", stream=True)
    assert_type(raw.parse(), AsyncStream[StoryEvent])
    async with client.with_streaming_response.create_story(prompt="p") as response:
        assert_type(response, AsyncStreamedResponse[Story])
        assert_type(await response.parse(), Story)
        async for chunk in response.aiter_bytes():
            assert_type(chunk, bytes)
    async with client.with_streaming_response.create_story(prompt="p", stream=flag) as either:
        assert_type(await either.parse(), Story | AsyncStream[StoryEvent])
"""

MISTAKES = {  # a line each, and the words mypy's complaint must contain
    'client.create_story(prompt="p", stream="yes")': "No overload variant",
    'story: Story = client.create_story(prompt="p", stream=True)': "Incompatible types in assignment",
    'events: Stream[StoryEvent] = client.create_story(prompt="p", stream=flag)': "Incompatible types in assignment",
    'client.get_story_audio("s1", stream=True)': "Unexpected keyword argument",
    'client.watch_story("s1", stream=True)': "Unexpected keyword argument",
    'story = client.create_story(prompt="p"); story.index': 'has no attribute "index"',
}


def mistakes_program() -> str:
    body = "\n".join(f"    {line}" for line in MISTAKES)
    return (
        "from streaming_31 import Client, Stream\n"
        "from streaming_31.models import Story, StoryEvent\n\n\n"
        f"def mistakes(client: Client, flag: bool) -> None:\n{body}\n"
    )


def mypy(program: Path, sdk: Path) -> subprocess.CompletedProcess[str]:
    cache = ROOT / ".mypy_cache" / "stream-typing"  # kept between runs: mypy is ~4x faster warm
    command = [
        sys.executable, "-m", "mypy", "--strict", "--config-file=", "--python-version=3.11",
        f"--cache-dir={cache}", "--no-error-summary", "--show-error-codes", str(program),
    ]  # fmt: skip
    env = {"MYPYPATH": str(sdk), "PATH": ""}
    return subprocess.run(command, cwd=program.parent, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    generation = story_generation(tmp_path_factory.mktemp("typing"))
    assert generation.ok, generation.stderr
    return generation.out


def test_user_code_type_checks_with_the_types_of_each_overload(sdk: Path, tmp_path: Path) -> None:
    program = tmp_path / "usage.py"
    program.write_text(textwrap.dedent(USAGE))
    result = mypy(program, sdk)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_reports_each_mistake_on_its_line(sdk: Path, tmp_path: Path) -> None:
    program = tmp_path / "mistakes.py"
    program.write_text(mistakes_program())
    result = mypy(program, sdk)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    first = program.read_text().splitlines().index(f"    {next(iter(MISTAKES))}") + 1
    for number, (line, words) in enumerate(MISTAKES.items(), start=first):
        found = [e for e in errors if e.startswith(f"mistakes.py:{number}:")]
        assert found and any(words in e for e in found), (line, errors)
    assert all(int(e.split(":")[1]) >= first for e in errors), errors
