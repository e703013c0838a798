"""The validator's meta-schema check of each schema, remembered across runs by the schema's hash.

Input: a cache (`cache.py`) and the document's `jsonSchemaDialect`. Output: `checking()`, during
which openapi-spec-validator skips the check of any schema that passed it in an earlier run, and
`remember()`, which keeps the hashes of the schemas that passed in this one.

openapi-spec-validator checks each schema it visits (each component, each media type's) against its
JSON Schema dialect's meta-schema: about 80% of validating a large spec. That check reads the
schema's own value (a `$ref` in it is only a string there, never followed), the document's dialect
and the validator's class, so its verdict is a pure function of those: a schema that passed once
passes again, and after a spec update only the schemas whose text changed are checked; within a run
too, a schema equal to one that passed is not checked again (box: 884 checks, 355 different).
Everything else the validator does (visiting the document in its order, defaults, operation ids,
path parameters) runs as before, so the findings are those of a validation without the cache. A
schema that failed is checked every time: the rest of the validation reads its error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .cache import Cache, generator_fingerprint, key

_KIND = "schema-checks"
_LIMIT = 100_000  # hashes kept in the entry (6.5 MB); those used by the latest run go first


class SchemaChecks:
    """The hashes of the schemas known to pass the meta-schema check, with these tools."""

    def __init__(self, cache: Cache, *, dialect: object) -> None:
        self.cache = cache
        self.entry = key(_KIND, generator_fingerprint())
        self.dialect = repr(dialect)  # the document's jsonSchemaDialect: the default of every schema
        self.known = cache.get_hashes(_KIND, self.entry)
        self.used: set[str] = set()  # known and passed in this run
        self.checked = 0  # how many schemas were checked (not known)

    def digest(self, validator: Any, schema_value: Any) -> str:
        # repr tells True from 1 and keeps key order: a schema whose text differs in any way is new.
        return key(type(validator).__qualname__, self.dialect, repr(schema_value))

    @contextmanager
    def checking(self) -> Iterator[None]:
        from .spec_validator import validator_module

        validator_module()  # the package as validate.py imports it (without pydantic-settings)
        from openapi_spec_validator.validation.keywords import SchemaValidator

        check = SchemaValidator._validate_schema_meta

        def check_unless_known(validator: Any, schema: Any, schema_value: Any) -> Any:
            digest = self.digest(validator, schema_value)
            if digest in self.known or digest in self.used:  # passed before, or earlier in this run
                self.used.add(digest)
                return None
            self.checked += 1
            error = check(validator, schema, schema_value)
            if error is None:
                self.used.add(digest)
            return error

        SchemaValidator._validate_schema_meta = check_unless_known  # type: ignore[method-assign, assignment]
        try:
            yield
        finally:
            SchemaValidator._validate_schema_meta = check  # type: ignore[method-assign]

    def remember(self) -> None:
        """Keep this run's passed schemas, then the earlier ones up to the limit; nothing new, no write."""
        self.cache.put_hashes(_KIND, self.entry, sorted(self.used), self.known, limit=_LIMIT)
