"""openapi-spec-validator, imported without pydantic-settings when the environment configures nothing.

The validator, and openapi-schema-validator under it, read three settings from environment
variables through pydantic-settings, whose import costs about 0.1 s of CPU: a tenth of a cold run
of the project spec. When no variable starting with `OPENAPI_SPEC_VALIDATOR_` or
`OPENAPI_SCHEMA_VALIDATOR_` is set (in any case: pydantic-settings ignores it), every setting has
its default, so their two settings modules are stood in for by plain classes that hold the defaults;
`tests/unit/test_spec_validator.py` checks those against the real modules of the installed versions,
and that the package imports nothing else from them. When one is set, the real modules read it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from types import ModuleType

PACKAGES = ("openapi_spec_validator", "openapi_schema_validator")
PREFIXES = ("OPENAPI_SPEC_VALIDATOR_", "OPENAPI_SCHEMA_VALIDATOR_")
SPEC_SETTINGS = "openapi_spec_validator.settings"
SCHEMA_SETTINGS = "openapi_schema_validator.settings"


class SpecValidatorDefaults:
    """`openapi_spec_validator.settings.OpenAPISpecValidatorSettings` with no variable set."""

    resolved_cache_maxsize = 128
    schema_validator_backend = "auto"


class SchemaValidatorDefaults:
    """`openapi_schema_validator.settings.OpenAPISchemaValidatorSettings` with no variable set."""

    compiled_validator_cache_max_size = 128


def validator_module() -> ModuleType:
    """The `openapi_spec_validator` package, imported (once per process) without pydantic-settings
    when the environment sets none of its variables."""
    if "openapi_spec_validator" not in sys.modules and not configured(os.environ):
        for name, module in stand_ins().items():
            sys.modules.setdefault(name, module)
        try:
            import openapi_spec_validator
        except ImportError:  # a version that wants more of its settings modules: import the real ones
            for name in [n for n in sys.modules if n.startswith(PACKAGES)]:
                del sys.modules[name]
    import openapi_spec_validator

    return openapi_spec_validator


def configured(environ: Mapping[str, str]) -> bool:
    """Whether a variable the validators read is set."""
    return any(name.upper().startswith(PREFIXES) for name in environ)


def stand_ins() -> dict[str, ModuleType]:
    """The two settings modules, as the package imports them, holding the defaults."""
    spec = ModuleType(SPEC_SETTINGS, "openapi-spec-validator's settings, defaults only (codegen.spec_validator)")
    spec.OpenAPISpecValidatorSettings = SpecValidatorDefaults  # type: ignore[attr-defined]
    spec.get_resolved_cache_maxsize = lambda: SpecValidatorDefaults.resolved_cache_maxsize  # type: ignore[attr-defined]
    spec.get_schema_validator_backend = lambda: SpecValidatorDefaults.schema_validator_backend  # type: ignore[attr-defined]
    schema = ModuleType(SCHEMA_SETTINGS, "openapi-schema-validator's settings, defaults only (codegen.spec_validator)")
    schema.OpenAPISchemaValidatorSettings = SchemaValidatorDefaults  # type: ignore[attr-defined]
    schema.get_settings = SchemaValidatorDefaults  # type: ignore[attr-defined]
    schema.reset_settings_cache = lambda: None  # type: ignore[attr-defined]
    return {SPEC_SETTINGS: spec, SCHEMA_SETTINGS: schema}
