"""load: YAML and JSON documents, errors with a line number, dates kept as text."""

from __future__ import annotations

import pytest

from codegen.errors import CodegenError
from codegen.load import parse_document


def test_yaml_dates_stay_strings() -> None:
    document = parse_document("example:\n  created: 2024-01-01\n  at: 2024-01-01T10:00:00Z\n", source="s.yaml")
    assert document.data == {"example": {"created": "2024-01-01", "at": "2024-01-01T10:00:00Z"}}


def test_json_documents_and_their_errors() -> None:
    assert parse_document('{"a": 1}', source="s.json").data == {"a": 1}
    with pytest.raises(CodegenError, match=r"s\.json:line 2: invalid JSON"):
        parse_document('{"a":\n ]', source="s.json")


def test_a_document_must_be_a_mapping() -> None:
    with pytest.raises(CodegenError, match="not a mapping"):
        parse_document("- 1\n- 2\n", source="s.yaml")
