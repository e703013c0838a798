"""Helpers the test modules share (not tests themselves): the project root, the feature corpus,
a raw-socket server for faults, schema instances, and a spy on a function's first arguments.

ROOT is computed here, at a fixed depth, so a test module gives the same paths from any folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def first_arguments(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[Any]:
    """`owner.name` replaced by itself noting its first argument in the list returned, call by call."""
    noted: list[Any] = []
    real = getattr(owner, name)

    def spy(first: Any, *args: Any, **kwargs: Any) -> Any:
        noted.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return noted
