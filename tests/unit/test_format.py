"""format: a large file formatted in pieces is exactly what black makes of it whole."""

from __future__ import annotations

from pathlib import PurePosixPath

from codegen.format import LARGE, format_files, format_source


def _big_module() -> str:
    parts = ["from __future__ import annotations\nimport enum\nX = 1\n"]
    for i in range(LARGE + 350):
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


def test_small_files_and_other_files_pass_through() -> None:
    files = {PurePosixPath("a.py"): "x  =  1\n", PurePosixPath("b.toml"): "a  =  1\n"}
    assert format_files(files) == {PurePosixPath("a.py"): "x = 1\n", PurePosixPath("b.toml"): "a  =  1\n"}
