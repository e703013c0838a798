"""JSON pointers and local `$ref`s.

Input: a document and pointers or refs inside it. Output: the values they point to,
and the set of component refs reachable from a part of the document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import CodegenError


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: str | int) -> str:
    return "".join("/" + escape(str(t)) for t in tokens)


def split_pointer(ptr: str) -> list[str]:
    if ptr in ("", "#"):
        return []
    ptr = ptr.removeprefix("#")
    if not ptr.startswith("/"):
        raise ValueError(f"not a JSON pointer: {ptr!r}")
    return [unescape(t) for t in ptr[1:].split("/")]


def resolve_pointer(doc: Any, ptr: str, *, source: str = "<spec>") -> Any:
    node = doc
    for token in split_pointer(ptr):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise CodegenError.at(source, ptr, "$ref target does not exist")
    return node


def resolve_ref(doc: dict[str, Any], ref: str, *, source: str, at: str) -> Any:
    """Resolve a local `$ref` (`#/...`); `at` is where the ref sits, for errors."""
    if not ref.startswith("#"):
        raise CodegenError.at(source, at, f"only local $refs are supported, got {ref!r}")
    try:
        return resolve_pointer(doc, ref, source=source)
    except CodegenError:
        raise CodegenError.at(source, at, f"dangling $ref {ref!r}") from None


def ref_values(node: Any) -> list[Any]:
    """The value of every `$ref` in `node`, in no set order: a walk that builds no pointers, for
    whole schemas and path items (`iter_refs` says where each is)."""
    found: list[Any] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "$ref" in item:
                found.append(item["$ref"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def iter_refs(node: Any, at: str = "") -> Iterator[tuple[str, str]]:
    """Yield (ref, pointer of the object holding it) for every `$ref`, in document order."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref, at
        for key, value in node.items():
            if key != "$ref":
                yield from iter_refs(value, f"{at}/{escape(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from iter_refs(value, f"{at}/{index}")


def ref_closure(doc: dict[str, Any], roots: list[tuple[Any, str]], *, source: str) -> set[str]:
    """Every ref reachable from `roots` (value, pointer of the value), transitively."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        node, at = stack.pop()
        for ref, ref_at in iter_refs(node, at):
            if ref not in seen:
                seen.add(ref)
                stack.append((resolve_ref(doc, ref, source=source, at=ref_at), ref.removeprefix("#")))
    return seen
