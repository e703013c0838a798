"""The whole pipeline, as one function: load → bundle → overlay → normalize → validate → IR → render → format.

Input: Settings. Output: `Generated`: {relative path: text} for the output directory and the
warnings of every stage. Only `load` and `bundle` read from disk here; writing is the caller's job
(see write.py). With `settings.strict`, any warning is an error. Given a cache (`cache.py`), a run
reuses what an earlier one computed from the same inputs; the result is the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .cache import Cache, generator_fingerprint, key
from .config import Settings
from .errors import CodegenError, Diagnostics, InternalError, Problem
from .helper import Helper
from .refs import escape
from .render.models import Models, Note, models_and_notes
from .validate import Validation, check_version, findings_text, start_validation, warm_validator

if TYPE_CHECKING:
    from .bundle import Origins
    from .ir.nodes import Api, Model

# The stages are imported where they are used: after the helper process is forked, which then need
# not wait for them (black, Jinja, PyYAML, the JSONPath library and the IR: 0.15 s of CPU together).

# What the models stage imports (datamodel-code-generator's parts it uses), imported by the helper
# process before it is handed the models; a name missing from another version only costs time.
MODELS_STAGE_IMPORTS = (
    "datamodel_code_generator",
    "datamodel_code_generator.config",
    "datamodel_code_generator.format",
    "datamodel_code_generator.parser.jsonschema",
    "datamodel_code_generator.model.pydantic_v2",
    "datamodel_code_generator.model._compiled_templates.registry",
    "datamodel_code_generator.model._compiled_templates.enum",
    "datamodel_code_generator.model._compiled_templates.pydantic_v2_basemodel",
    "datamodel_code_generator.model._compiled_templates.typealiastype",
    "datamodel_code_generator.parser._python_type_imports",
    "datamodel_code_generator._lock_plan",
)


@dataclass(frozen=True, slots=True)
class Generated:
    """What one run produces: the files to write and what was read leniently on the way."""

    files: dict[PurePosixPath, str]
    warnings: tuple[Problem, ...] = ()


def generate(settings: Settings, *, cache: Cache | None = None) -> Generated:
    """With a cache (`cache.py`), what was computed before for the same inputs is reused: the whole
    result when no input changed, else each stage's part (validation, models, formatted files and
    pieces). The result is the same bytes either way."""
    if cache is not None and (known := _known_run(settings, cache)) is not None:
        if settings.strict and known.warnings:
            raise CodegenError(list(known.warnings))
        return known
    with _without_cycle_collection():
        return _generate(settings, cache)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """No garbage collection of cycles while a run builds (the processes it forks too, but the
    formatting workers, which collect their own). What a run builds, the spec, the IR and the models
    stage's parse, lives until its end, so the collector walked it again and again for nothing: box
    6.0 -> 5.7 s of CPU over the processes, the whole upstream API 9.3 -> 8.5 s wall, for a higher
    peak of what it would have freed (there the largest process's RSS 218 -> 237 MB). The collector's
    state is restored after."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(settings: Settings, cache: Cache | None) -> Generated:
    # The models stage's library is imported in a helper process while this one reads the spec; so is
    # the validator's, for a small spec not --strict (a large one is validated in a process forked once
    # it is read; --strict validates before anything else).
    helper = Helper.fork(models_stage, warm=MODELS_STAGE_IMPORTS)
    checker = Helper.fork(findings_text, warm=(warm_validator,)) if _small(settings) and not settings.strict else None
    from .bundle import Origins

    diagnostics = Diagnostics()
    origins = Origins()
    try:
        files = _files(settings, diagnostics, origins, cache, helper, checker)
    except CodegenError as exc:  # problems found in the bundle are named where the user wrote them
        error = CodegenError([origins.locate(p) for p in exc.problems])
        if not settings.strict:
            error.warnings = tuple(sorted({origins.locate(p) for p in diagnostics.warnings}, key=_order))
        raise error from None
    finally:
        for process in (helper, checker):
            if process is not None:
                process.close()
    warnings = tuple(sorted({origins.locate(p) for p in diagnostics.warnings}, key=_order))
    if settings.strict and warnings:
        raise CodegenError(list(warnings))
    generated = Generated(files, warnings)
    if cache is not None:
        _remember_run(settings, cache, generated, inputs=origins.files)
    return generated


_SMALL = 200_000  # bytes of spec and overlay up to which the validator's process is forked at the start


def _small(settings: Settings) -> bool:
    """A spec small enough to be handed to a helper process (pickled) rather than to a child forked
    once it is read; a spec split over files counts its entry file only (the rest is rarely large)."""
    try:
        size = settings.spec.stat().st_size + (settings.overlay.stat().st_size if settings.overlay else 0)
    except OSError:
        return False
    return size <= _SMALL


def _run_key(settings: Settings) -> str | None:
    """Everything a run reads before the bundle: the generator, the settings, the spec and overlay bytes."""
    try:
        spec = settings.spec.read_bytes()
        overlay = settings.overlay.read_bytes() if settings.overlay is not None else b""
    except OSError:
        return None  # the run itself will say what is wrong
    return key("run", generator_fingerprint(), repr(settings), spec, overlay)


def _known_run(settings: Settings, cache: Cache) -> Generated | None:
    """The result of an earlier run with the same inputs, when the files its spec refers to
    (a spec split over files) are unchanged too."""
    entry = _run_key(settings)
    text = cache.get_text("run", entry) if entry is not None else None
    if text is None:
        return None
    try:
        data = json.loads(text)
        for path, digest in data["inputs"].items():
            if key(Path(path).read_bytes()) != digest:
                return None
        files = {PurePosixPath(path): str(content) for path, content in data["files"].items()}
        warnings = tuple(Problem(*map(str, problem)) for problem in data["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Generated(files, warnings)


def _remember_run(settings: Settings, cache: Cache, generated: Generated, *, inputs: list[str]) -> None:
    entry = _run_key(settings)
    if entry is None:
        return
    try:
        digests = {path: key(Path(path).read_bytes()) for path in inputs}
    except OSError:
        return
    data = {
        "inputs": digests,
        "files": {str(path): text for path, text in generated.files.items()},
        "warnings": [[p.source, p.pointer, p.message] for p in generated.warnings],
    }
    cache.put("run", entry, json.dumps(data))


def _order(problem: Problem) -> tuple[str, str, str]:
    return (problem.source, problem.pointer, problem.message)


def read_spec(
    settings: Settings, diagnostics: Diagnostics, origins: Origins, cache: Cache | None = None
) -> tuple[dict[str, Any], str]:
    """The spec as the IR stage reads it: loaded, bundled, overlaid, normalised and validated.
    `origins` is filled with where each part of a spec split over files came from."""
    spec, source, validation = _read_spec(settings, diagnostics, origins, cache, background=False)
    with stage("validate", source):
        validation.finish(spec, diagnostics)
    return spec, source


def _read_spec(
    settings: Settings,
    diagnostics: Diagnostics,
    origins: Origins,
    cache: Cache | None,
    *,
    background: bool,
    checker: Helper[str] | None = None,
) -> tuple[dict[str, Any], str, Validation]:
    """`read_spec`, with the validation maybe still running (see `validate.start_validation`), maybe
    in the `checker` helper process."""
    from .bundle import bundle_with_origins
    from .load import load_document
    from .normalize import normalize

    source = str(settings.spec)
    with stage("load", source):
        document, found = bundle_with_origins(load_document(settings.spec, cache=cache))
        origins.places.update(found.places)
        origins.files.extend(found.files)
    spec = document.data
    if settings.overlay is not None:
        from .overlay import apply_overlay

        with stage("overlay", source):
            spec = apply_overlay(spec, load_document(settings.overlay))
    with stage("normalize", source):
        check_version(spec, source=source)
        spec = normalize(spec, source=source, diagnostics=diagnostics)
    with stage("validate", source):
        validation = start_validation(spec, source=source, cache=cache, background=background, helper=checker)
    return spec, source, validation


def _files(
    settings: Settings,
    diagnostics: Diagnostics,
    origins: Origins,
    cache: Cache | None,
    helper: Helper[Models] | None,
    checker: Helper[str] | None,
) -> dict[PurePosixPath, str]:
    # A large spec is validated in a child process while the SDK is built from it (--strict needs
    # the verdict first). When the validator drops a keyword the IR has read, which is rare, the
    # spec is read and validated again and the SDK built from that. A small one may be validated in
    # a helper process forked at the start (`checker`, the validator imported meanwhile) or in a child
    # process, while this one imports what the later stages use; then the SDK is built.
    spec, source, validation = _read_spec(
        settings, diagnostics, origins, cache, background=not settings.strict, checker=checker
    )
    checked = Diagnostics()
    try:
        running = validation.overlapped and validation.child is not None
        if not running:
            if validation.elsewhere:
                _import_later_stages()
            with stage("validate", source):
                validation.finish(spec, diagnostics)
        if settings.strict and len(diagnostics):  # no need to render what will not be written
            raise CodegenError(list(diagnostics.warnings))
        files = _sdk(spec, source, settings, diagnostics, cache, helper)
        with stage("validate", source):
            changed = running and validation.finish(spec, checked)
    finally:
        validation.cancel()
    if changed:
        from .bundle import Origins

        diagnostics.truncate(0)
        spec, source = read_spec(settings, diagnostics, Origins(), cache)
        return _sdk(spec, source, settings, diagnostics, cache, None)  # the helper has done its one piece
    diagnostics.extend(checked.warnings)
    return files


def _import_later_stages() -> None:
    """Import what rendering and formatting use (black, isort and Jinja: 0.12 s of CPU) ahead of `_sdk`."""
    import isort  # noqa: F401 - the formatter sorts imports with it

    from .format import Formatter  # noqa: F401
    from .render.client import render_client  # noqa: F401


def _sdk(
    spec: dict[str, Any],
    source: str,
    settings: Settings,
    diagnostics: Diagnostics,
    cache: Cache | None,
    helper: Helper[Models] | None,
) -> dict[PurePosixPath, str]:
    """IR → render → format; the models stage runs in the helper process, if any, while the client
    is rendered and formatted (in worker processes when large)."""
    from .format import Formatter, split_module
    from .ir.build import build_api
    from .render.client import header, render_client, runtime_files

    with stage("IR", source):
        api = build_api(spec, source=source, settings=settings)
    diagnostics.extend(api.warnings)  # operations skipped, media types read as text, callbacks
    if settings.strict and len(diagnostics):
        raise CodegenError(list(diagnostics.warnings))
    models_header = f'{header(api)}\n"""Models of {api.title}."""'
    with stage("render", source):
        models_done = _start_models(api, settings, header=models_header, source=source, cache=cache, helper=helper)
    with Formatter(first_party=settings.package, cache=cache) as formatter:
        with stage("render", source):
            client = render_client(api, settings)
        with stage("format", source):
            client_done = formatter.start(client)
        with stage("render", source):
            models, notes = models_done()
            diagnostics.extend(_model_problems(notes, api, source))  # a field it left out, a constraint pydantic lacks
        with stage("format", source):
            model_files: dict[PurePosixPath, str] = {}
            if api.layout == "modules":  # models/<module>.py, as the IR placed each model
                placement = {m.name: m.module for m in api.models}
                for module, code in split_module(models, placement, header=models_header, cache=cache).items():
                    model_files[PurePosixPath(settings.package) / "models" / f"{module}.py"] = code
            else:
                model_files[PurePosixPath(settings.package) / "models.py"] = models
            files = {**formatter.start(model_files)(), **client_done()}
    files.update(runtime_files(api, settings))  # hand-written, formatted at the source: copied as they are
    return dict(sorted(files.items()))


def _start_models(
    api: Api, settings: Settings, *, header: str, source: str, cache: Cache | None, helper: Helper[Models] | None
) -> Callable[[], Models]:
    """What returns models.py before formatting (`models_stage`): made by the helper process when
    there is one (started now, waited for then), else made then, in this one."""
    arguments: dict[str, Any] = {"package": settings.package, "header": header, "source": source, "cache": cache}
    if helper is not None:  # what the models stage reads (the models, the layout): half the pickling
        return helper.submit(
            replace(api, operations=(), root=replace(api.root, children=(), operations=())), **arguments
        )
    return lambda: models_stage(api, **arguments)


def models_stage(api: Api, *, package: str, header: str, source: str, cache: Cache | None) -> Models:
    """models.py before formatting, and what the models stage said of the models: from the cache;
    else, when a few classes changed and their new definitions can be put in the last output
    (`models_reuse.py`), that; else made."""
    arguments: dict[str, Any] = {"package": package, "header": header, "source": source}
    if cache is None:
        return models_and_notes(api, **arguments)
    from . import models_reuse

    # The models' repr holds every field of each, its JSON Schema included: all the models stage reads.
    settled = (generator_fingerprint(), api.layout, package, header)
    hashes = models_reuse.digests(api.models)
    entry = key("models", *settled, source, *(f"{name}:{digest}" for name, digest in hashes.items()))
    known = _decode_models(cache.get_text("models", entry))
    if known is not None:
        return known
    # The last run's models and output under the same settings (the source only names errors).
    last = key("models-last", *settled)

    def render(models: list[Model]) -> Models:
        return models_and_notes(replace(api, models=tuple(models)), **arguments)

    made = models_reuse.reuse(cache, last, api.models, render, hashes)
    if made is None:
        made = models_and_notes(api, **arguments)
    cache.put("models", entry, json.dumps(made))
    models_reuse.remember(cache, last, api.models, made, hashes)
    return made


def _decode_models(text: str | None) -> Models | None:
    """A cached models stage's result, or None for one this version cannot read."""
    try:
        code, notes = json.loads(text) if text is not None else (None, None)
        if isinstance(code, str) and isinstance(notes, list):
            return code, [(str(name), str(message)) for name, message in notes]
    except (ValueError, TypeError):
        pass
    return None


def _model_problems(notes: list[Note], api: Api, source: str) -> list[Problem]:
    """The models stage's notes as warnings at the place of the model each names, or of its
    property when the note names one the model itself declares (`Model.field`)."""
    models = {m.name: m for m in api.models}
    return [Problem(source, _note_pointer(models.get(name), text), f"models stage: {text}") for name, text in notes]


def _note_pointer(model: Model | None, text: str) -> str:
    if model is None:
        return "/components/schemas"
    named = re.search(rf"\b{re.escape(model.name)}\.(\w+)", text)
    field = next((f for f in model.fields if named and f.name == named.group(1) and not f.inherited), None)
    own = model.schema.get("properties")
    if field is not None and isinstance(own, dict) and field.wire_name in own:
        return f"{model.pointer}/properties/{escape(field.wire_name)}"
    return model.pointer


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
