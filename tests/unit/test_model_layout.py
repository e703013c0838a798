"""render/model_layout.py: models.py laid out as black lays it out, checked against black itself.

Each case is a statement as the models stage writes it; black's first pass must leave the laid-out
text unchanged (it is black's layout already), and black must format it to the same bytes as the
text it came from (the layout only spares black work, it never changes the result).
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from codegen.format import MODE
from codegen.render.model_layout import black_layout
from tests.support import ROOT

W = "x" * 60  # a long word, to push lines past 100 columns
LONG = "Very" + "Long" * 20 + "Name"  # 86 characters: too long for a line of its own with its field name


def _once(code: str) -> str:
    return black._format_str_once(code, mode=MODE)  # type: ignore[attr-defined]


def _assert_black_layout(code: str) -> str:
    laid_out = black_layout(code)
    assert _once(laid_out) == laid_out, "black's first pass still changes it"
    assert black.format_str(laid_out, mode=MODE) == black.format_str(code, mode=MODE)
    return laid_out


def _field(line: str) -> str:
    return f"class A(BaseModel):\n    {line}\n"


UNION = " | ".join(f"Branch{i}{W[:20]}" for i in range(4))
# What black changes in the models stage's output, one case each; every case changes (so the test can fail).
CHANGED = {
    "quotes": _field("kind: Literal['a', 'b'] = 'a'\n    name: Annotated[str, Field(alias='N', pattern='^\\\\d+$')]"),
    "enum values": "class E(str, Enum):\n    a = 'a'\n    b_c = 'b c'\n",
    "class docstring": 'class A(BaseModel):\n    """\n    First line. \n    \n    Second.  \n    """\n    x: int\n',
    "long class head": f"class {W}{W}(BaseModel):\n    x: int\n",
    "long bases": f"class {W}(BaseModelWithAName, AnotherBaseWithAName):\n    x: int\n",
    "alias that fits inside": f'{W} = TypeAliasType("{W[:20]}", Any)\n',
    "alias an argument a line": f'{W} = TypeAliasType("{W}", Annotated[list[int], Field(min_length=1)])\n',
    "alias union a line each": f'Union{W[:30]} = TypeAliasType("Union{W[:30]}", {UNION})\n',
    "alias annotated inside": f'A{W[:30]} = TypeAliasType("A{W[:30]}", Annotated[{UNION}, Field(discriminator="t")])\n',
    "default in parentheses": _field(f"choice: {LONG[:50]} | None = {LONG[:50]}.auto"),
    "annotated split inside": _field(f'v_{W[:30]}: Annotated[str | None, Field(alias="{W[:40]}", max_length=5)] = 1'),
    "annotated default in parentheses": _field(f'v_{W[:20]}: Annotated[str | None, Field(alias="{W[:30]}")] = None'),
    "annotated argument a line": _field(f'value: Annotated[list[{LONG}] | None, Field(alias="{W[:20]}")]'),
    "annotated too long a part": _field(f'value: Annotated[{LONG}Longer | None, Field(alias="v")] = None'),
    "nested call split": _field(f'value: Annotated[str | None, Field(max_length=10, pattern="{W}{W[:30]}")] = None'),
    "union in parentheses": _field(f"value: {LONG} | None = None"),
    "union a line each": _field(f"value: str | list[str] | {LONG} | {LONG}"),
    "union with a subscript split": _field(f"value: list[{LONG} | {LONG}] | None = None"),
    "long name alone": _field(f"value_{W}: {LONG}"),
    "list default split inside": _field(f"value_{W[:20]}: list[{LONG[:40]}] | None = [{LONG[:40]}.a]"),
    "empty list default": _field(f"value: Annotated[list[{LONG[:40]}] | None, Field(max_length={W[:30]})] = []"),
    "enum value in parentheses": f'class E(str, Enum):\n    {W} = "{W}"\n',
    "call": f'mark_deprecated(Model, "{W[:20]}", "{W[:20]}", "{W[:20]}", "{W[:20]}", "{W[:10]}")\n',
}


@pytest.mark.parametrize("code", CHANGED.values(), ids=CHANGED.keys())
def test_black_layout_is_what_black_writes(code: str) -> None:
    assert _once(code) != code, "black would not change this: the case proves nothing"
    assert _assert_black_layout(code) != code


# Left as they are: black's rule is not certain there, or black would not change them.
UNCHANGED = {
    "a quote inside": 'class A(BaseModel):\n    x: Literal[\'say "hi"\'] = "it\'s"\n',
    "prefixed strings": "X = r'\\d' + b'a'\n",
    "quotes in a comment": "x = 1  # 'a'\n",
    "quotes in a docstring": 'class A:\n    """\n    Say \'hi\'.\n    """\n\n    x: int\n',
    "an attribute docstring keeps its spaces": 'class A(BaseModel):\n    x: int\n    """\n    Trailing. \n    """\n',
    "a module-level docstring after an alias": 'X = TypeAliasType("X", int)\n"""\nTrailing. \n"""\n',
    "a docstring with a tab": 'class A:\n    """\n\tTabbed. \n    """\n\n    x: int\n',
    "a string too long for any line": f'class E(str, Enum):\n    a = "{W}{W}"\n',
    "a list of names default": _field(f"value_{W[:20]}: list[{LONG[:50]}] | None = [{LONG[:50]}.a, B]"),
    "a name too long for any line": _field(f"value: {LONG}{LONG}"),
    "a magic trailing comma": f'{W} = TypeAliasType("{W}", Annotated[list[int], Field(min_length=1),])\n',
    "a line inside brackets": f'X = [\n    mark_deprecated(Model, "{W[:30]}", "{W[:30]}", "{W[:30]}")\n]\n',
    "a comment": f"class A(BaseModel):\n    value: {LONG} | None = None  # note\n",
}


@pytest.mark.parametrize("code", UNCHANGED.values(), ids=UNCHANGED.keys())
def test_left_to_black(code: str) -> None:
    assert black_layout(code) == code
    assert black.format_str(black_layout(code), mode=MODE) == black.format_str(code, mode=MODE)


def test_a_corpus_models_module_is_nearly_all_black_layout() -> None:
    """A corpus spec's whole models.py: black's first pass leaves ≥ 95% of its statements alone, and
    the formatted module is byte for byte what it was without the layout."""
    import ast

    from codegen.bundle import bundle_with_origins
    from codegen.config import Settings
    from codegen.errors import Diagnostics
    from codegen.ir.build import build_api
    from codegen.load import load_document
    from codegen.normalize import normalize
    from codegen.render import model_layout, models

    spec_path = ROOT / "tests/fixtures/specs/schemas-31.yaml"
    spec = bundle_with_origins(load_document(spec_path))[0].data
    normalize(spec, source="s", diagnostics=Diagnostics())
    settings = Settings(spec=Path("s.yaml"), out=Path("o"), package="pkg", tree_above=0, split_above=0)
    api = build_api(spec, source="s", settings=settings)
    laid_out = models.render_models(api, package="pkg", header="# head", source="s")
    original = model_layout.black_layout
    try:
        layout_off = models.black_layout = lambda code: code  # type: ignore[assignment]
        raw = models.render_models(api, package="pkg", header="# head", source="s")
    finally:
        models.black_layout = original
    assert layout_off is not original and raw != laid_out
    lines = laid_out.splitlines(keepends=True)
    statements = ["".join(lines[n.lineno - 1 : n.end_lineno]) for n in ast.parse(laid_out).body]
    stable = sum(_once(s) == s for s in statements)
    assert stable >= 0.95 * len(statements), f"{stable} of {len(statements)}"
    assert black.format_str(laid_out, mode=MODE) == black.format_str(raw, mode=MODE)
