"""The validator's check of the whole document against the OpenAPI schema: the verdict from
jsonschema-rs, the errors from jsonschema.

Input: the OpenAPI version's schema. Output: a checker with the `iter_errors` the validator calls
first (`SpecValidator.iter_errors`), which stands in for the one it would build.

That check, with jsonschema (Python), took 0.5 s of CPU on box's 296 operations and 2.7 s on the
whole upstream OpenAI API: most of validating. jsonschema-rs, the backend openapi-spec-validator
itself offers for it, gives the same verdict in 1 ms. A document it finds valid, the usual case,
has no error to report; one it finds invalid is checked again by jsonschema, so that each error,
its place and its wording are the Python backend's, as they were before (jsonschema-rs words them
otherwise). Where jsonschema-rs cannot be imported, jsonschema alone checks every document.
`tests/unit/test_document_check.py` holds the two verdicts to each other on broken documents.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any


class DocumentCheck:
    """jsonschema's check of a document against `schema`, skipped when jsonschema-rs finds none."""

    def __init__(self, schema: dict[str, Any]) -> None:
        from jsonschema.validators import validator_for

        self.schema = schema
        self.exact: Any = validator_for(schema)(schema)  # as openapi-spec-validator's jsonschema backend builds it
        self.fast: Any = _fast(schema)

    def iter_errors(self, document: Any) -> Iterator[Any]:
        if self.fast is not None and self._passes(document):
            return iter(())
        return iter(self.exact.iter_errors(document))

    def _passes(self, document: Any) -> bool:
        try:
            return bool(self.fast.is_valid(document))
        except (ValueError, TypeError):  # what it cannot read (a key that is not text): jsonschema reads it
            return False


@functools.cache
def for_version(version: str) -> DocumentCheck:
    """The check of a 3.0 or 3.1 document, built once per process (jsonschema-rs compiles the schema: 10 ms)."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    return DocumentCheck(dict(schema_v31 if version == "3.1" else schema_v30))


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
