"""Find the list operations whose responses page, and how (`nodes.Paging`).

Input: one operation's schemas, the type of its JSON success body, every class's fields, and the
page shapes of the settings (the declared ones in order, then the cursor rule unless it is off).
Output: the first shape the operation fits, or None; and a warning for each operation a shape
names but that does not fit it (why, in one line).

An operation fits a shape when its first success response is a class whose `items` field is an
array, whose `next` and `has_more` fields exist where the shape names them (`has_more` a boolean),
and when it takes `param` as a query parameter. Nothing here knows one API from another: the cursor
rule is `config.CURSOR_PAGE`, a shape like any declared one.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..config import CURSOR_PAGE, PageShape, Settings
from ..errors import Problem
from .nodes import Field, Paging
from .operations import OperationSchemas
from .types import NONE, Builtin, ListOf, ModelRef, TypeNode, UnionOf

Fields = Mapping[str, tuple[Field, ...]]


def page_shapes(settings: Settings) -> tuple[PageShape, ...]:
    return settings.page_shapes + ((CURSOR_PAGE,) if settings.cursor_pages else ())


def unknown_operations(shapes: tuple[PageShape, ...], operation_ids: set[str], *, source: str) -> tuple[Problem, ...]:
    """A warning for each operationId a shape names that the spec does not have (a typo, or an
    operation gone upstream), so a shape that pages nothing does not go unnoticed."""
    return tuple(
        Problem(source, "/paths", f"pagination shape {index} ({shape.kind}) names operation {name!r}: not in the spec")
        for index, shape in enumerate(shapes, start=1)
        for name in shape.operations
        if name not in operation_ids
    )


def find_paging(
    op: OperationSchemas,
    response: TypeNode | None,
    fields: Fields,
    shapes: tuple[PageShape, ...],
    *,
    source: str,
) -> tuple[Paging | None, tuple[Problem, ...]]:
    """The paging of `op` (None: its method returns the response as it is), and the warnings."""
    warnings: list[Problem] = []
    for shape in shapes:
        if shape.operations and op.operation_id not in shape.operations:
            continue
        if not shape.operations and op.method != "get":
            continue
        paging, why = _fit(shape, op, response, fields)
        if paging is not None:
            return paging, tuple(warnings)
        if shape.operations:  # named on purpose: say why it does not page
            warnings.append(Problem(source, op.pointer, f"not paged as a {shape.kind} page: {why}"))
    return None, tuple(warnings)


def _fit(
    shape: PageShape, op: OperationSchemas, response: TypeNode | None, fields: Fields
) -> tuple[Paging | None, str]:
    """The paging when `op` fits `shape`; else None and why not."""
    if not isinstance(response, ModelRef) or response.name not in fields:
        return None, "its success response is not a JSON object"
    query = {p.wire_name for p in op.parameters if p.location == "query"}
    if shape.param and shape.param not in query:
        return None, f"no query parameter {shape.param!r}"
    items = _path(shape.items, response.name, fields)
    if items is None or _list_item(items[1]) is None:
        return None, f"no array field {shape.items!r} in the response"
    item = _list_item(items[1])
    assert item is not None
    has_more: tuple[str, ...] = ()
    if shape.has_more:
        found = _path(shape.has_more, response.name, fields)
        if found is None or _optional(found[1]) != Builtin("bool"):
            return None, f"no boolean field {shape.has_more!r} in the response"
        has_more = found[0]
    next_field: tuple[str, ...] = ()
    if shape.next:
        found = _path(shape.next, response.name, fields)
        if found is None and shape.kind in ("token", "link"):
            return None, f"no field {shape.next!r} in the response"
        next_field = found[0] if found is not None else ()
    before = shape.before if shape.before in query and shape.before != shape.param else ""
    paging = Paging(shape.kind, item, items[0], shape.param, next_field, has_more, before)
    return paging, ""


def _path(wire_path: str, model: str, fields: Fields) -> tuple[tuple[str, ...], TypeNode] | None:
    """A dotted path of wire names (`meta.next_cursor`) → its attribute path and the last field's type."""
    attributes: list[str] = []
    node: TypeNode = ModelRef(model)
    for wire in wire_path.split("."):
        holder = _optional(node)
        if not isinstance(holder, ModelRef):
            return None
        match = next((f for f in fields.get(holder.name, ()) if f.wire_name == wire), None)
        if match is None:
            return None
        attributes.append(match.name)
        node = match.type
    return tuple(attributes), node


def _optional(node: TypeNode) -> TypeNode:
    """`X | None` → X (a field that may be null or absent)."""
    if isinstance(node, UnionOf) and NONE in node.options:
        rest = tuple(o for o in node.options if o != NONE)
        return rest[0] if len(rest) == 1 else UnionOf(rest)
    return node


def _list_item(node: TypeNode) -> TypeNode | None:
    node = _optional(node)
    return node.item if isinstance(node, ListOf) else None
