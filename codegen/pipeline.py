"""The whole pipeline, as one function: load → overlay → validate → IR → render → format.

Input: Settings. Output: {relative path: text} for the output directory. Only `load`
reads from disk here; writing is the caller's job (see write.py).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .config import Settings
from .format import format_files, split_module
from .ir.build import build_api
from .load import load_document
from .overlay import apply_overlay
from .render.client import header, render_client, runtime_files
from .render.models import render_models
from .validate import validate_spec


def generate(settings: Settings) -> dict[PurePosixPath, str]:
    document = load_document(settings.spec)
    spec = document.data
    if settings.overlay is not None:
        spec = apply_overlay(spec, load_document(settings.overlay))
    validate_spec(spec, source=document.source)
    api = build_api(spec, source=document.source, settings=settings)
    files = render_client(api, settings)
    models_header = f'{header(api)}\n"""Models of {api.title}."""'
    models = render_models(api, package=settings.package, header=models_header, source=document.source)
    if api.layout == "modules":  # models/<module>.py, as the IR placed each model
        placement = {m.name: m.module for m in api.models}
        for module, code in split_module(models, placement, header=models_header).items():
            files[PurePosixPath(settings.package) / "models" / f"{module}.py"] = code
    else:
        files[PurePosixPath(settings.package) / "models.py"] = models
    files = format_files(files, first_party=settings.package)
    files.update(runtime_files(api, settings))  # hand-written, formatted at the source: copied as they are
    return dict(sorted(files.items()))
