"""The validator's check of the document against the OpenAPI schema, of the parts that passed it
before left out.

Input: a cache (`cache.py`), the spec and the validator's own document checker. Output: a checker
that stands in for it (`checking()`), and `remember()`, which keeps the parts of a document that
passed.

openapi-spec-validator first validates the whole document against the OpenAPI schema (a third of
validating a large spec). That schema reads each entry of `paths`, `webhooks` and each map under
`components` (a path item, a schema, a parameter...) on its own — by its key and its value, a
`$ref` in it only a string, and no constraint that counts a map's entries — so an entry that
passed once passes again. After a spec update, the document is checked with the entries that
passed in an earlier run left out of their maps; when that finds no error, neither does the whole
check, and when it finds one, the whole document is checked, as without the cache, so the errors
and their places are the validator's own. The entries are known by a hash of their key and value,
of the validator's class and of the document's other parts that the schema reads (none: its maps
only), after a run whose whole document passed.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from typing import Any

from .cache import Cache, generator_fingerprint, key

_KIND = "part-checks"
_LIMIT = 50_000  # hashes kept in the entry; those of the latest run go first


class PartChecks:
    """The hashes of the document's entries known to pass the document check, with these tools."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.entry = key(_KIND, generator_fingerprint())
        self.known = cache.get_hashes(_KIND, self.entry)
        self.passed: list[str] = []  # every entry of this run's document, when it all passed
        self.left_out = 0  # entries not checked again in this run

    def checker(self, checker: Any, spec: dict[str, Any], digests: dict[tuple[str, str], str]) -> Any:
        """A stand-in for the validator's document checker; `digests` from `entry_digests`."""
        return _Checker(self, checker, spec, digests)

    def remember(self) -> None:
        """Keep this run's entries, then the earlier ones up to the limit; nothing new, no write."""
        self.cache.put_hashes(_KIND, self.entry, self.passed, self.known, limit=_LIMIT)


class _Checker:
    """Has the document checker's `iter_errors`: the document with the known entries left out
    first, the whole document when that finds anything."""

    def __init__(
        self, checks: PartChecks, checker: Any, spec: dict[str, Any], digests: dict[tuple[str, str], str]
    ) -> None:
        self.checks, self.checker, self.spec, self.digests = checks, checker, spec, digests

    def iter_errors(self, document: Any) -> Iterator[Any]:
        smaller = _without(self.spec, self.checks.known, self.digests) if document is self.spec else None
        left_out = len(self.digests) - sum(len(m) for m in _maps(smaller)) if smaller is not None else 0
        if left_out and next(iter(self.checker.iter_errors(smaller)), None) is None:
            self.checks.left_out = left_out
            self.checks.passed = [digest for digest in self.digests.values() if digest]
            return
        errors = list(self.checker.iter_errors(document))  # nothing known, or something found: all of it
        if not errors and document is self.spec:
            self.checks.passed = [digest for digest in self.digests.values() if digest]
        yield from errors


def _maps(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The maps whose entries the OpenAPI schema reads each on its own."""
    return [entries for _, entries in _places(spec)]


def _places(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(place, map) of each map whose entries the OpenAPI schema reads each on its own."""
    found: list[tuple[str, Any]] = [("paths", spec.get("paths")), ("webhooks", spec.get("webhooks"))]
    components = spec.get("components")
    if isinstance(components, dict):
        found += [(f"components/{name}", value) for name, value in components.items() if _is_map(name, value)]
    return [(place, entries) for place, entries in found if isinstance(entries, dict)]


def _is_map(name: str, value: Any) -> bool:
    """A map of components (`schemas`, `parameters`...); not an extension (`x-...`)."""
    return isinstance(value, dict) and not name.startswith("x-")


def entry_digests(spec: dict[str, Any], validator: type) -> dict[tuple[str, str], str]:
    """{(place, key): hash} of each entry of those maps: of its key and value and the validator's
    class; "" for a value that cannot be hashed so (never known)."""
    digests: dict[tuple[str, str], str] = {}
    for place, entries in _places(spec):
        for name, value in entries.items():
            try:
                # marshal's version 0 names a value exactly (True is not 1, key order counts) and
                # only it (no object references, no interning marks)
                digest = key(validator.__qualname__, place, marshal.dumps(name, 0), marshal.dumps(value, 0))
            except ValueError:
                digest = ""
            digests[place, name] = digest
    return digests


def _without(spec: dict[str, Any], known: frozenset[str], digests: dict[tuple[str, str], str]) -> dict[str, Any]:
    """The spec with its known entries left out of their maps (the maps copied, the spec not changed)."""
    smaller = dict(spec)
    if isinstance(spec.get("components"), dict):
        smaller["components"] = dict(spec["components"])
    for place, entries in _places(spec):
        left = {name: value for name, value in entries.items() if digests.get((place, name), "") not in known}
        if place.startswith("components/"):
            smaller["components"][place.removeprefix("components/")] = left
        else:
            smaller[place] = left
    return smaller
