"""Check that a document is a valid OpenAPI 3.0/3.1 description, leniently.

Input: the normalised spec (after the overlay) and a `Diagnostics`. Output: nothing; a
`CodegenError` only for what makes the spec unusable as a whole (not OpenAPI 3.0/3.1, a `$ref`
that does not resolve). Everything else openapi-spec-validator finds is a warning naming the
node and the keyword; a crash of the validator itself is one warning too.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .cache import Cache, exact, generator_fingerprint, key
from .document_check import DocumentCheck, for_version
from .errors import CodegenError, Diagnostics, Problem
from .grammar import walk
from .helper import Helper, worth_forking
from .path_checks import PathChecks, Walk, entry_digests
from .refs import escape, resolve_pointer
from .schema_checks import SchemaChecks
from .spec_validator import validator_module

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


def validate_spec(
    spec: dict[str, Any], *, source: str, diagnostics: Diagnostics | None = None, cache: Cache | None = None
) -> None:
    """Validate now: the findings go into `diagnostics`, unreadable schema keywords leave `spec`."""
    start_validation(spec, source=source, cache=cache).finish(
        spec, diagnostics if diagnostics is not None else Diagnostics()
    )


# Specs with at least this many paths and component schemas are validated in a background process
# while the SDK is built; a smaller one too when a helper process is worth forking, but the caller
# waits for its verdict before building anything from it (`Validation.overlapped`).
BACKGROUND_FROM = 300


def start_validation(
    spec: dict[str, Any],
    *,
    source: str,
    cache: Cache | None = None,
    background: bool = False,
    helper: Helper[str] | None = None,
) -> Validation:
    """Begin validating `spec`. With a cache, a spec validated before (same text, same generator and
    validator) is not validated again: its findings and the keywords they dropped are replayed.
    Otherwise, with a cache, only the schemas whose text is new are checked against their dialect's
    meta-schema (`schema_checks.py`): the findings are the same.
    With `background` (and a platform that forks), a large spec is validated in a child process
    while the caller goes on with its copy; `finish()` says whether keywords were dropped from it,
    that is whether what the caller built from it meanwhile must be built again. A small one is
    validated in a child process where one is worth forking (`helper.worth_forking`), while the
    caller does what does not depend on the spec."""
    check_version(spec, source=source)
    problems = _dangling_refs(spec, source=source)
    if problems:  # the validator cannot even walk a spec with dangling refs
        raise CodegenError(problems)
    entry = key("validate", generator_fingerprint(), _exact(spec)) if cache is not None else ""
    known = cache.get_text("validate", entry) if cache is not None else None
    if known is not None:
        return Validation(source, *_decode(known), replay=True)
    checks = SchemaChecks(cache, dialect=spec.get("jsonSchemaDialect")) if cache is not None else None
    paths = PathChecks(cache) if cache is not None else None
    size = len(spec.get("paths") or {}) + len((spec.get("components") or {}).get("schemas") or {})
    overlapped = size >= BACKGROUND_FROM
    if background and helper is not None and not overlapped:  # forked at the start, the validator imported
        pending = helper.submit(spec, source, checks, paths)
        return Validation(source, [], [], replay=True, pending=pending, remember=(cache, entry))
    if background and sys.platform == "linux" and (overlapped or worth_forking()):  # where forking is cheap
        context = multiprocessing.get_context("fork")  # the child reads the spec as it is now, unpickled
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_validate_in_child, args=(spec, source, send, checks, paths), daemon=True)
        child.start()
        send.close()
        validation = Validation(source, [], [], replay=True, child=(child, receive), remember=(cache, entry))
        validation.overlapped = overlapped
        return validation
    findings, dropped = _findings(spec, source=source, checks=checks, paths=paths)
    if cache is not None:
        cache.put("validate", entry, json.dumps([findings, dropped]))
    return Validation(source, findings, dropped, replay=False)


def _exact(spec: dict[str, Any]) -> bytes:
    """The spec's value as bytes, exactly (`cache.exact`); its `repr` for a value marshal cannot write."""
    named = exact(spec)
    return b"marshal " + named if named is not None else b"repr " + repr(spec).encode()


class Validation:
    """The findings of a validation, maybe still running in a child process."""

    def __init__(
        self,
        source: str,
        findings: list[tuple[str, str]],
        dropped: list[str],
        *,
        replay: bool,
        child: tuple[Any, Any] | None = None,
        pending: Callable[[], str] | None = None,
        remember: tuple[Cache | None, str] = (None, ""),
    ) -> None:
        self.source, self.findings, self.dropped, self.replay = source, findings, dropped, replay
        self.child, self.pending, self.remember = child, pending, remember
        self.overlapped = False  # whether the caller builds the SDK while the child validates

    @property
    def elsewhere(self) -> bool:
        """Whether another process is validating (a child forked for it, or a helper)."""
        return self.child is not None or self.pending is not None

    def finish(self, spec: dict[str, Any], diagnostics: Diagnostics) -> bool:
        """Record the findings and drop the keywords they name from `spec` (unless dropped already);
        True when `spec` changed here."""
        value = self._received()
        if value is not None:
            self.findings, self.dropped = _decode(value)
            cache, entry = self.remember
            if cache is not None:
                cache.put("validate", entry, value)
        changed = False
        if self.replay:
            for at in self.dropped:  # the same schema keywords, dropped in the same order
                parent, _, keyword = at.rpartition("/")
                del resolve_pointer(spec, parent)[keyword]
                changed = True
            self.replay = False
        found = [Problem(self.source, at, message) for at, message in self.findings]
        diagnostics.extend(sorted(set(found), key=lambda p: (p.pointer, p.message)))
        return changed

    def _received(self) -> str | None:
        """The findings, as text, from the process validating (a helper or a child), once; else None."""
        if self.pending is not None:
            value, self.pending = self.pending(), None
            return value
        if self.child is None:
            return None
        process, receive = self.child
        try:
            outcome, value = receive.recv()
        except EOFError:
            outcome, value = "error", f"the validating process ended with status {process.exitcode}"
        finally:
            self.cancel()
        if outcome != "ok":
            raise RuntimeError(value)
        return str(value)

    def cancel(self) -> None:
        """Stop the child process, if any (finished or not)."""
        if self.child is not None:
            process, receive = self.child
            self.child = None
            if process.is_alive():
                process.kill()
            process.join()
            receive.close()


def warm_validator() -> None:
    """What a validation imports, imported ahead (by a helper process, `helper.py`)."""
    validator_module()
    import pathable.accessors  # noqa: F401 - `subscriptable_by_type`
    import referencing  # noqa: F401 - `_crawl_once`

    for version in ("3.0", "3.1"):
        for_version(version)


def findings_text(
    spec: dict[str, Any],
    source: str,
    checks: SchemaChecks | None,
    paths: PathChecks | None,
) -> str:
    """`_findings` as the text `Validation` decodes: a helper process's work."""
    return json.dumps(_findings(spec, source=source, checks=checks, paths=paths))


def _validate_in_child(
    spec: dict[str, Any],
    source: str,
    send: Any,
    checks: SchemaChecks | None,
    paths: PathChecks | None,
) -> None:
    try:
        send.send(("ok", findings_text(spec, source, checks, paths)))
    except BaseException as exc:  # reported by the parent as a stage failure
        send.send(("error", f"{type(exc).__name__}: {exc}".splitlines()[0][:200]))
    finally:
        send.close()


def _decode(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    findings, dropped = json.loads(text)
    return [(str(at), str(message)) for at, message in findings], [str(at) for at in dropped]


def _findings(
    spec: dict[str, Any],
    *,
    source: str,
    shortcuts: bool = True,
    checks: SchemaChecks | None = None,
    paths: PathChecks | None = None,
) -> tuple[list[tuple[str, str]], list[str]]:
    """openapi-spec-validator's findings as (pointer, message), and the pointers of the schema
    keywords dropped on the way, in the order they were dropped. With `checks`, the schemas that
    passed their meta-schema check in an earlier run are not checked again, and with `paths` the path
    items and schemas that passed its walk (this run's are kept). `shortcuts` (each registry crawled
    once, protocol checks answered by type) change no finding."""
    with (
        _crawl_once() if shortcuts else _as_is(),
        subscriptable_by_type() if shortcuts else _as_is(),
        checks.checking() if checks is not None else _as_is(),
    ):
        found = _validator_findings(spec, source=source, paths=paths)
    if checks is not None:
        checks.remember()
    if paths is not None and found == ([], []):  # a walk that found nothing: its items passed
        paths.remember()
    return found


@contextmanager
def _crawl_once() -> Iterator[None]:
    """Each schema registry crawled once per run, and each reference resolved once per place.

    The OAS 3.1 meta-schema refers to schemas with `$dynamicRef`; resolving one asks the registry
    for the anchor, and a registry with an uncrawled resource (the meta-schema, added by every
    validator) crawls it again on every ask and drops the result: 2,400 crawls of the same three
    registries. And the same `$ref`s are resolved from the same places 165,000 times for a large
    spec. Registries and resolvers are immutable and both steps pure functions of them, so the
    first result is the answer for the rest of the run: the findings are the same. Results are
    held with what they were computed from, so that no id is reused meanwhile.
    """
    from referencing import Registry

    crawl, resolver_type = Registry.crawl, type(Registry().resolver())
    lookup = resolver_type.lookup
    crawled: dict[int, tuple[Any, Any]] = {}
    resolved: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    def crawl_once(registry: Any) -> Any:
        known = crawled.get(id(registry))
        if known is None or known[0] is not registry:
            known = crawled[id(registry)] = (registry, crawl(registry))
        return known[1]

    def lookup_once(resolver: Any, ref: str) -> Any:
        # What a resolver is (referencing 0.37): its base URI, registry and dynamic scope.
        parts: list[Any] = [getattr(resolver, name, None) for name in ("_base_uri", "_registry", "_previous")]
        if None in parts:  # another version of referencing: not known what a resolver is
            return lookup(resolver, ref)
        base_uri, registry, previous = parts
        place = (ref, base_uri, id(registry), *previous)
        known = resolved.get(place)
        if known is None or known[0] is not registry:
            known = resolved[place] = (registry, lookup(resolver, ref))
        return known[1]

    Registry.crawl = crawl_once  # type: ignore[method-assign, assignment]
    resolver_type.lookup = lookup_once  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        Registry.crawl = crawl  # type: ignore[method-assign]
        resolver_type.lookup = lookup  # type: ignore[method-assign]


# The types a loaded spec's nodes have; an instance of one has no attributes of its own.
_BUILTIN_NODES = frozenset({dict, list, str, int, float, bool, type(None)})


@contextmanager
def subscriptable_by_type() -> Iterator[None]:
    """pathable's `isinstance(node, Subscriptable)` answered once per type for the builtin types.

    The validator walks the spec through pathable, which asks of each node it steps into whether it
    is `Subscriptable`, a runtime-checkable Protocol: on Python 3.11 every such check lists the
    protocol's members again (22,000 checks on box, 0.1 s of its 1.2 s of validation). For an
    instance of a builtin type the answer is its type's: the protocol is asked once per type, and
    as before for any other type. Without pathable's module as this version has it, nothing changes.
    """
    import importlib

    try:
        accessors: Any = importlib.import_module("pathable.accessors")
        protocol: Any = importlib.import_module("pathable.protocols").Subscriptable
    except (ImportError, AttributeError):
        accessors = protocol = None
    if protocol is None or getattr(accessors, "Subscriptable", None) is not protocol:
        yield
        return
    verdicts: dict[type, bool] = {}

    class ByType(type):
        def __instancecheck__(cls, instance: object) -> bool:
            kind = type(instance)
            if kind not in _BUILTIN_NODES:
                return isinstance(instance, protocol)
            if kind not in verdicts:
                verdicts[kind] = isinstance(instance, protocol)
            return verdicts[kind]

    class SubscriptableByType(metaclass=ByType):
        pass

    accessors.Subscriptable = SubscriptableByType
    try:
        yield
    finally:
        accessors.Subscriptable = protocol


@contextmanager
def _as_is() -> Iterator[None]:
    yield


def _validator_findings(
    spec: dict[str, Any], *, source: str, paths: PathChecks | None = None
) -> tuple[list[tuple[str, str]], list[str]]:
    validators = validator_module()
    version = check_version(spec, source=source)
    validator_cls: Any = validators.OpenAPIV31SpecValidator if version == "3.1" else validators.OpenAPIV30SpecValidator
    found: list[tuple[str, str]] = []
    dropped: list[str] = []
    try:
        errors = _errors(validator_cls, spec, paths, document_check=for_version(version))
    except Exception as exc:  # the validator's own bug: the spec may still be fine
        errors = []
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        found.append(("/", f"OpenAPI validation stopped here ({message}); the rest is unchecked"))
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
            dropped.append(at)
            message = f"{message}: {keyword} ignored"
        found.append((at, message))
    return found, dropped


def _errors(
    validator_cls: Any, spec: dict[str, Any], paths: PathChecks | None, *, document_check: DocumentCheck
) -> list[Any]:
    """The validator's errors, its check of the document against the OpenAPI schema `document_check`.
    With `paths`, its walk first leaves out the path items that passed before, and when that finds
    anything (or fails), the whole spec is validated again, as without them."""

    def run(walk: Walk | None) -> list[Any]:
        validator = validator_cls(spec)
        validator.schema_validator = document_check
        if walk is not None:
            validator.schema_path = validator_cls(walk.spec).schema_path  # built as the validator builds its own
            _walked_already(validator, walk.schemas)
        return list(validator.iter_errors())

    walk = paths.walk(spec, entry_digests(spec, validator_cls)) if paths is not None else None
    if paths is not None and walk is not None:
        try:
            if not run(walk):
                return []
        except Exception:  # noqa: S110 - the whole spec's validation below reports it
            pass
        paths.left_out = 0
    return run(None)


def _walked_already(validator: Any, schemas: list[dict[str, Any]]) -> None:
    """The validator's schema walker told that these schemas were checked and walked already (it
    keeps their ids, as it does for those it walks); a walker without those lists walks them."""
    walker = validator.keyword_validators_registry["schema"]
    checked, visited = (getattr(walker, name, None) for name in ("meta_checked_schema_ids", "visited_schema_ids"))
    if isinstance(checked, list) and isinstance(visited, list):
        ids = [id(schema) for schema in schemas]
        checked += ids
        visited += ids


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
