"""A content-addressed store on disk: what a stage computed, under a hash of everything it read.

Input: a folder (`.codegen-cache/` beside the output by default), a kind ("format", "validate",
...), a key made by `key()` from every input of the computation (the text, the tool's version,
its options) and bytes to keep. Output: the same bytes for the same key, or `None`.

A key names its inputs completely, so a stale entry (another black version, another mode, another
spec) is never found: it has another key. Each entry starts with a line naming its kind, its key
and the sha256 and length of what follows; an entry whose line does not match what was asked, or
whose body does not match its checksum (a truncated or corrupt file), counts as missing and is
removed. Entries are written to a temporary file and renamed into place, so a reader never sees
half of one and two runs writing the same key at once both leave a whole entry. `prune()` keeps
the folder under a size, dropping the entries used longest ago (a hit refreshes an entry's mtime).
Nothing here changes what the generator produces: without a cache it computes the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

_MAGIC = b"codegen-cache 1"
DEFAULT_LIMIT = 512 * 1024 * 1024  # bytes kept before the oldest entries go


def key(*parts: str | bytes) -> str:
    """A hash of every part, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def exact(value: Any) -> bytes | None:
    """The value as bytes that name it exactly and only it, for a key: marshal's version 0 (True is
    not 1, key order counts, no object references or interning marks), four times faster than
    `repr` (the whole upstream API: 6 against 26 ms); None for a value marshal cannot write."""
    try:
        return marshal.dumps(value, 0)
    except ValueError:
        return None


# The tools whose versions change what the generator writes.
_TOOLS = (
    "black",
    "isort",
    "datamodel-code-generator",
    "openapi-spec-validator",
    "jsonschema",
    "jsonschema-rs",  # its verdict decides whether jsonschema checks the document (`document_check.py`)
    "pydantic",
)


@functools.cache
def generator_fingerprint() -> str:
    """A hash of the generator's own source (code, templates, runtime) and of its tools' versions."""
    package = Path(__file__).resolve().parent
    parts: list[str | bytes] = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".jinja", ".typed", ".toml"}:
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for tool in _TOOLS:
        parts += [tool, _version(tool)]
    return key(*parts)


def _version(tool: str) -> str:
    """The installed version, read from the name of the tool's `.dist-info` folder where pip put one
    (importlib.metadata's lookup costs 2 ms a tool, at the start of every run); else as importlib.metadata
    finds it; "-" when it is not installed."""
    prefix = tool.replace("-", "_") + "-"
    for folder in sys.path:
        try:
            names = _listing(folder)
        except OSError:
            continue
        found = [n.removeprefix(prefix).removesuffix(".dist-info") for n in names if n.startswith(prefix)]
        found = [name for name in found if name != "" and f"{prefix}{name}.dist-info" in names]
        if len(found) == 1:
            return found[0]
        if found:  # two versions side by side: let importlib.metadata choose as the import system would
            break
    from importlib import metadata

    try:
        return metadata.version(tool)
    except metadata.PackageNotFoundError:
        return "-"


@functools.cache
def _listing(folder: str) -> tuple[str, ...]:
    return tuple(os.listdir(folder or "."))


class Cache:
    def __init__(self, root: Path, *, limit: int = DEFAULT_LIMIT) -> None:
        self.root = root
        self.limit = limit
        self.hits = 0
        self.misses = 0

    def _path(self, kind: str, entry: str) -> Path:
        return self.root / kind / entry[:2] / entry

    def get(self, kind: str, entry: str) -> bytes | None:
        path = self._path(kind, entry)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        head, _, body = data.partition(b"\n")
        if head != _head(kind, entry, body):
            path.unlink(missing_ok=True)  # corrupt, truncated or not this key's: recomputed
            self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest by prune()
        self.hits += 1
        return body

    def get_text(self, kind: str, entry: str) -> str | None:
        data = self.get(kind, entry)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def get_hashes(self, kind: str, entry: str) -> frozenset[str]:
        """An entry kept by `put_hashes`: a set of hashes (what passed a check, say); empty when missing."""
        text = self.get_text(kind, entry)
        return frozenset(text.split()) if text else frozenset()

    def put_hashes(self, kind: str, entry: str, latest: list[str], known: frozenset[str], *, limit: int) -> None:
        """Keep `latest`, then the `known` ones, up to `limit` hashes; nothing new, no write."""
        if not latest or set(latest) <= known:
            return
        kept = list(dict.fromkeys([*latest, *sorted(known)]))
        self.put(kind, entry, "\n".join(kept[:limit]) + "\n")

    def get_record(self, kind: str, entry: str) -> dict[bytes, bytes]:
        """An entry kept by `put_record`: {hash: bytes}; empty when missing, corrupt or not a record."""
        data = self.get(kind, entry)
        if data is None:
            return {}
        try:
            record = marshal.loads(data)  # noqa: S302 - our own entry, its checksum verified above
        except (ValueError, EOFError, TypeError):
            return {}
        return record if isinstance(record, dict) else {}

    def put_record(self, kind: str, entry: str, record: dict[bytes, bytes]) -> None:
        self.put(kind, entry, marshal.dumps(record))

    def put(self, kind: str, entry: str, body: bytes | str) -> None:
        """Keep `body` under the key; a cache that cannot be written is only slower, never an error."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        path = self._path(kind, entry)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_head(kind, entry, data) + b"\n" + data)
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)

    def prune(self) -> int:
        """Remove the least recently used entries until the folder is under its limit; how many went."""
        entries: list[tuple[float, int, Path]] = []
        for path in self.root.glob("*/*/*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries, key=lambda e: (e[0], str(e[2]))):
            if total <= self.limit:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed


def _head(kind: str, entry: str, body: bytes) -> bytes:
    checksum = hashlib.sha256(body).hexdigest().encode()
    return b" ".join([_MAGIC, kind.encode(), entry.encode(), checksum, b"%d" % len(body)])
