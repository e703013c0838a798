"""A large YAML text parsed a piece at a time, each piece's value kept in the cache under its text.

Input: the text, a function that parses a text whole (the loader's), the cache and a name for
the text (its file). Output: the parsed value, the same as the whole parse would give.

A spec update changes a few lines of a 3 MB file, which takes 0.9 s to parse again. The text is
cut where YAML cuts it: before each key of a block mapping (a line at the mapping's own
indentation), and pieces larger than `_PIECE` characters whose key opens a block mapping are cut
again inside (paths, components, each schema). A piece's value depends on its text alone, so it is
kept under a hash of that text. The first time, the text is parsed whole, and each piece's value
is taken from that parse: the pieces' keys must be the parse's keys, in order, each piece's first
line starting with its key, or nothing is kept. Later, only the pieces not seen before are parsed,
each on its own, and each must give one key. A text the cut cannot be trusted on is parsed whole,
as without a cache: anchors and aliases (a value would hang on another piece's text), directives,
more than one document, tabs in indentation, a flow-style root, complex keys.
"""

from __future__ import annotations

import hashlib
import itertools
import marshal
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from .cache import Cache, generator_fingerprint, key

_KIND = "yaml"
_PIECE = 4096  # characters: a larger piece opening a mapping is cut again
_MOST_NEW = 0.25  # share of the text in unseen pieces above which one whole parse is cheaper

_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]")
# A block scalar (`|`, `>-`, `|2`...) at the end of a line, after a key or a sequence dash.
_BLOCK_SCALAR = re.compile(r"(?:^|:|-)[ ]+[|>][-+0-9]*[ ]*(?:#.*)?$|^[ ]*[|>][-+0-9]*[ ]*$")
_DASHES = re.compile(r"[ ]*(?:-[ ]+)*")
_SCALAR_ENDS = frozenset("|>-+0123456789")
_NOT_A_KEY = frozenset("-#?[{|>!&*%@`\t")


@dataclass(slots=True)
class _Entry:
    """One key of a block mapping: its lines [start, end); `inside`, when it is cut again, holds
    the entries of its value (the key is then alone on line `start`)."""

    start: int
    end: int
    inside: list[_Entry] | None = None
    digest: bytes = b""  # of the piece's text, once `_pieces` has read it


@dataclass(frozen=True, slots=True)
class _Lines:
    """The text's lines, their indentation as `_indents` reads it, and where each starts."""

    lines: list[str]
    indents: list[int]
    offsets: list[int]


class _Refused(Exception):
    """The text is not one this cut is sure about: parse it whole."""


def parse(text: str, *, source: str, cache: Cache, whole: Callable[[str], Any]) -> Any:
    try:
        lines, entries = _cut(text)
    except _Refused:
        return whole(text)
    # Kept under the file's name: a checkout moved or a spec update saved beside the old one finds
    # it; two files of one name take turns (a piece's value hangs on its text, not on the file).
    entry = key("yaml-pieces", generator_fingerprint(), PurePath(source).name)
    known = cache.get_record(_KIND, entry)
    pieces = _pieces(lines, entries)
    new = [(digest, piece) for digest, piece in pieces.items() if digest not in known]
    if known and sum(len(piece) for _, piece in new) <= _MOST_NEW * len(text):
        try:
            values = {digest: _alone(piece) for digest, piece in new}
        except _Refused:
            return whole(text)
        value = _assembled(lines, entries, known, values)
        if new:
            kept = {digest: known.get(digest) or values[digest] for digest in pieces}
            cache.put_record(_KIND, entry, kept)
        return value
    value = whole(text)
    try:
        kept = {}
        _take(value, lines, entries, kept)
    except (_Refused, ValueError):  # ValueError: a value marshal cannot keep (a timestamp)
        return value
    cache.put_record(_KIND, entry, kept)
    return value


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _text(lines: list[str], entry: _Entry) -> str:
    """A piece's text: the whole entry, or its key line alone when it is cut again."""
    return lines[entry.start] if entry.inside is not None else "".join(lines[entry.start : entry.end])


def _pieces(lines: list[str], entries: list[_Entry]) -> dict[bytes, str]:
    found: dict[bytes, str] = {}
    for entry in entries:
        piece = _text(lines, entry)
        entry.digest = _digest(piece)
        found[entry.digest] = piece
        if entry.inside is not None:
            found.update(_pieces(lines, entry.inside))
    return found


def _alone(piece: str) -> bytes:
    """A piece parsed on its own: it must be a mapping of one key."""
    import yaml

    from .load import _Loader

    try:
        value = yaml.load(piece, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        raise _Refused from None
    if not isinstance(value, dict) or len(value) != 1:
        raise _Refused
    try:
        return marshal.dumps(value)
    except ValueError:
        raise _Refused from None


def _assembled(lines: list[str], entries: list[_Entry], *stores: dict[bytes, bytes]) -> dict[Any, Any]:
    """The mapping the entries make, each piece's value unmarshalled afresh (the same text twice
    gives two values, as two parses would)."""
    mapping: dict[Any, Any] = {}
    for entry in entries:
        data = next(store[entry.digest] for store in stores if entry.digest in store)
        ((name, value),) = marshal.loads(data).items()  # noqa: S302 - from the record above or this run
        mapping[name] = value if entry.inside is None else _assembled(lines, entry.inside, *stores)
    return mapping


def _take(value: Any, lines: list[str], entries: list[_Entry], kept: dict[bytes, bytes]) -> None:
    """Each piece's value from the whole parse, when the pieces are its keys in order."""
    if not isinstance(value, dict) or len(value) != len(entries):
        raise _Refused
    for (name, item), entry in zip(value.items(), entries, strict=True):
        if not _starts_with_key(lines[entry.start], name):
            raise _Refused
        kept[entry.digest] = marshal.dumps({name: item if entry.inside is None else None})
        if entry.inside is not None:
            _take(item, lines, entry.inside, kept)


def _starts_with_key(line: str, name: Any) -> bool:
    """The line starts with the key as written (plain or quoted), then its colon."""
    if isinstance(name, bool) or not isinstance(name, str | int):
        return False
    text = line.lstrip(" ")
    written = str(name)
    return any(text.startswith(f"{form}:") for form in (written, f"'{written}'", f'"{written}"'))


def _cut(text: str) -> tuple[list[str], list[_Entry]]:
    lines = text.splitlines(keepends=True)
    indents = _indents(lines)
    offsets = [0, *itertools.accumulate(map(len, lines))]
    entries = _entries(_Lines(lines, indents, offsets), 0, len(lines), 0)
    if not entries:
        raise _Refused
    return lines, entries


def _indents(lines: list[str]) -> list[int]:
    """Each line's indentation, or -1 for a line that is no node's start: blank, a comment, inside
    a block scalar. Raises `_Refused` for what the cut does not handle."""
    indents: list[int] = []
    scalar = ""  # a block scalar's text: lines starting with these spaces (most lines of a spec)
    for number, line in enumerate(lines):
        if scalar:
            if line.startswith(scalar) or not line.strip():
                indents.append(-1)
                continue
            scalar = ""
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if not body.strip() or body.startswith("#"):
            indents.append(-1)
            continue
        if body[0] == "\t" or body.startswith("\ufeff"):
            raise _Refused
        if indent == 0 and body.startswith(("---", "...", "%")):
            if number == _first_content(lines) and body.rstrip() == "---":
                indents.append(-1)  # one leading document start, as many files have
                continue
            raise _Refused
        if ("&" in body or "*" in body) and _ANCHOR_OR_ALIAS.search(line):
            raise _Refused
        tail = body.rstrip()
        if (tail[-1] in _SCALAR_ENDS or "#" in tail) and _BLOCK_SCALAR.search(tail):
            scalar = " " * (_DASHES.match(line).end() + 1)  # type: ignore[union-attr] # always matches
        indents.append(indent)
    return indents


def _first_content(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), -1)


def _entries(text: _Lines, start: int, end: int, indent: int) -> list[_Entry]:
    """The keys of the block mapping at `indent` in lines [start, end)."""
    lines, indents = text.lines, text.indents
    entries: list[_Entry] = []
    for number in range(start, end):
        column = indents[number]
        if column < 0 or (column > indent) or (column == indent and lines[number][indent] == "-" and entries):
            continue  # inside the current entry (a compact sequence under its key included)
        if column < indent or lines[number][indent] in _NOT_A_KEY:
            raise _Refused
        if entries:
            entries[-1].end = number
        entries.append(_Entry(number, end))
    if entries and any(indents[n] >= 0 for n in range(start, entries[0].start)):
        raise _Refused
    for entry in entries:
        _cut_again(text, entry)
    return entries


def _cut_again(text: _Lines, entry: _Entry) -> None:
    """Cut a large entry whose key opens a block mapping into that mapping's entries."""
    lines, indents = text.lines, text.indents
    if text.offsets[entry.end] - text.offsets[entry.start] <= _PIECE or not lines[entry.start].rstrip().endswith(":"):
        return
    first = next((n for n in range(entry.start + 1, entry.end) if indents[n] >= 0), None)
    if first is None:
        return
    inner = indents[first]
    if inner <= indents[entry.start] or lines[first][inner] in _NOT_A_KEY:
        return
    entry.inside = _entries(text, entry.start + 1, entry.end, inner)
