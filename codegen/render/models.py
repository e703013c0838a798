"""Render models.py: the IR's models through datamodel-code-generator, the one adapter over it.

Input: the IR's models (kind, fields with their Python names, JSON Schema). Output: the source of
models.py (pydantic v2), before the formatter.

datamodel-code-generator is used as a library with options fixed here, so its output does
not depend on the caller's config files. It names no field itself: every attribute name comes
from the IR (`aliases`). Options and why:
- JSON Schema input whose root is the first model and `$defs` the rest: one class, enum or alias
  per model, nothing else, in our order;
- collapse_root_models, use_type_alias: fields use `dict[str, str]`, `list[...]` or a type alias
  directly: never a RootModel with a `.root` hop;
- keep_field_defaults_off_branch_roots: a field's default stays on the field, not inside a union branch;
- use_subclass_enum: enums subclass `str`, so members compare equal to their values;
- base_class: our runtime `_models.BaseModel` (extra="allow": a field a newer server sends is kept);
- use_field_description / use_schema_description: descriptions become docstrings;
- keep_model_order: classes follow our sorted order (enums first: a default may name a member),
  so a diff shows only what changed.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from typing import Any

from ..errors import CodegenError
from ..ir.dispatch import DISPATCH
from ..ir.nodes import Api, Model
from ..naming import pascal
from .dispatch import write_dispatch
from .model_layout import black_layout
from .text import wrap_descriptions

_DEFS = "#/$defs/"


# What the models stage said of a model (a field it dropped, a constraint pydantic cannot take):
# (the model's name, or "" when the message names none of them; the message, on one line).
Note = tuple[str, str]
Models = tuple[str, list[Note]]  # models.py before formatting, and the notes


def render_models(api: Api, *, package: str, header: str, source: str) -> str:
    """models.py; with layout "modules", the same source without `__all__`, for the formatter
    to distribute over models/ as the IR placed each model (`format.split_module`)."""
    return models_and_notes(api, package=package, header=header, source=source)[0]


def models_and_notes(api: Api, *, package: str, header: str, source: str) -> Models:
    """`render_models`, and the models stage's warnings as notes, sorted: the caller reports them
    as the run's own warnings (where each model came from in the spec), not as Python warnings."""
    models = sorted(api.models, key=lambda m: ({"enum": 0, "class": 1, "alias": 2}[m.kind], m.name))
    exports = "__all__ = [\n" + "".join(f"    {m.name!r},\n" for m in sorted(api.models, key=lambda m: m.name)) + "]\n"
    if api.layout == "modules":
        exports = ""
    if not models:
        return f"{header}\n\n{exports}", []
    unions = {m.name: _dispatch_of(m.schema) for m in models if m.kind == "alias" and DISPATCH in m.schema}
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", UserWarning)  # the library's channel for what it did to a model
        generated = _generate(models, package=package, header=header, source=source)
    notes = sorted({_note(str(w.message), models) for w in said if issubclass(w.category, UserWarning)})
    code = write_dispatch(generated, unions)
    deprecated = [(m.name, [f.name for f in m.fields if f.deprecated and not f.inherited]) for m in models]
    deprecated = [(name, fields) for name, fields in deprecated if fields]
    runtime = ["BaseModel"] + (["by_tag"] if unions else []) + (["mark_deprecated"] if deprecated else [])
    code = code.replace(f"from {package}._models import BaseModel", f"from ._models import {', '.join(runtime)}")
    marks = "".join(f"mark_deprecated({cls}, {', '.join(map(repr, names))})\n" for cls, names in deprecated)
    code = f"{code.rstrip()}\n\n\n{marks}\n{exports}" if marks else f"{code.rstrip()}\n\n\n{exports}"
    return black_layout(code), notes  # black still formats it: the layout only spares it work


_WORD = re.compile(r"\w+")


def _note(message: str, models: list[Model]) -> Note:
    """The message on one line, with the model it names (the longest name of one, if several)."""
    names = {m.name for m in models}
    named = [word for word in _WORD.findall(message) if word in names]
    return max(named, key=len, default=""), " ".join(message.split())


def _generate(models: list[Model], *, package: str, header: str, source: str) -> str:
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    root, *rest = models
    document = {
        **_refs_for_dmcg(wrap_descriptions(root.schema), root.name),
        "title": root.name,
        "$defs": {m.name: _refs_for_dmcg(wrap_descriptions(m.schema), root.name) for m in rest},
    }
    aliases = {
        f"{m.name}.{f.wire_name}": f.name for m in models for f in m.fields if f.name != f.wire_name and not f.inherited
    }
    try:
        code = generate(
            json.dumps(document),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_310,
            disable_timestamp=True,
            custom_file_header=header,
            formatters=[],
            collapse_root_models=False,
            use_subclass_enum=True,
            use_annotated=True,
            field_constraints=True,
            set_default_enum_member=True,
            use_schema_description=True,
            use_field_description=True,
            use_standard_collections=True,
            use_union_operator=True,
            keep_model_order=False,
            capitalise_enum_members=False,
            base_class=f"{package}._models.BaseModel",
            keep_field_defaults_off_branch_roots=True,
            use_type_alias=True,
            parent_scoped_naming=True,
            custom_class_name_generator=_helper_name(models),
            aliases=aliases,
        )
    except Exception as exc:  # the library raises many types; report them as one
        message = " ".join(str(exc).split())  # the library's messages run over several lines: one
        raise CodegenError.at(source, "/components/schemas", f"models stage failed: {message}") from None
    assert isinstance(code, str)
    return code


def _dispatch_of(schema: dict[str, Any]) -> tuple[str, list[str], dict[str, str]]:
    """(tag property, branch names in order, {tag value: branch name}) of a union the IR marked."""
    marked = schema[DISPATCH]
    branches = schema.get("oneOf") or schema.get("anyOf") or []
    return marked["property"], [b["$ref"].removeprefix(_DEFS) for b in branches], marked["branches"]


def _helper_name(models: list[Model]) -> Callable[[str], str]:
    """The models stage names the helper aliases it adds (a constrained value inside a map, a tagged
    union inside a list, the type of a class's typed unknown properties) after their parent and
    field; under a type alias or for a class's own extras both are its name:
    `MetadataMetadataAdditionalProperty` becomes `MetadataAdditionalProperty`, and
    `ToolCallsToolCalls` becomes `ToolCallsItem`. Our own names pass unchanged."""
    ours = {m.name for m in models}
    aliases = {m.name for m in models if m.kind != "enum"}

    def name(proposed: str) -> str:
        if proposed in ours:
            return proposed
        joined = pascal(proposed)  # what the models stage would make of it
        for size in range(len(joined) // 2, 0, -1):  # the longest alias written twice at the start
            alias = joined[:size]
            if alias in aliases and joined.startswith(alias, size):
                rest = joined[2 * size :]
                return alias + (rest or "Item")
        return joined

    return name


def _refs_for_dmcg(node: Any, root: str) -> Any:
    """A ref to the root model is `#` in the document the models stage reads."""
    if isinstance(node, dict):
        return {k: _ref_for_dmcg(k, v, root) for k, v in node.items() if k != DISPATCH}
    if isinstance(node, list):
        return [_refs_for_dmcg(v, root) for v in node]
    return node


def _ref_for_dmcg(key: str, value: Any, root: str) -> Any:
    if key == "$ref" and value == _DEFS + root:
        return "#"
    if key == "discriminator" and isinstance(value, dict) and isinstance(value.get("mapping"), dict):
        return {**value, "mapping": {k: "#" if v == _DEFS + root else v for k, v in value["mapping"].items()}}
    return _refs_for_dmcg(value, root)
