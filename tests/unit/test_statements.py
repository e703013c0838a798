"""A module's statements read a chunk at a time with a cache (`codegen/statements.py`): after any
edit, what reading the whole text gives; only new chunks are parsed; a chunk that does not parse
on its own makes the whole text parse, with its error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from codegen import statements
from codegen.cache import Cache
from codegen.format import split_module
from tests.support import first_arguments

MODULE = '''\
"""Models of a shop."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from ._models import mark_deprecated


class Item(BaseModel):
    """An item.

class of its own: a docstring line that reads like code
x = 1
"""

    name: str
    size: Annotated[int, Field(ge=0)] = 0


Size = Literal["s", "m"]
"""
type Alias = a docstring after an alias
"""


@dataclass_like
class Tag(BaseModel):
    label: str
    item: Item | None = None


mark_deprecated(Tag, "item")
Tag.model_rebuild()
'''

EDITS: dict[str, Callable[[str], str]] = {
    "a field added": lambda t: t.replace("    label: str\n", "    label: str\n    note: str | None = None\n"),
    "a class added": lambda t: t + "\n\nclass Extra(BaseModel):\n    tag: Tag\n",
    "a docstring changed": lambda t: t.replace("x = 1\n", "y = 2\nclass Other(\n"),
    "an import added": lambda t: t.replace("from typing import", "import enum\nfrom typing import"),
    "a decorator added": lambda t: t.replace("\n\nSize = ", "\n\n@final\nclass Gone:\n    pass\n\n\nSize = "),
    "a statement removed": lambda t: t.replace("Tag.model_rebuild()\n", ""),
}


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return first_arguments(monkeypatch, statements, "_parsed")  # the texts parsed, in order


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edited_module_reads_as_the_whole_text_does(tmp_path: Path, edit: str) -> None:
    cache = Cache(tmp_path)
    assert statements.read(MODULE, cache) == statements.read(MODULE)
    edited = EDITS[edit](MODULE)
    assert edited != MODULE
    assert statements.read(edited, cache) == statements.read(edited)
    assert statements.read(edited, cache) == statements.read(edited)  # from the record this run kept
    placement = {"Item": "a", "Size": "a", "Tag": "b", "Extra": "b"}
    assert split_module(edited, placement, header="# h", cache=cache) == split_module(edited, placement, header="# h")


def test_only_new_chunks_are_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path)
    statements.read(MODULE, cache)
    parsed = _counting(monkeypatch)
    statements.read(MODULE, cache)
    assert parsed == []
    statements.read(EDITS["a field added"](MODULE), cache)
    assert len(parsed) == 1 and parsed[0].startswith("@dataclass_like\nclass Tag(")


def test_a_chunk_that_does_not_parse_gives_the_whole_texts_error(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    statements.read(MODULE, cache)
    broken = MODULE.replace("    label: str\n", "    label: str(\n")
    with pytest.raises(SyntaxError) as whole:
        statements.read(broken)
    with pytest.raises(SyntaxError) as chunked:
        statements.read(broken, cache)
    assert (chunked.value.msg, chunked.value.lineno) == (whole.value.msg, whole.value.lineno)


def test_a_cut_inside_a_statement_keeps_nothing(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    # A string spanning lines without triple quotes: the cut at `x = 1` falls inside it.
    text = 'A = (\n"a"\n)\nB = "\\\nx = 1"\n'
    assert statements.read(text, cache) == statements.read(text)
    assert not (tmp_path / "statements").exists()


def test_a_corrupt_or_foreign_record_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    statements.read(MODULE, cache)
    (entry,) = (path for path in (tmp_path / "statements").rglob("*") if path.is_file())
    entry.write_bytes(entry.read_bytes()[:-20])  # truncated: the checksum fails
    edited = EDITS["a field added"](MODULE)
    assert statements.read(edited, cache) == statements.read(edited)
    cache.put("statements", entry.name, b"not a record")  # the right checksum, not marshal data
    assert statements.read(MODULE, cache) == statements.read(MODULE)
