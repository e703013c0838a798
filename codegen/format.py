"""Format generated Python: imports sorted (isort), then black, in fixed modes (no config discovery).

Input: {path: text}. Output: the same map with every `.py` file formatted; a syntax error
in generated code is a generator bug and names the file. This is the one stage that parses
generated code, and only to format it.

Black takes about 8 s per MB of code, which dominates generating a whole API (3 MB). Large
files are cut into runs of top-level classes and functions, a fixed number at a time (so the
output never depends on the machine), and the pieces are formatted in parallel processes;
black treats each top-level definition on its own, so joining them with the two blank lines
black puts between definitions gives what formatting the whole file would.
"""

from __future__ import annotations

import ast
import itertools
import os
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
PIECE = 300  # top-level definitions per piece of a large file
LARGE = 4 * PIECE  # files with more top-level statements than this are cut


def format_source(text: str, first_party: str = "") -> str:
    """One module, whole: imports sorted, then black."""
    return _black(_sort_imports(text, first_party))


def _black(text: str) -> str:
    return black.format_str(text, mode=MODE)


def format_files(files: dict[PurePosixPath, str], *, first_party: str = "") -> dict[PurePosixPath, str]:
    jobs: list[tuple[PurePosixPath, int, str]] = []  # (file, piece number, text)
    out: dict[PurePosixPath, str] = {}
    for path, text in files.items():
        if path.suffix != ".py":
            out[path] = text
            continue
        try:
            pieces = _pieces(_sort_imports(text, first_party))
        except SyntaxError as exc:
            raise CodegenError.at(
                str(path), f"line {exc.lineno}", f"generated code does not parse (a generator bug): {exc.msg}"
            ) from None
        jobs.extend((path, index, piece) for index, piece in enumerate(pieces))
    try:
        if len(jobs) > len(files) and (os.cpu_count() or 1) > 1:
            from concurrent.futures import ProcessPoolExecutor  # only large outputs pay for the import

            with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8)) as pool:
                formatted = list(pool.map(_black, [text for _, _, text in jobs]))
        else:
            formatted = [_black(text) for _, _, text in jobs]
    except InvalidInput as exc:
        raise CodegenError.at("generated code", "", f"does not parse (a generator bug): {exc}") from None
    joined: dict[PurePosixPath, list[str]] = {}
    for (path, _, _), text in zip(jobs, formatted, strict=True):
        joined.setdefault(path, []).append(text.strip("\n"))
    for path, parts in joined.items():
        out[path] = "\n\n\n".join(parts) + "\n"
    return {path: out[path] for path in files}


def _sort_imports(text: str, first_party: str) -> str:
    """The module's leading imports in isort's order (black's profile); the rest as it is."""
    import isort

    tree = ast.parse(text)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    if not imports:
        return text
    end = max(n.end_lineno or n.lineno for n in imports if n.lineno <= _first_definition(tree))
    lines = text.splitlines(keepends=True)
    config = isort.Config(
        profile="black", line_length=MODE.line_length, known_first_party=[first_party] if first_party else []
    )
    head = isort.code("".join(lines[:end]), config=config)
    return head + "".join(lines[end:])


def _first_definition(tree: ast.Module) -> int:
    return next((n.lineno for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom, ast.Expr))), 1 << 30)


def _pieces(text: str) -> list[str]:
    """The file whole, or cut before top-level definitions every PIECE statements."""
    tree = ast.parse(text)
    if len(tree.body) <= LARGE:
        return [text]
    lines = text.splitlines(keepends=True)
    cuts = [0]
    for index in range(PIECE, len(tree.body), PIECE):
        # Cut before the next class or function (its decorators go with it).
        follower = next((n for n in tree.body[index:] if isinstance(n, (ast.ClassDef, ast.FunctionDef))), None)
        if follower is not None:
            start = min([follower.lineno, *(d.lineno for d in follower.decorator_list)]) - 1
            if start > cuts[-1]:
                cuts.append(start)
    cuts.append(len(lines))
    pieces = ("".join(lines[start:end]) for start, end in itertools.pairwise(cuts))
    return [piece for piece in pieces if piece.strip()]
