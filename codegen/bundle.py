"""Bundle a spec split over several files into one self-contained document.

Input: the loaded entry `Document` (its `source` is the path relative `$ref`s start from).
Output: a `Document` with the same source whose every `$ref` is local (`#/...`), so no later
stage ever reads another file.

- A `$ref` is `file#pointer`, `file` or `#pointer`; the file is relative to the file the `$ref`
  sits in; both parts may be percent-encoded (`paths.yaml#/paths/~1a~1%7Bb%7D`). Files are YAML
  or JSON (`.json`, `.json.gz`: JSON; anything else: YAML), each read once.
- A schema from another file goes into `components/schemas` under the name of its file
  (`schemas/Pet.yaml` → `Pet`) or of the pointer's last token (`models.yaml#/Pet` → `Pet`).
  Names are given after the whole walk, in a sorted order, so they do not depend on which
  `$ref` came first: when two schemas want the same name, the one nearest the entry file keeps
  it and the others are prefixed with their folder or file (`v2_Pet`), then with more of their
  path (`droplets_parameters_region`). An entry
  `components/schemas/Pet: {$ref: schemas/Pet.yaml}` keeps its own name and gets the content.
- Parameters, responses, request bodies, headers, examples and callbacks from other files go
  into their own components section the same way; anything else (path items, a description)
  is copied in place.
- A `$ref` to a place in the entry file, however it is spelled, becomes `#/...`.
- `$ref`s in extensions (`x-...`) and in example or default values are left as they are.
- A remote (`http://`, `https://`) `$ref`, a missing file or a pointer that leads nowhere is an
  error naming the file and the pointer of the `$ref`; every such problem is reported at once.
"""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import CodegenError, Problem
from .grammar import child_kind
from .load import Document, read_value
from .refs import escape, split_pointer

# Kinds of object that get a components section of their own when they come from another file.
SECTIONS = {
    "schema": "schemas",
    "parameter": "parameters",
    "response": "responses",
    "requestBody": "requestBodies",
    "header": "headers",
    "example": "examples",
    "callback": "callbacks",
}
_MISSING = object()
_COMPONENT_SCHEMA = re.compile(r"^/components/schemas/[^/]+$")
_STRUCTURE = frozenset(
    {"schema", "content", "items", "properties", "additionalProperties", "allOf", "anyOf", "oneOf", "not",
     "responses", "requestBody", "parameters", "components", "schemas", "paths", "webhooks", "headers",
     "requestBodies", "get", "put", "post", "delete", "options", "head", "patch", "trace", "$defs", "definitions"}
)  # fmt: skip
_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_REF_LIKE = re.compile(r"[#/]|\.(ya?ml|json)$", re.IGNORECASE)  # a mapping value that is a $ref, not a name
_FILE_SUFFIXES = re.compile(r"(\.(ya?ml|json))?(\.gz)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True, order=True)
class _Target:
    """One place in one file: (normalised absolute path, canonical JSON pointer)."""

    file: str
    pointer: str


@dataclass
class _Hoisted:
    section: str
    target: _Target
    content: Any = None
    name: str = ""
    preferred: str = ""  # the entry's own component name, when the entry referred to it by name
    refs: list[dict[str, Any]] = field(default_factory=list)  # $ref objects to point at the name
    mappings: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # discriminator mapping entries


class _Bundler:
    def __init__(self, document: Document) -> None:
        self.root_display = document.source
        self.root = _Target(_key(document.source), "")
        self.displays: dict[str, str] = {self.root.file: document.source}
        self.files: dict[str, Any] = {self.root.file: document.data}
        self.hoisted: dict[tuple[str, _Target], _Hoisted] = {}
        self.inlining: frozenset[_Target] = frozenset()
        self.jobs: deque[tuple[_Hoisted | dict[str, Any], _Target, str, dict[str, Any], frozenset[_Target]]] = deque()
        self.problems: list[Problem] = []
        # pointer in the entry file of a schema that a $ref names but that is no component → those $refs
        self.moves: dict[str, list[dict[str, Any]]] = {}
        # id → (node, file, pointer) of every object copied from another file, to say where a problem really is
        self.origin_nodes: dict[int, tuple[Any, str, str]] = {}

    # ---- reading ----------------------------------------------------------------------------

    def _file(self, key: str) -> Any:
        if key not in self.files:
            try:
                self.files[key] = read_value(self.displays[key])
            except CodegenError as exc:
                self.files[key] = exc
        return self.files[key]

    def _target(self, ref: str, *, file: str, at: str) -> _Target | None:
        """Where a `$ref` written in `file` points; None (and a problem) when it cannot be used."""
        where = self.displays[file]
        parts = urlsplit(ref)
        if parts.scheme.lower() in ("http", "https") or ref.startswith("//"):
            self._problem(where, at, f"remote $ref {ref!r} is not supported (no network at generation time): "
                          "download the file and refer to it by a relative path")  # fmt: skip
            return None
        if len(parts.scheme) > 1:
            self._problem(where, at, f"$ref {ref!r}: unsupported URI scheme {parts.scheme!r}")
            return None
        path, _, fragment = ref.partition("#")
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            self._problem(where, at, f"$ref {ref!r}: the part after '#' is not a JSON pointer")
            return None
        if path:
            display = os.path.normpath(os.path.join(os.path.dirname(where), unquote(path)))
            key = _key(display)
            self.displays.setdefault(key, display)
        else:
            key = file
        target = _Target(key, "".join("/" + escape(token) for token in split_pointer(fragment)))
        value = self._value(target)
        if isinstance(value, CodegenError):
            reason = "; ".join(f"{p.pointer}: {p.message}" if p.pointer else p.message for p in value.problems)
            self._problem(where, at, f"$ref {ref!r}: cannot use {self.displays[key]}: {reason}")
            return None
        if value is _MISSING:
            detail = f": {self.displays[key]} has nothing at #{target.pointer}" if path else ""
            self._problem(where, at, f"dangling $ref {ref!r}{detail}")
            return None
        return target

    def _value(self, target: _Target) -> Any:
        node = self._file(target.file)
        if isinstance(node, CodegenError):
            return node
        for token in split_pointer(target.pointer):
            if isinstance(node, dict):
                found = node.get(token, _MISSING)
                if found is _MISSING:  # YAML `200:` keys are integers
                    found = next((v for k, v in node.items() if str(k) == token), _MISSING)
                node = found
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return _MISSING
            if node is _MISSING:
                return _MISSING
        return node

    def _problem(self, source: str, at: str, message: str) -> None:
        self.problems.append(Problem(source, at or "/", message))

    # ---- copying ----------------------------------------------------------------------------

    def copy(self, node: Any, kind: str | None, *, file: str, at: str) -> Any:
        """A copy of `node` (of `kind`, inside `file` at `at`) with every followed `$ref` local."""
        if kind is None or not isinstance(node, (dict, list)):
            return node
        if isinstance(node, list):
            return [self.copy(v, child_kind(kind, i, v), file=file, at=f"{at}/{i}") for i, v in enumerate(node)]
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self._ref(node, ref, kind, file=file, at=at)
        out = {}
        for key, value in node.items():
            out[key] = self.copy(value, child_kind(kind, key, value), file=file, at=f"{at}/{escape(str(key))}")
        if kind == "discriminator" and isinstance(out.get("mapping"), dict):
            out["mapping"] = self._mapping(out["mapping"], file=file, at=f"{at}/mapping")
        return out

    def _siblings(self, node: dict[str, Any], kind: str, *, file: str, at: str) -> dict[str, Any]:
        return {
            key: self.copy(value, child_kind(kind, key, value), file=file, at=f"{at}/{escape(str(key))}")
            for key, value in node.items()
            if key != "$ref"
        }

    def _ref(self, node: dict[str, Any], ref: str, kind: str, *, file: str, at: str) -> Any:
        target = self._target(ref, file=file, at=at)
        siblings = self._siblings(node, kind, file=file, at=at)
        if target is None:
            return {"$ref": ref, **siblings}
        if target.file == self.root.file:
            out = {"$ref": "#" + target.pointer, **siblings}
            if kind == "schema" and target.pointer and not _COMPONENT_SCHEMA.match(target.pointer):
                self.moves.setdefault(target.pointer, []).append(out)
            return out
        section = SECTIONS.get(kind)
        if section is None:  # copied in place
            return self._inline(target, kind, siblings, ref=ref, file=file, at=at)
        out = {"$ref": "", **siblings}
        self._hoist(section, target, kind).refs.append(out)
        return out

    def _inline(self, target: _Target, kind: str, siblings: dict[str, Any], *, ref: str, file: str, at: str) -> Any:
        if target in self.inlining:
            self._problem(self.displays[file], at, f"$ref {ref!r} refers back to itself through a {kind} object")
            return {"$ref": ref}
        value = self._value(target)
        if not isinstance(value, dict):  # a description, a list: small, copied now
            return self.copy(value, kind, file=target.file, at=target.pointer)
        out: dict[str, Any] = {}  # filled later, so that nesting across files never deepens the stack
        self.jobs.append((out, target, kind, siblings, self.inlining | {target}))
        return out

    def _hoist(self, section: str, target: _Target, kind: str) -> _Hoisted:
        entry = self.hoisted.get((section, target))
        if entry is None:
            entry = self.hoisted[(section, target)] = _Hoisted(section, target)
            self.jobs.append((entry, target, kind, {}, frozenset()))
        return entry

    def _mapping(self, mapping: dict[str, Any], *, file: str, at: str) -> dict[str, Any]:
        """Discriminator mapping values that are references (not bare schema names) become local."""
        out = dict(mapping)
        for key, value in mapping.items():
            if not isinstance(value, str) or not _REF_LIKE.search(value):
                continue
            target = self._target(value, file=file, at=f"{at}/{escape(str(key))}")
            if target is None:
                continue
            if target.file == self.root.file:
                out[key] = "#" + target.pointer
            else:
                self._hoist("schemas", target, "schema").mappings.append((out, key))
        return out

    # ---- the entry document -----------------------------------------------------------------

    def run(self, data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = self.copy(data, "document", file=self.root.file, at="")
        while self.jobs:
            into, target, kind, siblings, inlining = self.jobs.popleft()
            self.inlining = inlining
            value = self.copy(self._value(target), kind, file=target.file, at=target.pointer)
            if isinstance(into, _Hoisted):
                into.content = value
            else:
                into.update(value if isinstance(value, dict) else {})
                into.update(siblings)
                value = into
            if isinstance(value, (dict, list)):
                self.origin_nodes[id(value)] = (value, self.displays[target.file], target.pointer)
        self.inlining = frozenset()
        self._name(out)
        self._move(out)
        return out

    def _move(self, out: dict[str, Any]) -> None:
        """A schema a `$ref` names inside the entry file but outside `components/schemas` (a response's
        schema, a property of a component) moves there, and its old place refers to it: the later
        stages only know `#/components/schemas/<name>`. Deepest first, so nested moves compose."""
        if not self.moves:
            return
        schemas = out.setdefault("components", {}).setdefault("schemas", {})
        taken = {str(name) for name in schemas}
        for pointer in sorted(self.moves, key=lambda p: (-p.count("/"), p)):
            tokens = split_pointer(pointer)
            parent: Any = out
            for token in tokens[:-1]:
                parent = parent[_key_in(parent, token)]
            last = _key_in(parent, tokens[-1])
            name = base = _schema_name(tokens)
            number = 2
            while name in taken:
                name = f"{base}_{number}"
                number += 1
            taken.add(name)
            schemas[name] = parent[last]
            if isinstance(parent[last], (dict, list)) and id(parent[last]) not in self.origin_nodes:
                self.origin_nodes[id(parent[last])] = (parent[last], self.root_display, pointer)
            local = f"#/components/schemas/{escape(name)}"
            parent[last] = {"$ref": local}
            for ref in self.moves[pointer]:
                ref["$ref"] = local

    def _name(self, out: dict[str, Any]) -> None:
        """Give every hoisted object its name, point its `$ref`s at it, add it to `components`."""
        if not self.hoisted:
            return
        components = out.setdefault("components", {})
        by_section: dict[str, list[_Hoisted]] = {}
        for entry in self.hoisted.values():
            by_section.setdefault(entry.section, []).append(entry)
        for section, entries in sorted(by_section.items()):
            existing = components.setdefault(section, {})
            owner = {id(ref): entry for entry in entries for ref in entry.refs}
            # An entry component that is nothing but a $ref to one of these gives it its name and takes its content.
            for name, value in existing.items():
                alias = owner.get(id(value))
                if alias is not None and not alias.preferred and isinstance(name, str):
                    alias.preferred = name
                    alias.refs.remove(value)
            taken = {str(name) for name in existing}
            for entry in sorted(entries, key=self._rank):
                entry.name = entry.preferred or self._free_name(entry, taken)
                taken.add(entry.name)
            for entry in sorted(entries, key=lambda e: e.name):
                existing[entry.name] = entry.content
                local = f"#/components/{section}/{escape(entry.name)}"
                for ref in entry.refs:
                    ref["$ref"] = local
                for mapping, key in entry.mappings:
                    mapping[key] = local

    def _rank(self, entry: _Hoisted) -> tuple[str, int, str, str]:
        relative = os.path.relpath(entry.target.file, os.path.dirname(self.root.file))
        return (_base_name(entry.target), relative.count(os.sep), relative, entry.target.pointer)

    def _free_name(self, entry: _Hoisted, taken: set[str]) -> str:
        """The base name; when taken, prefixed with the file's stem (a fragment) or folder, then with
        more of its path (`droplets_parameters_region`); a number only when the path runs out."""
        base = _base_name(entry.target)
        if base not in taken:
            return base
        relative = PurePosixPath(
            os.path.relpath(entry.target.file, os.path.dirname(self.root.file)).replace(os.sep, "/")
        )
        parts = [p for p in relative.parent.parts if p not in (".", "..")]
        if entry.target.pointer:
            parts.append(_FILE_SUFFIXES.sub("", relative.name))
        name = base
        for depth in range(1, len(parts) + 1):
            name = _clean("_".join([*parts[-depth:], base]))
            if name not in taken:
                return name
        number = 2
        candidate = f"{name}_{number}"
        while candidate in taken:
            number += 1
            candidate = f"{name}_{number}"
        return candidate

    def origins(self, out: dict[str, Any]) -> Origins:
        found: dict[str, tuple[str, str]] = {}
        if self.origin_nodes:
            stack: list[tuple[Any, str]] = [(out, "")]
            while stack:
                node, at = stack.pop()
                origin = self.origin_nodes.get(id(node))
                if origin is not None and origin[0] is node:
                    found[at] = origin[1:]
                if isinstance(node, dict):
                    stack.extend((v, f"{at}/{escape(str(k))}") for k, v in node.items() if isinstance(v, (dict, list)))
                elif isinstance(node, list):
                    stack.extend((v, f"{at}/{i}") for i, v in enumerate(node) if isinstance(v, (dict, list)))
        read = sorted(self.displays[k] for k, v in self.files.items() if k != self.root.file and v is not None)
        return Origins(found, read)


@dataclass(frozen=True, slots=True)
class Origins:
    """Where each part of a bundled document came from: {pointer in the bundle: (file, pointer there)},
    and every file read besides the entry file."""

    places: dict[str, tuple[str, str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def locate(self, problem: Problem) -> Problem:
        """The same problem, naming the file and pointer the user wrote (the bundle's own when unknown)."""
        if not self.places or not problem.pointer.startswith("/"):
            return problem
        tokens = problem.pointer.split("/")
        for end in range(len(tokens), 0, -1):
            origin = self.places.get("/".join(tokens[:end]))
            if origin is not None:
                rest = "/".join(tokens[end:])
                return Problem(origin[0], origin[1] + (f"/{rest}" if rest else "") or "/", problem.message)
        return problem


def _key(display: str) -> str:
    return os.path.normcase(os.path.abspath(display))


def _clean(name: str) -> str:
    return _NAME_CHARS.sub("_", name).strip("_") or "Schema"


def _base_name(target: _Target) -> str:
    tokens = split_pointer(target.pointer)
    if tokens:
        return _schema_name(tokens)
    return _clean(_FILE_SUFFIXES.sub("", os.path.basename(target.file)))


def _key_in(node: Any, token: str) -> Any:
    """The key or index of `node` that a pointer token means (YAML's `200:` keys are integers)."""
    if isinstance(node, list):
        return int(token)
    return token if token in node else next(k for k in node if str(k) == token)


def _schema_name(tokens: list[str]) -> str:
    """The last token of a pointer that names something (`.../Pet/content/application~1json/schema` → Pet)."""
    for token in reversed(tokens):
        if token not in _STRUCTURE and not token.isdigit() and "/" not in token:
            return _clean(token)
    return "Schema"


def bundle(document: Document) -> Document:
    """The spec with every `$ref` local; a `CodegenError` listing every unusable `$ref`."""
    return bundle_with_origins(document)[0]


def bundle_with_origins(document: Document) -> tuple[Document, Origins]:
    """`bundle`, and where each part of the result came from (for problems found later)."""
    bundler = _Bundler(document)
    data = bundler.run(document.data)
    if bundler.problems:
        raise CodegenError(sorted(set(bundler.problems), key=lambda p: (p.source, p.pointer, p.message)))
    return Document(data=data, source=document.source), bundler.origins(data)
