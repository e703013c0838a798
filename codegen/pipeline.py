"""The whole pipeline, as one function: load → overlay → validate → IR → render → format.

Input: Settings. Output: {relative path: text} for the output directory. Only `load`
reads from disk here; writing is the caller's job (see write.py).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .build_ir import build_api, with_model_field_names
from .config import Settings
from .format import format_files
from .load import load_document
from .overlay import apply_overlay
from .render_client import header, render_client, runtime_files
from .render_models import field_names, render_models
from .schemas import is_class
from .validate import validate_spec


def generate(settings: Settings) -> dict[PurePosixPath, str]:
    document = load_document(settings.spec)
    spec = document.data
    if settings.overlay is not None:
        spec = apply_overlay(spec, load_document(settings.overlay))
    validate_spec(spec, source=document.source)
    api = build_api(spec, source=document.source, settings=settings)
    defs = {m.name: m.schema for m in api.models}
    classes = {name for name, schema in defs.items() if is_class(schema, defs)}
    models = render_models(defs, classes=classes, package=settings.package, source=document.source)
    api = with_model_field_names(api, field_names(models))
    files = render_client(api, settings)
    files[PurePosixPath(settings.package) / "models.py"] = f'{header(api)}\n"""Models of {api.title}."""\n\n{models}'
    files = format_files(files)
    files.update(runtime_files(api, settings))  # hand-written, formatted at the source: copied as they are
    return dict(sorted(files.items()))
