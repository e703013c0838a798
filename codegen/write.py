"""Put generated files on disk, atomically, or compare them with what is there.

Input: a target directory and a file map {relative posix path: text}.
Output: the directory holding exactly those files (stale ones removed), or a unified diff.
The tree is built beside the target and swapped in with renames, so a failure at any
point leaves the previous output as it was.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

FileMap = dict[PurePosixPath, str]

# Left alone when replacing the tree: made by `pip install -e`, not by us.
_FOREIGN = (".egg-info", "__pycache__", "build")


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_foreign(rel: PurePosixPath) -> bool:
    """Tool caches and build metadata (`.mypy_cache`, `*.egg-info`): never ours, never touched."""
    return any(part.endswith(_FOREIGN) or part.startswith(".") for part in rel.parts)


def read_tree(root: Path) -> FileMap:
    if not root.is_dir():
        return {}
    found: FileMap = {}
    for path in sorted(root.rglob("*")):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        if path.is_file() and not _is_foreign(rel):
            found[rel] = path.read_text(encoding="utf-8")
    return found


def write_tree(root: Path, files: FileMap) -> int:
    """Replace `root` with exactly `files`; returns how many files differ from before."""
    before = read_tree(root)
    changed = sum(1 for rel in files.keys() | before.keys() if files.get(rel) != before.get(rel))
    if changed == 0:
        return 0
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.new."))
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        if root.exists():
            _carry_foreign(root, staging)
            old = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.old."))
            old.rmdir()
            os.replace(root, old)
            os.replace(staging, root)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changed


def _carry_foreign(root: Path, staging: Path) -> None:
    """Keep an editable install's metadata across the swap."""
    for path in root.rglob("*.egg-info"):
        rel = path.relative_to(root)
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(path, staging / rel)


def diff_tree(root: Path, files: FileMap) -> str:
    before = read_tree(root)
    chunks: list[str] = []
    for rel in sorted(files.keys() | before.keys()):
        old, new = before.get(rel), files.get(rel)
        if old != new:
            chunks.extend(
                difflib.unified_diff(
                    (old or "").splitlines(keepends=True),
                    (new or "").splitlines(keepends=True),
                    fromfile=f"a/{root.name}/{rel}" if old is not None else "/dev/null",
                    tofile=f"b/{root.name}/{rel}" if new is not None else "/dev/null",
                )
            )
    return "".join(chunks)
