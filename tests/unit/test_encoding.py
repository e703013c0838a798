"""runtime/_encoding: every parameter style of OpenAPI 3 laid out as its style table says, and bodies
in every media type (the runtime module is pure and imports on its own)."""

from __future__ import annotations

import enum
import io
from pathlib import Path

import pytest

from codegen.runtime._encoding import (
    binary_body,
    cookie_header,
    form_body,
    header_values,
    path_value,
    query_pairs,
)

BLUE = "blue"
COLORS = ["blue", "black", "brown"]
RGB = {"R": 100, "G": 200, "B": 150}


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("simple", False, BLUE, "blue"),
        ("simple", False, COLORS, "blue,black,brown"),
        ("simple", True, COLORS, "blue,black,brown"),
        ("simple", False, RGB, "R,100,G,200,B,150"),
        ("simple", True, RGB, "R=100,G=200,B=150"),
        ("label", False, BLUE, ".blue"),
        ("label", False, COLORS, ".blue,black,brown"),
        ("label", True, COLORS, ".blue.black.brown"),
        ("label", False, RGB, ".R,100,G,200,B,150"),
        ("label", True, RGB, ".R=100.G=200.B=150"),
        ("matrix", False, BLUE, ";color=blue"),
        ("matrix", False, COLORS, ";color=blue,black,brown"),
        ("matrix", True, COLORS, ";color=blue;color=black;color=brown"),
        ("matrix", False, RGB, ";color=R,100,G,200,B,150"),
        ("matrix", True, RGB, ";R=100;G=200;B=150"),
    ],
)
def test_path_styles(style: str, explode: bool, value: object, expected: str) -> None:
    assert path_value("color", value, (style, explode)) == expected


def test_path_values_are_one_encoded_segment_and_never_change_the_path() -> None:
    assert path_value("id", "a/b?c#d e%", None) == "a%2Fb%3Fc%23d%20e%25"
    for bad in ("", ".", ".."):
        with pytest.raises(ValueError, match="id"):
            path_value("id", bad, None)


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("form", True, BLUE, [("color", "blue")]),
        ("form", True, COLORS, [("color", "blue"), ("color", "black"), ("color", "brown")]),
        ("form", False, COLORS, [("color", "blue,black,brown")]),
        ("form", True, RGB, [("R", "100"), ("G", "200"), ("B", "150")]),
        ("form", False, RGB, [("color", "R,100,G,200,B,150")]),
        ("spaceDelimited", False, COLORS, [("color", "blue black brown")]),
        ("pipeDelimited", False, COLORS, [("color", "blue|black|brown")]),
        ("deepObject", True, RGB, [("color[R]", "100"), ("color[G]", "200"), ("color[B]", "150")]),
    ],
)
def test_query_styles(style: str, explode: bool, value: object, expected: list[tuple[str, str]]) -> None:
    assert query_pairs("color", value, (style, explode)) == expected


class Size(enum.Enum):
    big = "big"


def test_values_are_sent_as_the_spec_spells_them() -> None:
    assert query_pairs("flag", True, None) == [("flag", "true")]
    assert query_pairs("size", [Size.big, False], None) == [("size", "big"), ("size", "false")]
    assert header_values({"X-Tags": COLORS, "X-Rgb": RGB, "X-Off": None}) == {
        "X-Tags": "blue,black,brown",
        "X-Rgb": "R,100,G,200,B,150",
    }
    assert header_values({"X-Rgb": RGB}, {"X-Rgb": ("simple", True)}) == {"X-Rgb": "R=100,G=200,B=150"}
    assert cookie_header({"session": "a b", "ids": [1, 2], "none": None}) == "session=a%20b; ids=1%2C2"


def test_form_bodies_nest_objects_as_deep_objects_unless_encoding_says_otherwise() -> None:
    fields = {"name": "Rex", "tags": ["a", "b"], "meta": {"k": "v"}, "skip": None}
    assert form_body(fields) == [("name", "Rex"), ("tags", "a"), ("tags", "b"), ("meta[k]", "v")]
    assert form_body({"tags": ["a", "b"]}, {"tags": ("form", False)}) == [("tags", "a,b")]


def test_binary_and_text_bodies(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01")
    assert binary_body(path, "binary") == b"\x00\x01"
    assert binary_body(io.BytesIO(b"abc"), "binary") == b"abc"
    chunks = iter([b"a", b"b"])
    assert binary_body(chunks, "binary") is chunks  # an iterator is streamed, not read here
    assert binary_body("naïve", "text") == "naïve".encode()
    assert binary_body(None, "binary") is None
