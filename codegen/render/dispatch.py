"""Write the unions the IR marks `x-codegen-dispatch` with a discriminator that reads the mapping.

Input: models.py as the models stage wrote it (each such union a plain `Name = TypeAliasType("Name",
A | B)`, tried branch by branch), and per union its property and {tag value: branch name}. Output:
the same source where each such union is

    Annotated[Union[Annotated[A, _Tag("A")], ...], by_tag("status", {"completed": "A", ...})]

so the tag picks exactly the branch the spec's mapping selects (`_models.by_tag`). The models
stage does not write a callable `Discriminator`; the branches' own expressions (quoted where they
are forward references) are kept as it wrote them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

# pydantic's `Tag` under a private name: a spec may well have a schema named `Tag` (a model class
# never starts with `_`).
_IMPORTS = {"typing": ("Annotated", "Union"), "pydantic": ("Tag as _Tag",)}


def write_dispatch(code: str, unions: Mapping[str, tuple[str, list[str], dict[str, str]]]) -> str:
    """`unions`: {alias name: (tag property, branch names in order, {tag value: branch name})}."""
    if not unions:
        return code
    tree = ast.parse(code)
    # ast's columns count UTF-8 bytes: the edits are made on the bytes (ast.get_source_segment would
    # split the whole module into lines again for every segment).
    data = code.encode("utf-8")
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def span(node: ast.expr) -> tuple[int, int]:
        return starts[node.lineno - 1] + node.col_offset, starts[(node.end_lineno or node.lineno) - 1] + (
            node.end_col_offset or 0
        )

    edits: list[tuple[tuple[int, int], str]] = []
    for node in tree.body:
        name, value = _alias(node)
        if value is None or name not in unions:
            continue
        prop, names, branches = unions[name]
        members = _members(value)
        if len(members) != len(names):  # the models stage merged branches: left tried branch by branch
            continue
        tagged = ", ".join(
            f"Annotated[{data[slice(*span(m))].decode()}, _Tag({n!r})]" for m, n in zip(members, names, strict=True)
        )
        edits.append((span(value), f"Annotated[Union[{tagged}], by_tag({prop!r}, {branches!r})]"))
    if not edits:
        return code
    for (start, end), text in sorted(edits, reverse=True):
        data = data[:start] + text.encode("utf-8") + data[end:]
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom)]
    last = max((n.end_lineno or n.lineno for n in imports), default=0)
    if any(start < starts[last] for (start, _), _ in edits):  # an edit above an import moved its lines
        imports = [n for n in ast.parse(data).body if isinstance(n, ast.ImportFrom)]
    return _with_imports(data.decode("utf-8"), imports)


def _alias(node: ast.stmt) -> tuple[str, ast.expr | None]:
    """The name and value of `Name = TypeAliasType("Name", value)`."""
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
        return "", None
    call = node.value
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "TypeAliasType":
        return node.targets[0].id, call.args[1] if len(call.args) == 2 else None
    return "", None


def _members(value: ast.expr) -> list[ast.expr]:
    """`A | B | C` or `Union[A, B, C]` → [A, B, C]."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
        return _members(value.left) + _members(value.right)
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id == "Union":
        inner: Any = value.slice
        return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    return [value]


def _with_imports(code: str, imports: list[ast.ImportFrom]) -> str:
    """Add `Annotated`, `Union` and `_Tag` to the module's `from typing`/`from pydantic` imports
    (`imports`: the module's `from` imports, where they are in `code`)."""
    lines = re.split("(?<=\n)", code)  # as ast counts lines (str.splitlines also cuts at \x0c, \u2028, ...)
    found = {n.module: n for n in imports if n.module in _IMPORTS and not n.level}
    for node in sorted(found.values(), key=lambda n: n.lineno, reverse=True):  # bottom up: line numbers hold
        have = {a.name if a.asname is None else f"{a.name} as {a.asname}" for a in node.names}
        names = sorted(have | set(_IMPORTS[str(node.module)]))
        lines[node.lineno - 1 : node.end_lineno] = [f"from {node.module} import {', '.join(names)}\n"]
    missing = [f"from {m} import {', '.join(names)}\n" for m, names in _IMPORTS.items() if m not in found]
    if missing:  # after `from __future__ import annotations`, which the models stage writes first
        at = next(i for i, line in enumerate(lines) if line.startswith("from __future__")) + 1
        lines[at:at] = missing
    return "".join(lines)
