"""Client runtime: options, environment, raw responses, forward compatibility, logging, async parity.

Real loopback servers (pytest-httpserver); every test runs with Client and AsyncClient.
"""

from __future__ import annotations

import asyncio
import copy
import gzip
import json
import logging
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from codegen.load import parse_document
from codegen.prune import prune
from openai_chat_sdk import APIResponseValidationError, AsyncClient, Client, OpenAIError, RawResponse
from openai_chat_sdk.models import ChatCompletion
from tests.support import ROOT
from tests.support.schema_instance import instance

NEWEST = ROOT / "tests" / "fixtures" / "upstream" / "openai-2026-08-21-f85dbe2.yaml.gz"
KEY = "sk-secret-test-key-123"
PATH = "/v1/chat/completions/c1"

Run = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, httpserver: HTTPServer) -> Run:
    """`run(lambda client: client.chat.completions.update(...), **options)` with either client."""
    base_url = httpserver.url_for("/v1")

    def sync_run(action: Callable[[Any], Any], **options: Any) -> Any:
        options.setdefault("api_key", KEY)
        options.setdefault("base_url", base_url)
        with Client(**options) as client:
            return action(client)

    def async_run(action: Callable[[Any], Any], **options: Any) -> Any:
        options.setdefault("api_key", KEY)
        options.setdefault("base_url", base_url)

        async def main() -> Any:
            async with AsyncClient(**options) as client:
                return await action(client)

        return asyncio.run(main())

    return sync_run if request.param == "sync" else async_run


def update(**kwargs: Any) -> Callable[[Any], Any]:
    kwargs.setdefault("metadata", {})
    return lambda client: client.chat.completions.update("c1", **kwargs)


def answer(httpserver: HTTPServer, body: Any, *, headers: dict[str, str] | None = None) -> list[Request]:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        request.get_data()
        seen.append(request)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return Response(data, content_type="application/json", headers=headers or {})

    httpserver.expect_request(PATH, method="POST").respond_with_handler(handler)
    return seen


@pytest.fixture(scope="module")
def newest_response() -> dict[str, Any]:
    """The fullest response the newest upstream spec allows, plus fields no spec has yet.

    The project spec is that newest spec, so what a *newer* server adds is made up here:
    a top-level object and a usage counter.
    """
    document = parse_document(gzip.decompress(NEWEST.read_bytes()).decode(), source=str(NEWEST))
    spec = prune(document.data, ["updateChatCompletion"], source=document.source)
    value = instance(spec, spec["components"]["schemas"]["CreateChatCompletionResponse"])
    assert "moderation" in value and "text_tokens" in value["usage"]["completion_tokens_details"]
    value["safety_report"] = {"verdict": "clean", "scores": [0.01, 0.2]}
    value["usage"]["completion_tokens_details"]["video_tokens"] = 7
    return value  # type: ignore[no-any-return]


MINIMAL = {"id": "c1", "object": "chat.completion", "created": 1, "model": "m", "choices": []}


# -- options and environment --------------------------------------------------------------------


def test_missing_api_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for cls in (Client, AsyncClient):
        with pytest.raises(OpenAIError, match="OPENAI_API_KEY"):
            cls()


def test_environment_supplies_options(monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer) -> None:
    seen = answer(httpserver, MINIMAL)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", httpserver.url_for("/v1"))
    monkeypatch.setenv("OPENAI_ORG_ID", "org-1")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-1")
    with Client() as client:
        assert client.base_url == httpx2.URL(httpserver.url_for("/v1/"))
        client.chat.completions.update("c1", metadata={})
    headers = seen[0].headers
    assert headers["Authorization"] == f"Bearer {KEY}"
    assert (headers["OpenAI-Organization"], headers["OpenAI-Project"]) == ("org-1", "proj-1")


def test_defaults_match_the_official_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with Client(api_key=KEY) as client:
        assert client.base_url == httpx2.URL("https://api.openai.com/v1/")
        assert client.max_retries == 2
        assert isinstance(client.timeout, httpx2.Timeout)
        assert (client.timeout.read, client.timeout.connect) == (600.0, 5.0)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2"])
def test_bad_max_retries_is_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Client(api_key=KEY, max_retries=bad)


def test_default_and_extra_headers_query_body(run: Run, httpserver: HTTPServer) -> None:
    seen = answer(httpserver, MINIMAL)
    run(
        update(metadata={"a": "b"}, extra_headers={"X-Extra": "2"}, extra_query={"q": "2"}, extra_body={"more": [1]}),
        default_headers={"X-Default": "1"},
        default_query={"d": "1"},
    )
    request = seen[0]
    assert (request.headers["X-Default"], request.headers["X-Extra"]) == ("1", "2")
    assert dict(request.args) == {"d": "1", "q": "2"}
    assert json.loads(request.get_data()) == {"metadata": {"a": "b"}, "more": [1]}


def test_user_http_client_is_used_and_never_closed(httpserver: HTTPServer) -> None:
    answer(httpserver, MINIMAL)
    seen: list[httpx2.Request] = []
    http = httpx2.Client(event_hooks={"request": [seen.append]})
    with Client(api_key=KEY, base_url=httpserver.url_for("/v1"), http_client=http) as client:
        client.chat.completions.update("c1", metadata={})
    assert len(seen) == 1 and not http.is_closed
    http.close()
    with pytest.raises(TypeError, match=r"httpx2\.Client"):
        Client(api_key=KEY, http_client=httpx2.AsyncClient())  # type: ignore[arg-type]


def test_with_options_changes_options_and_shares_the_pool(httpserver: HTTPServer) -> None:
    seen = answer(httpserver, MINIMAL)
    with Client(api_key=KEY, base_url=httpserver.url_for("/v1"), max_retries=5) as client:
        copy_ = client.with_options(max_retries=0, default_headers={"X-Copy": "1"})
        assert (copy_.max_retries, client.max_retries) == (0, 5)
        assert copy_._http is client._http
        copy_.chat.completions.update("c1", metadata={})
        copy_.close()  # does not close the shared pool
        client.chat.completions.update("c1", metadata={})
    assert [r.headers.get("X-Copy") for r in seen] == ["1", None]
    with pytest.raises(TypeError, match="unknown option"):
        Client(api_key=KEY).with_options(max_retry=1)


def test_per_request_timeout_reaches_httpx(httpserver: HTTPServer) -> None:
    answer(httpserver, MINIMAL)
    timeouts: list[Any] = []
    http = httpx2.Client(event_hooks={"request": [lambda r: timeouts.append(r.extensions["timeout"])]})
    with Client(api_key=KEY, base_url=httpserver.url_for("/v1"), http_client=http, timeout=20.0) as client:
        client.chat.completions.update("c1", metadata={})
        client.chat.completions.update("c1", metadata={}, timeout=httpx2.Timeout(3.0, connect=1.0))
    assert timeouts[0]["read"] == 20.0
    assert (timeouts[1]["read"], timeouts[1]["connect"]) == (3.0, 1.0)


# -- raw responses ------------------------------------------------------------------------------


def test_raw_response_gives_headers_status_request_and_parse(run: Run, httpserver: HTTPServer) -> None:
    answer(httpserver, MINIMAL, headers={"x-request-id": "req_9", "x-ratelimit-remaining-requests": "7"})

    async def async_raw(client: Any) -> Any:
        return await client.chat.completions.with_raw_response.update("c1", metadata={})

    def raw(client: Any) -> Any:
        result = client.chat.completions.with_raw_response.update("c1", metadata={})
        return async_raw(client) if asyncio.iscoroutine(result) else result

    response = run(lambda c: raw(c) if isinstance(c, Client) else async_raw(c))
    assert isinstance(response, RawResponse)
    assert response.status_code == 200
    assert response.headers["x-ratelimit-remaining-requests"] == "7"
    assert response.http_request.method == "POST" and response.http_request.url.path == PATH
    assert response.request_id == "req_9" and response.retries_taken == 0
    completion = response.parse()
    assert isinstance(completion, ChatCompletion) and completion.id == "c1"
    assert completion._request_id == "req_9"
    assert response.parse() is completion


def test_parsed_models_carry_request_id(run: Run, httpserver: HTTPServer) -> None:
    answer(httpserver, MINIMAL, headers={"x-request-id": "req_abc"})
    completion = run(update())
    assert completion._request_id == "req_abc"
    assert "_request_id" not in completion.to_dict() and "req_abc" not in completion.to_json()


# -- forward compatibility ----------------------------------------------------------------------


def test_newer_server_response_loses_nothing(run: Run, httpserver: HTTPServer, newest_response: dict[str, Any]) -> None:
    answer(httpserver, newest_response)
    completion = run(update())
    assert isinstance(completion, ChatCompletion)
    assert completion.model_extra == {"safety_report": {"verdict": "clean", "scores": [0.01, 0.2]}}
    assert completion.moderation is not None  # a typed field since the update to 2026-08-21
    assert completion.usage is not None and completion.usage.completion_tokens_details is not None
    assert completion.usage.completion_tokens_details.text_tokens == 1
    assert completion.usage.completion_tokens_details.model_extra == {"video_tokens": 7}
    assert completion.to_dict(mode="json") == newest_response


def _newer(response: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(response)
    changed["service_tier"] = "hyperfast"
    changed["choices"][0]["finish_reason"] = "moderated"
    changed["choices"][0]["message"]["tool_calls"].append({"id": "t2", "type": "computer", "computer": {"x": 1}})
    del changed["model"]
    return changed


def test_unknown_enum_values_and_missing_fields_are_kept_by_default(
    run: Run, httpserver: HTTPServer, newest_response: dict[str, Any]
) -> None:
    answer(httpserver, _newer(newest_response))
    completion = run(update())
    assert completion.service_tier == "hyperfast" and type(completion.service_tier) is str
    choice = completion.choices[0]
    assert choice.finish_reason == "moderated"
    assert choice.message.tool_calls[-1] == {"id": "t2", "type": "computer", "computer": {"x": 1}}
    assert choice.message.tool_calls[0].function.name == "text"  # the known variant is still a model
    assert completion.model is None
    assert completion.usage.total_tokens == 1  # the rest validated as usual


def test_strict_mode_rejects_what_the_spec_does_not_allow(
    run: Run, httpserver: HTTPServer, newest_response: dict[str, Any]
) -> None:
    answer(httpserver, _newer(newest_response))
    with pytest.raises(APIResponseValidationError, match="does not match the schema") as caught:
        run(update(), strict_response_validation=True)
    assert caught.value.status_code == 200 and isinstance(caught.value.body, dict)


def test_strict_mode_still_keeps_unknown_fields(
    run: Run, httpserver: HTTPServer, newest_response: dict[str, Any]
) -> None:
    answer(httpserver, newest_response)
    completion = run(update(), strict_response_validation=True)
    assert completion.model_extra is not None and "safety_report" in completion.model_extra


# -- logging ------------------------------------------------------------------------------------


def test_debug_logs_never_show_the_key(run: Run, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    answer(httpserver, MINIMAL, headers={"x-request-id": "req_log"})
    with caplog.at_level(logging.DEBUG):  # ours, httpx's and httpcore's loggers all at debug
        run(update(metadata={"k": "v"}), organization="org-log")
    text = caplog.text
    assert "req_log" in text and "/v1/chat/completions/c1" in text and "200" in text
    assert KEY not in text and "Bearer" not in text
    assert any(r.name == "openai_chat_sdk._base" or r.name == "openai_chat_sdk" for r in caplog.records)


def test_openai_log_environment_variable_turns_logging_on(httpserver: HTTPServer) -> None:
    answer(httpserver, MINIMAL, headers={"x-request-id": "req_env"})
    code = (
        "from openai_chat_sdk import Client\n"
        f"client = Client(api_key={KEY!r}, base_url={httpserver.url_for('/v1')!r})\n"
        "client.chat.completions.update('c1', metadata={})\n"
    )
    for level, expect_debug in (("debug", True), ("info", False)):
        env = {"OPENAI_LOG": level, "PATH": "/usr/bin:/bin"}
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert ("req_env" in result.stderr) is expect_debug
        assert KEY not in result.stderr


# -- async --------------------------------------------------------------------------------------


def test_32_concurrent_calls_on_one_async_client(httpserver: HTTPServer) -> None:
    seen = answer(httpserver, MINIMAL)

    async def main() -> list[ChatCompletion]:
        async with AsyncClient(api_key=KEY, base_url=httpserver.url_for("/v1")) as client:
            return await asyncio.gather(
                *(client.chat.completions.update("c1", metadata={"n": str(i)}) for i in range(32))
            )

    results = asyncio.run(main())
    assert len(results) == 32 and all(r.id == "c1" for r in results)
    assert sorted(json.loads(r.get_data())["metadata"]["n"] for r in seen) == sorted(str(i) for i in range(32))


def test_async_client_exits_quietly(httpserver: HTTPServer) -> None:
    """Closed or not, no 'Event loop is closed' noise at interpreter exit."""
    answer(httpserver, MINIMAL)
    code = (
        "import asyncio\nfrom openai_chat_sdk import AsyncClient\n"
        f"client = AsyncClient(api_key='k', base_url={httpserver.url_for('/v1')!r})\n"
        "async def main():\n    await client.chat.completions.update('c1', metadata={})\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_to_dict_of_a_leniently_parsed_model_is_quiet(
    run: Run, httpserver: HTTPServer, newest_response: dict[str, Any], recwarn: pytest.WarningsRecorder
) -> None:
    changed = _newer(newest_response)
    answer(httpserver, changed)
    completion = run(update())
    dumped = completion.to_dict(mode="json")
    assert dumped["service_tier"] == "hyperfast" and dumped["choices"][0]["finish_reason"] == "moderated"
    assert not [w for w in recwarn if "serializ" in str(w.message).lower()]


def test_an_unknown_keyword_fails_before_anything_is_sent(httpserver: HTTPServer) -> None:
    client = Client(api_key="k", base_url=httpserver.url_for("/v1"), max_retries=0)
    with pytest.raises(TypeError, match="extra_header"):
        client.chat.completions.update("c1", metadata={}, extra_header={"X": "1"})  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="api_kee"):
        Client(api_kee="k")  # type: ignore[call-arg]
    assert httpserver.log == []
