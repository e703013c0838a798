"""The validator's check of the whole document against the OpenAPI schema: jsonschema-rs says when
there is nothing to report, jsonschema reports the errors.

Input: the OpenAPI version's schema. Output: a checker with the `iter_errors` the validator calls
first (`SpecValidator.iter_errors`), which stands in for the one it would build.

That check, with jsonschema (Python), took 0.5 s of CPU on box's 296 operations and 2.7 s on the
whole upstream OpenAI API: most of validating. jsonschema-rs, the backend openapi-spec-validator
itself offers for it, does it in 1 ms. A document it finds valid, the usual case, has no error to
report; any other is checked again by jsonschema, so that each error, its place and its wording are
the Python backend's, as they were before (jsonschema-rs words them otherwise). The two differ at
the edges, mostly where jsonschema-rs is the stricter (a regex's `$` before a final newline, `\\d`
and digits of other scripts), which only costs the second check; where it would be the more
lenient, the document goes to jsonschema directly: a number that is not finite (two `.inf`s in a
list jsonschema holds unique, and jsonschema-rs does not). `tests/unit/test_document_check.py`
holds every verdict of jsonschema-rs that skips jsonschema to jsonschema's, on broken and randomly
edited documents. Without jsonschema-rs, or with openapi-spec-validator told to use jsonschema
(`OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND=jsonschema`), jsonschema checks every document.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any


class DocumentCheck:
    """jsonschema's check of a document against a schema, skipped when jsonschema-rs finds nothing."""

    def __init__(self, schema: dict[str, Any], *, fast: bool = True) -> None:
        from jsonschema.validators import validator_for

        self.exact: Any = validator_for(schema)(schema)  # as openapi-spec-validator's jsonschema backend builds it
        self.fast: Any = _fast(schema) if fast else None

    def iter_errors(self, document: Any) -> Iterator[Any]:
        if self.passes(document):
            return iter(())
        return iter(self.exact.iter_errors(document))

    def passes(self, document: Any) -> bool:
        """Whether jsonschema-rs shows there is nothing for jsonschema to report."""
        if self.fast is None or not _plain_numbers(document):
            return False
        try:
            return bool(self.fast.is_valid(document))
        except (ValueError, TypeError, OverflowError):  # a value it cannot take: jsonschema reads it
            return False


def for_version(version: str) -> DocumentCheck:
    """The check of a 3.0 or 3.1 document, with jsonschema-rs unless openapi-spec-validator is told otherwise."""
    from .spec_validator import validator_module

    validator_module()  # its settings as validate.py reads them (without pydantic-settings when none is set)
    from openapi_spec_validator.settings import get_schema_validator_backend

    return _check(version, fast=get_schema_validator_backend() != "jsonschema")


@functools.cache
def _check(version: str, *, fast: bool) -> DocumentCheck:
    """Built once per process: jsonschema-rs compiles the schema (10 ms)."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    return DocumentCheck(dict(schema_v31 if version == "3.1" else schema_v30), fast=fast)


def _plain_numbers(document: Any) -> bool:
    """No number that is not finite (inf, nan): JSON has none, YAML does (`.inf`), and jsonschema-rs
    tells them apart where jsonschema does not. The scan is the JSON encoder's (C, 10 ms on box);
    what JSON cannot hold (a date from YAML, a key that is no text) is read past."""
    try:
        json.dumps(document, allow_nan=False, default=repr, skipkeys=True)
    except (ValueError, RecursionError):
        return False
    return True


def _fast(schema: dict[str, Any]) -> Any:
    """jsonschema-rs' validator of the schema's own draft, formats not asserted (jsonschema asserts
    none here either) and nothing fetched; None without jsonschema-rs or where it cannot compile the schema."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.validator_for(schema, validate_formats=False, offline=True)
    except Exception:  # a schema this version cannot compile: jsonschema checks alone
        return None
