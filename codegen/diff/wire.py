"""Compare two OpenAPI 3.0/3.1 specs and list every change that matters to an SDK user.

Input: two spec `Document`s (`prepare` prunes them to some operations and applies an overlay).
Output: a list of `Change`s in walk order: operations by path and method, then parameters,
request body and responses, each schema walked property by property. `rules` classifies
each change from its kind.

Schemas are compared resolved: `$ref`s are followed; the three spellings of "may be null"
(3.0 `nullable: true`, 3.1 `type: [x, "null"]`, an `anyOf`/`oneOf` with a null branch) are one;
`allOf` parts are merged; a one-branch union is its branch. A pair of components is walked once
per operation and direction, which also ends recursion. Components whose whole closure is
byte-for-byte equal in both specs are skipped, which keeps a diff of two 3 MB specs fast.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import CodegenError, Problem
from ..ir.schemas import KEPT_FORMATS
from ..load import Document
from ..overlay import apply_overlay
from ..prune import HTTP_METHODS, prune
from ..refs import escape, iter_refs, resolve_ref
from .rules import SEVERITY, Direction, Rule, rule, schema_kind

JSON = "application/json"
_NONE = object()  # a default that is absent, unlike `default: null`
# Upper bounds tighten when they go down, lower bounds when they go up.
_UPPER = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties", "maxContains")
_LOWER = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties", "minContains")
# Value keywords compared as wholes: any new or changed value may reject what was valid.
_VALUES = ("multipleOf", "pattern", "uniqueItems", "dependentRequired", "contentMediaType", "contentEncoding")
# Patterns that match every string: the same as no pattern.
_MATCH_ALL = frozenset({"", ".*", "^.*", ".*$", "^.*$", "(.*)", "^(.*)$", "[\\s\\S]*", "^[\\s\\S]*$"})
# JSON Schema 2020-12 subschemas (one schema each, a map of them, a list of them), walked like
# `items`; a subschema added constrains more, one removed constrains less.
_SUBSCHEMAS = ("contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties")
_SUBSCHEMA_MAPS = ("patternProperties", "dependentSchemas")
# Media types whose schemas the generator types (JSON bodies, multipart fields); any other body is bytes.
_MULTIPART = "multipart/form-data"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: what (kind), where (operation + location) and the values on each side."""

    kind: str
    operation: str
    location: str
    old: Any = None
    new: Any = None
    owner: str = ""  # the component ref whose property this is, when there is one (for the Python spelling)
    python: str = ""  # how SDK users spell what changed: `client.chat.completions.update(metadata=…)`
    merged: str = ""  # the SDK kind folded into this change (merge.py)
    python_values: tuple[Any, Any] = (None, None)  # old and new as Python spells them (`int | None`)

    @property
    def rule(self) -> Rule:
        own = rule(self.kind)
        if self.merged and SEVERITY[rule(self.merged).level] > SEVERITY[own.level]:
            return rule(self.merged)
        return own

    @property
    def breaking(self) -> bool:
        return self.rule.level == "error"

    @property
    def doc_only(self) -> bool:
        return self.rule.level == "doc"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "classification": self.rule.classification,
            "level": self.rule.level,
            "operation": self.operation,
            "location": self.location,
            "old": self.old,
            "new": self.new,
            "reason": self.rule.reason,
            "python": self.python,
            "sdk_kind": self.merged,
            "python_old": self.python_values[0],
            "python_new": self.python_values[1],
            "effect": self.rule.effect,
        }


# --- Preparing the inputs --------------------------------------------------------------------


def prepare(
    old: Document, new: Document, *, operations: Sequence[str] = (), overlay: Document | None = None
) -> tuple[Document, Document]:
    """Prune both sides to `operations` (an id on one side only shows as added/removed), then overlay."""
    for document in (old, new):
        _check_version(document)
    if operations:
        present = [_operation_ids(old.data), _operation_ids(new.data)]
        missing = [op_id for op_id in operations if not any(op_id in ids for ids in present)]
        if missing:
            names = ", ".join(map(repr, missing))
            raise CodegenError(
                [Problem(d.source, "/paths", f"no operation with operationId {names}") for d in (old, new)]
            )
        old, new = (
            Document(prune(d.data, [i for i in operations if i in ids], source=d.source), d.source)
            for d, ids in zip((old, new), present, strict=True)
        )
    if overlay is not None:
        old, new = (_overlaid(d, overlay) for d in (old, new))
    return old, new


def _check_version(document: Document) -> None:
    version = str(document.data.get("openapi", ""))
    if not re.match(r"3\.[01]\.", version):
        raise CodegenError.at(document.source, "/openapi", f"expected OpenAPI 3.0 or 3.1, got {version or 'nothing'!r}")


def _operation_ids(spec: Mapping[str, Any]) -> set[str]:
    return {
        op["operationId"]
        for item in (spec.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if isinstance(op := item.get(method), dict) and "operationId" in op
    }


def _overlaid(document: Document, overlay: Document) -> Document:
    try:
        return Document(apply_overlay(document.data, overlay), document.source)
    except CodegenError as exc:  # say which side the overlay failed on
        raise CodegenError(
            [Problem(p.source, p.pointer, f"{p.message} (applying it to {document.source})") for p in exc.problems]
        ) from None


# --- Walking ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Side:
    spec: dict[str, Any]
    source: str

    def resolve(self, node: Any) -> Any:
        """A `$ref`'d object (parameter, body, response) resolved; anything else as it is."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            node = resolve_ref(self.spec, node["$ref"], source=self.source, at="")
        return node


_CHILD_POINTERS = {"[]": "/items", "{}": "/additionalProperties"}


@dataclass(slots=True)
class _Walk:
    """State of one operation's walk in one direction; `visited` pairs end recursion."""

    old: _Side
    new: _Side
    unchanged: frozenset[str]
    operation: str
    direction: Direction
    at: str = ""  # the operation's JSON pointer (`#/paths/~1things/post`)
    visited: set[tuple[str, str]] = field(default_factory=set)

    def change(self, kind: str, site: _Site, old: Any = None, new: Any = None) -> Change:
        return Change(kind, self.operation, site.location, _plain(old), _plain(new), owner=site.owner or "")

    def schema_change(self, suffix: str, site: _Site, old: Any = None, new: Any = None) -> Change:
        return self.change(schema_kind(self.direction, site.subject, suffix), site, old, new)

    def same(self, old: Any, new: Any) -> bool:
        """Equal text whose refs all point at unchanged components: nothing below can differ."""
        return old == new and all(ref in self.unchanged for ref, _ in iter_refs(old))


@dataclass(frozen=True, slots=True)
class _Site:
    """Where in an operation: `root` (`response 200`), `path` (`.choices[].message`)."""

    root: str
    path: str = ""
    parameter: bool = False
    depth: int = 0
    required: bool = False  # a parameter callers must pass
    owner: str | None = None  # the schema whose properties are walked here (names the model class)
    sub: bool = False  # inside a 2020-12 subschema (`if`, `contains`, ...): a constraint, not a model
    pointer: str | None = None  # where the new side's schema here sits (`#/paths/…/schema`), when known

    def child(self, token: str, *, sub: bool = False) -> _Site:
        pointer = None
        if self.pointer is not None and token.startswith("."):
            pointer = f"{self.pointer}/properties/{escape(token[1:])}"
        elif self.pointer is not None and token in _CHILD_POINTERS:
            pointer = self.pointer + _CHILD_POINTERS[token]
        return _Site(
            self.root, self.path + token, self.parameter, self.depth + 1, owner=self.owner, sub=self.sub or sub,
            pointer=pointer,
        )  # fmt: skip

    def branch(self, label: str) -> _Site:
        return _Site(self.root, f"{self.path}<{label}>", self.parameter, self.depth, owner=self.owner, sub=self.sub)

    def at(self, ref: str | None) -> _Site:
        """The site once a `$ref` is followed: the target names the schema."""
        return dataclasses.replace(self, pointer=ref) if ref else self

    def owned(self) -> _Site:
        """The site whose properties are compared: they belong to the schema here."""
        return dataclasses.replace(self, owner=self.pointer)

    @property
    def subject(self) -> str:
        return "parameter" if self.parameter else "property" if self.depth else "body"

    @property
    def location(self) -> str:
        return f"{self.root} {self.path}" if self.path else self.root


def diff_specs(old: Document, new: Document, *, unchanged: frozenset[str] | None = None) -> list[Change]:
    """Every change from `old` to `new`, operation by operation (`unchanged`: see unchanged_components)."""
    sides = _Side(old.data, old.source), _Side(new.data, new.source)
    if unchanged is None:
        unchanged = unchanged_components(old.data, new.data)
    old_ops, new_ops = _operations(sides[0]), _operations(sides[1])
    changes: list[Change] = []
    for key in sorted(old_ops.keys() | new_ops.keys()):
        before, after = old_ops.get(key), new_ops.get(key)
        if before is None and after is not None:
            changes.append(Change("operation-added", after.label, "", None, after.node.get("operationId")))
        elif after is None and before is not None:
            changes.append(Change("operation-removed", before.label, "", before.node.get("operationId"), None))
        elif before is not None and after is not None:
            changes.extend(_compare_operation(sides, unchanged, before, after))
    return changes


@dataclass(frozen=True, slots=True)
class _Operation:
    method: str
    path: str
    node: dict[str, Any]
    parameters: dict[tuple[str, str], dict[str, Any]]  # (in, name) → resolved parameter
    raw_parameters: Any

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _operations(side: _Side) -> dict[tuple[str, int], _Operation]:
    """Operations keyed by (path with parameter names blanked, method order): a renamed `{id}` still matches."""
    found: dict[tuple[str, int], _Operation] = {}
    for path, item in (side.spec.get("paths") or {}).items():
        item = side.resolve(item)
        if not isinstance(item, dict):
            continue
        for order, method in enumerate(HTTP_METHODS):
            node = item.get(method)
            if isinstance(node, dict):
                raw = [*(item.get("parameters") or []), *(node.get("parameters") or [])]
                params = {}
                for param in map(side.resolve, raw):  # operation-level entries override path-level ones
                    if isinstance(param, dict):
                        params[(str(param.get("in")), str(param.get("name")))] = param
                found[(re.sub(r"\{[^}]*\}", "{}", path), order)] = _Operation(method, path, node, params, raw)
    return found


def _compare_operation(
    sides: tuple[_Side, _Side], unchanged: frozenset[str], old: _Operation, new: _Operation
) -> Iterator[Change]:
    at = f"#/paths/{escape(new.path)}/{new.method}"
    request = _Walk(*sides, unchanged, new.label, "request", at)
    if request.same(old.node, new.node) and request.same(old.raw_parameters, new.raw_parameters):
        return
    site = _Site("")  # the operation itself, like operation-added
    old_id, new_id = old.node.get("operationId"), new.node.get("operationId")
    if old_id != new_id:  # the generated method is named after it (or after method and path without one)
        kind = (
            "operation-id-changed" if old_id and new_id else "operation-id-added" if new_id else "operation-id-removed"
        )
        yield request.change(kind, site, old_id, new_id)
    yield from _deprecation(request, site, old.node, new.node, "operation-deprecated", "operation-deprecation-removed")
    for key in ("summary", "description"):
        yield from _doc(request, _Site(f"operation {key}"), old.node.get(key), new.node.get(key))
    yield from _compare_parameters(request, old.parameters, new.parameters)
    yield from _compare_request_body(request, old.node.get("requestBody"), new.node.get("requestBody"))
    response = _Walk(*sides, unchanged, new.label, "response", at)
    yield from _compare_responses(response, old.node.get("responses") or {}, new.node.get("responses") or {})


def _compare_parameters(
    w: _Walk, old: Mapping[tuple[str, str], dict[str, Any]], new: Mapping[tuple[str, str], dict[str, Any]]
) -> Iterator[Change]:
    for key, before in old.items():
        site = _Site(f"parameter {key[0]} {key[1]}", parameter=True)
        after = new.get(key)
        if after is None:
            yield w.change("request-parameter-removed", site, _label(_view(w.old, before.get("schema"))), None)
            continue
        was, now = _required_parameter(before), _required_parameter(after)
        if was != now:
            yield w.change(
                f"request-parameter-became-{_required_word(now)}", site, _required_word(was), _required_word(now)
            )
        yield from _deprecation(
            w, site, before, after, "request-parameter-deprecated", "request-parameter-deprecation-removed"
        )
        yield from _doc(w, site, before.get("description"), after.get("description"))
        site = _Site(site.root, parameter=True, required=was and now)
        yield from _compare(w, before.get("schema"), after.get("schema"), site)
    for key, after in new.items():
        if key not in old:
            site = _Site(f"parameter {key[0]} {key[1]}", parameter=True)
            kind = "required" if _required_parameter(after) else "optional"
            yield w.change(f"request-parameter-added-{kind}", site, None, _label(_view(w.new, after.get("schema"))))


def _required_word(required: bool) -> str:
    return "required" if required else "optional"


def _required_parameter(param: Mapping[str, Any]) -> bool:
    return param.get("in") == "path" or param.get("required") is True


def _compare_request_body(w: _Walk, old_node: Any, new_node: Any) -> Iterator[Change]:
    old, new = w.old.resolve(old_node), w.new.resolve(new_node)
    site = _Site("request body")
    if not isinstance(old, dict) and not isinstance(new, dict):
        return
    if not isinstance(old, dict):
        yield w.change(f"request-body-added-{'required' if new.get('required') else 'optional'}", site)
        return
    if not isinstance(new, dict):
        yield w.change("request-body-removed", site)
        return
    was, now = old.get("required") is True, new.get("required") is True
    if was != now:
        yield w.change(f"request-body-became-{_required_word(now)}", site, _required_word(was), _required_word(now))
    yield from _doc(w, site, old.get("description"), new.get("description"))
    content = old.get("content") or {}, new.get("content") or {}
    yield from _compare_content(w, "request body", "request", *content, at=f"{w.at}/requestBody")


def _compare_responses(w: _Walk, old: Mapping[Any, Any], new: Mapping[Any, Any]) -> Iterator[Change]:
    new_by_status = {str(status): value for status, value in new.items()}
    old_by_status = {str(status): value for status, value in old.items()}
    for status, old_node in old_by_status.items():
        site = _Site(f"response {status}")
        if status not in new_by_status:
            kind = "success" if status.startswith("2") else "error"
            yield w.change(f"response-{kind}-status-removed", site, status, None)
            continue
        before, after = w.old.resolve(old_node), w.new.resolve(new_by_status[status])
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue
        yield from _doc(w, site, before.get("description"), after.get("description"))
        content = before.get("content") or {}, after.get("content") or {}
        yield from _compare_content(w, site.root, "response", *content, at=f"{w.at}/responses/{escape(status)}")
    for status in new_by_status:
        if status not in old_by_status:
            yield w.change("response-status-added", _Site(f"response {status}"), None, status)


def _compare_content(
    w: _Walk, root: str, prefix: str, old: Mapping[str, Any], new: Mapping[str, Any], *, at: str
) -> Iterator[Change]:
    for media, before in old.items():
        pointer = f"{at}/content/{escape(media)}/schema"
        site = _Site(root if media == JSON else f"{root} {media}", pointer=pointer)
        if media not in new:
            yield w.change(f"{prefix}-media-type-removed", site, media, None)
        elif isinstance(before, dict) and isinstance(new[media], dict) and compared_media(media, prefix):
            yield from _compare(w, before.get("schema"), new[media].get("schema"), site)
    for media in new:
        if media not in old:
            yield w.change(f"{prefix}-media-type-added", _Site(root), None, media)


def compared_media(media: str, direction: str) -> bool:
    """Whose schema matters. A response is typed only as JSON (`application/json`, `…+json`); any other
    comes back as bytes, so its schema changes no generated type. A request body's schema constrains
    what callers send, except XML's, which describes an XML mapping the SDK never builds."""
    base = media.split(";", 1)[0].strip().lower()
    if base == JSON or base.endswith("+json"):
        return True
    return direction == "request" and not (base.endswith("/xml") or base.endswith("+xml"))


# --- Schemas ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """A schema as an SDK sees it: wrappers gone, `null` a flag, `allOf` merged."""

    schema: Mapping[str, Any]
    ref: str | None  # the first component followed: names the schema and keys `visited`
    nullable: bool
    types: frozenset[str]
    branches: tuple[Any, ...]  # a union of two or more non-null schemas
    node_id: int  # the schema as written, for visited keys of inline schemas

    @property
    def key(self) -> str:
        return self.ref or f"@{self.node_id}"


def _compare(w: _Walk, old_node: Any, new_node: Any, site: _Site) -> Iterator[Change]:
    if w.same(old_node, new_node):
        return
    yield from _compare_views(w, _view(w.old, old_node), _view(w.new, new_node), site)


def _compare_views(w: _Walk, old: _View, new: _View, site: _Site, *, nulls: bool = True) -> Iterator[Change]:
    if nulls and old.nullable != new.nullable:
        yield w.schema_change("became-nullable" if new.nullable else "became-not-nullable", site)
    if old.ref or new.ref:  # each pair of components once per walk: no repeats, no endless recursion
        if (old.key, new.key) in w.visited:
            return
        w.visited.add((old.key, new.key))
    site = site.at(new.ref)
    if old.ref and new.ref and old.ref != new.ref:
        yield w.schema_change("ref-changed", site, _name(old.ref), _name(new.ref))
    yield from _doc(w, site, old.schema.get("description"), new.schema.get("description"))
    yield from _deprecation_schema(w, site, old.schema, new.schema)
    if old.schema.get("default", _NONE) != new.schema.get("default", _NONE):  # set, changed or dropped
        before, after = old.schema.get("default"), new.schema.get("default")
        if site.required and site.depth == 0:  # callers always pass it: the default is never used
            yield w.change("request-required-parameter-default-changed", site, before, after)
        else:
            yield w.schema_change("default-changed", site, before, after)
    if old.branches or new.branches:
        yield from _compare_unions(w, old, new, site)
        return
    if old.types and new.types and old.types != new.types:
        yield _type_change(w, old, new, site)
        if not old.types & new.types:
            return  # nothing below is comparable
    yield from _compare_format(w, old.schema.get("format"), new.schema.get("format"), site)
    if _is_const(old.schema) and _is_const(new.schema) and _enum(old.schema) != _enum(new.schema):
        yield from _compare_const(w, old.schema, new.schema, site)
    else:
        yield from _compare_enums(w, _enum(old.schema), _enum(new.schema), site)
    yield from _compare_constraints(w, _constraints(old.schema), _constraints(new.schema), site)
    yield from _compare_properties(w, old, new, site.owned())
    for key, token in (("items", "[]"), ("additionalProperties", "{}")):
        before, after = old.schema.get(key), new.schema.get(key)
        if isinstance(before, dict) and isinstance(after, dict):
            yield from _compare(w, before, after, site.child(token))
    yield from _compare_subschemas(w, old.schema, new.schema, site)


def _compare_subschemas(w: _Walk, old: Mapping[str, Any], new: Mapping[str, Any], site: _Site) -> Iterator[Change]:
    """2020-12 subschemas: walked when on both sides; added (constrains more) or removed (less) otherwise."""
    pairs: list[tuple[str, Any, Any]] = [(f"<{k}>", old.get(k), new.get(k)) for k in _SUBSCHEMAS]
    for key in _SUBSCHEMA_MAPS:
        before, after = old.get(key), new.get(key)
        before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        pairs += [(f"<{key} {name}>", before.get(name), after.get(name)) for name in {**before, **after}]
    before_items, after_items = old.get("prefixItems"), new.get("prefixItems")
    before_items = before_items if isinstance(before_items, list) else []
    after_items = after_items if isinstance(after_items, list) else []
    for index in range(max(len(before_items), len(after_items))):
        pairs.append((f"[{index}]", _at(before_items, index), _at(after_items, index)))
    pairs.append(("<contentSchema>", old.get("contentSchema"), new.get("contentSchema")))
    for token, before, after in pairs:
        if before is None and after is None:
            continue
        if before is None:
            yield w.schema_change("subschema-added", site, None, token.strip("<>"))
        elif after is None:
            yield w.schema_change("subschema-removed", site, token.strip("<>"), None)
        elif isinstance(before, dict) and isinstance(after, dict):
            yield from _compare(w, before, after, site.child(token, sub=True))
        elif before != after:  # `false` and other boolean schemas
            yield w.schema_change("subschema-changed", site, _plain(before), _plain(after))
    if "not" in old or "not" in new:
        before, after = old.get("not"), new.get("not")
        if before is None:
            yield w.schema_change("subschema-added", site, None, "not")
        elif after is None:
            yield w.schema_change("subschema-removed", site, "not", None)
        elif not w.same(before, after):
            # What `not` rejects widens as its schema narrows: polarity flips, so no walk.
            yield w.schema_change("not-changed", site, _plain(before), _plain(after))


def _at(items: list[Any], index: int) -> Any:
    return items[index] if index < len(items) else None


def _type_change(w: _Walk, old: _View, new: _View, site: _Site) -> Change:
    if w.direction == "request":  # what callers send must still be accepted
        suffix = "type-widened" if _fits(old.types, new.types) else "type-changed"
    else:  # what readers get must still fit the type they read it as (an int is a float to Python)
        suffix = "type-narrowed" if _fits(new.types, old.types) else "type-changed"
    return w.schema_change(suffix, site, _label(old), _label(new))


def _fits(inner: frozenset[str], outer: frozenset[str]) -> bool:
    """Every value of `inner` types is one of `outer` types; an integer is a number (and a float to mypy)."""
    return all(t in outer or (t == "integer" and "number" in outer) for t in inner)


def _compare_format(w: _Walk, old: Any, new: Any, site: _Site) -> Iterator[Change]:
    if old == new:
        return
    if old in KEPT_FORMATS or new in KEPT_FORMATS:
        yield w.schema_change("format-type-changed", site, old, new)
    else:
        yield w.schema_change("format-removed" if new is None else "format-changed", site, old, new)


def _compare_const(w: _Walk, old: Mapping[str, Any], new: Mapping[str, Any], site: _Site) -> Iterator[Change]:
    """A `const` on both sides that changed: the generated `Literal[...]` changes (and so does the
    tag a discriminated union tells its branches apart by)."""
    yield w.schema_change("const-changed", site, _only(old), _only(new))


def _only(schema: Mapping[str, Any]) -> Any:
    return schema["const"] if "const" in schema else next(v for v in schema["enum"] if v is not None)


def _compare_enums(w: _Walk, old: dict[str, Any] | None, new: dict[str, Any] | None, site: _Site) -> Iterator[Change]:
    if old is None:
        if new is not None:
            yield w.schema_change("enum-added", site, None, list(new.values()))
    elif new is None:
        yield w.schema_change("enum-removed", site, list(old.values()), None)
    else:
        for key, value in old.items():
            if key not in new:
                yield w.schema_change("enum-value-removed", site, value, None)
        for key, value in new.items():
            if key not in old:
                yield w.schema_change("enum-value-added", site, None, value)


def _compare_constraints(w: _Walk, old: dict[str, Any], new: dict[str, Any], site: _Site) -> Iterator[Change]:
    for keyword in sorted(old.keys() | new.keys()):
        before, after = old.get(keyword), new.get(keyword)
        if before != after:
            tighter = _tightened(keyword, before, after)
            suffix = "constraint-tightened" if tighter else "constraint-loosened"
            yield w.schema_change(suffix, site, {keyword: before}, {keyword: after})


def _tightened(keyword: str, old: Any, new: Any) -> bool:
    """Does going from `old` to `new` (None = absent) reject something that was valid?"""
    if new is None:
        return False
    if old is None:
        return True
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (old, new))
    if keyword in _UPPER:
        return not numbers or bool(new < old)  # a bound we cannot compare counts as tighter
    if keyword in _LOWER:
        return not numbers or bool(new > old)
    if keyword == "multipleOf":  # every multiple of old is one of new only when new divides old
        return not (numbers and new and old % new == 0)
    if keyword == "uniqueItems":
        return bool(new) and not old
    if keyword == "dependentRequired" and isinstance(old, dict) and isinstance(new, dict):
        return any(not set(_names(new[k])) <= set(_names(old.get(k))) for k in new)
    return True  # pattern: any change may reject a value; regexes are not compared


def _names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _compare_properties(w: _Walk, old: _View, new: _View, site: _Site) -> Iterator[Change]:
    before, after = _properties(w, w.old, old.schema), _properties(w, w.new, new.schema)
    old_required, new_required = _required(old.schema), _required(new.schema)
    for name, node in before.items():
        child = site.child(f".{name}")
        if name not in after:
            kind = "subschema-property-removed" if site.sub else f"{w.direction}-property-removed"
            yield w.change(kind, child, _label(_view(w.old, node)), None)
            continue
        was, now = name in old_required, name in new_required
        if was != now:
            kind = f"{w.direction}-property-became-{_required_word(now)}"
            yield w.change(kind, child, _required_word(was), _required_word(now))
        yield from _compare(w, node, after[name], child)
    for name, node in after.items():
        if name not in before:
            child = site.child(f".{name}")
            label = _label(_view(w.new, node))
            if w.direction == "response":
                yield w.change("response-property-added", child, None, label)
            else:
                required = "required" if name in new_required else "optional"
                yield w.change(f"request-property-added-{required}", child, None, label)


def _properties(w: _Walk, side: _Side, schema: Mapping[str, Any]) -> dict[str, Any]:
    """Properties the direction sees: readOnly ones are never sent, writeOnly ones never returned."""
    hidden = "readOnly" if w.direction == "request" else "writeOnly"
    props = schema.get("properties")
    if not isinstance(props, dict):
        return {}
    return {name: node for name, node in props.items() if _view(side, node).schema.get(hidden) is not True}


def _required(schema: Mapping[str, Any]) -> set[str]:
    required = schema.get("required")
    return {str(name) for name in required} if isinstance(required, list) else set()


def _compare_unions(w: _Walk, old: _View, new: _View, site: _Site) -> Iterator[Change]:
    old_branches = [_view(w.old, b) for b in old.branches] if old.branches else [old]
    new_branches = [_view(w.new, b) for b in new.branches] if new.branches else [new]
    if not old.branches:
        yield w.schema_change("union-widened", site, _label(old), " | ".join(map(_label, new_branches)))
    elif not new.branches:
        yield w.schema_change("union-narrowed", site, " | ".join(map(_label, old_branches)), _label(new))
    pairs, removed, added = _match(old_branches, new_branches)
    if old.branches and new.branches:
        for view in removed:
            yield w.schema_change("union-branch-removed", site, _label(view), None)
        for view in added:
            yield w.schema_change("union-branch-added", site, None, _label(view))
    for before, after in pairs:
        inner = site.branch(_label(after)) if old.branches and new.branches else site
        yield from _compare_views(w, before, after, inner, nulls=False)


def _match(old: list[_View], new: list[_View]) -> tuple[list[tuple[_View, _View]], list[_View], list[_View]]:
    """Pair union branches by component name, then title, then JSON type; the rest were removed or added."""
    pairs: list[tuple[_View, _View]] = []
    left, right = list(old), list(new)
    for identity in (_by_ref, _by_title, _by_types):
        for before in list(left):
            key = identity(before)
            after = next((a for a in right if key is not None and identity(a) == key), None)
            if after is not None:
                pairs.append((before, after))
                left.remove(before)
                right.remove(after)
    return pairs, left, right


def _by_ref(view: _View) -> Any:
    return view.ref


def _by_title(view: _View) -> Any:
    return view.schema.get("title")


def _by_types(view: _View) -> Any:
    return view.types or None


def _view(side: _Side, node: Any) -> _View:
    """Follow `$ref`s and one-branch unions; keywords written next to them win over the target's."""
    node_id, ref, nullable = id(node), None, False
    outer: dict[str, Any] = {}
    seen: set[str] = set()
    while True:
        node = node if isinstance(node, dict) else {}  # boolean schemas say nothing an SDK types
        target = node.get("$ref")
        if isinstance(target, str) and target not in seen:
            seen.add(target)
            ref = ref or target
            outer = {**{k: v for k, v in node.items() if k != "$ref"}, **outer}
            node = resolve_ref(side.spec, target, source=side.source, at="")
            continue
        key = "anyOf" if isinstance(node.get("anyOf"), list) else "oneOf" if isinstance(node.get("oneOf"), list) else ""
        branches = [b for b in node.get(key, []) if not _is_null(b)] if key else []
        nullable = nullable or (bool(key) and len(branches) < len(node[key]))
        if len(branches) == 1:
            outer = {**{k: v for k, v in node.items() if k != key}, **outer}
            node = branches[0]
            continue
        break
    schema: dict[str, Any] = {**{k: v for k, v in node.items() if k != key}, **outer}
    if isinstance(schema.get("allOf"), list):
        parts = [_view(side, part) for part in schema["allOf"]]
        schema = _merge_all_of(parts, schema)
        ref = ref or (parts[0].ref if len(parts) == 1 else None)
        nullable = nullable or (bool(parts) and all(p.nullable for p in parts))
        branches = branches or next((list(p.branches) for p in parts if p.branches), [])
    types, typed_null = _types(schema)
    enum_null = None in (schema.get("enum") or []) or ("const" in schema and schema["const"] is None)
    nullable = nullable or typed_null or enum_null or schema.get("nullable") is True
    return _View(schema, ref, nullable, types, tuple(branches), node_id)


def _merge_all_of(parts: list[_View], schema: Mapping[str, Any]) -> dict[str, Any]:
    """One object from its `allOf` parts: properties and required lists add up; the first word wins."""
    merged: dict[str, Any] = {}
    outer = {k: v for k, v in schema.items() if k != "allOf"}
    for source, wins in (*((p.schema, False) for p in parts), (outer, True)):  # siblings of allOf win
        for key, value in source.items():
            if key == "properties" and isinstance(value, dict):
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required" and isinstance(value, list):
                merged["required"] = [*merged.get("required", []), *value]
            elif wins or key not in merged:
                merged[key] = value
    return merged


def _is_null(node: Any) -> bool:
    return isinstance(node, dict) and (node.get("type") == "null" or node.get("type") == ["null"])


def _types(schema: Mapping[str, Any]) -> tuple[frozenset[str], bool]:
    """JSON types without null (inferred when `type` is absent), and whether null was one."""
    written = schema.get("type")
    if isinstance(written, str):
        types = {written}
    elif isinstance(written, list):
        types = {str(t) for t in written}
    elif "properties" in schema or "additionalProperties" in schema:
        types = {"object"}
    elif "items" in schema:
        types = {"array"}
    else:
        values = schema.get("enum") or ([schema["const"]] if "const" in schema else [])
        types = {_json_type(v) for v in values if v is not None}
    return frozenset(types - {"null"}), "null" in types


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "string"


def _is_const(schema: Mapping[str, Any]) -> bool:
    """A constant: `const`, or a one-value `enum` (the generator makes both a `Literal`)."""
    if "const" in schema:
        return True
    values = schema.get("enum")
    return isinstance(values, list) and len([v for v in values if v is not None]) == 1


def _enum(schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """Enum values without null, keyed by their JSON text; `const` is a one-value enum."""
    values = schema.get("enum") if isinstance(schema.get("enum"), list) else None
    if values is None and "const" in schema:
        values = [schema["const"]]
    if values is None:
        return None
    return {json.dumps(_plain(v), sort_keys=True): v for v in values if v is not None}


def _constraints(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Validation keywords, with 3.0's boolean `exclusiveMaximum: true` turned into 3.1's number."""
    found = {k: schema[k] for k in (*_UPPER, *_LOWER, *_VALUES) if k in schema}
    if found.get("pattern") in _MATCH_ALL:
        del found["pattern"]
    for exclusive, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
        if isinstance(found.get(exclusive), bool) and found.pop(exclusive) and bound in found:
            found[exclusive] = found.pop(bound)
    if found.get("uniqueItems") is False:
        del found["uniqueItems"]
    return found


def _deprecation_schema(w: _Walk, site: _Site, old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    was, now = old.get("deprecated") is True, new.get("deprecated") is True
    if was != now:
        yield w.schema_change("deprecated" if now else "deprecation-removed", site)


def _deprecation(
    w: _Walk, site: _Site, old: Mapping[str, Any], new: Mapping[str, Any], added: str, removed: str
) -> Iterator[Change]:
    was, now = old.get("deprecated") is True, new.get("deprecated") is True
    if was != now:
        yield w.change(added if now else removed, site)


def _doc(w: _Walk, site: _Site, old: Any, new: Any) -> Iterator[Change]:
    """Description changes, whitespace aside (YAML re-folding is not a change)."""
    if _words(old) != _words(new):
        yield w.change("description-changed", site, old, new)


def _words(text: Any) -> str:
    return " ".join(str(text).split()) if text is not None else ""


def _label(view: _View) -> str:
    """A short name for a schema: its component, its title or its JSON type."""
    if view.ref:
        return _name(view.ref)
    if view.branches:
        return " | ".join(_branch_label(b) for b in view.branches)
    title = view.schema.get("title")
    base = str(title) if title else "|".join(sorted(view.types)) or "any"
    return f"{base} | null" if view.nullable else base


def _branch_label(node: Any) -> str:
    """A union branch named without resolving it: its component, title or type."""
    if not isinstance(node, dict):
        return "any"
    if isinstance(node.get("$ref"), str):
        return _name(node["$ref"])
    return str(node.get("title") or node.get("type") or "object")


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _plain(value: Any) -> Any:
    """JSON-safe: YAML dates and other scalars become strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# --- Unchanged components --------------------------------------------------------------------


def unchanged_components(old: Mapping[str, Any], new: Mapping[str, Any]) -> frozenset[str]:
    """Component refs equal in both specs, and so is everything they reach (changes spread to users)."""
    refs_of: dict[str, set[str]] = {}
    changed: set[str] = set()
    new_components = new.get("components") or {}
    for section, entries in (old.get("components") or {}).items():
        if not isinstance(entries, dict):
            continue
        others = new_components.get(section) or {}
        for name, value in entries.items():
            ref = f"#/components/{escape(str(section))}/{escape(str(name))}"
            refs_of[ref] = {target for target, _ in iter_refs(value)}
            if not isinstance(others, dict) or name not in others or others[name] != value:
                changed.add(ref)
    users: dict[str, set[str]] = {}
    for ref, targets in refs_of.items():
        for target in targets:
            users.setdefault(target, set()).add(ref)
    stack = [*changed, *(t for targets in refs_of.values() for t in targets if t not in refs_of)]
    while stack:
        for user in users.get(stack.pop(), ()):
            if user not in changed:
                changed.add(user)
                stack.append(user)
    return frozenset(refs_of.keys() - changed)


def summary(changes: Sequence[Change]) -> dict[str, int]:
    doc = sum(c.doc_only for c in changes)
    breaking = sum(c.breaking for c in changes)
    return {
        "breaking": breaking,
        "non_breaking": len(changes) - breaking - doc,
        "warnings": sum(c.rule.level == "warn" for c in changes),
        "description_only": doc,
    }
