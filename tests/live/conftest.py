"""The streaming SDK and its server, shared by the streaming tests.

The generated package is imported once under one name, so one generation serves the session.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.support.streaming import story_reply, story_sdk
from tests.support.streamserver import StreamServer


@pytest.fixture(scope="session")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return story_sdk(tmp_path_factory.mktemp("streaming"))


@pytest.fixture
def server() -> Iterator[StreamServer]:
    with StreamServer(story_reply) as running:
        yield running
    assert not running.errors
