"""load: YAML and JSON documents, errors with a line number, dates kept as text."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from codegen.errors import CodegenError
from codegen.load import load_document, parse_document


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


def test_gzipped_documents_and_what_libyaml_refuses(tmp_path: Path) -> None:
    (tmp_path / "s.json.gz").write_bytes(gzip.compress(b'{"openapi": "3.1.0"}'))
    assert load_document(tmp_path / "s.json.gz").data == {"openapi": "3.1.0"}
    (tmp_path / "s.yaml.gz").write_bytes(gzip.compress(b"openapi: 3.1.0\n"))
    assert load_document(tmp_path / "s.yaml.gz").data == {"openapi": "3.1.0"}
    (tmp_path / "bad.json.gz").write_bytes(b"not gzip")
    with pytest.raises(CodegenError, match=r"bad\.json\.gz: cannot read: Not a gzipped file"):
        load_document(tmp_path / "bad.json.gz")
    (tmp_path / "flow.yaml").write_text("example: {\n  a: 1,\n  indexes:[ ]\n}\n")  # libyaml refuses `indexes:[`
    assert load_document(tmp_path / "flow.yaml").data == {"example": {"a": 1, "indexes": []}}
