"""The one adapter over datamodel-code-generator.

Input: named model schemas ({class name: JSON Schema}, refs as `#/$defs/<name>`).
Output: the source of models.py (pydantic v2), before black.

datamodel-code-generator is used as a library with options fixed here, so its output does
not depend on the caller's config files. Options and why:
- collapse_root_models, use_type_alias: fields use `dict[str, str]`, `list[...]` or a type alias
  directly: never a RootModel with a `.root` hop;
- keep_field_defaults_off_branch_roots: a field's default stays on the field, not inside a union branch;
- use_subclass_enum: enums subclass `str`, so members compare equal to their values;
- base_class: our runtime `_models.BaseModel` (extra="allow": a field a newer server sends is kept);
- use_field_description / use_schema_description: descriptions become docstrings;
- keep_model_order: classes follow our sorted order, so a diff shows only what changed.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from typing import Any

from .errors import CodegenError
from .schemas import nullable

# A schema of only `$defs` still yields a root class; it gets this name and is dropped.
_ROOT = "CodegenDocumentRoot"
_HEADER = re.compile(r"\A(#[^\n]*\n)+\n*")


def render_models(defs: Mapping[str, dict[str, Any]], *, classes: set[str], package: str, source: str) -> str:
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    document = {"title": _ROOT, "$defs": _inline_aliases(defs, classes)}
    try:
        code = generate(
            json.dumps(document),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_310,
            disable_timestamp=True,
            formatters=[],
            collapse_root_models=True,
            use_subclass_enum=True,
            use_annotated=True,
            field_constraints=True,
            set_default_enum_member=True,
            use_schema_description=True,
            use_field_description=True,
            use_standard_collections=True,
            use_union_operator=True,
            keep_model_order=True,
            capitalise_enum_members=False,
            base_class=f"{package}._models.BaseModel",
            keep_field_defaults_off_branch_roots=True,
            use_type_alias=True,
            parent_scoped_naming=True,
            snake_case_field=True,
        )
    except Exception as exc:  # the library raises many types; report them as one
        raise CodegenError.at(source, "/components/schemas", f"models stage failed: {exc}") from None
    assert isinstance(code, str)
    code = _HEADER.sub("", code)
    _check_classes(code, classes, source)
    return _tidy_module(code, package)


def _inline_aliases(defs: Mapping[str, dict[str, Any]], classes: set[str]) -> dict[str, Any]:
    """Replace refs to non-class schemas with their content, so fields read `dict[str, str]`, not a RootModel."""

    def inline(node: Any, trail: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            branches = node.get("anyOf")
            if isinstance(branches, list) and len(branches) == 2 and branches[1] == {"type": "null"}:
                inner = inline(branches[0], trail)
                rest = {k: v for k, v in node.items() if k != "anyOf"}
                return {**nullable(inner), **rest}
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.removeprefix("#/$defs/")
                if name not in classes and name in defs and name not in trail:
                    rest = {k: v for k, v in node.items() if k != "$ref"}
                    return {**inline(defs[name], (*trail, name)), **rest}
                return node
            return {key: inline(value, trail) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value, trail) for value in node]
        return node

    # Enums first: a field default such as `ServiceTier.auto` needs the enum defined above it.
    order = sorted((name for name in defs if name in classes), key=lambda name: ("enum" not in defs[name], name))
    return {name: inline(defs[name], (name,)) for name in order}


def _tidy_module(code: str, package: str) -> str:
    """Imports sorted and used, enums and aliases before the classes that use them, an `__all__`."""
    code = _mark_overrides(code)
    tree = ast.parse(code)
    lines = code.splitlines(keepends=True)
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    rest = [node for node in tree.body if node not in imports and _defined_name(node) != _ROOT]
    blocks = ["".join(lines[_start(node) - 1 : node.end_lineno]).strip("\n") + "\n" for node in rest]
    # Enums first (a field default may name a member), then classes, then type aliases: an alias is
    # evaluated at import and may name any class, while class annotations are only read on first use.
    ranks: list[int] = []
    for node in rest:
        is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        ranks.append(ranks[-1] if is_docstring and ranks else _rank(node))
    ordered = sorted(zip(ranks, range(len(rest)), blocks, strict=True))
    body = "\n\n".join(block for _, _, block in ordered)
    used = set(re.findall(r"\b\w+\b", body))
    groups: dict[int, list[str]] = {0: [], 1: [], 2: [], 3: []}
    for node in imports:
        if isinstance(node, ast.ImportFrom):
            kept = sorted(a.name for a in node.names if a.name in used or node.module == "__future__")
            module = node.module or ""
            if module.startswith(f"{package}."):  # our own runtime: a relative import, last group
                groups[3].append(f"from .{module.removeprefix(package + '.')} import {', '.join(kept)}")
            elif kept:
                group = 0 if module == "__future__" else 1 if _module(node) in _STDLIB else 2
                groups[group].append(f"from {module} import {', '.join(kept)}")
        else:
            groups[1 if _module(node) in _STDLIB else 2].append(ast.unparse(node))
    head = "\n\n".join("\n".join(sorted(g)) for g in groups.values() if g)
    names = sorted(node.name for node in rest if isinstance(node, ast.ClassDef))
    exports = "__all__ = [\n" + "".join(f"    {name!r},\n" for name in names) + "]\n"
    deprecated = _deprecated_fields(rest)
    if deprecated:
        groups[3] = [
            line + ", mark_deprecated" if line.startswith("from ._models import") else line for line in groups[3]
        ]
        head = "\n\n".join("\n".join(sorted(g)) for g in groups.values() if g)
        marks = (f"mark_deprecated({cls}, {', '.join(map(repr, names))})\n" for cls, names in deprecated)
        body += "\n\n" + "".join(marks)
    return f"{head}\n\n{exports}\n\n{body}"


def _deprecated_fields(nodes: list[ast.stmt]) -> list[tuple[str, list[str]]]:
    """(class, fields) for every field declared with `deprecated=True`, in source order."""
    found = []
    for node in nodes:
        if isinstance(node, ast.ClassDef):
            names = [
                item.target.id
                for item in node.body
                if isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and any(isinstance(k, ast.keyword) and k.arg == "deprecated" for k in ast.walk(item))
            ]
            if names:
                found.append((node.name, names))
    return found


_STDLIB = frozenset({"enum", "typing", "datetime", "collections", "decimal", "uuid", "ipaddress", "pathlib"})


def _mark_overrides(code: str) -> str:
    """`allOf: [Base, {status: OtherEnum}]` redefines a field of Base with another type: valid for
    pydantic, an incompatible override for mypy. Say so on that line instead of failing the check
    (`unused-ignore` too: where the new default happens to fit the base type, there is nothing to ignore)."""
    tree = ast.parse(code)
    fields = {
        node.name: {
            item.target.id
            for item in node.body
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
        }
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    bases = {
        node.name: [b.id for b in node.bases if isinstance(b, ast.Name) and b.id in fields]
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }

    def inherited(name: str, depth: int = 0) -> set[str]:
        found: set[str] = set()
        for base in bases.get(name, []) if depth < 32 else []:
            found |= fields[base] | inherited(base, depth + 1)
        return found

    lines = code.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and bases[node.name]:
            redefined = inherited(node.name)
            for item in node.body:
                if (
                    isinstance(item, ast.AnnAssign)
                    and isinstance(item.target, ast.Name)
                    and item.target.id in redefined
                ):
                    index = item.lineno - 1
                    lines[index] = lines[index].rstrip("\n") + "  # type: ignore[assignment, unused-ignore]\n"
    return "".join(lines)


def _defined_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.ClassDef):
        return node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None


def _start(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _rank(node: ast.stmt) -> int:
    if isinstance(node, ast.ClassDef):
        return 1 if _is_model_class(node) else 0
    return 2


def _is_model_class(node: ast.stmt) -> bool:
    """A class that is not an enum: it may refer to enums and aliases defined before it."""
    if not isinstance(node, ast.ClassDef):
        return False
    return not any(isinstance(base, ast.Name) and base.id == "Enum" for base in node.bases)


def _module(node: ast.Import | ast.ImportFrom) -> str:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0]
    return node.names[0].name.split(".")[0]


def field_names(code: str) -> dict[str, dict[str, str]]:
    """{class: {wire name: attribute}} of the rendered models, read back from the code, so the
    client's keyword arguments can use the very names the models stage chose."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.ClassDef):
            fields: dict[str, str] = {}
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    alias = next(
                        (
                            k.value.value
                            for k in ast.walk(item)
                            if isinstance(k, ast.keyword) and k.arg == "alias" and isinstance(k.value, ast.Constant)
                        ),
                        item.target.id,
                    )
                    fields[str(alias)] = item.target.id
            found[node.name] = fields
    return found


def _check_classes(code: str, expected: set[str], source: str) -> None:
    """Cross-check the halves: every class the client refers to must exist in models.py."""
    tree = ast.parse(code)
    defined = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    missing = sorted(expected - defined)
    if missing:
        raise CodegenError.at(source, "/components/schemas", f"models stage did not define {', '.join(missing)}")
