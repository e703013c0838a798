"""ir/paging.py and [tool.codegen.pagination]: which list operations page, and how, from spec dicts;
what a shape that does not fit says; the settings' one-line errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from codegen.config import PageShape, Settings, load_settings
from codegen.errors import CodegenError
from codegen.ir import types as t
from codegen.ir.build import build_api
from codegen.ir.nodes import Api, Paging

SETTINGS = Settings(spec=Path("spec.yaml"), out=Path("out"), package="pkg")
ITEM = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}


def _list(params: list[str], *, method: str = "get", **properties: Any) -> dict[str, Any]:
    """An operation taking these query parameters and answering an object of these properties."""
    query = [{"name": name, "in": "query", "schema": {"type": "string"}} for name in params]
    schema = {"type": "object", "properties": properties}
    response = {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}
    return {method: {"operationId": "listThings", "parameters": query, "responses": response}}


def _paging(operation: dict[str, Any], **settings: Any) -> tuple[Paging | None, Api]:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/things": operation},
        "components": {"schemas": {"Thing": ITEM}},
    }
    api = build_api(spec, source="spec.yaml", settings=dataclasses.replace(SETTINGS, **settings))
    return api.operations[0].endpoint.paging, api


DATA = {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
HAS_MORE = {"type": "boolean"}


def test_a_cursor_page_is_found_with_its_item_type_and_fields() -> None:
    paging, _ = _paging(_list(["after", "before", "limit"], data=DATA, has_more=HAS_MORE, last_id={"type": "string"}))
    assert paging == Paging(
        "cursor", t.ModelRef("Thing"), ("data",), "after", ("last_id",), ("has_more",), before="before"
    )
    assert t.annotation(paging.page, models="models.") == "SyncCursorPage[models.Thing]"
    assert t.annotation(paging.page, models="m.", is_async=True) == "AsyncPaginator[m.Thing, AsyncCursorPage[m.Thing]]"
    assert t.names_used(paging.page, is_async=True) == {"AsyncPaginator", "AsyncCursorPage"}


def test_without_last_id_the_cursor_comes_from_the_items() -> None:
    paging, _ = _paging(_list(["after"], data=DATA, has_more=HAS_MORE))
    assert paging is not None and paging.next == () and paging.before == ""


@pytest.mark.parametrize(
    ("operation", "why"),
    [
        (_list(["limit"], data=DATA, has_more=HAS_MORE), "no after parameter"),
        (_list(["after"], data=DATA), "no has_more (OpenAI's GET /models)"),
        (_list(["after"], data=DATA, has_more={"type": "string"}), "has_more is no boolean"),
        (_list(["after"], data={"type": "object"}, has_more=HAS_MORE), "data is no array"),
        (_list(["after"], items=DATA, has_more=HAS_MORE), "no data"),
        (_list(["after"], method="post", data=DATA, has_more=HAS_MORE), "not a GET"),
    ],
)
def test_what_is_not_a_cursor_page(operation: dict[str, Any], why: str) -> None:
    paging, api = _paging(operation)
    assert paging is None, why
    assert not api.warnings  # found by shape, not named: nothing to warn about


def test_the_cursor_rule_can_be_switched_off() -> None:
    paging, _ = _paging(_list(["after"], data=DATA, has_more=HAS_MORE), cursor_pages=False)
    assert paging is None


def test_declared_shapes_come_first_and_read_dotted_wire_names() -> None:
    meta = {"type": "object", "properties": {"nextPageToken": {"type": ["string", "null"]}}}
    token = PageShape(kind="token", items="results", param="pageToken", next="meta.nextPageToken")
    paging, _ = _paging(_list(["pageToken"], results=DATA, meta=meta), page_shapes=(token,))
    assert paging == Paging("token", t.ModelRef("Thing"), ("results",), "pageToken", ("meta", "next_page_token"))
    offset = PageShape(kind="offset", items="data", param="offset", has_more="has_more")
    paging, _ = _paging(_list(["after", "offset"], data=DATA, has_more=HAS_MORE), page_shapes=(offset,))
    assert paging is not None and paging.kind == "offset"  # before the cursor rule


def test_a_declared_cursor_shape_names_its_own_parameters() -> None:
    cursor = PageShape(kind="cursor", items="entries", param="starting_after", before="ending_before")
    paging, _ = _paging(
        _list(["starting_after", "ending_before"], entries=DATA, has_more=HAS_MORE),
        page_shapes=(cursor,),
        cursor_pages=False,
    )
    assert paging == Paging("cursor", t.ModelRef("Thing"), ("entries",), "starting_after", before="ending_before")


def test_a_shape_naming_an_operation_the_spec_lacks_warns() -> None:
    token = PageShape(kind="token", param="page", next="next_page", operations=("listThigns",))
    _, api = _paging(_list(["after"], data=DATA, has_more=HAS_MORE), page_shapes=(token,))
    assert [w.message for w in api.warnings] == [
        "pagination shape 1 (token) names operation 'listThigns': not in the spec"
    ]


def test_a_shape_naming_an_operation_that_does_not_fit_warns_why() -> None:
    link = PageShape(kind="link", next="links.next", operations=("listThings",))
    paging, api = _paging(_list([], data=DATA), page_shapes=(link,))
    assert paging is None
    assert [(w.pointer, w.message) for w in api.warnings] == [
        ("/paths/~1things/get", "not paged as a link page: no field 'links.next' in the response")
    ]
    link_any_method = PageShape(kind="link", next="next", operations=("listThings",))
    paging, _ = _paging(_list([], method="post", data=DATA, next={"type": "string"}), page_shapes=(link_any_method,))
    assert paging is not None and paging.kind == "link"  # named: any method


def _settings(tmp_path: Path, table: str) -> Settings:
    config = tmp_path / "pyproject.toml"
    config.write_text(f'[tool.codegen]\nspec = "s.yaml"\n{table}')
    return load_settings(config)


def test_the_pagination_table_is_read(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        "[tool.codegen.pagination]\ncursor = false\n[[tool.codegen.pagination.shape]]\n"
        'kind = "token"\nparam = "page"\nnext = "next_page"\nhas-more = "has_more"\noperations = ["usage"]\n',
    )
    assert not settings.cursor_pages
    token = PageShape("token", items="data", param="page", next="next_page", has_more="has_more", operations=("usage",))
    assert settings.page_shapes == (token,)
    assert _settings(tmp_path, "").cursor_pages and _settings(tmp_path, "").page_shapes == ()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('cursor = "yes"', "pagination: cursor must be true or false, got 'yes'"),
        ("pages = 1", "pagination: unknown key(s) pages;"),
        (
            '[[tool.codegen.pagination.shape]]\nkind = "page"',
            "shape 1: kind must be one of cursor, offset, token, link",
        ),
        ('[[tool.codegen.pagination.shape]]\nkind = "offset"', "shape 1: an offset page needs param"),
        ('[[tool.codegen.pagination.shape]]\nkind = "token"\nparam = "p"', "shape 1: a token page needs next"),
        ('[[tool.codegen.pagination.shape]]\nkind = "link"\nnext = "n"\nitem = "x"', "shape 1: unknown key(s) item;"),
        (
            '[[tool.codegen.pagination.shape]]\nkind = "cursor"\nparam = "a"\nbefore = 1',
            "shape 1: before must be a string",
        ),
    ],
)
def test_a_bad_pagination_table_is_one_clear_error(tmp_path: Path, table: str, message: str) -> None:
    header = "" if table.startswith("[[") else "[tool.codegen.pagination]\n"
    with pytest.raises(CodegenError) as caught:
        _settings(tmp_path, header + table + "\n")
    assert len(caught.value.problems) == 1 and message in caught.value.problems[0].message


def test_a_list_that_starts_paging_is_a_breaking_return_type_change_in_codegen_diff() -> None:
    from codegen.diff.sdk import compare_surfaces
    from codegen.diff.surface import build_surface

    def spec(operation: dict[str, Any]) -> dict[str, Any]:
        schemas = {"Thing": ITEM}
        return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {"/things": operation},
                "components": {"schemas": schemas}}  # fmt: skip

    old = build_surface(spec(_list(["after"], data=DATA)), source="t.yaml", settings=SETTINGS)
    new = build_surface(spec(_list(["after"], data=DATA, has_more=HAS_MORE)), source="t.yaml", settings=SETTINGS)
    assert [m.returns for m in new.methods] == ["SyncCursorPage[Thing]"]
    changes = [c.change for c in compare_surfaces(old, new) if c.change.kind == "sdk-return-type-changed"]
    assert [(c.old, c.new, c.rule.level) for c in changes] == [
        ("ListThingsResponse", "SyncCursorPage[Thing]", "error")  # breaking
    ]
