"""The helper process: it runs the work it was forked with and hands back its result or its error;
an unused one ends; the models stage runs there during a run, with the output it has in-process."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from codegen import helper as helping
from codegen.config import load_settings
from codegen.errors import CodegenError, Problem
from codegen.helper import Helper
from codegen.pipeline import generate
from tests.support import ROOT

SPEC = ROOT / "tests" / "fixtures" / "specs" / "operations-31.yaml"


def _join(*parts: str) -> str:
    return "-".join(parts) + f"@{os.getpid()}"


def _refuse(what: str) -> str:
    if what == "spec":
        raise CodegenError.at("s.yaml", "/x", "refused")
    if what == "lock":
        raise ValueError(threading.Lock())  # an exception that does not pickle
    raise KeyError(what)


@pytest.fixture(autouse=True)
def _forks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODEGEN_HELPER", raising=False)
    # On a machine of one core too, and beside the threads of the servers other tests left running.
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _helper(work: Any) -> Helper[Any]:
    made = Helper.fork(work, warm=("json", "no_such_module_anywhere"))  # a missing one costs nothing
    assert made is not None
    return made


def test_the_work_runs_in_the_helper_and_returns_its_result() -> None:
    helper = _helper(_join)
    try:
        text, pid = helper.submit("a", "b")().split("@")
    finally:
        helper.close()
    assert text == "a-b" and int(pid) != os.getpid()
    assert not helper.process.is_alive()


def test_errors_come_back_as_raised() -> None:
    for what, expected in (("spec", CodegenError), ("key", KeyError), ("lock", RuntimeError)):
        helper = _helper(_refuse)
        try:
            with pytest.raises(expected) as raised:
                helper.submit(what)()
        finally:
            helper.close()
        if expected is CodegenError:
            assert raised.value.problems == [Problem("s.yaml", "/x", "refused")]  # type: ignore[attr-defined]
        if expected is RuntimeError:
            assert str(raised.value).startswith("ValueError: <unlocked _thread.lock")


def test_an_unused_helper_ends() -> None:
    helper = _helper(_join)
    helper.close()
    assert not helper.process.is_alive() and helper.process.exitcode is not None


def test_no_helper_where_forking_is_unsafe_or_unwanted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    started = threading.Event()
    thread = threading.Thread(target=started.wait, args=(5,))
    thread.start()
    try:
        assert not helping.worth_forking()  # another thread: its locks would be copied held
    finally:
        started.set()
        thread.join()
    monkeypatch.setenv("CODEGEN_HELPER", "0")
    assert Helper.fork(_join) is None


def test_the_models_stage_runs_in_the_helper_with_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codegen import pipeline

    settings = load_settings(None, spec=SPEC, out=tmp_path / "out", package="pkg")
    where = _noting_pids(monkeypatch, pipeline, "models_and_notes", tmp_path / "pids")
    forked = generate(settings)
    monkeypatch.setenv("CODEGEN_HELPER", "0")
    here = generate(settings)
    assert forked == here
    first, second = map(int, where.read_text().split())
    assert first != os.getpid() and second == os.getpid()


def _noting_pids(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, where: Path) -> Path:
    """`module.name` replaced by a function that writes the id of the process it runs in to `where`."""
    real = getattr(module, name)

    def noting(*args: Any, **kwargs: Any) -> Any:
        with where.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, noting)
    return where


def test_a_models_stage_error_from_the_helper_is_the_same_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codegen.render import models

    def broken(*args: Any, **kwargs: Any) -> str:
        raise CodegenError.at("spec.yaml", "/components/schemas", "models stage failed: boom")

    monkeypatch.setattr(models, "_generate", broken)
    settings = load_settings(None, spec=SPEC, out=tmp_path / "out", package="pkg")
    problems = []
    for helper in ("1", "0"):
        monkeypatch.setenv("CODEGEN_HELPER", helper)
        with pytest.raises(CodegenError) as raised:
            generate(settings)
        problems.append(raised.value.problems)
    assert problems[0] == problems[1] == [Problem("spec.yaml", "/components/schemas", "models stage failed: boom")]


def test_with_a_cache_the_models_stage_reuses_its_last_output_in_the_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codegen import models_reuse
    from codegen.cache import Cache

    spec = tmp_path / "spec.yaml"
    text = SPEC.read_text()
    spec.write_text(text)
    settings = load_settings(None, spec=spec, out=tmp_path / "out", package="pkg")
    cache = Cache(tmp_path / "cache")
    generate(settings, cache=cache)
    real = models_reuse.reuse
    where = tmp_path / "pids"

    def noting(*args: Any, **kwargs: Any) -> str | None:
        result = real(*args, **kwargs)
        with where.open("a") as file:
            file.write(f"{os.getpid()} {result is not None}\n")
        return result

    monkeypatch.setattr(models_reuse, "reuse", noting)
    quantity = "        quantity: {type: integer}\n"
    edited = text.replace(quantity, quantity + "        note: {type: string}\n", 1)
    assert edited != text
    spec.write_text(edited)
    incremental = generate(settings, cache=cache)
    assert incremental == generate(settings)
    pid, reused = where.read_text().split()
    assert int(pid) != os.getpid() and reused == "True"


def test_a_models_stage_failure_of_several_lines_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datamodel_code_generator

    def failing(*args: Any, **kwargs: Any) -> str:
        raise ValueError("3 validation errors for JsonSchemaObject\nallOf.2.description\n  Input should be a string")

    monkeypatch.setattr(datamodel_code_generator, "generate", failing)
    monkeypatch.setenv("CODEGEN_HELPER", "0")
    settings = load_settings(None, spec=SPEC, out=tmp_path / "out", package="pkg")
    with pytest.raises(CodegenError) as raised:
        generate(settings)
    (problem,) = raised.value.problems
    assert problem.message == (
        "models stage failed: 3 validation errors for JsonSchemaObject allOf.2.description Input should be a string"
    )


def test_a_small_spec_is_validated_in_a_helper_with_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codegen import validate

    spec = tmp_path / "spec.yaml"  # a keyword the validator drops (maxLength < 0): a finding, a change
    spec.write_text(
        SPEC.read_text().replace("price: {type: number, minimum: 0}", "price: {type: number, maxLength: -1}")
    )
    settings = load_settings(None, spec=spec, out=tmp_path / "out", package="pkg")
    where = _noting_pids(monkeypatch, validate, "_findings", tmp_path / "pids")
    helped = generate(settings)
    monkeypatch.setenv("CODEGEN_HELPER", "0")
    here = generate(settings)
    assert helped == here and any("maxLength" in problem.pointer for problem in here.warnings)
    first, second = map(int, where.read_text().split())
    assert first != os.getpid() and second == os.getpid()


def test_a_run_collects_no_cycles_in_any_of_its_processes_and_restores_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from codegen import pipeline

    settings = load_settings(None, spec=SPEC, out=tmp_path / "out", package="pkg")
    states = tmp_path / "states"
    here = os.getpid()
    real = pipeline.models_and_notes

    def noting(*args: Any, **kwargs: Any) -> Any:  # runs in the helper process
        with states.open("a") as file:
            file.write(f"{gc.isenabled()} {os.getpid() != here}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "models_and_notes", noting)
    from codegen.ir import build  # imported by the pipeline where used

    real_api = build.build_api

    def building(*args: Any, **kwargs: Any) -> Any:  # runs in this process
        with states.open("a") as file:
            file.write(f"{gc.isenabled()} {os.getpid() != here}\n")
        return real_api(*args, **kwargs)

    monkeypatch.setattr(build, "build_api", building)
    assert gc.isenabled()
    generate(settings)
    assert gc.isenabled()
    assert sorted(states.read_text().splitlines()) == ["False False", "False True"]  # here, and in the helper
    gc.disable()
    try:
        generate(settings)
        assert not gc.isenabled()
    finally:
        gc.enable()
