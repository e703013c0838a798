"""Format generated Python with black, in a fixed mode (no config discovery).

Input: {path: text}. Output: the same map with every `.py` file formatted; a syntax error
in generated code is a generator bug and names the file.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from .errors import CodegenError

MODE = black.Mode(
    target_versions={TargetVersion.PY310},
    line_length=100,
    string_normalization=True,
    magic_trailing_comma=True,
    preview=False,
)


def format_files(files: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    out: dict[PurePosixPath, str] = {}
    for path, text in files.items():
        if path.suffix != ".py":
            out[path] = text
            continue
        try:
            out[path] = black.format_str(text, mode=MODE)
        except InvalidInput as exc:
            raise CodegenError.at(str(path), "", f"generated code does not parse (a generator bug): {exc}") from None
    return out
