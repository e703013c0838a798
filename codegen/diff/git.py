"""Read a diff input that may be a git revision: `HEAD~1:openapi/openapi.yaml` as well as a file.

Input: the argument as the user typed it. Output: a `Document` whose source is that argument.
A path that exists is read as a file; otherwise `REV:PATH` is read with `git show` (PATH as git
takes it: from the repository root, or `./`-relative to the current directory). Git errors become
one-line `CodegenError`s.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..errors import CodegenError
from ..load import Document, load_document, parse_document

_TIMEOUT = 60  # seconds for one `git show`


def is_revision(argument: str) -> bool:
    """`REV:PATH` that is not an existing file (a Windows drive letter is not a revision)."""
    if Path(argument).exists() or ":" not in argument:
        return False
    revision, _, path = argument.partition(":")
    return bool(revision) and bool(path) and not (len(revision) == 1 and path.startswith(("\\", "/")))


def load_input(argument: str) -> Document:
    if not is_revision(argument):
        return load_document(argument)
    git = shutil.which("git")
    if git is None:
        raise CodegenError.at(argument, "", "looks like REV:PATH, but git is not installed")
    try:
        shown = subprocess.run(  # noqa: S603 - git with the user's own revision, no shell
            [git, "show", argument], capture_output=True, timeout=_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CodegenError.at(argument, "", f"git show failed: {exc}") from None
    if shown.returncode != 0:
        message = (shown.stderr.decode(errors="replace").strip().splitlines() or ["unknown error"])[-1]
        raise CodegenError.at(argument, "", f"git show failed: {message.removeprefix('fatal: ')}")
    try:
        text = shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise CodegenError.at(argument, "", "not UTF-8 text") from None
    return parse_document(text, source=argument)
