"""A module's top-level statements, and the names each defines and uses; with a cache, only the
chunks of text not seen before are parsed.

Input: the module's text (the models stage's output: 1.4 MB for the whole upstream API) and maybe
a cache. Output: `Statements`: the imports, then each other statement's source, the name it
defines, the names it uses and whether it is a bare string (a docstring).

Parsing and walking the whole text costs 0.25 s, after a spec update that changed one class too. The
text is cut into chunks before each line that starts a definition at the top (a decorator, `class`,
an assignment, a call, `type`; not inside a triple-quoted string, not after a decorator), and each
chunk's statements are kept under a hash of its text. A chunk that is known, or that parses on its
own, is whole statements: it starts where a statement starts (its predecessor was whole statements)
and a text that stopped inside a statement would not parse. So the chunks' statements, in order, are
those of the whole text. The first time, the whole text is parsed and each chunk's statements are
taken from that parse, only when no statement crosses a cut; a chunk that does not parse makes the
whole text parse, as without a cache (and raise its error).
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import marshal
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cache import Cache

_KIND = "statements"
# Where a chunk may start: a line that starts a decorator, a class, an assignment, a call or a type alias.
_CUT = re.compile(r"(?:@[A-Za-z_]|class \w+[(:]|type \w+(?:\[.*\])? =|[A-Za-z_][\w.]*\(|[A-Za-z_]\w*(?:: [^\n=]*)? = )")
_TRIPLE = re.compile(r'"""|\'\'\'')

# An import as data: (module or None for `import x`, level, ((name, alias or None), ...)).
Import = tuple[str | None, int, tuple[tuple[str, str | None], ...]]
# A statement as data: (source, defined name or None, names used, is a bare string).
Statement = tuple[str, str | None, tuple[str, ...], bool]


@dataclass(frozen=True, slots=True)
class Statements:
    imports: list[Import]
    body: list[Statement]


def read(text: str, cache: Cache | None = None) -> Statements:
    if cache is None:
        return _joined(item for _, _, item in _parsed(text))
    from .cache import generator_fingerprint, key

    chunks = _chunks(text)
    digests = [_digest(chunk) for chunk in chunks]
    entry = key("statements-last", generator_fingerprint())
    known = cache.get_record(_KIND, entry)
    if known:
        found: dict[bytes, bytes] = {}
        try:
            for digest, chunk in zip(digests, chunks, strict=True):
                if digest not in known and digest not in found:
                    found[digest] = marshal.dumps([item for _, _, item in _parsed(chunk)])
        except SyntaxError:
            return _joined(item for _, _, item in _parsed(text))
        kept = {digest: known.get(digest) or found[digest] for digest in digests}
        if found:
            cache.put_record(_KIND, entry, kept)
        return _joined(item for digest in digests for item in marshal.loads(kept[digest]))  # noqa: S302
    parsed = _parsed(text)
    record = _by_chunk(parsed, chunks, digests)
    if record is not None:
        cache.put_record(_KIND, entry, record)
    return _joined(item for _, _, item in parsed)


def _digest(chunk: str) -> bytes:
    return hashlib.blake2b(chunk.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _chunks(text: str) -> list[str]:
    """The text cut before each line that starts a definition, outside triple-quoted strings (a
    docstring's line may read like code) and not after a decorator."""
    starts = [0]
    offset = 0
    quote = ""  # the triple quote of a string open at the start of the line
    previous = ""
    for line in text.splitlines(keepends=True):
        if offset and not quote and _CUT.match(line) and not previous.startswith("@"):
            starts.append(offset)
        if '"""' in line or "'''" in line:
            for match in _TRIPLE.finditer(line):
                if not quote:
                    quote = match.group()
                elif match.group() == quote:
                    quote = ""
        offset += len(line)
        previous = line
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True) if b > a]


def _joined(items: Iterable[Any]) -> Statements:
    imports: list[Import] = []
    body: list[Statement] = []
    for item in items:
        if len(item) == 3:
            imports.append(item)
        else:
            body.append(item)
    return Statements(imports, body)


def _by_chunk(parsed: list[tuple[int, int, Any]], chunks: list[str], digests: list[bytes]) -> dict[bytes, bytes] | None:
    """Each chunk's statements, from the whole parse: None when a statement crosses a cut."""
    out: dict[bytes, list[Any]] = {}
    ends = list(itertools.accumulate(len(chunk.splitlines()) for chunk in chunks))  # lines up to each chunk's end
    index = 0
    for first, last, item in parsed:
        while index < len(ends) and first > ends[index]:
            out.setdefault(digests[index], [])
            index += 1
        if index == len(ends) or last > ends[index]:
            return None
        out.setdefault(digests[index], []).append(item)
    return {digest: marshal.dumps(out.get(digest, [])) for digest in digests}


def _parsed(text: str) -> list[tuple[int, int, Import | Statement]]:
    """Each top-level statement of `text` as data, with its first and last line (1-based)."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    out: list[tuple[int, int, Import | Statement]] = []
    for node in tree.body:
        end = node.end_lineno or node.lineno
        if isinstance(node, ast.ImportFrom):
            names = tuple((a.name, a.asname) for a in node.names)
            out.append((node.lineno, end, (node.module, node.level, names)))
            continue
        if isinstance(node, ast.Import):
            out.append((node.lineno, end, (None, 0, tuple((a.name, a.asname) for a in node.names))))
            continue
        first = node.lineno - len(getattr(node, "decorator_list", []))
        source = "".join(lines[first - 1 : end])
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        defined: str | None = None
        if isinstance(node, ast.ClassDef):
            defined = node.name
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            defined = node.targets[0].id
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            owner: Any = call.args[0] if call.args else None  # mark_deprecated(X, ...)
            if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
                owner = call.func.value  # X.model_rebuild()
            used |= {"@" + owner.id} if isinstance(owner, ast.Name) else set()
        bare_string = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        used.discard(defined or "")
        out.append((first, end, (source, defined, tuple(sorted(used)), bare_string)))
    return out
