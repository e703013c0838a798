"""Where each operation lives on the client: its resource path and method name, from the spec's paths.

Input: each operation's (operationId, HTTP method, path) and the `[tool.codegen] resources` overrides.
Output: one `Placement` per operation, in the same order: `POST /chat/completions` →
`client.chat.completions.create`.

The rule (README, "Resource tree"):
- Resources come from the path, not from tags: every literal segment is a resource
  (`/vector_stores/{id}/files` → `vector_stores.files`), snake_cased; path parameters are dropped.
  A literal segment that ends the path is an *action* when it follows a parameter
  (`POST /batches/{id}/cancel` → `batches.cancel`, `GET /files/{id}/content` → `files.content`) or
  a path that has operations of its own (`GET /user/login` → `user.login`), unless it names a
  collection: a plural noun (`/chat/completions/{id}/messages` → `chat.completions.messages`) or a
  segment that longer paths continue below. Under a path without operations it is a resource
  (`POST /audio/speech` → `audio.speech.create`).
  Leading literal segments that every path shares (`/api/v2`) are dropped.
- Methods on a collection (the path ends with a literal): GET `list`, POST `create`, PUT/PATCH
  `update`, DELETE `delete`; on an item (the path ends with a parameter): GET `retrieve`,
  POST/PUT/PATCH `update`, DELETE `delete`; an action: the segment itself.
- Whatever collides (two operations with one name on one resource, a method named like a child
  resource or like the resource's own attributes) and whatever has no resource (a path of only
  parameters) falls back to snake_case(operationId) on the same resource, numbered if that
  collides too: an operation is never dropped.
- An override `operationId = "a.b.name"` places the operation exactly there.
- A small API (`[tool.codegen] tree-above`, 12 operations by default) gets no tree: its operations
  are methods of the client named snake_case(operationId), unless an override places them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..naming import dedupe, singular, snake

COLLECTION_VERBS = {"GET": "list", "POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}
ITEM_VERBS = {"GET": "retrieve", "POST": "update", "PUT": "update", "PATCH": "update", "DELETE": "delete"}
# Attributes every resource class has already: a method may not take these names.
RESOURCE_ATTRIBUTES = frozenset({"with_raw_response", "with_streaming_response"})
# ... and the client has its options and these: a method or resource on the client may not take them either.
CLIENT_ATTRIBUTES = RESOURCE_ATTRIBUTES | frozenset(
    {"api_key", "organization", "project", "base_url", "timeout", "max_retries", "backoff", "on_retry"}
    | {"strict_response_validation", "with_options", "copy", "close"}
)


@dataclass(frozen=True, slots=True)
class Route:
    operation_id: str
    method: str  # upper case
    path: str


@dataclass(frozen=True, slots=True)
class Placement:
    resource: tuple[str, ...]
    name: str


def _segments(path: str) -> list[str]:
    """The path's segments; a query a path key carries (`/responses?beta=true`) is no segment."""
    return [s for s in path.partition("?")[0].split("/") if s]


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _common_prefix(routes: Sequence[Route]) -> int:
    """How many leading literal segments every path shares, each followed by another literal in
    every path (`/api/v3/pets`: 2; `/shops/{id}/staff`: 0, `shops` is a resource)."""
    paths = [_segments(r.path) for r in routes]
    if len(paths) < 2:
        return 0
    n = 0
    while all(len(p) > n + 1 and not _is_param(p[n + 1]) and p[n] == paths[0][n] for p in paths):
        n += 1
    return n


def derive(
    route: Route, *, longer: frozenset[tuple[str, ...]], exact: frozenset[tuple[str, ...]], skip: int
) -> Placement | None:
    """The placement the path gives: None without a resource, an empty name without a CRUD verb
    (the operationId names it then)."""
    segments = _segments(route.path)[skip:]
    resource: list[str] = []
    kind = "collection"
    action = ""
    for i, segment in enumerate(segments):
        if _is_param(segment):
            kind = "item"
            continue
        last = i == len(segments) - 1
        after_param = i > 0 and _is_param(segments[i - 1])
        prefix = tuple(segments[: i + 1])
        collection = singular(segment) != segment or prefix in longer
        # After an id, or under a path that has operations of its own (`/user` → `/user/login`).
        on_something = after_param or (i > 0 and tuple(segments[:i]) in exact)
        if last and on_something and not collection:
            action = snake(segment)
            break
        resource.append(snake(segment) + ("_" if not resource and snake(segment) in CLIENT_ATTRIBUTES else ""))
        kind = "collection"
    if not resource:
        return None
    if action:
        return Placement(tuple(resource), action)
    verbs = ITEM_VERBS if kind == "item" else COLLECTION_VERBS
    return Placement(tuple(resource), verbs.get(route.method, ""))  # "": no CRUD verb, the operationId names it


def place(routes: Sequence[Route], overrides: Mapping[str, str], *, tree: bool = True) -> list[Placement]:
    """Every operation's placement; without `tree`, only the overrides place operations and the
    rest are methods of the client named snake_case(operationId)."""
    if not tree:
        routes_by_id = {r.operation_id for r in routes} - set(overrides)
        overrides = {**overrides, **{op_id: snake(op_id) for op_id in routes_by_id}}
    skip = _common_prefix(routes)
    exact = frozenset(tuple(_segments(r.path)[skip:]) for r in routes)
    longer = frozenset(
        tuple(_segments(r.path)[skip:][:n]) for r in routes for n in range(1, len(_segments(r.path)[skip:]))
    )
    wanted: list[Placement | None] = []
    for route in routes:
        if route.operation_id in overrides:
            *parts, name = overrides[route.operation_id].split(".")
            wanted.append(Placement(tuple(parts), name))
        else:
            wanted.append(derive(route, longer=longer, exact=exact, skip=skip))
    fallback = [Placement(w.resource if w else (), snake(r.operation_id)) for r, w in zip(routes, wanted, strict=True)]
    wanted = [w if w is not None and w.name else None for w in wanted]
    resources = {p.resource[:n] for p in (*filter(None, wanted), *fallback) for n in range(1, len(p.resource) + 1)}
    counts = Counter(w for w in wanted if w is not None)
    taken: dict[tuple[str, ...], set[str]] = {}
    for resource in sorted(resources | {()}):
        children = {r[-1] for r in resources if len(r) == len(resource) + 1 and r[: len(resource)] == resource}
        taken[resource] = children | (RESOURCE_ATTRIBUTES if resource else CLIENT_ATTRIBUTES)
    # Of several operations that want one name, the only one whose path has no query keeps it
    # (`/responses` over `/responses?beta=true`); otherwise they all give way.
    plain = Counter(w for r, w in zip(routes, wanted, strict=True) if w is not None and "?" not in r.path)
    chosen: list[Placement] = []
    for route, want, fall in zip(routes, wanted, fallback, strict=True):
        if want is None:
            chosen.append(fall)
            continue
        explicit = route.operation_id in overrides
        unique = counts[want] == 1 or (plain[want] == 1 and "?" not in route.path)
        chosen.append(want if explicit or (unique and want.name not in taken[want.resource]) else fall)
    final: list[Placement] = []
    used: dict[tuple[str, ...], set[str]] = {}
    for placement in chosen:
        names = used.setdefault(placement.resource, set())
        blocked = names | taken[placement.resource]
        name = dedupe(placement.name, blocked) if placement.name in blocked else placement.name
        names.add(name)
        final.append(Placement(placement.resource, name))
    return final
