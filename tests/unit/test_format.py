"""format: a file formatted definition by definition, in batches, is exactly what black makes of it whole."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from codegen.format import _batches, format_files, format_source


def _big_module() -> str:
    parts = ["from __future__ import annotations\nimport enum\nX = 1\n"]
    for i in range(1500):
        if i % 3 == 0:
            parts.append(f"class C{i}(enum.Enum):\n  a='a'\n  b = 'b'\n")
        elif i % 3 == 1:
            parts.append(f"@staticmethod\ndef f{i}(x:int,y:int=2)->int:\n    return x+y  # comment {i}\n")
        else:
            parts.append(f"C{i} = dict(a = 1, b = [1,2,\n 3])\n")
    return "\n".join(parts)


def test_pieces_join_to_the_whole_file_result() -> None:
    text = _big_module()
    path = PurePosixPath("pkg/models.py")
    assert format_files({path: text})[path] == format_source(text)


# Where black's blank lines before a definition depend on what precedes it.
NEIGHBOURS = [
    '"""Module docstring."""\nclass A:\n  x=1\nclass B: pass\n',
    "import os\nclass A:\n  x=1\n\n\n\n\nclass B: pass\n",
    "import os\nX=1\ndef f(): ...\ndef f(x): ...\ndef g(): return 1\nclass A: ...\nclass B: ...\n"
    "class C:\n  def m(self): ...\nclass D: pass\n",
    "from typing import overload\n@overload\ndef f(x:int)->int: ...\n@overload\ndef f(x:str)->str: ...\n"
    "def f(x): return x\nclass Q: pass\n",
    "import os\n# about A\nclass A: pass\n\n# about B\n\nclass B: pass\nY = 2\nclass C(A):\n"
    '    """Doc."""\n    x: int\n',
    "if True:\n  X=1\nclass A: pass\ntry:\n  import x\nexcept ImportError:\n  pass\nclass B: pass\n",
    'class A:\n  x=1\nX = 1\nY = 2\n\n\n\nZ = 3\nclass B:\n  y = 1\n"""a string"""\nclass C: pass\n',
    "@dataclass\nclass A:\n  x:int\n@dataclass\n\nclass B:\n  y:int\nasync def f():\n  await g()\n",
]


@pytest.mark.parametrize("text", NEIGHBOURS)
def test_definitions_formatted_apart_join_to_the_whole_file_result(text: str) -> None:
    path = PurePosixPath("pkg/m.py")
    assert format_files({path: text})[path] == format_source(text)


def test_batch_boundaries_stay_put_when_a_definition_is_added() -> None:
    text = _big_module()
    before = _batches(text)
    after = _batches(text.replace("class C300(", "class Added(enum.Enum):\n  x = 1\nclass C300(", 1))
    assert len(before) > 50
    changed = set(after) - set(before)
    assert len(changed) == 1 and any("class Added" in piece for piece in changed.pop())


def test_small_files_and_other_files_pass_through() -> None:
    files = {PurePosixPath("a.py"): "x  =  1\n", PurePosixPath("b.toml"): "a  =  1\n"}
    assert format_files(files) == {PurePosixPath("a.py"): "x = 1\n", PurePosixPath("b.toml"): "a  =  1\n"}


def test_split_module_moves_each_definition_where_placed_with_its_imports_helpers_and_marks() -> None:
    from codegen.format import split_module

    source = (
        '# head\n"""Models."""\n\nfrom __future__ import annotations\n\nfrom enum import Enum\n'
        "from typing import Annotated\n\nfrom pydantic import Field\n\n"
        "from ._models import BaseModel, mark_deprecated\n\n"
        "class Kind(str, Enum):\n    a = 'a'\n\n"
        "LimitedStr = Annotated[str, Field(max_length=3)]\n\n"  # a helper the IR did not name
        "class Shared(BaseModel):\n    kind: Kind\n\n"
        "class Mine(Shared):\n    name: LimitedStr\n\n"
        "Alias = list[Mine]\n"
        '"""An alias\'s docstring."""\n\n'
        "mark_deprecated(Mine, 'name')\n"
    )
    placement = {"Kind": "_shared", "Shared": "_shared", "Mine": "pets", "Alias": "pets"}
    modules = split_module(source, placement, header="# head")
    assert sorted(modules) == ["_shared", "pets"]
    shared, pets = modules["_shared"], modules["pets"]
    assert "class Shared(BaseModel)" in shared and "class Mine" not in shared
    assert "from .._models import BaseModel\n" in shared and "Annotated" not in shared  # only what it uses
    assert "from ._shared import Shared\n" in pets and "LimitedStr = Annotated" in pets  # the helper goes with Mine
    docstring = pets.index('"""An alias\'s docstring."""')
    assert pets.index("Alias = list[Mine]") < docstring < pets.index("mark_deprecated(Mine")
    assert "from .._models import mark_deprecated\n" in pets  # Mine extends Shared: no BaseModel here
    assert pets.rstrip().endswith('__all__ = [\n    "Alias",\n    "Mine",\n]')
    for text in modules.values():
        compile(text, "m.py", "exec")


def test_each_split_module_is_already_in_blacks_layout_after_its_imports() -> None:
    """Black puts two blank lines between imports and a class, one before anything else: a module
    that starts with an alias must not cost black a second pass."""
    import black

    from codegen.format import MODE, split_module

    source = (
        "from typing import Annotated\n\nfrom ._models import BaseModel\n\n\n"
        "class Shared(BaseModel):\n    x: int\n\n\n"
        "Alias = Annotated[Shared, 1]\n\n\n"
        "class Mine(BaseModel):\n    alias: Alias\n"
    )
    modules = split_module(source, {"Shared": "a", "Alias": "b", "Mine": "c"}, header='"""head"""')
    assert "import Shared\n\nAlias = " in modules["b"]
    assert "Alias\n\n\nclass Mine" in modules["c"]
    for module, text in modules.items():
        assert black.format_str(text, mode=MODE) == text, module


def test_a_rebuild_call_stays_with_its_class() -> None:
    """DigitalOcean: `X.model_rebuild()` after a class of a deeper module went with the statement before
    it, and the import it needed made a cycle."""
    from codegen.format import split_module

    source = (
        "from ._models import BaseModel\n\n"
        "class Span(BaseModel):\n    children: list[Span]\n\n"
        "class Parent(BaseModel):\n    x: int\n\n"
        "Span.model_rebuild()\n"
    )
    modules = split_module(source, {"Span": "child", "Parent": "parent"}, header="# head")
    assert "Span.model_rebuild()" in modules["child"] and "Span" not in modules["parent"]


def test_a_file_already_in_blacks_layout_is_cut_into_pieces_black_leaves_alone() -> None:
    # A piece black's first pass changes costs a second pass: pieces must not carry the blank lines
    # between definitions (black drops a piece's trailing blank lines).
    import black

    from codegen.format import MODE

    formatted = format_source(_big_module())
    pieces = [piece for batch in _batches(formatted) for piece in batch]
    assert len(pieces) > 1000
    assert [p for p in pieces if black.format_str(p, mode=MODE) != p] == []


# isort rewrites the leading imports (here: merges two lines, wraps a long one over several): the
# definitions after them move, and the file is still cut where a whole parse would cut it.
SORTED_HEADS = [
    "from typing import b\nfrom typing import a\nimport os\n@dec\nclass A:\n  x=1\ndef f(): return 1\nclass B: pass\n",
    "from m import (" + ", ".join(f"name_{i}" for i in range(40)) + ")\n"
    "@dec\nclass A:\n  x=1\n# about B\nclass B: pass\ndef g(x:int)->int:\n  return x\n",
    '"""Doc."""\nfrom z import y\nfrom a import b, a\n\n\n\nclass A: ...\nclass B: ...\nclass C:\n  y = 2\n',
]


@pytest.mark.parametrize("text", SORTED_HEADS)
def test_cut_after_sorting_the_imports_is_the_cut_of_the_sorted_text(text: str) -> None:
    from codegen.format import _definitions, _isort_config, _sort_imports, _sort_imports_parsed

    config = _isort_config("pkg")
    sorted_text, tree, shift = _sort_imports_parsed(text, config)
    assert sorted_text == _sort_imports(text, config) != text
    assert _definitions(sorted_text, tree, shift) == _definitions(sorted_text)
    path = PurePosixPath("pkg/m.py")
    assert format_files({path: text})[path] == format_source(text)


def test_a_worker_collects_each_batchs_garbage_never_visits_what_it_inherited_and_yields_to_the_models() -> None:
    import gc
    import multiprocessing
    import os

    from codegen.format import WORKER_NICENESS

    def child(send: object) -> None:
        from codegen.format import _black_batch, _black_batch_in_worker, _worker_start

        try:
            _worker_start()
            batch = tuple(piece for batch in _batches(_big_module())[:8] for piece in batch)
            expected = _black_batch(batch)
            tracked = []
            for _ in range(5):
                same = _black_batch_in_worker(batch) == expected
                tracked.append(len(gc.get_objects()))
            niceness = os.nice(0)
            send.send((same, gc.isenabled(), gc.get_freeze_count() > 0, tracked, niceness))  # type: ignore[attr-defined]
        except BaseException as exc:
            send.send(repr(exc))  # type: ignore[attr-defined]

    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=child, args=(send,))
    process.start()
    try:
        assert receive.poll(60)
        outcome = receive.recv()
    finally:
        process.kill()
        process.join()
    assert not isinstance(outcome, str), outcome
    same, enabled, frozen, tracked, niceness = outcome
    assert same and not enabled and frozen
    assert niceness == min(os.nice(0) + WORKER_NICENESS, 19)  # the models stage, in the helper, goes first
    assert max(tracked) - min(tracked) < 1_000  # each batch's trees (tens of thousands of objects) are gone
