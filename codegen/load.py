"""Read a YAML or JSON document from disk.

Input: a path (`.json` is JSON, anything else YAML; a `.gz` suffix is gunzipped first).
Output: a `Document` (the parsed mapping and the path it came from).
Parse errors become a `CodegenError` naming the file and line.
"""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from .errors import CodegenError

if TYPE_CHECKING:
    from .cache import Cache

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ten times faster on the 3 MB specs
_PIECEWISE = 200_000  # characters of YAML above which a cache keeps its pieces' values (yaml_pieces.py)


_NO_DATES: dict[str, list[tuple[str, Any]]] = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(_Base):  # type: ignore[misc]
    """Safe loading, but `2024-01-01` stays a string: JSON (and so OpenAPI) has no date type."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = _NO_DATES


class _PureLoader(yaml.SafeLoader):
    """The same in pure Python, which also reads what libyaml is stricter about (`{a:[ ]}`)."""


_PureLoader.yaml_implicit_resolvers = _NO_DATES


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed document and where it came from (for error messages)."""

    data: dict[str, Any]
    source: str


def load_document(path: Path | str, *, cache: Cache | None = None) -> Document:
    """With a cache, a large YAML file parses only what changed since the last run (`yaml_pieces.py`)."""
    return parse_document(_read_text(Path(path)), source=str(path), cache=cache)


def _read_text(path: Path) -> str:
    source = str(path)
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
    except OSError as exc:
        raise CodegenError.at(source, "", f"cannot read: {exc.strerror or exc}") from None
    except (EOFError, zlib.error) as exc:
        raise CodegenError.at(source, "", f"not a valid gzip file: {exc}") from None
    except UnicodeDecodeError as exc:
        raise CodegenError.at(source, "", f"not UTF-8 text (byte {exc.start})") from None
    return text


def parse_document(text: str, *, source: str, cache: Cache | None = None) -> Document:
    data = parse_value(text, source=source, cache=cache)
    if not isinstance(data, dict):
        raise CodegenError.at(source, "", "the document is not a mapping")
    return Document(data=data, source=source)


def read_value(path: Path | str) -> Any:
    """Any YAML or JSON value (a file a `$ref` points into need not be a mapping)."""
    path = Path(path)
    return parse_value(_read_text(path), source=str(path))


def parse_value(text: str, *, source: str, cache: Cache | None = None) -> Any:
    if source.removesuffix(".gz").endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CodegenError.at(source, f"line {exc.lineno}", f"invalid JSON: {exc.msg}") from None
    if cache is not None and len(text) > _PIECEWISE:
        from . import yaml_pieces

        return yaml_pieces.parse(text, source=source, cache=cache, whole=lambda whole: _parse_yaml(whole, source))
    return _parse_yaml(text, source)


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_PureLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CodegenError.at(source, line, f"invalid YAML: {problem}") from None


def dump_yaml(data: Any) -> str:
    """Block-style YAML with keys kept in document order: stable and diff-friendly."""
    dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
