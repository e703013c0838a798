"""CPU seconds of each generation stage on one spec, no cache, every stage in this one process.

    python bench/stages.py SPEC [--package NAME] [--profile STAGE]

A whole run spreads validation and formatting over other processes, where a profiler does not see
them; here each stage runs in turn and is timed with the process's CPU clock (the machine is
shared, wall time is noisy). `--profile STAGE` prints cProfile's top functions of that stage.
Stages: load, normalize, validate, IR, render, models, format (isort, black).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from _common import ROOT

sys.path.insert(0, str(ROOT))

from codegen import format as formatting
from codegen.bundle import bundle_with_origins
from codegen.config import load_settings
from codegen.errors import Diagnostics
from codegen.ir.build import build_api
from codegen.load import load_document
from codegen.normalize import normalize
from codegen.render.client import header, render_client
from codegen.render.models import render_models
from codegen.validate import _findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--package", default="sdk")
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    settings = load_settings(None, spec=args.spec, out=Path("unused"), package=args.package)
    profiler = cProfile.Profile()
    seconds: dict[str, float] = {}

    def stage(name: str, work: Callable[[], Any]) -> Any:
        start = time.process_time()
        if name == args.profile:
            profiler.enable()
        result = work()
        if name == args.profile:
            profiler.disable()
        seconds[name] = time.process_time() - start
        return result

    spec = stage("load", lambda: bundle_with_origins(load_document(args.spec))[0].data)
    stage("normalize", lambda: normalize(spec, source="spec", diagnostics=Diagnostics()))
    stage("validate", lambda: _findings(spec, source="spec"))
    api = stage("IR", lambda: build_api(spec, source="spec", settings=settings))
    files = dict(stage("render", lambda: render_client(api, settings)))
    models_header = f'{header(api)}\n"""Models of {api.title}."""'
    models = stage("models", lambda: render_models(api, package=settings.package, header=models_header, source="spec"))
    if api.layout == "modules":
        placement = {m.name: m.module for m in api.models}
        for module, code in formatting.split_module(models, placement, header=models_header).items():
            files[PurePosixPath(settings.package) / "models" / f"{module}.py"] = code
    else:
        files[PurePosixPath(settings.package) / "models.py"] = models
    config = formatting._isort_config(settings.package)

    def format_all() -> None:  # serially, in this process: the work a run spreads over its workers
        for path, text in files.items():
            if path.suffix == ".py":
                for batch in formatting._batches(formatting._sort_imports(text, config)):
                    formatting._black_batch(batch)

    stage("format", format_all)
    for name, value in seconds.items():
        print(f"{name:10s} {value:6.1f} s")
    print(f"{'total':10s} {sum(seconds.values()):6.1f} s")
    if args.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
