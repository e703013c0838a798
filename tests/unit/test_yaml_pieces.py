"""The piece-wise YAML parse (`codegen/yaml_pieces.py`): after any edit, the value a whole parse
gives, in the same key order; only the pieces not seen before are parsed; what the cut cannot be
sure about, and a corrupt record, fall back to the whole parse."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen import yaml_pieces
from codegen.cache import Cache
from codegen.errors import CodegenError
from codegen.load import _Loader, parse_value
from tests.support import first_arguments


def _spec(schemas: int = 60) -> str:
    """A spec large enough to be cut below its schemas (each schema above `_PIECE` characters)."""
    out = ["---", "openapi: 3.1.0", "info:", "  title: Pieces", "  version: '1'", "paths:"]
    for n in range(schemas // 4):
        out += [
            f"  /things/{{id}}/part{n}:",
            "    get:",
            f"      operationId: getPart{n}",
            "      responses:",
            "        200:",
            "          description: ok",
            "          content:",
            "            application/json:",
            f"              schema: {{$ref: '#/components/schemas/Thing{n}'}}",
            "        '404':",
            "          description: |",
            "            Not found.",
            "",
            "            paths:",  # text of a block scalar that looks like a key
            "  # a comment at the wrong indentation, inside a path",
            "          x-note: >-",
            f"            folded {n}",
        ]
    out += ["components:", "  schemas:"]
    for n in range(schemas):
        out += [f"    Thing{n}:", "      type: object", "      description: |"]
        out += [f"        Line {k} of thing {n}: `code` * not an alias" for k in range(40)]
        out += ["      required: [id]", "      properties:"]
        for k in range(12):
            out += [f"        field_{k}:", "          type: string", f"          description: Field {k} of {n}."]
        out += ["        tags:", "          type: array", "          items:", "          - type: string"]
    for twin in ("Twin1", "Twin2"):  # the same text twice, cut into pieces
        out += [f"    {twin}:", "      type: object", "      properties:"]
        for k in range(60):
            out += [f"        twin_{k}:", "          type: integer", f"          description: {'x' * 80}"]
    return "\n".join(out) + "\n"


def _whole(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def _ordered(value: Any) -> str:
    """Equal values with equal key order give equal text (== on dicts ignores order)."""
    return json.dumps(value, default=repr)


def _parse(text: str, cache: Cache) -> Any:
    return yaml_pieces.parse(text, source="spec.yaml", cache=cache, whole=_whole)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return first_arguments(monkeypatch, yaml_pieces, "_alone")  # the texts parsed, in order


EDITS: dict[str, Callable[[str], str]] = {
    "property added": lambda t: t.replace(
        "    Thing7:\n      type: object\n", "    Thing7:\n      type: object\n      title: Seven\n"
    ),
    "description line changed": lambda t: t.replace("Line 3 of thing 12:", "Line three of thing 12:"),
    "schema renamed": lambda t: t.replace("    Thing20:\n", "    Thing20b:\n"),
    "schema removed": lambda t: re.sub(r"    Thing30:\n(?: {6,}.*\n)*", "", t),
    "path added": lambda t: t.replace("components:\n", "  /new:\n    get:\n      responses: {}\ncomponents:\n"),
    "top-level key added": lambda t: t + "x-extra:\n  a: 1\n",
    "duplicate key": lambda t: t + "openapi: 3.0.3\n",
    "int and quoted keys": lambda t: t.replace("        200:\n", "        '200':\n", 1),
    "fields reordered": lambda t: t.replace(
        "        field_0:\n          type: string\n          description: Field 0 of 5.\n"
        "        field_1:\n          type: string\n          description: Field 1 of 5.\n",
        "        field_1:\n          type: string\n          description: Field 1 of 5.\n"
        "        field_0:\n          type: string\n          description: Field 0 of 5.\n",
    ),
    "anchor and alias across pieces": lambda t: t.replace("    Thing1:\n", "    Thing1: &one\n", 1).replace(
        "    Thing2:\n      type: object\n", "    Thing2:\n      allOf: [*one]\n      type: object\n", 1
    ),
    "sequence under a key at its indentation": lambda t: t.replace(
        "      required: [id]\n", "      required:\n      - id\n", 1
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edited_text_parses_as_a_whole_parse_does(tmp_path: Path, edit: str) -> None:
    cache = Cache(tmp_path)
    before = _spec()
    first = _parse(before, cache)
    assert _ordered(first) == _ordered(_whole(before))
    after = EDITS[edit](before)
    assert after != before
    assert _ordered(_parse(after, cache)) == _ordered(_whole(after))
    assert _ordered(_parse(after, cache)) == _ordered(_whole(after))  # from the record this run kept


def test_only_new_pieces_are_parsed_and_the_same_text_twice_gives_two_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path)
    before = _spec()
    _parse(before, cache)  # the first time: one whole parse, pieces taken from it
    parsed = _counting(monkeypatch)
    value = _parse(before, cache)
    assert parsed == []
    assert value["paths"]["/things/{id}/part1"] is not value["paths"]["/things/{id}/part2"]
    twins = [value["components"]["schemas"][twin]["properties"]["twin_0"] for twin in ("Twin1", "Twin2")]
    assert twins[0] == twins[1] and twins[0] is not twins[1]
    after = EDITS["property added"](before)
    assert _ordered(_parse(after, cache)) == _ordered(_whole(after))
    assert len(parsed) == 1 and parsed[0].startswith("    Thing7:") and len(parsed[0]) < 5000


def test_what_the_cut_is_not_sure_about_is_parsed_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path)
    parsed = _counting(monkeypatch)
    for text in [
        "a: &x {b: 1}\nc: *x\n",  # anchors: a value would hang on another piece
        "%YAML 1.2\n---\na: 1\n",  # a directive
        "- a\n- b\n",  # not a mapping
        "{a: 1, b: 2}\n",  # flow style
        "? [a, b]\n: 1\n",  # a complex key
        "a:\n\t- 1\n",  # a tab in indentation
    ]:
        try:
            expected = _whole(text)
        except yaml.YAMLError:
            with pytest.raises(yaml.YAMLError):
                _parse(text, cache)
            continue
        assert _ordered(_parse(text, cache)) == _ordered(expected)
    assert parsed == []
    assert not (tmp_path / "yaml").exists()  # nothing kept


def test_a_corrupt_record_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    before = _spec()
    _parse(before, cache)
    (entry,) = (tmp_path / "yaml").glob("*/*")
    data = entry.read_bytes()
    entry.write_bytes(data[:-100])  # truncated: the checksum fails
    after = EDITS["schema renamed"](before)
    assert _ordered(_parse(after, cache)) == _ordered(_whole(after))
    # A record of the right checksum that is not a record (another version's, say).
    cache.put("yaml", entry.name, b"not marshal data")
    assert _ordered(_parse(before, cache)) == _ordered(_whole(before))


def test_a_broken_piece_gives_the_whole_parse_error(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    text = _spec(200)  # above load.py's threshold for the piece-wise parse
    assert len(text) > 200_000
    first = parse_value(text, source="spec.yaml", cache=cache)
    assert _ordered(first) == _ordered(_whole(text))
    broken = text.replace("      type: object\n", "      type: [object\n", 1)
    with pytest.raises(CodegenError) as without:
        parse_value(broken, source="spec.yaml")
    with pytest.raises(CodegenError) as with_cache:
        parse_value(broken, source="spec.yaml", cache=cache)
    assert str(with_cache.value) == str(without.value)
