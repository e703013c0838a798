"""The validator imported without pydantic-settings: the stand-in settings hold the installed
versions' defaults, the package asks them for nothing else, and the findings are the same."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import spec_validator
from tests.support import ROOT

# A spec with findings of both kinds (a schema keyword dropped, an unknown operation field).
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {"/a": {"get": {"title": "Get A", "responses": {"200": {"description": "ok"}}}}},
    "components": {"schemas": {"A": {"type": "string", "maxLength": "ten"}}},
}
VALIDATE = f"""
import json, sys
from codegen.errors import Diagnostics
from codegen.validate import validate_spec
spec = {SPEC!r}
diagnostics = Diagnostics()
validate_spec(spec, source="s.yaml", diagnostics=diagnostics)
print(json.dumps([[str(p) for p in diagnostics.warnings], spec, "pydantic_settings" in sys.modules]))
"""
REAL_DEFAULTS = """
import json
from openapi_schema_validator.settings import OpenAPISchemaValidatorSettings, get_settings
from openapi_spec_validator.settings import (
    OpenAPISpecValidatorSettings, get_resolved_cache_maxsize, get_schema_validator_backend,
)
spec = OpenAPISpecValidatorSettings()
print(json.dumps([spec.resolved_cache_maxsize, spec.schema_validator_backend, get_resolved_cache_maxsize(),
                  get_schema_validator_backend(), OpenAPISchemaValidatorSettings().compiled_validator_cache_max_size,
                  get_settings().compiled_validator_cache_max_size]))
"""


def _python(code: str, **variables: str) -> object:
    environ = {k: v for k, v in os.environ.items() if not spec_validator.configured({k: v})}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**environ, **variables}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_stand_ins_hold_the_real_defaults() -> None:
    defaults = spec_validator.SpecValidatorDefaults, spec_validator.SchemaValidatorDefaults
    spec, schema = (module.__dict__ for module in spec_validator.stand_ins().values())
    ours = [
        defaults[0].resolved_cache_maxsize,
        defaults[0].schema_validator_backend,
        spec["get_resolved_cache_maxsize"](),
        spec["get_schema_validator_backend"](),
        schema["OpenAPISchemaValidatorSettings"]().compiled_validator_cache_max_size,
        schema["get_settings"]().compiled_validator_cache_max_size,
    ]
    assert _python(REAL_DEFAULTS) == ours


def test_the_package_imports_nothing_else_from_its_settings() -> None:
    import openapi_schema_validator
    import openapi_spec_validator

    stand_ins = spec_validator.stand_ins()
    imported: dict[str, set[str]] = {name: set() for name in stand_ins}
    for package in (openapi_spec_validator, openapi_schema_validator):
        for path in Path(package.__file__ or "").parent.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module in imported:
                    imported[node.module].update(alias.name for alias in node.names)
                elif isinstance(node, ast.Import) and any(a.name in imported for a in node.names):
                    pytest.fail(f"{path}: imports a settings module whole")
    assert imported[spec_validator.SPEC_SETTINGS]  # the scan saw the imports it checks
    for name, names in imported.items():
        assert names <= set(vars(stand_ins[name])), (name, names)


def test_the_findings_are_the_same_without_pydantic_settings() -> None:
    warnings, spec, loaded = _python(VALIDATE)  # type: ignore[misc]
    assert not loaded
    assert "s.yaml#/components/schemas/A/maxLength: 'ten' is not of type 'integer': maxLength ignored" in warnings
    # A variable set (to its default value): the real settings modules read it.
    real = _python(VALIDATE, OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE="128")
    assert real == [warnings, spec, True]


def test_any_variable_of_theirs_counts_in_any_case() -> None:
    assert not spec_validator.configured({"PATH": "/bin", "OPENAPI_SPEC": "x"})
    assert spec_validator.configured({"openapi_schema_validator_compiled_validator_cache_max_size": "1"})
    assert spec_validator.configured({"OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND": "jsonschema"})
