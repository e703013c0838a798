"""Python source in black's layout, for the few shapes the client templates print.

Input: a statement as text before a bracketed group, the group (`Group`: a call's arguments, a
collection, an import's names, a signature's parameters, a subscript) and text after it, and the
indentation. Output: the statement laid out as black lays it out, so that the formatter's first
pass finds nothing to change (black formats a second time whenever its first pass changes
something): on one line if it fits in 100 columns; else the head and the opening bracket, the items
on one indented line and the closing bracket, if that fits; else one item per line with a trailing
comma, each item laid out the same way. A collection, a tuple of more than one item and an import's
names are always one per line once split (black explodes them). Also black's parentheses around a
long union (a parameter's or a return annotation), and its ways with an annotated assignment whose
target is long (`annotated`). String literals are written with black's quotes (`string`, `literal`).

These are black's right-hand split, left-hand split (signatures) and delimiter split for items
without operators of their own. Anything else (an item with operators that does not fit on its
line, a head longer than a line, characters black measures otherwise) is printed on one line, as
the templates always did, and black lays it out. The formatted result is the same either way: black
ignores line breaks it did not choose, and a trailing comma (which black would keep) is only
printed where black prints one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

WIDTH = 100  # black's line length (format.py MODE)
INDENT = "    "

Kind = Literal["call", "collection", "tuple", "import", "def", "subscript"]


@dataclass(frozen=True, slots=True)
class Group:
    """`head` + brackets around comma-separated `items`. `kind`: a call's arguments; a collection
    display (list, dict, set); a tuple (a one-item tuple keeps its comma); the names of a `from ...
    import` (no brackets on one line); a function's parameters (`def` signatures); a subscript's
    items (`Outer[A, B]`, split only onto one line of its own)."""

    head: str
    items: tuple[Item, ...]
    kind: Kind = "call"
    opening: str = "("

    @property
    def closing(self) -> str:
        return {"(": ")", "[": "]", "{": "}"}[self.opening]


Item = str | Group


class _Unsure(Exception):
    """A shape these rules do not cover: black lays it out."""


def string(value: str) -> str:
    """A string literal as black writes it: double quotes, unless they need more escapes than single ones."""
    text = repr(value)
    # repr chose double quotes (the value has a ' and no "), or it has more " than ' to escape.
    if text[0] == '"' or value.count('"') > value.count("'"):
        return text
    return '"' + _ESCAPE.sub(_requote, text[1:-1]) + '"'


_ESCAPE = re.compile(r"\\(.)|\"", re.S)  # an escape sequence, or a bare double quote


def _requote(match: re.Match[str]) -> str:
    """Inside a single-quoted body moved into double quotes: \\' becomes ', " becomes \\"."""
    if match.group(1) is None:
        return '\\"'
    return "'" if match.group(1) == "'" else match.group(0)


def literal(value: object) -> str:
    """A Python value (str, number, bool, None, and tuples, lists and dicts of them) on one line,
    written as `repr` would, with black's quotes."""
    match value:
        case str():
            return string(value)
        case tuple():
            inner = ", ".join(literal(v) for v in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        case list():
            return f"[{', '.join(literal(v) for v in value)}]"
        case dict():
            return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
        case _:
            return repr(value)


def value(data: object, head: str = "") -> Item:
    """A Python value as an item to lay out: tuples, lists and dicts become groups (`head` before them)."""
    match data:
        case tuple():
            return Group(head, tuple(value(v) for v in data), "tuple")
        case list():
            return Group(head, tuple(value(v) for v in data), "collection", "[")
        case dict():
            items = tuple(value(v, f"{literal(k)}: ") for k, v in data.items())
            return Group(head, items, "collection", "{")
        case _:
            return head + literal(data)


def flat(item: Item) -> str:
    """The item on one line."""
    if isinstance(item, str):
        return item
    inner = ", ".join(flat(i) for i in item.items)
    if item.kind == "import":
        return f"{item.head}{inner}"
    if item.kind == "tuple" and len(item.items) == 1:
        inner += ","
    return f"{item.head}{item.opening}{inner}{item.closing}"


def statement(group: Group, tail: str = "", *, indent: int) -> str:
    """`group` + `tail` (`:` after a signature or class head) as black lays it out at `indent`
    spaces: lines joined by newlines, the first without its indentation (the template gives it).
    The group's head must be one black splits after: `return f(...)`, `name: T = f(...)`,
    `x.y = f(...)`, `class C(...)`, `from m import ...`, `def f(...)`."""
    one = flat(group) + tail
    try:
        if _fits(one, indent):
            return one
        return "\n".join(_split(group, tail, indent))[indent:]
    except _Unsure:
        return one


def annotated(target: str, annotation: str, group: Group) -> str:
    """`target: annotation = group(...)` at a module's top level, as black lays it out: as
    `statement` does while `target: annotation = group(` fits; else the value in parentheses while
    `target: annotation = (` fits; else split at the annotation's brackets (`target: Outer[` /
    `Inner` / `] = group(...)`)."""
    left = f"{target}: {annotation} ="
    whole = Group(f"{left} {group.head}", group.items, group.kind, group.opening)
    try:
        if _fits(flat(whole), 0) or _fits(f"{whole.head}{group.opening}", 0):
            return statement(whole, indent=0)
        if _fits(f"{left} (", 0):
            return "\n".join([f"{left} (", *_item(group, "", len(INDENT)), ")"])
        outer, _, inner = annotation.removesuffix("]").partition("[")
        if not (annotation.endswith("]") and inner and len(_top_level(inner)) == 1):
            raise _Unsure
        if not (_fits(f"{target}: {outer}[", 0) and _fits(inner, len(INDENT))):
            raise _Unsure
        rest = Group(f"] = {group.head}", group.items, group.kind, group.opening)
        return "\n".join([f"{target}: {outer}[", INDENT + inner, statement(rest, indent=0)])
    except _Unsure:
        return flat(whole)


def _fits(text: str, indent: int) -> bool:
    if not text.isascii():
        raise _Unsure  # black counts the width of some characters twice, of others not at all
    return indent + len(text) <= WIDTH


def _split(group: Group, tail: str, indent: int) -> list[str]:
    """The head and opening bracket, the body one level deeper, the closing bracket and the tail."""
    pad = " " * indent
    opening = group.head + ("(" if group.kind == "import" else group.opening)
    closing = [pad + (")" if group.kind == "import" else group.closing) + tail]
    if not group.items:
        raise _Unsure
    if group.kind == "def" and tail.startswith(" -> ") and tail.endswith(":"):
        closing = [pad + returns_line([tail[4:-1]], indent=indent)]  # `) -> Name:`, as a signature's end
    elif not _fits(closing[0], 0):
        raise _Unsure
    if not _fits(opening, indent):
        if group.kind == "import":
            pass  # an import is split at its brackets however long its head
        elif group.head.startswith("return ") and not _BRACKETS.search(group.head):
            return _long_return(group, indent)
        else:
            raise _Unsure
    return [pad + opening, *_body(group, indent + len(INDENT)), *closing]


def _long_return(group: Group, indent: int) -> list[str]:
    """`return f(...)` whose `return f(` does not fit: black tries the call in parentheses and takes
    that if every line fits, else it leaves `return f(` long."""
    pad = " " * indent
    call = Group(group.head.removeprefix("return "), group.items, group.kind, group.opening)
    try:
        lines = [pad + "return (", *_item(call, "", indent + len(INDENT)), pad + ")"]
        if all(_fits(line, 0) for line in lines):
            return lines
    except _Unsure:
        pass
    return [pad + group.head + group.opening, *_body(group, indent + len(INDENT)), pad + group.closing]


def _body(group: Group, indent: int) -> list[str]:
    items = group.items
    if group.kind == "subscript" and not _fits(", ".join(flat(i) for i in items), indent):
        raise _Unsure  # black splits a subscript's items its own way (no comma may turn them into a tuple)
    if group.kind in ("collection", "tuple", "import") and len(items) > 1:
        return [line for item in items for line in _item(item, ",", indent)]  # black explodes these
    one = ", ".join(flat(i) for i in items)
    # A lone item keeps (tuple, import) or gets (a signature's only parameter) a trailing comma.
    comma = "," if len(items) == 1 and group.kind in ("tuple", "import", "def") else ""
    if _fits(one + comma, indent):
        return [" " * indent + one + comma]
    if len(items) == 1:
        return _item(items[0], comma, indent)
    return [line for item in items for line in _item(item, ",", indent)]


def _item(item: Item, comma: str, indent: int) -> list[str]:
    """One item of a split body, with its trailing comma if it has one."""
    one = flat(item) + comma
    if _fits(one, indent) or (isinstance(item, str) and _PLAIN.fullmatch(item)):
        return [" " * indent + one]  # black has nothing to split a plain item at: it stays long
    if isinstance(item, str):
        raise _Unsure
    return _split(item, comma, indent)


def parameter_line(name: str, options: list[str], default: str = "", *, indent: int) -> str:
    """A parameter line of an exploded signature (`name: A | B = default,`): too long, its union
    goes in parentheses (black's for long annotations), on one line or one option per line."""
    one = f"{name}: {' | '.join(options)}{default},"
    try:
        if _fits(one, indent) or len(options) < 2:
            return one
        lines = _union(options, indent + len(INDENT))
        return "\n".join([f"{name}: (", *lines, " " * indent + f"){default},"])
    except _Unsure:
        return one


def returns_line(options: list[str], tail: str = ":", *, indent: int) -> str:
    """The end of an exploded signature, `) -> A | B:` (`tail` after the annotation): too long, a
    union goes in parentheses (on one line or one option per line), a subscript is split at its
    brackets."""
    one = f") -> {' | '.join(options)}{tail}"
    try:
        if _fits(one, indent):
            return one
        if len(options) == 1 and options[0].endswith("]"):
            head, _, inner = options[0][:-1].partition("[")
            return statement(Group(f") -> {head}", tuple(_top_level(inner)), "subscript", "["), tail, indent=indent)
        if len(options) == 1 and not _fits(options[0], indent + len(INDENT)):
            return one  # black has nothing to split it at
        lines = _union(options, indent + len(INDENT))
        return "\n".join([") -> (", *lines, " " * indent + f"){tail}"])
    except _Unsure:
        return one


def _union(options: list[str], indent: int) -> list[str]:
    """A union inside black's parentheses: on one line, else one option per line (`| B`), an option
    too long for its line split at its brackets when it subscripts one name (`list[` / name / `]`)."""
    one = " | ".join(options)
    if _fits(one, indent):
        return [" " * indent + one]
    lines: list[str] = []
    for index, option in enumerate(options):
        line = f"| {option}" if index else option
        if _fits(line, indent) or _PLAIN.fullmatch(option):
            lines.append(" " * indent + line)
            continue
        head, _, inner = line.removesuffix("]").partition("[")
        if not (line.endswith("]") and _PLAIN.fullmatch(inner) and _fits(f"{head}[", indent)):
            raise _Unsure  # a plain name inside is left long when it does not fit either
        lines += [" " * indent + f"{head}[", " " * indent + INDENT + inner, " " * indent + "]"]
    return lines


def _top_level(text: str) -> list[str]:
    """`text` cut at its commas outside brackets and strings."""
    parts, depth, start, quote = [], 0, 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote and text[index - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    return [*parts, text[start:].strip()]


_BRACKETS = re.compile(r"[][(){}]")
_STRING = r'"(?:[^"\\\n]|\\.)*"'
# An item black cannot split: a name, dotted name or string, perhaps after `**`, `name=`, `name: `
# (a parameter) or `"key": `, and perhaps returned by a `lambda: `.
_PLAIN = re.compile(rf"(?:\*\*|\w+=|\w+: |{_STRING}: )?(?:lambda: )?(?:{_STRING}|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
