"""layout: each rule gives exactly what black gives for the same code written on one line, so black's
first pass finds nothing to change; a shape beyond the rules comes back on one line, for black."""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from codegen.bundle import Origins
from codegen.config import load_settings
from codegen.errors import CodegenError, Diagnostics
from codegen.format import MODE
from codegen.ir.build import build_api
from codegen.pipeline import read_spec
from codegen.render.client import render_client
from codegen.render.layout import (
    WIDTH,
    Group,
    annotated,
    flat,
    literal,
    parameter_line,
    returns_line,
    statement,
    string,
)
from tests.support.corpus import SPECS as CORPUS
from tests.support.corpus import SPECS_DIR

LONG = "a_rather_long_argument_name"


def test_the_width_is_the_formatters() -> None:
    assert MODE.line_length == WIDTH


def _black(source: str) -> str:
    return black.format_str(source, mode=MODE)


def _in_method(line: str) -> str:
    """A statement at indent 8, as in a generated method."""
    return f"class C:\n    def f(self):\n        {line}\n"


def _assert_black_agrees(code: str, one_line: str) -> None:
    """`code` is black's layout of `one_line`, and black's first pass leaves it as it is."""
    assert _black(one_line) == code
    assert black.format_str(code, mode=MODE) == code


@pytest.mark.parametrize(
    "value",
    ["plain", "it's", 'say "hi"', "it's \"a\" 'b'", "both ' and \"", "back\\slash", "line\nbreak", "tab\t", "é ☃"],
)
def test_strings_take_blacks_quotes(value: str) -> None:
    source = f"x = {string(value)}\n"
    assert eval(string(value)) == value
    _assert_black_agrees(source, f"x = {value!r}\n")


def test_literals_nest_with_blacks_quotes_and_a_one_item_tuple_keeps_its_comma() -> None:
    data = {"a": ("form", False), "b": [1, None], "c": ("x",)}
    assert literal(data) == '{"a": ("form", False), "b": [1, None], "c": ("x",)}'
    assert eval(literal(data)) == data


def test_a_statement_that_fits_stays_on_one_line() -> None:
    group = Group("return self._request", ("_GET", 'path={"id": id}', "**options"))
    assert statement(group, indent=8) == 'return self._request(_GET, path={"id": id}, **options)'


def test_arguments_that_fit_go_on_one_indented_line() -> None:
    group = Group("return self._request", (f"_GET_{LONG.upper()}", f'path={{"id": {LONG}}}', "**options"))
    code = statement(group, indent=8)
    assert code.count("\n") == 2
    _assert_black_agrees(_in_method(code), _in_method(flat(group)))


def test_arguments_that_do_not_fit_go_one_per_line_and_collections_explode() -> None:
    body = Group("body=", tuple(f'"{LONG}_{n}": {LONG}_{n}' for n in range(4)), "collection", "{")
    query = Group("query=", (f'"{LONG}": {LONG}',), "collection", "{")
    group = Group("return await self._request", ("_POST", query, body, "stream=True", "**options"))
    code = statement(group, indent=8)
    assert "        **options,\n" in code  # the trailing comma black adds
    assert f'            query={{"{LONG}": {LONG}}},\n' in code  # a one-entry dict that fits stays whole
    _assert_black_agrees(_in_method(code), _in_method(flat(group)))


def test_an_endpoint_with_a_one_item_tuple_a_nested_call_and_a_long_plain_item() -> None:
    paging = Group("paging=Paging", ('"cursor"', 'param="after"', 'next=("last_id",)', 'has_more=("has_more",)'))
    path = Group("path_params=", (f'"{LONG}_{LONG}"',), "tuple")
    items = (
        '"GET"',
        f'"/{LONG}/{{{LONG}}}/{LONG}/{LONG}/{LONG}"',  # longer than a line: black leaves it so
        path,
        f"response=lambda: models.{LONG}",
        paging,
    )
    group = Group("_LIST: Endpoint[models.Page] = Endpoint", items)
    code = statement(group, indent=0)
    _assert_black_agrees(code + "\n", flat(group) + "\n")


def test_imports_explode_with_a_trailing_comma_however_long_their_head() -> None:
    for names in (("AsyncThings", "Things"), (f"Async{LONG.title()}{LONG.title()}{LONG.title()}",)):
        group = Group(f"from .{LONG}_{LONG}_{LONG} import ", names, "import")
        code = statement(group, indent=4)
        source = f"if TYPE_CHECKING:\n    {code}\n"
        _assert_black_agrees(source, f"if TYPE_CHECKING:\n    {flat(group)}\n")


@pytest.mark.parametrize(
    ("params", "returned"),
    [
        (("self",), f"{LONG.title()}{LONG.title()}"),
        (("self", f"owner: {LONG.title()}{LONG.title()}"), "None"),
        (("self", f"owner: {LONG.title() * 3}Resource"), "None"),  # the parameter longer than its line: left so
    ],
)
def test_short_signatures_split_at_their_first_bracket(params: tuple[str, ...], returned: str) -> None:
    group = Group("def with_raw_response", params, "def")
    code = statement(group, f" -> {returned}:", indent=4)
    source = f"class C:\n    {code}\n        return 1\n"
    _assert_black_agrees(source, f"class C:\n    {flat(group)} -> {returned}:\n        return 1\n")


@pytest.mark.parametrize("name", [f"Async{LONG.title() * 3}", f"{LONG.title() * 3}WithRawResp"])
def test_a_call_too_long_for_its_return_goes_in_parentheses_when_that_makes_it_fit(name: str) -> None:
    """Black tries `return (` + the call on lines of their own, and keeps `return f(` long otherwise."""
    group = Group(f"return {name}", ("self",))
    code = statement(group, indent=8)
    assert code.startswith("return (\n") == (len(f"            {name}(") <= 100)
    _assert_black_agrees(_in_method(code), _in_method(flat(group)))


@pytest.mark.parametrize("name", [f"{LONG.title() * 3}Resp", f"{LONG.title() * 3}WithStreamingResponse"])
def test_a_short_signature_whose_return_annotation_is_long(name: str) -> None:
    group = Group("def with_streaming_response", ("self",), "def")
    code = statement(group, f" -> {name}:", indent=4)
    source = f"class C:\n    {code}\n        return 1\n"
    _assert_black_agrees(source, f"class C:\n    {flat(group)} -> {name}:\n        return 1\n")


@pytest.mark.parametrize(
    "options",
    [
        [f"models.{LONG.title()}{LONG.title()}", "NotGiven"],  # the union fits inside black's parentheses
        [f"models.{LONG.title()}{LONG.title()}", f"builtins.list[models.{LONG.title()}]", "None", "NotGiven"],
        # an option too long for its line split at its brackets; the name inside fits, or is left long
        [f"builtins.list[models.{LONG.title() * 3}]", "NotGiven"],
        [f"list[models.{LONG.title() * 3}Request]", "NotGiven"],
        ["NotGiven", f"builtins.list[models.{LONG.title() * 3}]", "None"],
    ],
)
def test_a_long_parameter_puts_its_union_in_parentheses(options: list[str]) -> None:
    line = parameter_line(LONG, options, " = NOT_GIVEN", indent=8)
    assert line.startswith(f"{LONG}: (\n")

    def signature(param: str) -> str:
        return f"class C:\n    def f(\n        self,\n        *,\n        {param}\n    ) -> None:\n        return 1\n"

    _assert_black_agrees(signature(line), signature(f"{LONG}: {' | '.join(options)} = NOT_GIVEN,"))


@pytest.mark.parametrize(
    "options",
    [
        [f"models.{LONG.title()}", f"AsyncStream[models.{LONG.title()}Chunk12]"],  # a union: parentheses
        [f"models.{LONG.title()}", f"AsyncStream[models.{LONG.title()}StreamChunkEvent]"],  # one option a line
        [f"AsyncPaginator[models.{LONG.title()}, AsyncCursorPage[models.{LONG.title()}]]"],  # a subscript
        [f"AsyncStream[models.{LONG.title() * 3}Event]", "None"],  # a union's option split at its brackets
    ],
)
def test_a_long_return_annotation(options: list[str]) -> None:
    line = returns_line(options, indent=4)
    assert len(f"    ) -> {' | '.join(options)}:") > 100 and "\n" in line

    def signature(end: str) -> str:
        return f"class C:\n    def f(\n        self,\n    {end}\n        return 1\n"

    _assert_black_agrees(signature(line), signature(f") -> {' | '.join(options)}:"))


@pytest.mark.parametrize("target", ["_GET_THING", "_G" + "ET_THING" * 7, "_G" + "ET_THING" * 9])
@pytest.mark.parametrize("annotation", ["Endpoint[None]", f"Endpoint[models.{LONG.title()}]"])
@pytest.mark.parametrize("arguments", [1, 4])
def test_an_annotated_assignment_however_long_its_target(target: str, annotation: str, arguments: int) -> None:
    group = Group("Endpoint", ('"GET"', *(f"{LONG}_{n}=lambda: models.{LONG}" for n in range(arguments))))
    code = annotated(target, annotation, group)
    _assert_black_agrees(code + "\n", f"{target}: {annotation} = {flat(group)}\n")


def test_an_endpoint_whose_lambda_is_longer_than_its_line() -> None:
    """Black has nothing to split `name=lambda: models.Name` at: it leaves the line long."""
    group = Group("Endpoint", ('"POST"', f"body_model=lambda: models.{LONG.title() * 3}Request"))
    code = annotated("_POST_" + LONG.upper() * 3, f"Endpoint[models.{LONG.title()}]", group)
    assert max(len(line) for line in code.splitlines()) > 100
    _assert_black_agrees(code + "\n", f"_POST_{LONG.upper() * 3}: Endpoint[models.{LONG.title()}] = {flat(group)}\n")


def test_what_the_rules_do_not_cover_comes_back_on_one_line_for_black() -> None:
    lambdas = Group("Endpoint", (f"response=lambda: models.{LONG.title()}{LONG.title()} | models.{LONG.title()}",))
    assert statement(Group("_X: Endpoint[None] = Endpoint", lambdas.items), indent=0) == flat(
        Group("_X: Endpoint[None] = Endpoint", lambdas.items)
    )
    wide = Group("return self._request", ("_GET", f'body={{"{LONG}": "{"☃" * 80}"}}'))
    assert statement(wide, indent=8) == flat(wide)  # black measures some characters twice
    nested = [f"builtins.list[models.{LONG.title()} | models.{LONG.title()} | models.{LONG.title()}]", "NotGiven"]
    assert parameter_line("tools", nested, " = NOT_GIVEN", indent=8).count("\n") == 0


@pytest.mark.parametrize("stem", CORPUS)
def test_the_rendered_client_of_each_corpus_spec_is_already_in_blacks_layout(stem: str) -> None:
    """What the templates print (imports sorted, as the formatter does first) is what black prints:
    its first pass changes nothing, so it does not format twice."""
    from codegen import format as formatting

    spec = SPECS_DIR / f"{stem}.yaml"
    config = spec.with_suffix(".toml")
    settings = load_settings(config if config.is_file() else None, spec=spec, out=Path("unused"), package="pkg")
    try:
        source, _ = read_spec(settings, Diagnostics(), Origins())
    except CodegenError:
        pytest.skip("the spec does not generate (its golden is the error)")
    files = render_client(build_api(source, source=str(spec), settings=settings), settings)
    isort_config = formatting._isort_config("pkg")
    for path, text in files.items():
        if path.suffix == ".py":
            text = formatting._sort_imports(text, isort_config)
            assert _black(text) == text, path
