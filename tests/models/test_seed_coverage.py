"""openapi/overlay.yaml keeps every fact the four seed API-reference pages state about updateChatCompletion.

The seeds are read from tests/fixtures/seeds/ (byte copies of ../shared/seeds/, so a clone is self-contained):
000 = Ruby SDK page, 001 = curl page, 002 = Mintlify REST page, 003 = Node SDK page.
Expected values are parsed out of the seed texts where practical, so the test checks the overlay against
the seeds rather than against a second hand-made copy. Choices are explained in openapi/NOTES.md.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from codegen.load import load_document
from codegen.overlay import apply_overlay
from tests.support import ROOT

Schema = dict[str, Any]

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
RUBY = "000_f210c893eeb79630.txt"
CURL = "001_3355471123dc660e.txt"
MINTLIFY = "002_02f9f49321122ee7.txt"
NODE = "003_c65e5e2c11c2a159.txt"
PATH = "/chat/completions/{completion_id}"
RESPONSE_ROOT: Schema = {"$ref": "#/components/schemas/CreateChatCompletionResponse"}


# --- Reading the seeds ---------------------------------------------------------------------------------------


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _decode_at(text: str, start: int) -> Any:
    return json.JSONDecoder().raw_decode(text, start)[0]


def returns_example(name: str) -> Any:
    """The JSON shown under "Returns Examples" (SDK pages 000 and 003)."""
    text = seed_text(name)
    start = text.index("Returns Examples") + len("Returns Examples")
    return _decode_at(text, text.index("{", start))


def first_json_block(name: str) -> Any:
    """The first JSON object that starts on a line of its own (the response example of pages 001 and 002)."""
    text = seed_text(name)
    match = re.search(r"^\{$", text, re.MULTILINE)
    assert match, f"{name}: no JSON block"
    return _decode_at(text, match.start())


def curl_body(name: str) -> Any:
    """The body a curl example sends with --data '...'."""
    match = re.search(r"--data '(.*?)'", seed_text(name), re.DOTALL)
    assert match, f"{name}: no curl --data"
    return json.loads(match.group(1))


def sdk_call_body(name: str) -> Any:
    """The body of a Ruby/Node call such as `metadata: {foo: "string"}` or `metadata: { foo: 'string' }`."""
    match = re.search(r"metadata: \{\s*(\w+): [\"'](\w+)[\"']\s*\}", seed_text(name))
    assert match, f"{name}: no SDK call with metadata"
    return {"metadata": {match.group(1): match.group(2)}}


def words(text: str) -> str:
    """Prose with markdown code marks and page line breaks taken out, for comparing wording."""
    return re.sub(r"\s+([,.])", r"\1", " ".join(text.replace("`", "").split()))


def canonical(value: Any) -> str:
    """Key order and int/float kept: equal strings mean byte-equal JSON."""
    return json.dumps(value, ensure_ascii=False)


# --- Reading the spec ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def upstream() -> dict[str, Any]:
    return load_document(ROOT / "openapi" / "openapi.yaml").data


@pytest.fixture(scope="module")
def spec(upstream: dict[str, Any]) -> dict[str, Any]:
    return apply_overlay(upstream, load_document(ROOT / "openapi" / "overlay.yaml"))


def pointer(document: Any, ref: str) -> Any:
    """Follow a local JSON pointer such as `#/components/schemas/Metadata`."""
    node = document
    for token in ref.removeprefix("#/").split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def branches(spec: dict[str, Any], schema: Schema) -> Iterator[Schema]:
    """The schema and, through `$ref`, `anyOf`, `oneOf` and `allOf`, every schema it can stand for."""
    while "$ref" in schema:
        schema = pointer(spec, schema["$ref"])
    yield schema
    for keyword in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(keyword, []):
            yield from branches(spec, sub)


def children(spec: dict[str, Any], schemas: list[Schema], segment: str) -> list[Schema]:
    """Schemas of property `segment` (or of the array items when `segment` is `[]`)."""
    found: list[Schema] = []
    for schema in schemas:
        for branch in branches(spec, schema):
            if segment == "[]":
                if "items" in branch:
                    found.append(branch["items"])
            elif segment in branch.get("properties", {}):
                found.append(branch["properties"][segment])
    return found


def at(spec: dict[str, Any], path: str, root: Schema = RESPONSE_ROOT) -> list[Schema]:
    """Schemas at a dotted path such as `choices[].message.role`; fails if any step is missing."""
    schemas = [root]
    for part in path.split("."):
        name, _, rest = part.partition("[]")
        steps = [name, "[]"] if _ else [name]
        assert not rest, f"bad path {path}"
        for step in steps:
            schemas = children(spec, schemas, step)
            assert schemas, f"{path}: no {step!r} in the resolved response schema"
    return schemas


def all_branches(spec: dict[str, Any], schemas: list[Schema]) -> list[Schema]:
    return [branch for schema in schemas for branch in branches(spec, schema)]


def unknown_keys(spec: dict[str, Any], schemas: list[Schema], value: Any, path: str = "") -> list[str]:
    """Keys of an example that are no property at that place in the schema."""
    unknown: list[str] = []
    if isinstance(value, dict):
        if any(isinstance(b.get("additionalProperties"), dict) for b in all_branches(spec, schemas)):
            return unknown  # a map (like `metadata`): any key is allowed
        for key, item in value.items():
            found = children(spec, schemas, key)
            if found:
                unknown += unknown_keys(spec, found, item, f"{path}{key}.")
            else:
                unknown.append(f"{path}{key}")
    elif isinstance(value, list):
        found = children(spec, schemas, "[]")
        for item in value:
            unknown += unknown_keys(spec, found, item, f"{path.removesuffix('.')}[].")
    return unknown


def validator(spec: dict[str, Any], schema: Schema) -> Draft202012Validator:
    """A Draft 2020-12 validator; `#/components/...` refs resolve because the components sit in the root."""
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": spec["components"], **schema}
    return Draft202012Validator(root)


def operation(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"][PATH]["post"]
    return result


def response_examples(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = operation(spec)["responses"]["200"]["content"]["application/json"]["examples"]
    return result


def request_examples(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = operation(spec)["requestBody"]["content"]["application/json"]["examples"]
    return result


def request_schema(spec: dict[str, Any]) -> Schema:
    result: Schema = operation(spec)["requestBody"]["content"]["application/json"]["schema"]
    return result


# --- The seed fixtures ---------------------------------------------------------------------------------------


def test_fixture_seeds_are_the_four_pages() -> None:
    assert sorted(path.name for path in SEEDS.glob("*.txt")) == [RUBY, CURL, MINTLIFY, NODE]


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not next to this clone")
@pytest.mark.parametrize("name", [RUBY, CURL, MINTLIFY, NODE])
def test_fixture_seed_is_a_byte_copy_of_the_shared_seed(name: str) -> None:
    assert (SEEDS / name).read_bytes() == (SHARED_SEEDS / name).read_bytes()


# --- Response fields and enums (seed 000 lists them all) ----------------------------------------------------

_TOKEN_FIELDS = ["token", "bytes", "logprob"]
_LOGPROB_FIELDS = [
    f"choices[].logprobs.{kind}{suffix}"
    for kind in ("content", "refusal")
    for suffix in [
        "",
        *(f"[].{field}" for field in _TOKEN_FIELDS),
        "[].top_logprobs",
        *(f"[].top_logprobs[].{field}" for field in _TOKEN_FIELDS),
    ]
]
_MESSAGE = "choices[].message"
RESPONSE_FIELDS = [
    "id",
    "choices",
    "choices[].finish_reason",
    "choices[].index",
    "choices[].logprobs",
    *_LOGPROB_FIELDS,
    _MESSAGE,
    *(
        f"{_MESSAGE}.{field}"
        for field in [
            "content",
            "refusal",
            "role",
            "annotations",
            "annotations[].type",
            "annotations[].url_citation",
            "annotations[].url_citation.end_index",
            "annotations[].url_citation.start_index",
            "annotations[].url_citation.title",
            "annotations[].url_citation.url",
            "audio",
            "audio.id",
            "audio.data",
            "audio.expires_at",
            "audio.transcript",
            "function_call",
            "function_call.arguments",
            "function_call.name",
            "tool_calls",
            "tool_calls[].id",
            "tool_calls[].type",
            "tool_calls[].function",
            "tool_calls[].function.arguments",
            "tool_calls[].function.name",
            "tool_calls[].custom",
            "tool_calls[].custom.input",
            "tool_calls[].custom.name",
        ]
    ),
    "created",
    "model",
    "object",
    "service_tier",
    "system_fingerprint",
    "usage",
    "usage.completion_tokens",
    "usage.prompt_tokens",
    "usage.total_tokens",
    "usage.completion_tokens_details",
    "usage.completion_tokens_details.accepted_prediction_tokens",
    "usage.completion_tokens_details.audio_tokens",
    "usage.completion_tokens_details.reasoning_tokens",
    "usage.completion_tokens_details.rejected_prediction_tokens",
    "usage.prompt_tokens_details",
    "usage.prompt_tokens_details.audio_tokens",
    "usage.prompt_tokens_details.cached_tokens",
]

SEED_ENUMS: dict[str, set[str]] = {
    "choices[].finish_reason": {"stop", "length", "tool_calls", "content_filter", "function_call"},
    "service_tier": {"auto", "default", "flex", "scale", "priority"},
    f"{_MESSAGE}.role": {"assistant"},
    "object": {"chat.completion"},
    f"{_MESSAGE}.annotations[].type": {"url_citation"},
    f"{_MESSAGE}.tool_calls[].type": {"function", "custom"},
}


@pytest.mark.parametrize("path", RESPONSE_FIELDS)
def test_seed_response_field_is_listed_on_the_ruby_page(path: str) -> None:
    # The page's field tree labels every field but `tool_calls` (its heading lost the name); the example has it.
    leaf = path.rsplit(".", 1)[-1].removesuffix("[]")
    ruby = seed_text(RUBY)
    assert re.search(rf"^(Deprecated)?{re.escape(leaf)}: ", ruby, re.MULTILINE) or f'"{leaf}":' in ruby


@pytest.mark.parametrize("path", RESPONSE_FIELDS)
def test_seed_response_field_is_a_schema_property(spec: dict[str, Any], path: str) -> None:
    assert at(spec, path)


@pytest.mark.parametrize("name", [RUBY, CURL])
def test_every_key_of_a_seed_example_is_a_schema_property(spec: dict[str, Any], name: str) -> None:
    example = returns_example(name) if name == RUBY else first_json_block(name)
    assert unknown_keys(spec, [RESPONSE_ROOT], example) == []


def test_node_example_extra_keys_are_exactly_the_undocumented_ones(spec: dict[str, Any]) -> None:
    # Not declared in the schema on purpose: the generated models keep unknown fields (NOTES.md).
    # (`metadata` was one of them until upstream declared it on 2026-08-21.)
    extras = {
        "request_id", "tool_choice", "seed", "top_p", "temperature", "presence_penalty",
        "frequency_penalty", "input_user", "tools", "response_format",
    }  # fmt: skip
    assert set(unknown_keys(spec, [RESPONSE_ROOT], returns_example(NODE))) == extras


@pytest.mark.parametrize(("path", "values"), sorted(SEED_ENUMS.items()))
def test_seed_enum_values_are_in_the_spec(spec: dict[str, Any], path: str, values: set[str]) -> None:
    ruby = seed_text(RUBY)
    assert all(f":{value}" in ruby or f':"{value}"' in ruby for value in values)
    in_spec = {value for branch in all_branches(spec, at(spec, path)) for value in branch.get("enum", [])}
    assert values <= in_spec


@pytest.mark.parametrize("path", [f"{_MESSAGE}.function_call", "system_fingerprint"])
def test_deprecated_flags(spec: dict[str, Any], path: str) -> None:
    leaf = path.rsplit(".", 1)[-1]
    assert f"Deprecated{leaf}: " in seed_text(RUBY)
    assert any(schema.get("deprecated") is True for schema in at(spec, path))


# --- Names, wording and constraints --------------------------------------------------------------------------

CODEGEN_NAMES = [
    ("#/components/schemas/CreateChatCompletionResponse", "ChatCompletion", RUBY),
    ("#/components/schemas/ChatCompletionResponseMessage", "ChatCompletionMessage", RUBY),
    ("#/components/schemas/ChatCompletionMessageToolCall", "ChatCompletionMessageFunctionToolCall", RUBY),
    ("#/components/schemas/ChatCompletionResponseMessage/properties/audio/anyOf/0", "ChatCompletionAudio", RUBY),
    (
        "#/paths/~1chat~1completions~1{completion_id}/post/requestBody/content/application~1json/schema",
        "ChatCompletionUpdateParams",
        NODE,
    ),
]


@pytest.mark.parametrize(("ref", "name", "seed"), CODEGEN_NAMES)
def test_seed_class_name_is_an_x_codegen_name(spec: dict[str, Any], ref: str, name: str, seed: str) -> None:
    assert re.search(rf"\b{name}\b", seed_text(seed))
    assert pointer(spec, ref)["x-codegen-name"] == name


@pytest.mark.parametrize(
    "name", ["CompletionUsage", "ChatCompletionTokenLogprob", "ChatCompletionMessageCustomToolCall", "Metadata"]
)
def test_seed_class_names_upstream_already_uses_need_no_extension(spec: dict[str, Any], name: str) -> None:
    assert re.search(rf"\b{name}\b", seed_text(RUBY))
    assert "x-codegen-name" not in spec["components"]["schemas"][name]


def test_metadata_limits_are_constraints(spec: dict[str, Any]) -> None:
    ruby = words(seed_text(RUBY))
    assert "Set of 16 key-value pairs" in ruby
    assert "Keys are strings with a maximum length of 64 characters" in ruby
    assert "Values are strings with a maximum length of 512 characters" in ruby
    mapping = spec["components"]["schemas"]["Metadata"]["anyOf"][0]
    assert mapping["maxProperties"] == 16
    assert mapping["propertyNames"] == {"maxLength": 64}
    assert mapping["additionalProperties"] == {"type": "string", "maxLength": 512}


@pytest.mark.parametrize(
    ("metadata", "valid"),
    [
        (None, True),
        ({f"k{i}": "v" for i in range(16)}, True),
        ({f"k{i}": "v" for i in range(17)}, False),
        ({"k" * 64: "v" * 512}, True),
        ({"k" * 65: "v"}, False),
        ({"k": "v" * 513}, False),
        ({"k": 1}, False),
    ],
)
def test_request_body_enforces_metadata_limits(spec: dict[str, Any], metadata: Any, valid: bool) -> None:
    assert validator(spec, request_schema(spec)).is_valid({"metadata": metadata}) is valid


def test_created_is_non_negative_and_keeps_unixtime(spec: dict[str, Any]) -> None:
    assert "Required range: x >= 0" in seed_text(MINTLIFY)
    (created,) = at(spec, "created")
    assert created["minimum"] == 0
    assert created["format"] == "unixtime"
    example = returns_example(RUBY)
    assert validator(spec, RESPONSE_ROOT).is_valid(example)
    assert not validator(spec, RESPONSE_ROOT).is_valid({**example, "created": -1})


@pytest.mark.parametrize(
    ("keys", "seed", "evidence"),
    [
        (("choices", 0, "message", "tool_calls"), NODE, '"tool_calls": null'),
        (("choices", 0, "message", "function_call"), NODE, '"function_call": null'),
        (("system_fingerprint",), MINTLIFY, "system_fingerprint\nstring | null"),
    ],
)
def test_null_the_seeds_show_is_accepted(
    spec: dict[str, Any], upstream: dict[str, Any], keys: tuple[str | int, ...], seed: str, evidence: str
) -> None:
    assert evidence in seed_text(seed)
    example = copy.deepcopy(returns_example(RUBY))
    node = example
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = None
    assert validator(spec, RESPONSE_ROOT).is_valid(example)
    assert not validator(upstream, RESPONSE_ROOT).is_valid(example)


def test_operation_title_and_description(spec: dict[str, Any], upstream: dict[str, Any]) -> None:
    op = operation(spec)
    assert op["summary"] == "Update chat completion"
    for seed in (RUBY, NODE):
        assert "\nUpdate chat completion\n" in seed_text(seed)
    assert op["description"] == operation(upstream)["summary"]
    for seed in (RUBY, CURL, NODE):
        assert words(op["description"]) in words(seed_text(seed))


def test_security_scheme_description(spec: dict[str, Any]) -> None:
    description = spec["components"]["securitySchemes"]["ApiKeyAuth"]["description"]
    assert words(description) in words(seed_text(CURL))


# --- Examples ------------------------------------------------------------------------------------------------


def test_request_examples_are_the_seed_bodies(spec: dict[str, Any]) -> None:
    bodies = [canonical(example["value"]) for example in request_examples(spec).values()]
    assert sdk_call_body(RUBY) == sdk_call_body(NODE)
    assert bodies == [canonical(curl_body(CURL)), canonical(sdk_call_body(RUBY))]
    for example in request_examples(spec).values():
        assert validator(spec, request_schema(spec)).is_valid(example["value"])


def test_mintlify_request_body_is_left_out_because_metadata_is_required(spec: dict[str, Any]) -> None:
    body = curl_body(MINTLIFY)
    assert body == {}
    assert canonical(body) not in {canonical(example["value"]) for example in request_examples(spec).values()}
    assert not validator(spec, request_schema(spec)).is_valid(body)


def test_response_examples_are_the_seed_examples_in_order(spec: dict[str, Any]) -> None:
    names = list(response_examples(spec))
    assert names[0] == "chat_completion_object"  # upstream's own example first: the one Prism serves
    examples = list(response_examples(spec).values())[1:]
    seeds = [(RUBY, returns_example(RUBY)), (CURL, first_json_block(CURL)), (NODE, returns_example(NODE))]
    assert len(examples) == len(seeds)
    for example, (seed, value) in zip(examples, seeds, strict=True):
        assert canonical(example["value"]) == canonical(value), seed
        assert f"seed {seed[:3]}" in example["summary"]


def test_node_example_keeps_the_int64_seed_exact(spec: dict[str, Any]) -> None:
    seed = response_examples(spec)["stored_completion"]["value"]["seed"]
    assert type(seed) is int
    assert seed == 4944116822809979520 == returns_example(NODE)["seed"]


@pytest.mark.parametrize("name", ["every_field", "placeholders"])
def test_response_example_validates(spec: dict[str, Any], name: str) -> None:
    errors = [
        error.message for error in validator(spec, RESPONSE_ROOT).iter_errors(response_examples(spec)[name]["value"])
    ]
    assert errors == []


def test_node_example_fails_only_for_the_missing_refusal(spec: dict[str, Any]) -> None:
    errors = list(validator(spec, RESPONSE_ROOT).iter_errors(response_examples(spec)["stored_completion"]["value"]))
    assert [(error.validator, list(error.absolute_path), error.message) for error in errors] == [
        ("required", ["choices", 0, "message"], "'refusal' is a required property")
    ]


def test_mintlify_example_is_left_out_because_it_is_not_a_valid_instance(spec: dict[str, Any]) -> None:
    example = first_json_block(MINTLIFY)
    assert canonical(example) not in {canonical(item["value"]) for item in response_examples(spec).values()}
    errors = list(validator(spec, RESPONSE_ROOT).iter_errors(example))
    assert any(error.instance == "<unknown>" for error in errors)


def test_first_response_example_is_upstreams_chat_completion_object(spec: dict[str, Any]) -> None:
    first = next(iter(response_examples(spec).values()))["value"]
    upstream_example = spec["components"]["schemas"]["CreateChatCompletionResponse"]["x-oaiMeta"]["example"]
    assert canonical(first) == canonical(json.loads(upstream_example))
    assert list(validator(spec, RESPONSE_ROOT).iter_errors(first)) == []
