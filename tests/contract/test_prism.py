"""Contract tests: the generated client against Prism 5.14.2 serving the effective spec (overlay applied).

Prism is the judge of the wire, started with `--errors`: it checks every request against the spec
(body schema → 422, content type → 415, bearer auth → 401, path → 404) and every response it serves
(a violation → 500). By default it serves the first 200 example, upstream's own chat completion
object, which is valid. The seed pages' examples are not valid for Prism (`url_citation.url` values
that are not URIs; no `refusal`): asking for them with `Prefer: example=<name>` gets Prism's 500,
asserted below; our client parses those examples from a local server in tests/live/test_client_live.py.

`node_modules/.bin/prism` comes from `package-lock.json`; `make test` installs it (`npm ci`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest

from openai_chat_sdk import (
    APIStatusError,
    AsyncClient,
    AuthenticationError,
    Client,
    InternalServerError,
    NotFoundError,
    UnprocessableEntityError,
)
from openai_chat_sdk.models import ChatCompletion
from tests.support import ROOT

pytestmark = pytest.mark.prism

PRISM = ROOT / "node_modules" / ".bin" / "prism"
STARTUP_TIMEOUT = 60.0
LISTENING = re.compile(r"Prism is listening on (http://127\.0\.0\.1:\d+)")
API_KEY = "sk-prism-contract-test"

URI_VIOLATION = 'Response body property choices.0.message.annotations.0.url_citation.url must match format "uri"'
REFUSAL_VIOLATION = "Response body property choices.0.message must have required property 'refusal'"
# What Prism says about each example response of the effective spec (all are verbatim seed copies).
KNOWN_RESPONSE_VIOLATIONS = {
    "every_field": [URI_VIOLATION],
    "placeholders": [URI_VIOLATION],
    "stored_completion": [REFUSAL_VIOLATION],
}

MAX_METADATA = {f"{i:02d}".ljust(64, "k"): "v" * 512 for i in range(16)}
TOO_MANY_KEYS = {f"key{i}": "v" for i in range(17)}
LONG_KEY = {"k" * 65: "v"}
LONG_VALUE = {"k": "v" * 513}
NOT_A_STRING = {"k": 1}
RESERVED_ID = "chat/cmpl?x=1#y z%"


# -- Prism --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prism:
    base_url: str
    log: Path
    startup_seconds: float


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the whole process group, wait, then SIGKILL whatever is left of the group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10.0)
    with contextlib.suppress(ProcessLookupError):  # the leader may be gone while a child lives on
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5.0)


def _wait_until_listening(process: subprocess.Popen[bytes], log: Path, started: float) -> str:
    """Prism prints its address once it listens (it was asked for port 0); then check it answers."""
    deadline = started + STARTUP_TIMEOUT
    base_url = None
    while time.monotonic() < deadline:
        output = log.read_text(errors="replace")
        if process.poll() is not None:
            pytest.fail(f"Prism exited with code {process.returncode} before listening:\n{output}")
        match = LISTENING.search(output)
        if match:
            base_url = match.group(1)
            try:
                httpx2.get(base_url + "/", timeout=2.0)  # any HTTP answer (Prism's 404) will do
            except httpx2.TransportError:
                pass
            else:
                return base_url
        time.sleep(0.05)
    output = log.read_text(errors="replace")
    pytest.fail(f"Prism did not answer within {STARTUP_TIMEOUT:.0f} s (address: {base_url}):\n{output}")


@pytest.fixture(scope="session")
def prism(
    project_spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[Prism]:
    if not PRISM.exists():
        pytest.fail(
            f"{PRISM.relative_to(ROOT)} is missing: run `make test` (it runs `npm ci` from package-lock.json) "
            "to install Prism 5.14.2, then run the tests again"
        )
    workdir = tmp_path_factory.mktemp("prism")
    spec_path = workdir / "openapi.json"  # Prism does not understand overlays: give it the effective spec
    spec_path.write_text(json.dumps(project_spec))
    log = workdir / "prism.log"
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(PRISM), "mock", str(spec_path), "-h", "127.0.0.1", "-p", "0", "--errors"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,  # its own process group: teardown kills node and anything it started
        )
    try:
        base_url = _wait_until_listening(process, log, started)
        startup = time.monotonic() - started
        reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            with capture.global_and_fixture_disabled():
                reporter.ensure_newline()
                if reporter._tw.width_of_current_line:  # in the middle of a line of progress dots (-q)
                    reporter.write("\n")
                reporter.write_line(f"prism: {base_url} answering after {startup:.1f} s")
        yield Prism(base_url=base_url, log=log, startup_seconds=startup)
    finally:
        _stop(process)


# -- the client, sync or async, with everything on the wire recorded ----------------------------


@dataclass
class Api:
    """`update(...)` through Client or AsyncClient; `requests`/`responses` are what went over the wire."""

    update: Callable[..., ChatCompletion]
    requests: list[httpx2.Request]
    responses: list[httpx2.Response]

    def sent_body(self) -> Any:
        (request,) = self.requests
        return json.loads(request.content)

    def violations(self) -> list[dict[str, Any]]:
        """What Prism reported about the last exchange (request and response side)."""
        return json.loads(self.responses[-1].headers.get("sl-violations", "[]"))

    def response_violations(self) -> list[str]:
        found = self.violations()
        request_side = [v for v in found if v["location"][0] != "response"]
        assert not request_side, f"Prism found our request invalid: {request_side}"
        return [v["message"] for v in found]


def make_api(mode: str, base_url: str, **options: Any) -> Api:
    requests: list[httpx2.Request] = []
    responses: list[httpx2.Response] = []
    options = {"api_key": API_KEY, "base_url": base_url, "max_retries": 0, **options}

    def sync_update(completion_id: str, **kwargs: Any) -> ChatCompletion:
        hooks = {"request": [requests.append], "response": [responses.append]}
        with httpx2.Client(event_hooks=hooks, timeout=10.0) as http, Client(http_client=http, **options) as client:
            return client.chat.completions.update(completion_id, **kwargs)

    def async_update(completion_id: str, **kwargs: Any) -> ChatCompletion:
        async def on_request(request: httpx2.Request) -> None:
            requests.append(request)

        async def on_response(response: httpx2.Response) -> None:
            responses.append(response)

        async def run() -> ChatCompletion:
            hooks = {"request": [on_request], "response": [on_response]}
            async with (
                httpx2.AsyncClient(event_hooks=hooks, timeout=10.0) as http,
                AsyncClient(http_client=http, **options) as client,
            ):
                return await client.chat.completions.update(completion_id, **kwargs)

        return asyncio.run(run())

    return Api(sync_update if mode == "sync" else async_update, requests, responses)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def api(mode: str, prism: Prism) -> Api:
    return make_api(mode, prism.base_url)


def deprecated(model: object, name: str) -> Any:
    """Read a field the spec marks deprecated (`system_fingerprint`, `function_call`)."""
    with pytest.warns(DeprecationWarning):
        return getattr(model, name)


def assert_object_example(completion: ChatCompletion) -> None:
    """The values of `chat_completion_object` (upstream's example), the one Prism serves by default."""
    assert isinstance(completion, ChatCompletion)
    assert (completion.id, completion.created, completion.model, completion.object) == (
        "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        1741570283,
        "gpt-4o-2024-08-06",
        "chat.completion",
    )
    assert completion.service_tier == "default" and deprecated(completion, "system_fingerprint") == "fp_fc9f1d7035"
    (choice,) = completion.choices
    assert (choice.finish_reason, choice.index, choice.logprobs) == ("stop", 0, None)
    message = choice.message
    assert message.role == "assistant" and message.refusal is None and message.annotations == []
    assert message.content is not None and message.content.startswith("The image shows a wooden boardwalk")
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens, completion.usage.total_tokens) == (
        1117,
        46,
        1163,
    )
    assert completion.usage.prompt_tokens_details is not None
    assert completion.usage.prompt_tokens_details.cached_tokens == 0
    assert completion.model_extra == {}


# -- valid calls: Prism accepts the request, we parse what it serves -----------------------------


@pytest.mark.parametrize(
    "metadata",
    [{}, {"foo": "string"}, MAX_METADATA, None],
    ids=["empty", "one-key", "16-keys-64-512", "null"],
)
def test_valid_request_passes_prism(api: Api, metadata: dict[str, str] | None) -> None:
    completion = api.update("chatcmpl-abc123", metadata=metadata)

    assert api.sent_body() == {"metadata": metadata}
    assert api.responses[0].status_code == 200
    assert api.response_violations() == []
    assert_object_example(completion)


def test_reserved_characters_in_the_id_stay_one_path_segment(api: Api) -> None:
    completion = api.update(RESERVED_ID, metadata={"foo": "string"})

    (request,) = api.requests
    assert request.url.raw_path == b"/chat/completions/chat%2Fcmpl%3Fx%3D1%23y%20z%25"
    assert request.url.query == b"" and request.url.fragment == ""
    assert api.responses[0].status_code == 200  # Prism routed it to updateChatCompletion
    assert api.response_violations() == []
    assert_object_example(completion)


def test_prism_misroutes_an_unencoded_id(prism: Prism) -> None:
    """Why the test above matters: the same id sent raw is not this operation for Prism."""
    response = httpx2.post(
        prism.base_url + "/chat/completions/chat/cmpl",
        json={"metadata": {}},
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=10.0,
    )
    assert response.status_code == 404
    assert response.json()["title"] == "Route not resolved, no path matched"


# -- Prism is validating: what the spec forbids, sent on purpose, is refused ---------------------


@pytest.mark.parametrize(
    ("bad_metadata", "message"),
    [
        (5, "Request body property metadata must be object"),
        (TOO_MANY_KEYS, "Request body property metadata must NOT have more than 16 properties"),
        (LONG_KEY, "Request body property metadata must NOT have more than 64 characters"),
        (LONG_VALUE, "Request body property metadata.k must NOT have more than 512 characters"),
        (NOT_A_STRING, "Request body property metadata.k must be string"),
    ],
    ids=["not-an-object", "17-keys", "65-char-key", "513-char-value", "non-string-value"],
)
def test_prism_rejects_a_body_the_spec_forbids(api: Api, bad_metadata: object, message: str) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        api.update("chatcmpl-abc123", metadata={}, extra_body={"metadata": bad_metadata})

    assert api.sent_body() == {"metadata": bad_metadata}  # extra_body went around our validation
    assert caught.value.status_code == 422
    assert isinstance(caught.value.body, dict) and caught.value.body["title"] == "Invalid request"
    assert message in [v["message"] for v in caught.value.body["validation"]]


def test_prism_rejects_a_wrong_content_type(api: Api) -> None:
    with pytest.raises(APIStatusError) as caught:
        api.update("chatcmpl-abc123", metadata={}, extra_headers={"Content-Type": "text/plain"})

    assert type(caught.value) is APIStatusError and caught.value.status_code == 415
    assert isinstance(caught.value.body, dict)
    assert caught.value.body["detail"] == "Supported content types: application/json"


@pytest.mark.parametrize("authorization", ["", "Basic c2stdGVzdDo=", "Bearer"], ids=["empty", "basic", "no-token"])
def test_prism_rejects_missing_bearer_auth(api: Api, authorization: str) -> None:
    with pytest.raises(AuthenticationError) as caught:
        api.update("chatcmpl-abc123", metadata={}, extra_headers={"Authorization": authorization})

    assert caught.value.status_code == 401
    assert api.responses[0].headers["WWW-Authenticate"] == "Bearer"
    assert isinstance(caught.value.body, dict) and caught.value.body["title"] == "Invalid security scheme used"


# -- our client refuses invalid arguments before anything is sent -------------------------------


@pytest.mark.parametrize(
    ("completion_id", "metadata", "names"),
    [
        ("chatcmpl-abc123", TOO_MANY_KEYS, "metadata"),
        ("chatcmpl-abc123", LONG_KEY, "metadata"),
        ("chatcmpl-abc123", LONG_VALUE, "metadata"),
        ("chatcmpl-abc123", NOT_A_STRING, "metadata"),
        ("", {}, "completion_id"),
        (".", {}, "completion_id"),
        ("..", {}, "completion_id"),
    ],
    ids=["17-keys", "65-char-key", "513-char-value", "non-string-value", "empty-id", "dot-id", "dotdot-id"],
)
def test_client_rejects_invalid_arguments_before_sending(
    api: Api, completion_id: str, metadata: object, names: str
) -> None:
    with pytest.raises(ValueError, match=names):
        api.update(completion_id, metadata=metadata)

    assert api.requests == []  # Prism never saw it


# -- the seed examples, asked for with `Prefer: example=<name>`: Prism refuses to serve them ------


@pytest.mark.parametrize("example", ["every_field", "placeholders", "stored_completion"])
def test_prism_refuses_seed_examples_that_break_the_schema(api: Api, example: str) -> None:
    with pytest.raises(InternalServerError) as caught:
        api.update("chatcmpl-abc123", metadata={}, extra_headers={"Prefer": f"example={example}"})

    assert caught.value.status_code == 500
    assert isinstance(caught.value.body, dict) and caught.value.body["title"] == "Request/Response not valid"
    found = [v["message"] for v in caught.value.body["validation"]]
    assert found == KNOWN_RESPONSE_VIOLATIONS[example]
    assert all(v["location"][0] == "response" for v in caught.value.body["validation"])  # our request was fine


def test_unknown_example_name_is_not_found(api: Api) -> None:
    with pytest.raises(NotFoundError) as caught:
        api.update("chatcmpl-abc123", metadata={}, extra_headers={"Prefer": "example=no_such_example"})

    assert caught.value.status_code == 404
