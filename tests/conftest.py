"""Shared fixtures: the project spec with its overlay applied, and its seed examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codegen.load import load_document
from codegen.overlay import apply_overlay

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "openapi.yaml"
OVERLAY = ROOT / "openapi" / "overlay.yaml"
OPERATION_PATH = "/chat/completions/{completion_id}"


@pytest.fixture(scope="session")
def project_spec() -> dict[str, Any]:
    return apply_overlay(load_document(SPEC).data, load_document(OVERLAY))


def _media(spec: dict[str, Any], *keys: str) -> dict[str, Any]:
    node: Any = spec["paths"][OPERATION_PATH]["post"]
    for key in keys:
        node = node[key]
    return dict(node["content"]["application/json"]["examples"])


@pytest.fixture(scope="session")
def response_examples(project_spec: dict[str, Any]) -> dict[str, bytes]:
    """The seed response examples as the bytes a server would send."""
    examples = _media(project_spec, "responses", "200")
    return {name: json.dumps(example["value"]).encode() for name, example in examples.items()}


@pytest.fixture(scope="session")
def request_examples(project_spec: dict[str, Any]) -> dict[str, Any]:
    return {name: example["value"] for name, example in _media(project_spec, "requestBody").items()}
