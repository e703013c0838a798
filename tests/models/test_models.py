"""The models hold every field, value and constraint the seed pages give."""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest

from openai_chat_sdk import models
from openai_chat_sdk.models import ChatCompletion, ChatCompletionUpdateParams


@pytest.mark.parametrize("name", ["every_field", "placeholders"])
def test_documented_examples_are_modelled_field_for_field(response_examples: dict[str, bytes], name: str) -> None:
    """Each key of the example is a declared field (nothing lands in model_extra) and dumps back equal."""
    completion = ChatCompletion.model_validate_json(response_examples[name])
    assert completion.model_dump(mode="json", exclude_unset=True) == json.loads(response_examples[name])

    def no_extra(node: Any) -> None:
        if isinstance(node, pydantic.BaseModel):
            assert not node.model_extra, (type(node).__name__, node.model_extra)
            for field in type(node).model_fields:
                no_extra(getattr(node, field))
        elif isinstance(node, list):
            for item in node:
                no_extra(item)

    with pytest.warns(DeprecationWarning):  # function_call and system_fingerprint are deprecated
        no_extra(completion)


def test_every_model_is_exported() -> None:
    classes = {n for n, v in vars(models).items() if isinstance(v, type) and v.__module__ == models.__name__}
    aliases = set(models.__all__) - classes  # the spec's own names for maps and unions
    assert classes <= set(models.__all__) and aliases == {"ChatCompletionMessageToolCalls", "Metadata"}
    assert all(type(getattr(models, name)).__name__ == "TypeAliasType" for name in aliases)
    assert {
        "ChatCompletion",
        "ChatCompletionMessage",
        "ChatCompletionMessageFunctionToolCall",
        "ChatCompletionAudio",
    } <= classes


def test_enums_hold_the_seed_values_and_compare_as_strings() -> None:
    assert [m.value for m in models.ChatCompletionChoiceFinishReason] == [
        "stop",
        "length",
        "tool_calls",
        "content_filter",
        "function_call",
    ]
    assert [m.value for m in models.ServiceTier][:5] == ["auto", "default", "flex", "scale", "priority"]  # the seeds
    assert models.ServiceTier.flex == "flex" and isinstance(models.ServiceTier.flex, str)
    assert ChatCompletion.model_fields["service_tier"].default is models.ServiceTier.auto


def test_docstrings_and_deprecations_are_generated() -> None:
    assert ChatCompletion.__doc__ is not None and "chat completion response" in ChatCompletion.__doc__
    assert ChatCompletion.model_fields["system_fingerprint"].deprecated
    # The model's fields stay forward references until it is first used (any earlier test that
    # parses a message did that); complete it here so this test passes on its own too.
    models.ChatCompletionMessage.model_rebuild()
    assert models.ChatCompletionMessage.model_fields["function_call"].deprecated


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        ({f"k{i}": "v" for i in range(17)}, "at most 16"),
        ({"k" * 65: "v"}, "at most 64"),
        ({"k": "v" * 513}, "at most 512"),
        ({"k": 1}, "valid string"),
    ],
)
def test_metadata_limits_are_enforced(metadata: dict[str, Any], reason: str) -> None:
    with pytest.raises(pydantic.ValidationError, match=reason) as caught:
        ChatCompletionUpdateParams(metadata=metadata)
    assert caught.value.errors()[0]["loc"][0] == "metadata"


def test_metadata_at_its_limits_is_accepted() -> None:
    full = {f"{i:02d}" + "k" * 62: "v" * 512 for i in range(16)}
    assert ChatCompletionUpdateParams(metadata=full).metadata == full
    assert ChatCompletionUpdateParams(metadata=None).metadata is None
