"""Format generated Python: imports sorted (isort), then black, in fixed modes (no config discovery).

Input: {path: text}. Output: the same map with every `.py` file formatted; a syntax error
in generated code is a generator bug and names the file. This is the one stage that parses
generated code, and only to format it.

Black takes about 4 s per MB of code for each pass, and it makes a second pass over any text its
first pass changed, which dominates generating a whole API (3 MB). So every file is cut before
its top-level classes and functions: black treats each top-level definition on its own, so
joining the formatted definitions with the two blank lines black puts between them gives what
formatting the whole file would, and only the batch of a definition black's first pass changes
costs a second pass (the renderers write black's layout, so few do: none of 340 batches on box). The
definitions go to black in batches, one call each, whose boundaries depend on the definitions'
names only (so the output never depends on the machine, and an edit moves no boundary but its
own), in parallel processes when there is much. With a cache (`cache.py`), a file or batch
formatted before is taken from it: a spec update formats again only the files it changed, and of
those only the batches it changed.
"""

from __future__ import annotations

import ast
import contextlib
import itertools
import os
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from pathlib import PurePosixPath
from typing import Any

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from .cache import Cache, key
from .errors import CodegenError

MODE = black.Mode(
    target_versions={TargetVersion.PY310},
    line_length=100,
    string_normalization=True,
    magic_trailing_comma=True,
    preview=False,
)
BATCH = 16  # top-level definitions per batch handed to black, on average
PARALLEL = 400_000  # characters of code above which formatting runs in parallel processes
WORKER_NICENESS = 5  # how much less a formatting worker weighs with the scheduler (`_worker_start`)


def format_source(text: str, first_party: str = "") -> str:
    """One module, whole: imports sorted, then black."""
    return _black(_sort_imports(text, _isort_config(first_party)))


def _black(text: str) -> str:
    return black.format_str(text, mode=MODE)


def _black_batch(pieces: tuple[str, ...]) -> str:
    """The pieces joined as black separates top-level definitions, formatted in one call: what
    formatting them one by one and joining the results gives (each is formatted on its own), without
    black's set-up cost for each (0.15 ms a call, 1,700 pieces for a 300-operation API); a batch
    whose first pass changes anything costs a second pass over the whole batch, which the
    renderers' black layout makes rare."""
    return _black(_join(pieces))


def _worker_start() -> None:
    """A worker process's garbage collection: what it inherited (the spec, the IR, the rendered
    code) set apart, never visited, and no automatic collections; `_black_batch_in_worker` collects
    after each batch. Black's trees are cyclic (a node knows its parent), so they are garbage for
    the collector to find, and the collector, left to its thresholds, went over each tree still
    being built and everything inherited again and again: 0.35-0.45 s of a worker's 2 s on box.

    And a lower priority (`WORKER_NICENESS`): the workers start on the client while the models stage
    runs in the helper process (and validation in another), more processes than cores; the models
    are what the run then waits for, so the workers take what the others leave. Without it, on box
    the workers ran out of client batches while this process was still splitting the late models,
    and two cores stood idle."""
    import gc

    gc.freeze()
    gc.disable()
    with contextlib.suppress(OSError):  # not allowed here: the same work, scheduled as the rest
        os.nice(WORKER_NICENESS)


def _black_batch_in_worker(pieces: tuple[str, ...]) -> str:
    import gc

    try:
        return _black_batch(pieces)
    finally:
        gc.collect(0)  # everything since the last batch: the trees black built for this one


def _join(parts: Iterable[str]) -> str:
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def format_files(
    files: dict[PurePosixPath, str], *, first_party: str = "", cache: Cache | None = None
) -> dict[PurePosixPath, str]:
    """Every `.py` file formatted; with a cache, a file or piece formatted before is not formatted again
    (keyed by its text, black's and isort's versions and the mode: the same bytes either way)."""
    with Formatter(first_party=first_party, cache=cache) as formatter:
        return formatter.start(files)()


class Formatter:
    """`format_files` in steps: `start` hands a map's pieces to worker processes (started on first
    need, shared by every call) and returns what waits for them, so that the caller can go on
    meanwhile (the pipeline formats the client while the models stage runs)."""

    def __init__(self, *, first_party: str = "", cache: Cache | None = None) -> None:
        self.first_party = first_party
        self.cache = cache
        self.tools = _tools(first_party) if cache is not None else ""
        self.isort_config: object | None = None  # made on first need (building it costs as much as a sort)
        self.pool: Executor | None = None
        # The formatted files and batches of the last run, one cache entry ({hash of the text to
        # format: formatted text}; a whole API's 800 entries written as files cost 0.1-0.2 s), and
        # those of this run, which replace them when the formatter is done.
        self.known: dict[bytes, bytes] | None = None
        self.kept: dict[bytes, bytes] = {}

    def __enter__(self) -> Formatter:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.cache is not None and kind is None and self.known is not None and self.kept != self.known:
            self.cache.put_record("format", self._entry(), self.kept)

    def _entry(self) -> str:
        return key("format", self.tools)

    def _get(self, *text: str) -> str | None:
        """The formatted text of a file or batch (`text`: its pieces) from the last run, if any."""
        if self.cache is None:
            return None
        if self.known is None:
            self.known = self.cache.get_record("format", self._entry())
        digest = _digest(*text)
        found = self.known.get(digest)
        if found is None:
            return None
        self.kept[digest] = found
        return found.decode("utf-8")

    def _put(self, formatted: str, *text: str) -> None:
        if self.cache is not None:
            self.kept[_digest(*text)] = formatted.encode("utf-8")

    def start(self, files: dict[PurePosixPath, str]) -> Callable[[], dict[PurePosixPath, str]]:
        jobs: list[tuple[PurePosixPath, int, tuple[str, ...]]] = []  # (file, batch number, pieces)
        out: dict[PurePosixPath, str] = {}
        batches_of: dict[PurePosixPath, list[str | None]] = {}  # formatted batches, None until formatted
        for path, text in files.items():
            if path.suffix != ".py":
                out[path] = text
                continue
            if (known := self._get(text)) is not None:
                out[path] = known
                continue
            if self.isort_config is None:
                self.isort_config = _isort_config(self.first_party)
            try:
                batches = _batches(*_sort_imports_parsed(text, self.isort_config))
            except SyntaxError as exc:
                raise CodegenError.at(
                    str(path), f"line {exc.lineno}", f"generated code does not parse (a generator bug): {exc.msg}"
                ) from None
            done: list[str | None] = []
            for index, batch in enumerate(batches):
                known = self._get("", *batch)  # "": a batch's hash is never a file's
                done.append(known)
                if known is None:
                    jobs.append((path, index, batch))
            batches_of[path] = done
        results = self._black_all([batch for _, _, batch in jobs])

        def finish() -> dict[PurePosixPath, str]:
            try:
                formatted = [r if isinstance(r, str) else r.result() for r in results]
            except InvalidInput as exc:
                raise CodegenError.at("generated code", "", f"does not parse (a generator bug): {exc}") from None
            for (path, index, batch), result in zip(jobs, formatted, strict=True):
                batches_of[path][index] = result
                self._put(result, "", *batch)
            for path, parts in batches_of.items():
                out[path] = _join(part or "" for part in parts)
                self._put(out[path], files[path])
            return {path: out[path] for path in files}

        return finish

    def _black_all(self, batches: list[tuple[str, ...]]) -> list[str | Future[str]]:
        """Large amounts in parallel processes, as futures; the rest formatted now."""
        size = sum(len(piece) for batch in batches for piece in batch)
        if size > PARALLEL and len(batches) > 1 and (os.cpu_count() or 1) > 1:
            if self.pool is None:
                from concurrent.futures import ProcessPoolExecutor  # only large outputs pay for the import

                self.pool = ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8), initializer=_worker_start)
            # The largest first, so that no worker is left with a big one at the end.
            order = sorted(range(len(batches)), key=lambda i: -sum(map(len, batches[i])))
            futures = {i: self.pool.submit(_black_batch_in_worker, batches[i]) for i in order}
            return [futures[i] for i in range(len(batches))]
        try:
            return [_black_batch(batch) for batch in batches]
        except InvalidInput as exc:
            raise CodegenError.at("generated code", "", f"does not parse (a generator bug): {exc}") from None


def _digest(*parts: str) -> bytes:
    """A hash of the parts, each length-prefixed (as `cache.key`), as bytes."""
    return bytes.fromhex(key(*parts))


def _tools(first_party: str) -> str:
    """Everything besides the text that decides the formatted result."""
    import isort
    from black import __version__ as black_version  # type: ignore[attr-defined]

    return f"black {black_version} {MODE!r}; isort {isort.__version__} {first_party!r}; batches {BATCH}"


def _isort_config(first_party: str) -> Any:
    import isort

    return isort.Config(
        profile="black", line_length=MODE.line_length, known_first_party=[first_party] if first_party else []
    )


def _sort_imports(text: str, config: Any) -> str:
    """The module's leading imports in isort's order (black's profile); the rest as it is."""
    return _sort_imports_parsed(text, config)[0]


def _sort_imports_parsed(text: str, config: Any) -> tuple[str, ast.Module, int]:
    """`_sort_imports`, with the tree of the text before sorting and by how many lines sorting moved
    what follows the imports: cutting the file reuses that tree (parsing is 0.15 s a MB), since only
    the leading imports changed."""
    import isort

    tree = ast.parse(text)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    if not imports:
        return text, tree, 0
    end = max(n.end_lineno or n.lineno for n in imports if n.lineno <= _first_definition(tree))
    lines = text.splitlines(keepends=True)
    head = isort.code("".join(lines[:end]), config=config)
    if not head.endswith("\n"):  # not seen; the rest would join the last import's line: parse it as it is
        sorted_text = head + "".join(lines[end:])
        return sorted_text, ast.parse(sorted_text), 0
    return head + "".join(lines[end:]), tree, len(head.splitlines(keepends=True)) - end


def _first_definition(tree: ast.Module) -> int:
    return next((n.lineno for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom, ast.Expr))), 1 << 30)


def _batches(text: str, tree: ast.Module | None = None, shift: int = 0) -> list[tuple[str, ...]]:
    """The file cut before its top-level definitions (`_definitions`), grouped in batches; a batch
    starts at a definition whose name hashes to a multiple of BATCH, so boundaries stay put when
    definitions elsewhere come or go."""
    batches: list[list[str]] = []
    for name, piece in _definitions(text, tree, shift):
        if not batches or zlib.crc32(name.encode()) % BATCH == 0:
            batches.append([])
        batches[-1].append(piece)
    return [tuple(batch) for batch in batches]


def _definitions(text: str, tree: ast.Module | None = None, shift: int = 0) -> list[tuple[str, str]]:
    """(name, text) of the file cut before each top-level class or function black sets apart with
    two blank lines whatever came before it; the first piece holds what precedes the first cut
    (named ""). Not cut where black's blank lines depend on the neighbour: before a definition
    preceded by a comment (black keeps a comment on the definition it follows) or by a bare string
    (a module docstring), and next to stubs (`def f(): ...`, overloads), which black lets stand
    together. Given `tree`, the text's tree but for leading imports that now take `shift` more
    lines (`_sort_imports_parsed`): the definitions all follow them."""
    if tree is None:
        tree, shift = ast.parse(text), 0
    lines = text.splitlines(keepends=True)
    cuts: list[tuple[int, str]] = [(0, "")]
    previous: ast.stmt | None = None
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and previous is not None:
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1 + shift
            above = next((line for line in reversed(lines[:start]) if line.strip()), "")
            docstring = isinstance(previous, ast.Expr) and isinstance(previous.value, ast.Constant)
            if not (above.lstrip().startswith("#") or docstring or _is_stub(node) or _ends_in_stub(previous)):
                cuts.append((start, node.name))
        previous = node
    cuts.append((len(lines), ""))
    # Without the blank lines that end it (black drops them, and a piece its first pass changes
    # costs a second): pieces are joined with the two black puts between definitions.
    pieces = [
        (name, "".join(lines[start:end]).rstrip("\n") + "\n") for (start, name), (end, _) in itertools.pairwise(cuts)
    ]
    return [(name, piece) for name, piece in pieces if piece.strip()]


def _is_stub(node: ast.stmt) -> bool:
    """A class or function whose body is `...`."""
    if not isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    if len(node.body) != 1 or not isinstance(node.body[0], ast.Expr):
        return False
    value = node.body[0].value
    return isinstance(value, ast.Constant) and value.value is Ellipsis


def _ends_in_stub(node: ast.stmt) -> bool:
    """The statement's last line closes a stub (black's blank-line rules look at the line before)."""
    while True:
        if _is_stub(node):
            return True
        body = getattr(node, "body", None)
        if not isinstance(body, list) or not body or getattr(node, "orelse", None) or getattr(node, "finalbody", None):
            return False
        node = body[-1]


def split_module(text: str, placement: dict[str, str], *, header: str, cache: Cache | None = None) -> dict[str, str]:
    """Distribute one module's top-level statements over sibling modules, as `placement` says
    ({defined name: module}); the IR decided the placement, this only moves code.

    A statement goes where the name it defines is placed; a docstring follows the statement
    before it; a statement that defines a name the placement does not know (a helper the models
    stage added) goes with the first statement that uses it; a call goes with the class it is
    about (`mark_deprecated(X, ...)`, `X.model_rebuild()`). Each module keeps the imports it uses,
    imports what it uses from its siblings (`from .other import X`), goes one package deeper
    (`from ._models` becomes `from .._models`), and lists its placed names in `__all__`. The
    placement must be acyclic (a module only uses modules placed "above" it), which the IR guarantees.
    With a cache, only the parts of the text not seen before are parsed (`statements.py`).
    """
    from . import statements as reading

    found = reading.read(text, cache)
    imports = found.imports
    body = found.body
    if body and body[0][3]:
        body = body[1:]  # the module docstring: each module gets its own header
    home: dict[str, str] = dict(placement)
    chunks: dict[str, list[str]] = {}
    uses: dict[str, set[str]] = {}
    helpers: list[str] = []  # defined names the placement does not know, in order
    statements: list[tuple[str, str | None, set[str]]] = []  # (source, defined name, names used)
    for source, defined, names, _ in body:
        if defined == "__all__":
            continue
        statements.append((source, defined, set(names)))
        if defined is not None and defined not in home:
            helpers.append(defined)
    # A helper goes with its first user, in statement order (a helper of a helper too: repeat).
    changed = True
    while changed:
        changed = False
        for _, defined, used in statements:
            if defined in home:
                for helper in helpers:
                    if helper in used and helper not in home:
                        home[helper] = home[defined]
                        changed = True
    for helper in helpers:
        home.setdefault(helper, min(placement.values()))
    previous = ""
    for source, defined, used in statements:
        target = ""
        if defined is not None:
            target = home[defined]
        else:
            marked = next((u[1:] for u in used if u.startswith("@")), None)
            target = home[marked] if marked is not None else previous
        chunks.setdefault(target, []).append(source)
        uses.setdefault(target, set()).update(u for u in used if not u.startswith("@"))
        previous = target
    defined_in: dict[str, set[str]] = {}
    for name, module in home.items():
        defined_in.setdefault(module, set()).add(name)
    out: dict[str, str] = {}
    for module in sorted(set(placement.values())):
        wanted_names = uses.get(module, set())
        head = [header, "", "from __future__ import annotations", ""]
        for module_name, level, imported in imports:
            if module_name == "__future__":
                continue
            kept = [(name, alias) for name, alias in imported if (alias or name) in wanted_names]
            if kept:
                spelled = ", ".join(name if alias is None else f"{name} as {alias}" for name, alias in kept)
                if module_name is not None or level:  # from ... import
                    dots = "." * (level + 1) if level else ""
                    head.append(f"from {dots}{module_name or ''} import {spelled}")
                else:
                    head.append(f"import {spelled}")
        for other in sorted(set(placement.values()) | set(home.values())):
            wanted = sorted(wanted_names & defined_in.get(other, set())) if other != module else []
            if wanted:
                head.append(f"from .{other} import {', '.join(wanted)}")
        exports = sorted(n for n, m in placement.items() if m == module)
        tail = "__all__ = [\n" + "".join(f'    "{n}",\n' for n in exports) + "]\n"  # black's quotes
        sources = chunks.get(module, [])
        out[module] = (
            "\n".join(head)
            + _after_imports(sources[0] if sources else "")
            + "\n\n".join(c.rstrip("\n") + "\n" for c in sources)
            + "\n\n"
            + tail
        )
    return out


def _after_imports(first: str) -> str:
    """What black puts between a module's imports and its first statement: two blank lines before a
    class or function, one before anything else."""
    return "\n\n\n" if first.startswith(("class ", "def ", "async def ", "@")) else "\n\n"
