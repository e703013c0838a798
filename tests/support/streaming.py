"""The streaming corpus SDK (tests/fixtures/specs/streaming-31.yaml) and a story server for it.

`story_sdk()` imports the package generated from the spec (once per session). `story_reply` answers
its four operations as a server would, for `StreamServer`: `createStory` and `getStory` with the
story as JSON, or its sentences as server-sent events (each event split across two chunks, after a
keep-alive comment) when the body says `stream: true` or the Accept header asks for events;
`watchStory` always with events; `getStoryAudio` with bytes in chunks. The story id chooses the rest:
`held` keeps the response open after its first part (until the client leaves), `nodone` ends the
events without `[DONE]`, `error` sends an `error` event, `newer` an event the spec does not allow,
`missing` is a 404 (for `createStory`, the prompt does).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.support.corpus import Generation, session_generation
from tests.support.streamserver import Reply, Request

STEM = "streaming-31"
EVENTS = [
    {"type": "story.sentence", "index": 0, "sentence": "Once upon a time."},
    {"type": "story.sentence", "index": 1, "sentence": "The end."},
    {"type": "story.done", "index": 2},
]
STORY = {"id": "s1", "text": "Once upon a time. The end."}
AUDIO = [b"ID3\x04", bytes(range(256)) * 40, b"\xff\xfb" * 500]  # three chunks of an mp3, more or less
HOLD = 10.0  # seconds a held response stays open at most (the tests leave long before)


def story_generation(base: Path) -> Generation:
    return session_generation(STEM, base)


def story_sdk(base: Path) -> ModuleType:
    """The package, importable from now on (its directory stays on sys.path for the session)."""
    generation = story_generation(base)
    assert generation.ok, generation.stderr
    if str(generation.out) not in sys.path:
        sys.path.insert(0, str(generation.out))
    return importlib.import_module(generation.package)


def event_chunks(events: list[dict[str, Any]], *, done: bool = True) -> list[bytes]:
    chunks = [b": keep-alive\n\n"]
    for event in events:
        text = json.dumps(event)
        chunks += [f"data: {text[:10]}".encode(), f"{text[10:]}\n\n".encode()]  # an event across two chunks
    return chunks + ([b"data: [DONE]\n\n"] if done else [])


def story_reply(request: Request) -> Reply:
    path, _, _ = request.target.partition("?")
    parts = path.strip("/").split("/")
    body = json.loads(request.body or b"{}")
    story = parts[1] if len(parts) > 1 else body.get("prompt", "")  # createStory: the prompt decides
    if story == "missing":
        return Reply(404, json.dumps({"error": {"message": "no such story"}}).encode())
    if path.endswith("/audio"):
        return Reply(content_type="audio/mpeg", chunks=AUDIO[:1] if story == "held" else AUDIO,
                     hold=HOLD if story == "held" else 0.0)  # fmt: skip
    asked = body.get("stream") is True
    if path.endswith("/events") or asked or "text/event-stream" in request.headers.get("accept", ""):
        if story == "error":
            return Reply(
                content_type="text/event-stream", chunks=[b'event: error\ndata: {"message": "overloaded"}\n\n']
            )
        if story == "newer":  # an event type this SDK does not know, without the index it requires
            return Reply(content_type="text/event-stream", chunks=event_chunks([{"type": "story.paused", "at": 1}]))
        if story == "held":
            return Reply(content_type="text/event-stream", chunks=event_chunks(EVENTS[:1], done=False), hold=HOLD)
        return Reply(content_type="text/event-stream", chunks=event_chunks(EVENTS, done=story != "nodone"))
    return Reply(body=json.dumps(STORY).encode(), headers={"x-request-id": "req-1"})
