"""Python types as a small tree: what a schema validates to, as the client states it.

Input: nothing (definitions and pure functions). `build` makes these from model schemas; the
client renderer prints them (`annotation`) and asks what they need imported (`names_used`).
No stage reads a type back from text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

BuiltinName = Literal["str", "int", "float", "bool", "bytes", "None", "Any"]


@dataclass(frozen=True, slots=True)
class Builtin:
    name: BuiltinName


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A class or type alias of models.py."""

    name: str


@dataclass(frozen=True, slots=True)
class ListOf:
    item: TypeNode


@dataclass(frozen=True, slots=True)
class MapOf:
    """A JSON object used as a map: `dict[str, value]`."""

    value: TypeNode


@dataclass(frozen=True, slots=True)
class UnionOf:
    options: tuple[TypeNode, ...]  # flat, no duplicates, None last (see `union`)


@dataclass(frozen=True, slots=True)
class LiteralOf:
    value: str | int | float | bool


@dataclass(frozen=True, slots=True)
class Upload:
    """A file to send: bytes, a file object, a path or a `(name, content, type)` tuple."""


@dataclass(frozen=True, slots=True)
class Binary:
    """Raw bytes to send: bytes, a file object, a path, or an iterator of chunks."""


@dataclass(frozen=True, slots=True)
class StreamOf:
    """Server-sent events, one `event` each (`Stream[...]`, or `AsyncStream[...]` when async)."""

    event: TypeNode


@dataclass(frozen=True, slots=True)
class PageOf:
    """A page of a list operation (`SyncCursorPage[...]`); async, the paginator that awaits to the
    first page and iterates every item (`AsyncPaginator[item, AsyncCursorPage[item]]`)."""

    kind: Literal["cursor", "offset", "token", "link"]
    item: TypeNode

    def page_class(self, *, is_async: bool) -> str:
        return f"{'Async' if is_async else 'Sync'}{self.kind.capitalize()}Page"


TypeNode = Builtin | ModelRef | ListOf | MapOf | UnionOf | LiteralOf | Upload | Binary | StreamOf | PageOf

NONE = Builtin("None")
ANY = Builtin("Any")


def union(*nodes: TypeNode) -> TypeNode:
    """`a | b`, flattened and without repeats; None goes last, as people write it."""
    options: list[TypeNode] = []
    for node in nodes:
        for option in node.options if isinstance(node, UnionOf) else (node,):
            if option not in options:
                options.append(option)
    if NONE in options:
        options = [o for o in options if o != NONE] + [NONE]
    return options[0] if len(options) == 1 else UnionOf(tuple(options))


def annotation(
    node: TypeNode,
    *,
    models: str = "",
    is_async: bool = False,
    qualified: frozenset[str] = frozenset(),
    spell_value: Callable[[object], str] = repr,
) -> str:
    """The annotation as written in source; model names get the `models` prefix (`models.`), and the
    builtins in `qualified` the `builtins.` prefix (in a class with a method named `list`);
    `Literal` values are spelled by `spell_value` (the renderer's: black's quotes)."""

    def spell(name: str) -> str:
        return f"builtins.{name}" if name in qualified else name

    def inner(n: TypeNode) -> str:
        return annotation(n, models=models, is_async=is_async, qualified=qualified, spell_value=spell_value)

    match node:
        case Builtin(name):
            return spell(name) if name not in ("None", "Any") else name
        case ModelRef(name):
            return models + name
        case ListOf(item):
            return f"{spell('list')}[{inner(item)}]"
        case MapOf(value):
            return f"{spell('dict')}[{spell('str')}, {inner(value)}]"
        case UnionOf(options):
            return " | ".join(inner(o) for o in options)
        case LiteralOf(value):
            return f"Literal[{spell_value(value)}]"
        case Upload():
            return "FileTypes"
        case Binary():
            return "BinaryContent"
        case StreamOf(event):
            return f"{'Async' if is_async else ''}Stream[{inner(event)}]"
        case PageOf(_, item):
            page = f"{node.page_class(is_async=is_async)}[{inner(item)}]"
            return f"AsyncPaginator[{inner(item)}, {page}]" if is_async else page
    raise AssertionError(node)  # pragma: no cover - the match is exhaustive


def builtins_spelled(node: TypeNode) -> set[str]:
    """Every builtin type name an annotation spells (`dict[str, list[int]]`: dict, str, list, int)."""
    found: set[str] = set()
    for n in walk(node):
        if isinstance(n, ListOf):
            found.add("list")
        elif isinstance(n, MapOf):
            found |= {"dict", "str"}
        elif isinstance(n, Builtin) and n.name not in ("None", "Any"):
            found.add(n.name)
    return found


def walk(node: TypeNode) -> Iterator[TypeNode]:
    """The node and every node inside it."""
    yield node
    match node:
        case ListOf(item):
            yield from walk(item)
        case MapOf(value):
            yield from walk(value)
        case UnionOf(options):
            for option in options:
                yield from walk(option)
        case StreamOf(event):
            yield from walk(event)
        case PageOf(_, item):
            yield from walk(item)


def model_names(node: TypeNode) -> set[str]:
    return {n.name for n in walk(node) if isinstance(n, ModelRef)}


def names_used(node: TypeNode, *, is_async: bool = False) -> set[str]:
    """Names an annotation needs besides models: `Any`, `Literal`, `FileTypes`, `BinaryContent`, `Stream`,
    the page classes."""
    found: set[str] = set()
    for n in walk(node):
        if n == ANY:
            found.add("Any")
        elif isinstance(n, LiteralOf):
            found.add("Literal")
        elif isinstance(n, Upload):
            found.add("FileTypes")
        elif isinstance(n, Binary):
            found.add("BinaryContent")
        elif isinstance(n, StreamOf):
            found.add("AsyncStream" if is_async else "Stream")
        elif isinstance(n, PageOf):
            found |= {n.page_class(is_async=is_async), "AsyncPaginator"} if is_async else {n.page_class(is_async=False)}
    return found


def builtins_named(node: TypeNode) -> set[str]:
    """The builtin names the outermost level of an annotation spells (`list[...] | None`: list)."""
    found: set[str] = set()
    for option in node.options if isinstance(node, UnionOf) else (node,):
        if isinstance(option, ListOf):
            found.add("list")
        elif isinstance(option, MapOf):
            found.add("dict")
        elif isinstance(option, Builtin) and option.name not in ("None", "Any"):
            found.add(option.name)
    return found
