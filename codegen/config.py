"""Settings: `[tool.codegen]` in pyproject.toml, overridden by command-line flags.

Input: a pyproject.toml path (optional) and flag values. Output: a frozen `Settings`.
With `--spec` and no `--config`, the project's own overlay, renames and resource map are
not applied: a foreign spec is generated as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomllib

from .errors import CodegenError

DEFAULT_CONFIG = Path("pyproject.toml")


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

    @property
    def dist_name(self) -> str:
        return self.distribution or self.package.replace("_", "-")

    @property
    def env(self) -> str:
        return self.env_prefix or self.package.upper()


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
) -> Settings:
    use_config = config is not None or spec is None
    table = _table(config or DEFAULT_CONFIG) if use_config else {}
    base = (config or DEFAULT_CONFIG).parent if use_config else Path()

    def path_of(key: str, given: Path | None) -> Path | None:
        if given is not None:
            return given
        value = table.get(key)
        return base / value if isinstance(value, str) else None

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
        tree_above=int(table.get("tree-above", 12)),
        split_above=int(table.get("split-above", 40)),
    )
