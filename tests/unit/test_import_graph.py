"""What a type checker visits for a program that imports the SDK.

mypy follows every import it sees: at module level, under `if TYPE_CHECKING:` and inside functions.
Whatever the SDK imports that way, every user's `mypy` run checks too, so the package reached from
`__init__.py` may name only its run-time dependencies (httpx2, pydantic) and the standard library;
optional extras (httpx 0.28 for the adapter, aiohttp for its transport) stay out of reach.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.support import ROOT

PACKAGE = ROOT / "generated" / "openai_chat_sdk"
ALLOWED = {"httpx2", "pydantic", "pydantic_core", "typing_extensions"}  # pydantic_core: pydantic's own


def _imports(path: Path, package: str) -> set[str]:
    """Every module `path` imports, wherever the import statement is, as absolute names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in node.names)  # submodules imported by name
            else:
                found.add(node.module or "")
    return found


def reached_from_init(root: Path) -> tuple[set[str], set[str]]:
    """(the package's modules, the outside modules) reachable from the package's `__init__.py`."""
    name = root.name
    seen: set[str] = set()
    outside: set[str] = set()
    todo = [name]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        relative = Path(*module.split(".")[1:])
        for path, package in (
            (root / relative / "__init__.py", module),
            (root / f"{relative}.py", module.rpartition(".")[0]),
        ):
            if path.is_file():
                seen.add(module)
                for imported in _imports(path, package):
                    if imported.split(".")[0] == name:
                        todo.append(imported)
                    else:
                        outside.add(imported.split(".")[0])
                break
    return seen, outside


def test_a_program_importing_the_sdk_makes_mypy_follow_only_its_dependencies() -> None:
    modules, outside = reached_from_init(PACKAGE)
    third_party = {name for name in outside if name not in sys.stdlib_module_names and name != "__future__"}
    assert "openai_chat_sdk._client" in modules and "openai_chat_sdk._transport" in modules
    assert third_party == ALLOWED
    assert "openai_chat_sdk._aiohttp" not in modules  # opt-in: imported by name by the programs that use it


def test_every_module_of_the_sdk_type_checks_without_its_optional_extras() -> None:
    # `mypy --strict` on the package itself visits every module, `_aiohttp.py` included: were aiohttp
    # imported there, the SDK would type-check only where the extra is installed, and pay for it.
    outside: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
        outside.update(name.split(".")[0] for name in _imports(path, package))
    third_party = {name for name in outside if name not in sys.stdlib_module_names and name != "__future__"}
    assert third_party - {"openai_chat_sdk"} == ALLOWED
