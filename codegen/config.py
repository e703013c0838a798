"""Settings: `[tool.codegen]` in pyproject.toml, overridden by command-line flags.

Input: a pyproject.toml path (optional) and flag values. Output: a frozen `Settings`.
With `--spec` and no `--config`, the project's own overlay, renames, resource map and output
directory are not applied: a foreign spec is generated as it is, and `--out` is required.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import tomllib

from .errors import CodegenError

DEFAULT_CONFIG = Path("pyproject.toml")


PageKind = Literal["cursor", "offset", "token", "link"]
PAGE_KINDS: tuple[PageKind, ...] = ("cursor", "offset", "token", "link")


@dataclass(frozen=True, slots=True)
class PageShape:
    """How one kind of list response pages (`[[tool.codegen.pagination.shape]]`); response fields by
    wire name, dotted for nested objects (`meta.next_cursor`)."""

    kind: PageKind
    items: str = "data"  # the array of the page's items
    param: str = ""  # the query parameter the next request sets (cursor, offset or token; not for link)
    next: str = ""  # the field with the next cursor (optional), token or URL (required)
    has_more: str = ""  # a boolean field: false ends the walk (optional)
    before: str = ""  # cursor: the query parameter that walks backwards: a call that sets it gets one page
    operations: tuple[str, ...] = ()  # only these operationIds (any method); empty: every GET that fits


# The cursor page found without any setting (switched off by `pagination.cursor = false`): a GET
# whose JSON response has a `data` array and a boolean `has_more`, with an `after` query parameter;
# the next cursor is the response's `last_id` when it has one, else the last item's `id`; a call
# that sets `before` (when the operation takes it) gets one page.
CURSOR_PAGE = PageShape(
    kind="cursor", items="data", param="after", next="last_id", has_more="has_more", before="before"
)


@dataclass(frozen=True, slots=True)
class Settings:
    spec: Path
    out: Path
    package: str
    overlay: Path | None = None
    distribution: str = ""  # the pip name; derived from package when empty
    version: str = "0.1.0"
    spec_label: str = ""  # how generated files name the spec: as written in config or on the command line
    env_prefix: str = ""  # environment variables the client reads: <PREFIX>_API_KEY, ...; derived when empty
    # operationId → "resource.path.method", e.g. "chat.completions.update"
    resources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # above this many operations, resources and method names come from the paths (ir/tree.py) ...
    tree_above: int = 12
    # ... and the SDK is split: a module per resource, models by the resources that use them
    split_above: int = 40
    # schema name or derived class name → class name
    renames: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # securitySchemes name → client option (default: the scheme's name in snake_case, `_auth` dropped)
    auth_options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # client option → (header, environment variable suffix): sent on every request when set
    header_options: Mapping[str, tuple[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    base_exception: str = ""  # the base of every error the SDK raises; derived from the package when empty
    error_envelope: str = ""  # an error body's key that holds the error object (OpenAI: "error"); "" keeps it whole
    strict: bool = False  # warnings are errors
    # list operations that page: the declared shapes first, in order, then (unless off) CURSOR_PAGE
    page_shapes: tuple[PageShape, ...] = ()
    cursor_pages: bool = True

    @property
    def dist_name(self) -> str:
        return self.distribution or self.package.replace("_", "-")

    @property
    def env(self) -> str:
        return self.env_prefix or self.package.upper()

    @property
    def exception(self) -> str:
        return self.base_exception or "".join(w.capitalize() for w in self.package.split("_") if w) + "Error"


def _table(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise CodegenError.at(str(path), "", f"cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CodegenError.at(str(path), "", f"invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("codegen")
    if not isinstance(table, dict):
        raise CodegenError.at(str(path), "", "no [tool.codegen] table")
    return table


def load_settings(
    config: Path | None,
    *,
    spec: Path | None = None,
    overlay: Path | None = None,
    out: Path | None = None,
    package: str | None = None,
    strict: bool = False,
) -> Settings:
    use_config = config is not None or spec is None
    table = _table(config or DEFAULT_CONFIG) if use_config else {}
    base = (config or DEFAULT_CONFIG).parent if use_config else Path()

    def path_of(key: str, given: Path | None) -> Path | None:
        if given is not None:
            return given
        value = table.get(key)
        return base / value if isinstance(value, str) else None

    if not use_config and out is None:  # never the project's own output directory for a foreign spec
        raise CodegenError.at(
            str(spec), "", "say where the SDK goes: --out DIR (or --config pyproject.toml for the project's settings)"
        )
    spec_path = path_of("spec", spec)
    if spec_path is None:
        raise CodegenError.at(str(config or DEFAULT_CONFIG), "", "no spec: pass --spec or set tool.codegen.spec")
    overlay_path = path_of("overlay", overlay)
    if overlay is not None and str(overlay) == "none":
        overlay_path = None
    package_name = package or table.get("package") or "sdk"
    if not str(package_name).isidentifier():
        raise CodegenError.at(str(config or DEFAULT_CONFIG), "", f"package {package_name!r} is not a Python identifier")
    label = str(spec) if spec is not None else str(table.get("spec"))
    return Settings(
        spec=spec_path,
        spec_label=Path(label).name if Path(label).is_absolute() else Path(label).as_posix(),
        overlay=overlay_path,
        out=path_of("out", out) or Path("generated"),
        package=str(package_name),
        distribution=str(table.get("distribution", "")),
        version=str(table.get("version", "0.1.0")),
        env_prefix=str(table.get("env-prefix", "")),
        resources=MappingProxyType(dict(table.get("resources", {}))),
        renames=MappingProxyType(dict(table.get("renames", {}))),
        auth_options=MappingProxyType({str(k): str(v) for k, v in table.get("auth", {}).items()}),
        header_options=MappingProxyType(_header_options(table.get("header-options", {}), config or DEFAULT_CONFIG)),
        base_exception=_identifier(table.get("base-exception", ""), "base-exception", config or DEFAULT_CONFIG),
        error_envelope=str(table.get("error-envelope", "")),
        strict=strict,
        tree_above=int(table.get("tree-above", 12)),
        split_above=int(table.get("split-above", 40)),
        **_pagination(table.get("pagination", {}), config or DEFAULT_CONFIG),
    )


def _identifier(value: object, key: str, config: Path) -> str:
    if value and not (isinstance(value, str) and value.isidentifier()):
        raise CodegenError.at(str(config), "", f"{key} {value!r} is not a Python identifier")
    return str(value or "")


def _header_options(table: object, config: Path) -> dict[str, tuple[str, str]]:
    """`organization = { header = "OpenAI-Organization", env = "ORG_ID" }` → {option: (header, env)}."""
    out: dict[str, tuple[str, str]] = {}
    for option, entry in table.items() if isinstance(table, dict) else []:
        if not (str(option).isidentifier() and isinstance(entry, dict) and isinstance(entry.get("header"), str)):
            raise CodegenError.at(
                str(config), "", f'header-options.{option}: want {{ header = "Name", env = "SUFFIX" }}'
            )
        out[str(option)] = (entry["header"], str(entry.get("env", str(option).upper())))
    return out


_SHAPE_KEYS = {"kind", "items", "param", "next", "has-more", "before", "operations"}


def _pagination(table: object, config: Path) -> dict[str, Any]:
    """`[tool.codegen.pagination]`: `cursor = false` turns off the cursor rule; each
    `[[tool.codegen.pagination.shape]]` declares one more shape."""

    def bad(message: str) -> CodegenError:
        return CodegenError.at(str(config), "", f"pagination: {message}")

    if not isinstance(table, dict):
        raise bad("want a table")
    unknown = sorted(set(table) - {"cursor", "shape"})
    if unknown:
        raise bad(f"unknown key(s) {', '.join(unknown)}; want cursor = true|false and [[...pagination.shape]] tables")
    cursor = table.get("cursor", True)
    if not isinstance(cursor, bool):
        raise bad(f"cursor must be true or false, got {cursor!r}")
    shapes = table.get("shape", [])
    if not isinstance(shapes, list):
        raise bad("shape must be an array of tables: [[tool.codegen.pagination.shape]]")
    return {"cursor_pages": cursor, "page_shapes": tuple(_shape(n, entry, bad) for n, entry in enumerate(shapes))}


def _shape(index: int, entry: object, bad: Any) -> PageShape:
    where = f"shape {index + 1}"
    if not isinstance(entry, dict):
        raise bad(f"{where}: want a table")
    unknown = sorted(set(entry) - _SHAPE_KEYS)
    if unknown:
        raise bad(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_SHAPE_KEYS))}")
    kind = entry.get("kind")
    if kind not in PAGE_KINDS:
        raise bad(f"{where}: kind must be one of {', '.join(PAGE_KINDS)}, got {kind!r}")
    texts = {key: entry.get(key, "") for key in ("items", "param", "next", "has-more", "before")}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise bad(f"{where}: {key} must be a string, got {value!r}")
    if kind != "link" and not texts["param"]:
        raise bad(
            f"{where}: {'an' if kind == 'offset' else 'a'} {kind} page needs param "
            "(the query parameter the next request sets)"
        )
    if kind in ("token", "link") and not texts["next"]:
        raise bad(f"{where}: a {kind} page needs next (the response field with the next {kind})")
    operations = entry.get("operations", [])
    if not (isinstance(operations, list) and all(isinstance(o, str) for o in operations)):
        raise bad(f"{where}: operations must be a list of operationIds")
    return PageShape(
        kind=kind,
        items=texts["items"] or "data",
        param=texts["param"],
        next=texts["next"],
        has_more=texts["has-more"],
        before=texts["before"] if kind == "cursor" else "",
        operations=tuple(operations),
    )
