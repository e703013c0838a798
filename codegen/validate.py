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
        for error in validator_cls(spec).iter_errors():
            where = "".join("/" + escape(str(part)) for part in getattr(error, "absolute_path", ()))
            problems.append(Problem(source, where or "/", error.message.splitlines()[0][:300]))
    except Exception as exc:  # a spec the validator chokes on is still the user's input to fix
        problems.append(Problem(source, "/", f"OpenAPI validation failed: {type(exc).__name__}: {str(exc)[:200]}"))
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
