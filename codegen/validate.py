"""Check that a document is a valid OpenAPI 3.0/3.1 description.

Input: the spec mapping (after the overlay). Output: nothing, or a `CodegenError` listing
every problem openapi-spec-validator finds, each with its JSON pointer.
"""

from __future__ import annotations

from typing import Any

from .errors import CodegenError, Problem
from .refs import escape, iter_refs, resolve_pointer


def validate_spec(spec: dict[str, Any], *, source: str) -> None:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    version = str(spec.get("openapi", ""))
    if version.startswith("3.1"):
        validator_cls: Any = OpenAPIV31SpecValidator
    elif version.startswith("3.0"):
        validator_cls = OpenAPIV30SpecValidator
    else:
        raise CodegenError.at(source, "/openapi", f"unsupported OpenAPI version {version or 'none'!r} (3.0 or 3.1)")
    problems = _dangling_refs(spec, source=source)
    if problems:  # the validator cannot even walk a spec with dangling refs
        raise CodegenError(problems)
    try:
        errors = list(validator_cls(spec).iter_errors())
    except Exception as exc:  # a spec the validator chokes on is still the user's input to fix
        errors = []
        problems.append(Problem(source, "/", f"OpenAPI validation failed: {type(exc).__name__}: {str(exc)[:200]}"))
    if errors:
        index = _container_index(spec)
        for error in errors:
            problems.append(Problem(source, _locate(spec, index, error), error.message.splitlines()[0][:300]))
    if problems:
        raise CodegenError(sorted(problems, key=lambda p: p.pointer))


def _dangling_refs(spec: dict[str, Any], *, source: str) -> list[Problem]:
    problems = []
    for ref, at in iter_refs(spec):
        if not ref.startswith("#"):
            problems.append(Problem(source, at or "/", f"only local $refs are supported, got {ref!r}"))
            continue
        try:
            resolve_pointer(spec, ref, source=source)
        except (CodegenError, ValueError):
            problems.append(Problem(source, at or "/", f"dangling $ref {ref!r}"))
    return problems


def _container_index(spec: Any) -> dict[int, str]:
    """id() of every dict and list in the spec → its JSON pointer."""
    index: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(spec, "")]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            index[id(node)] = at
            stack.extend((value, f"{at}/{escape(str(key))}") for key, value in node.items())
        elif isinstance(node, list):
            index[id(node)] = at
            stack.extend((value, f"{at}/{i}") for i, value in enumerate(node))
    return index


def _locate(spec: Any, index: dict[int, str], error: Any) -> str:
    """Where in the whole document an error sits. The validator checks each schema on its own, so
    its paths start at that schema: find the schema by identity (a container) or by walking the
    error's path from every candidate container (a scalar), and report the first match."""
    relative = [str(part) for part in getattr(error, "path", ())]
    absolute = [str(part) for part in getattr(error, "absolute_path", ())]
    instance = getattr(error, "instance", None)
    if isinstance(instance, (dict, list)) and id(instance) in index:
        return index[id(instance)] or "/"
    schema = getattr(error, "schema", None)
    if not relative and isinstance(schema, dict) and id(schema) in index and "default" in schema:
        return index[id(schema)] + "/default"  # a default value that its own schema rejects
    if relative:
        tail = "".join("/" + escape(part) for part in relative)
        for at in ["", *sorted(index.values())]:
            try:
                value = resolve_pointer(spec, at + tail)
            except (CodegenError, ValueError):
                continue
            if value == instance and type(value) is type(instance):
                return at + tail
    return "".join("/" + escape(part) for part in absolute) or "/"
