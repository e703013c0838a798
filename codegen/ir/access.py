"""How a client reaches the API: credentials, servers and the options they add (pure).

Input: the spec and Settings. Output: the IR's `AuthScheme`s (one client option per security
scheme the runtime can send), each operation's `Security` (alternatives of options needed
together), the `Server` with its variables, and the `ClientOption`s the spec adds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..config import Settings
from ..errors import Problem
from ..naming import dedupe, snake
from ..refs import escape
from .nodes import AuthKind, AuthScheme, ClientOption, Operation, Security, Server

# Options every client has (the runtime's ClientOptions): a spec's own options must not take these names.
RUNTIME_OPTIONS = frozenset(
    {"base_url", "timeout", "max_retries", "backoff", "default_headers", "default_query", "http_client"}
    | {"strict_response_validation", "on_retry"}
)
_SUFFIXES = ("_authentication", "_auth", "_scheme", "_security")


def auth_schemes(spec: Mapping[str, Any], settings: Settings) -> tuple[AuthScheme, ...]:
    """One client option per security scheme the runtime can send; mutual TLS and HTTP schemes
    other than bearer and basic are left out (the operations that need only them send nothing)."""
    schemes = ((spec.get("components") or {}).get("securitySchemes")) or {}
    taken = set(RUNTIME_OPTIONS) | set(settings.header_options)
    found: list[AuthScheme] = []
    for name in sorted(schemes):
        scheme = schemes[name]
        if not isinstance(scheme, Mapping):
            continue
        kind, wire = _auth_kind(scheme)
        if kind is None:
            continue
        option = settings.auth_options.get(name) or _auth_option(name)
        option = dedupe(option, taken)
        taken.add(option)
        found.append(AuthScheme(option=option, scheme=name, kind=kind, wire_name=wire, env=option.upper()))
    return tuple(sorted(found, key=lambda a: a.option))


def _auth_kind(scheme: Mapping[str, Any]) -> tuple[AuthKind | None, str]:
    kind = scheme.get("type")
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        return ("bearer" if http == "bearer" else "basic" if http == "basic" else None), "Authorization"
    if kind in ("oauth2", "openIdConnect"):
        return "bearer", "Authorization"  # a token got elsewhere, sent as a bearer token
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie") and scheme.get("name"):
        return scheme["in"], str(scheme["name"])
    return None, ""


def _auth_option(scheme: str) -> str:
    name = snake(scheme)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


def security(requirements: Any, auth: tuple[AuthScheme, ...]) -> Security | None:
    """The alternatives of a `security` list, as the client options each needs; None when absent.
    An alternative naming a scheme the client cannot send is dropped; `{}` is "no credentials"."""
    if not isinstance(requirements, list):
        return None
    by_scheme = {a.scheme: a.option for a in auth}
    alternatives: list[tuple[str, ...]] = []
    for requirement in requirements:
        if isinstance(requirement, Mapping) and all(name in by_scheme for name in requirement):
            alternative = tuple(sorted(by_scheme[name] for name in requirement))
            if alternative not in alternatives:
                alternatives.append(alternative)
    return tuple(alternatives)


def auth_warnings(spec: Mapping[str, Any], auth: tuple[AuthScheme, ...], source: str) -> tuple[Problem, ...]:
    sent = {a.scheme for a in auth}
    schemes = ((spec.get("components") or {}).get("securitySchemes")) or {}
    why = "not sent by the client (mutual TLS or an HTTP scheme other than bearer and basic): set it up on http_client"
    return tuple(
        Problem(source, f"/components/securitySchemes/{escape(name)}", why)
        for name in sorted(schemes)
        if name not in sent
    )


def required(default: Security, operations: list[Operation]) -> tuple[str, ...]:
    """Credentials a client must have at construction: those every operation needs."""
    if len(default) != 1 or any(op.endpoint.security is not None for op in operations):
        return ()
    return default[0]


def server(spec: Mapping[str, Any], *, taken: set[str]) -> Server:
    servers = spec.get("servers") or [{}]
    first = servers[0] if isinstance(servers[0], Mapping) else {}
    url = str(first.get("url") or "http://localhost")
    variables = []
    used = set(taken) | RUNTIME_OPTIONS
    for name, variable in sorted((first.get("variables") or {}).items()):
        if "{" + name + "}" in url and isinstance(variable, Mapping):
            option = dedupe(snake(name), used)
            used.add(option)
            variables.append((option, str(name), str(variable.get("default", ""))))
    return Server(url=url, variables=tuple(variables))


def client_options(auth: tuple[AuthScheme, ...], settings: Settings, server: Server) -> tuple[ClientOption, ...]:
    options = [
        ClientOption(
            a.option,
            "tuple[str, str] | None" if a.kind == "basic" else "str | None",
            f"{a.scheme}: " + ("(username, password)" if a.kind == "basic" else f"{a.kind} {a.wire_name}"),
        )
        for a in auth
    ]
    options += [ClientOption(o, "str | None", f"sent as {h}") for o, (h, _) in sorted(settings.header_options.items())]
    options += [ClientOption(o, "str | None", f"the server's {{{n}}}, default {d!r}") for o, n, d in server.variables]
    return tuple(options)
