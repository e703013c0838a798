"""The whole pipeline, as one function: load → bundle → overlay → normalize → validate → IR → render → format.

Input: Settings. Output: `Generated`: {relative path: text} for the output directory and the
warnings of every stage. Only `load` and `bundle` read from disk here; writing is the caller's job
(see write.py). With `settings.strict`, any warning is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from .bundle import Origins, bundle_with_origins
from .config import Settings
from .errors import CodegenError, Diagnostics, InternalError, Problem
from .format import format_files, split_module
from .ir.build import build_api
from .load import load_document
from .normalize import normalize
from .overlay import apply_overlay
from .render.client import header, render_client, runtime_files
from .render.models import render_models
from .validate import check_version, validate_spec


@dataclass(frozen=True, slots=True)
class Generated:
    """What one run produces: the files to write and what was read leniently on the way."""

    files: dict[PurePosixPath, str]
    warnings: tuple[Problem, ...] = ()


def generate(settings: Settings) -> Generated:
    diagnostics = Diagnostics()
    origins = Origins()
    try:
        files = _files(settings, diagnostics, origins)
    except CodegenError as exc:  # problems found in the bundle are named where the user wrote them
        error = CodegenError([origins.locate(p) for p in exc.problems])
        if not settings.strict:
            error.warnings = tuple(sorted({origins.locate(p) for p in diagnostics.warnings}, key=_order))
        raise error from None
    warnings = tuple(sorted({origins.locate(p) for p in diagnostics.warnings}, key=_order))
    if settings.strict and warnings:
        raise CodegenError(list(warnings))
    return Generated(files, warnings)


def _order(problem: Problem) -> tuple[str, str, str]:
    return (problem.source, problem.pointer, problem.message)


def read_spec(settings: Settings, diagnostics: Diagnostics, origins: Origins) -> tuple[dict[str, Any], str]:
    """The spec as the IR stage reads it: loaded, bundled, overlaid, normalised and validated.
    `origins` is filled with where each part of a spec split over files came from."""
    source = str(settings.spec)
    with stage("load", source):
        document, found = bundle_with_origins(load_document(settings.spec))
        origins.places.update(found.places)
    spec = document.data
    if settings.overlay is not None:
        with stage("overlay", source):
            spec = apply_overlay(spec, load_document(settings.overlay))
    with stage("normalize", source):
        check_version(spec, source=source)
        spec = normalize(spec, source=source, diagnostics=diagnostics)
    with stage("validate", source):
        validate_spec(spec, source=source, diagnostics=diagnostics)
    return spec, source


def _files(settings: Settings, diagnostics: Diagnostics, origins: Origins) -> dict[PurePosixPath, str]:
    spec, source = read_spec(settings, diagnostics, origins)
    if settings.strict and len(diagnostics):  # no need to render what will not be written
        raise CodegenError(list(diagnostics.warnings))
    with stage("IR", source):
        api = build_api(spec, source=source, settings=settings)
    diagnostics.extend(api.warnings)  # operations skipped, media types read as text, callbacks
    if settings.strict and len(diagnostics):
        raise CodegenError(list(diagnostics.warnings))
    with stage("render", source):
        files = render_client(api, settings)
        models_header = f'{header(api)}\n"""Models of {api.title}."""'
        models = render_models(api, package=settings.package, header=models_header, source=source)
    with stage("format", source):
        if api.layout == "modules":  # models/<module>.py, as the IR placed each model
            placement = {m.name: m.module for m in api.models}
            for module, code in split_module(models, placement, header=models_header).items():
                files[PurePosixPath(settings.package) / "models" / f"{module}.py"] = code
        else:
            files[PurePosixPath(settings.package) / "models.py"] = models
    with stage("format", source):
        files = format_files(files, first_party=settings.package)
    files.update(runtime_files(api, settings))  # hand-written, formatted at the source: copied as they are
    return dict(sorted(files.items()))


@contextmanager
def stage(name: str, source: str) -> Iterator[None]:
    """Any exception but a `CodegenError` is a bug of the generator: one line naming it, not a traceback."""
    try:
        yield
    except (CodegenError, InternalError):
        raise
    except RecursionError:
        raise InternalError(Problem(source, "", f"{name} stage: recursion too deep (a generator bug)")) from None
    except Exception as exc:
        where = getattr(exc, "codegen_pointer", "")  # a stage may name the node it was working on
        text = f"{type(exc).__name__}: {exc}".splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InternalError(Problem(source, where, f"{name} stage failed: {text} (a generator bug)")) from exc
