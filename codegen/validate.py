"""Check that a document is a valid OpenAPI 3.0/3.1 description, leniently.

Input: the normalised spec (after the overlay) and a `Diagnostics`. Output: nothing; a
`CodegenError` only for what makes the spec unusable as a whole (not OpenAPI 3.0/3.1, a `$ref`
that does not resolve). Everything else openapi-spec-validator finds is a warning naming the
node and the keyword; a crash of the validator itself is one warning too.
"""

from __future__ import annotations

from typing import Any

from .errors import CodegenError, Diagnostics, Problem
from .grammar import walk
from .refs import escape, resolve_pointer

_MAX = 300
# Schema keywords whose invalid value is dropped (the rest of the schema still reads).
_SCHEMA_WORDS = frozenset(
    {
        "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
        "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required", "format",
        "readOnly", "writeOnly", "deprecated", "nullable", "title", "description", "default", "example",
        "externalDocs", "xml", "discriminator", "enum", "const", "contentEncoding", "contentMediaType",
    }
)  # fmt: skip


def validate_spec(spec: dict[str, Any], *, source: str, diagnostics: Diagnostics | None = None) -> None:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    validator_cls: Any = (
        OpenAPIV31SpecValidator if check_version(spec, source=source) == "3.1" else OpenAPIV30SpecValidator
    )
    problems = _dangling_refs(spec, source=source)
    if problems:  # the validator cannot even walk a spec with dangling refs
        raise CodegenError(problems)
    found: list[Problem] = []
    try:
        errors = list(validator_cls(spec).iter_errors())
    except Exception as exc:  # the validator's own bug: the spec may still be fine
        errors = []
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        found.append(Problem(source, "/", f"OpenAPI validation stopped here ({message}); the rest is unchecked"))
    index = _container_index(spec) if errors else {}
    schemas = {at: node for node, kind, at in walk(spec, "document") if kind == "schema"} if errors else {}
    for error in errors:
        error = _best(error)
        at = _locate(spec, index, error)
        message = _message(error)
        parent, _, keyword = at.rpartition("/")
        node = schemas.get(parent)
        if isinstance(node, dict) and keyword in node and keyword in _SCHEMA_WORDS:
            del node[keyword]  # a constraint the later stages could not read: left out
            message = f"{message}: {keyword} ignored"
        found.append(Problem(source, at, message))
    diagnostics.extend(sorted(set(found), key=lambda p: (p.pointer, p.message)))


def check_version(spec: dict[str, Any], *, source: str) -> str:
    """The version, 3.0 or 3.1; any other makes the spec unusable."""
    version = str(spec.get("openapi", ""))
    if version.startswith(("3.0", "3.1")):
        return version[:3]
    raise CodegenError.at(source, "/openapi", f"unsupported OpenAPI version {version or 'none'!r} (3.0 or 3.1)")


def _best(error: Any) -> Any:
    """For "valid under none of oneOf/anyOf", the branch error that says what is wrong."""
    from jsonschema.exceptions import best_match

    context = getattr(error, "context", None)
    return best_match(context) if context else error


def _message(error: Any) -> str:
    """One line, the offending value shortened: never a whole schema in the message."""
    message = str(error.message).splitlines()[0] if str(error.message) else "invalid"
    instance = repr(getattr(error, "instance", None))
    if len(instance) > 80 and message.startswith(instance):
        what = "this object" if isinstance(error.instance, dict) else "this value"
        message = what + message[len(instance) :]
    if len(message) > _MAX:
        message = message[: _MAX - 3] + "..."
    return message


def _dangling_refs(spec: dict[str, Any], *, source: str) -> list[Problem]:
    """Every `$ref` the generator follows (not in extensions or example values) must resolve."""
    problems = []
    for node, _, at in walk(spec, "document"):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str):
            continue
        if not ref.startswith("#"):
            problems.append(Problem(source, at or "/", f"only local $refs are supported here, got {ref!r}"))
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
