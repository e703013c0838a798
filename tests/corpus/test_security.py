"""security-31: a client shaped by the spec's securitySchemes and servers, not by OpenAI's.

Each scheme is a client option named after it (`bearerAuth` → `bearer`) with its environment
variable (`SECURITY_31_BEARER`); each operation sends what its `security` asks for, the first
alternative whose credentials are set, and fails before sending when none is; `security: []`
sends nothing. The server's variables are client options too.
"""

from __future__ import annotations

import asyncio
import base64
import pickle
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support.corpus import generate, imported


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    generation = generate("security-31", tmp_path_factory.mktemp("security"))
    with imported(generation) as package:
        yield package


@pytest.fixture
def seen(httpserver: HTTPServer) -> list[Request]:
    requests: list[Request] = []

    def handler(request: Request) -> Response:
        requests.append(request)
        if request.path == "/status" or request.path == "/boxes":
            body = '{"ok": true}' if request.path == "/status" else '[{"ok": true}]'
            return Response(body, content_type="application/json")
        if request.path == "/admin" and request.headers.get("Authorization", "").startswith("Basic "):
            return Response(status=204)
        if request.path == "/audit" and request.args.get("key") != "secret-q":
            return Response(status=204)
        return Response(
            '{"detail": "who are you?", "title": "Unauthorized"}', 401, content_type="application/problem+json"
        )

    httpserver.expect_request("/status").respond_with_handler(handler)
    for path in ("/boxes", "/admin", "/audit", "/legacy"):
        httpserver.expect_request(path).respond_with_handler(handler)
    return requests


def client(vault: ModuleType, httpserver: HTTPServer, **options: Any) -> Any:
    return vault.Client(base_url=httpserver.url_for("/"), max_retries=0, **options)


def test_a_spec_with_optional_or_alternative_auth_needs_no_key_to_build_a_client(
    vault: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("BEARER", "VAULT_KEY", "BASE_URL"):
        monkeypatch.delenv(f"SECURITY_31_{name}", raising=False)
    built = vault.Client()
    assert str(built.base_url) == "https://eu.vault.example.test/v2/"  # servers[0], variables at their defaults
    assert str(vault.Client(region="us", version="v3").base_url) == "https://us.vault.example.test/v3/"
    assert (
        built.bearer is None and not hasattr(vault, "OpenAIError") and issubclass(vault.APIError, vault.Security31Error)
    )


def test_security_none_sends_nothing_even_with_credentials(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request]
) -> None:
    status = client(vault, httpserver, bearer="tok", vault_key="vk").get_status()
    assert status.ok is True
    assert "Authorization" not in seen[0].headers and "X-Vault-Key" not in seen[0].headers


def test_the_default_alternatives_use_the_credential_that_is_set(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request]
) -> None:
    client(vault, httpserver, bearer="tok").list_boxes()
    client(vault, httpserver, vault_key="vk").list_boxes()
    assert seen[0].headers["Authorization"] == "Bearer tok" and "X-Vault-Key" not in seen[0].headers
    assert seen[1].headers["X-Vault-Key"] == "vk" and "Authorization" not in seen[1].headers


def test_credentials_come_from_the_environment(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECURITY_31_BEARER", "from-env")
    monkeypatch.setenv("SECURITY_31_BASIC", "ann:s3cret")
    made = client(vault, httpserver)
    made.list_boxes()
    made.admin_action()
    assert seen[0].headers["Authorization"] == "Bearer from-env"
    assert seen[1].headers["Authorization"] == "Basic " + base64.b64encode(b"ann:s3cret").decode()


def test_no_credential_for_any_alternative_fails_before_sending(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("BEARER", "VAULT_KEY", "BASIC"):
        monkeypatch.delenv(f"SECURITY_31_{name}", raising=False)
    with pytest.raises(vault.Security31Error, match=r"bearer \(SECURITY_31_BEARER\) or vault_key"):
        client(vault, httpserver).list_boxes()
    with pytest.raises(vault.Security31Error, match="basic"):
        client(vault, httpserver, bearer="tok").admin_action()  # the bearer token is not what /admin takes
    assert seen == []


def test_basic_auth_and_an_and_combination_of_query_key_and_cookie(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request]
) -> None:
    made = client(vault, httpserver, basic=("ann", "pw"), query_key="qk", session_cookie="c1")
    made.admin_action()
    made.read_audit()
    assert seen[0].headers["Authorization"] == "Basic " + base64.b64encode(b"ann:pw").decode()
    assert seen[1].args["key"] == "qk" and seen[1].cookies["session"] == "c1"
    assert "Authorization" not in seen[1].headers


def test_oauth2_is_a_bearer_token_and_the_second_alternative(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request]
) -> None:
    client(vault, httpserver, petstore="oauth-token", query_key="qk").read_audit()  # no cookie: not the first
    assert seen[0].headers["Authorization"] == "Bearer oauth-token" and "key" not in seen[0].args


def test_async_clients_authenticate_the_same_way(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request]
) -> None:
    async def run() -> None:
        async with vault.AsyncClient(base_url=httpserver.url_for("/"), vault_key="vk", max_retries=0) as made:
            await made.list_boxes()

    asyncio.run(run())
    assert seen[0].headers["X-Vault-Key"] == "vk"


def test_errors_keep_problem_details_and_never_carry_credentials(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request]
) -> None:
    made = client(vault, httpserver, vault_key="secret-key", query_key="secret-q", session_cookie="secret-c")
    with pytest.raises(vault.AuthenticationError) as caught:
        made.read_audit()
    error = caught.value
    assert error.body == {"detail": "who are you?", "title": "Unauthorized"}  # no envelope: the body whole
    assert "who are you?" in str(error)
    assert seen[0].args["key"] == "secret-q" and seen[0].cookies["session"] == "secret-c"  # sent, then:
    copy = pickle.loads(pickle.dumps(error))
    assert "secret" not in repr(copy.request.headers) and "secret" not in str(copy.request.url)
    assert copy.request.url.params["key"] == "[hidden]"


def test_an_operation_whose_only_scheme_the_client_cannot_send_sends_nothing(
    vault: ModuleType, httpserver: HTTPServer, seen: list[Request]
) -> None:
    with pytest.raises(vault.AuthenticationError):
        client(vault, httpserver, bearer="tok", vault_key="vk").legacy()  # mutualTLS is the transport's job
    assert "Authorization" not in seen[0].headers and "X-Vault-Key" not in seen[0].headers


def test_an_unknown_option_is_a_type_error(vault: ModuleType) -> None:
    with pytest.raises(TypeError, match="api_key"):
        vault.Client(api_key="k")
