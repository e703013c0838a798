"""The generation caches: the same bytes with and without them; a corrupt or stale entry is never
used; a run with nothing changed writes nothing; a spec validated in the background gives what
validating first gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from codegen import format as formatting
from codegen import models_reuse, validate
from codegen.cache import Cache, key
from codegen.config import load_settings
from codegen.errors import CodegenError
from codegen.pipeline import Generated, generate
from codegen.render.models import Models
from codegen.schema_checks import SchemaChecks
from tests.support import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "specs"

# A schema keyword the validator rejects and drops (maxLength must be >= 0), next to a valid one.
INVALID_SPEC = """\
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
components:
  schemas:
    Item:
      type: object
      properties:
        name: {type: string, maxLength: -1}
        size: {type: integer, maximum: 9}
"""


def _generate(spec: Path, out: Path, cache: Cache | None) -> Generated:
    return generate(load_settings(None, spec=spec, out=out, package="pkg"), cache=cache)


def _entries(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("stem", ["operations-31", "schemas-30"])
def test_output_is_byte_identical_with_and_without_caches(tmp_path: Path, stem: str) -> None:
    spec = CORPUS / f"{stem}.yaml"
    cache = Cache(tmp_path / "cache")
    fresh = _generate(spec, tmp_path / "out", None)
    cold = _generate(spec, tmp_path / "out", cache)  # fills every stage's cache
    whole = _generate(spec, tmp_path / "out", cache)  # the whole run, from its entry
    assert cache.hits >= 1
    shutil.rmtree(tmp_path / "cache" / "run")  # now each stage finds its own entries
    staged = Cache(tmp_path / "cache")
    by_stage = _generate(spec, tmp_path / "out", staged)
    assert staged.hits > 1 and staged.misses == 1  # only the run entry was missing
    assert fresh == cold == whole == by_stage
    assert fresh.files and all(isinstance(text, str) for text in fresh.files.values())


def test_a_corrupt_or_truncated_entry_is_detected_removed_and_recomputed(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    files = {PurePosixPath("a.py"): "x  =  1\nclass A :\n  pass\n"}
    expected = formatting.format_files(files)
    assert formatting.format_files(files, cache=cache) == expected
    entries = _entries(tmp_path)
    assert entries
    for number, path in enumerate(entries):
        data = path.read_bytes()
        # Alternately: a body that no longer matches its checksum, and a file cut short.
        path.write_bytes(data.replace(b"x = 1", b"x = 2") if number % 2 else data[: len(data) // 2])
    again = Cache(tmp_path)
    assert formatting.format_files(files, cache=again) == expected
    assert again.hits == 0 and again.misses == 1  # the formatter's one entry (files and batches)
    assert {path: path.read_bytes() for path in entries} == entries  # written anew, whole
    path = next(iter(entries))
    path.write_bytes(path.read_bytes()[:-1])
    assert Cache(tmp_path).get(path.parent.parent.name, path.name) is None
    assert not path.exists()


def test_an_entry_under_another_key_or_tool_version_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {PurePosixPath("a.py"): "y = [1,\n  2]\n"}
    cache = Cache(tmp_path)
    formatting.format_files(files, cache=cache)
    # Another black version: other keys, so nothing of the first run matches.
    real_tools = formatting._tools
    monkeypatch.setattr(
        formatting, "_tools", lambda first_party: real_tools(first_party).replace("black ", "black 0.0+")
    )
    other = Cache(tmp_path)
    assert formatting.format_files(files, cache=other) == formatting.format_files(files)
    assert other.hits == 0
    # An entry copied under another key is refused: its first line names the key it was written for.
    cache.put("format-file", "a" * 64, "wrong = 1\n")
    moved = tmp_path / "format-file" / "bb" / ("b" * 64)
    moved.parent.mkdir(parents=True)
    moved.write_bytes((tmp_path / "format-file" / "aa" / ("a" * 64)).read_bytes())
    assert cache.get_text("format-file", "b" * 64) is None
    assert cache.get_text("format-file", "a" * 64) == "wrong = 1\n"


def test_the_cache_stays_under_its_limit_dropping_the_least_recently_used(tmp_path: Path) -> None:
    cache = Cache(tmp_path, limit=3500)  # three entries: 900 bytes and a line each
    for number in range(6):
        cache.put("k", key(str(number)), "x" * 900)
        os.utime(tmp_path / "k" / key(str(number))[:2] / key(str(number)), (1000 + number, 1000 + number))
    assert cache.get("k", key("0")) is not None  # used now: the newest
    assert cache.prune() == 3
    kept = {number for number in range(6) if cache.get("k", key(str(number))) is not None}
    assert kept == {0, 4, 5}


def test_a_run_with_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "codegen", "generate", "--spec", str(CORPUS / "schemas-31.yaml")]
    command += ["--out", str(tmp_path / "sdk"), "--package", "sdk"]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert "changed" in first.stdout and (tmp_path / ".codegen-cache" / "run").is_dir()
    stamps = {path: (path.stat().st_mtime_ns, path.stat().st_ino) for path in (tmp_path / "sdk").rglob("*")}
    cached = {path for path in (tmp_path / ".codegen-cache").rglob("*") if path.is_file()}
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert ", 0 changed" in second.stdout
    assert {path: (path.stat().st_mtime_ns, path.stat().st_ino) for path in (tmp_path / "sdk").rglob("*")} == stamps
    assert {path for path in (tmp_path / ".codegen-cache").rglob("*") if path.is_file()} == cached
    plain = tmp_path / "other" / "sdk"
    subprocess.run(
        [*command, "--no-cache", "--out", str(plain)], cwd=ROOT, capture_output=True, timeout=120, check=True
    )
    assert _entries(plain) and not (tmp_path / "other" / ".codegen-cache").exists()


def test_validating_in_the_background_gives_what_validating_first_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(INVALID_SPEC)
    monkeypatch.setenv("CODEGEN_HELPER", "0")  # no process forked: validated here, then the IR built
    first = _generate(spec, tmp_path / "a", None)
    assert any(str(w).endswith("maxLength ignored") for w in first.warnings)
    monkeypatch.delenv("CODEGEN_HELPER")
    # A second core even where there is none, and no thread even beside other tests' servers.
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    started = []
    real_start = validate.start_validation

    def spy(*args: object, **kwargs: object) -> validate.Validation:
        result = real_start(*args, **kwargs)  # type: ignore[arg-type]
        started.append((result.elsewhere, result.overlapped))
        return result

    monkeypatch.setattr("codegen.pipeline.start_validation", spy)
    # Small: validated in a helper process forked at the start, the verdict awaited before the IR is built.
    assert _generate(spec, tmp_path / "b", None) == first
    monkeypatch.setattr(validate, "BACKGROUND_FROM", 0)
    # The keyword is dropped after the IR was built from the spec with it: built again, same result.
    assert _generate(spec, tmp_path / "b", None) == first
    assert started[:2] == [(True, False), (True, True)]
    cache = Cache(tmp_path / "cache")
    assert _generate(spec, tmp_path / "c", cache) == first
    shutil.rmtree(tmp_path / "cache" / "run")
    assert _generate(spec, tmp_path / "c", cache) == first  # validation replayed from the cache


def test_a_change_in_a_file_the_spec_refers_to_is_not_missed(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(INVALID_SPEC.replace('schema: {$ref: "#/components/schemas/Item"}', 'schema: {$ref: "item.yaml"}'))
    item = tmp_path / "item.yaml"
    item.write_text("type: object\nproperties:\n  name: {type: string}\n")
    cache = Cache(tmp_path / "cache")
    before = _generate(spec, tmp_path / "out", cache)
    assert _generate(spec, tmp_path / "out", cache) == before
    item.write_text("type: object\nproperties:\n  name: {type: string}\n  size: {type: integer}\n")
    after = _generate(spec, tmp_path / "out", cache)
    assert after == _generate(spec, tmp_path / "out", None) != before


def test_strict_after_a_lenient_run_reports_what_it_reports_without_a_cache(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(INVALID_SPEC)
    cache = Cache(tmp_path / "cache")
    _generate(spec, tmp_path / "out", cache)  # lenient: written, with a warning

    def strict_problems(cache: Cache | None) -> list[str]:
        settings = load_settings(None, spec=spec, out=tmp_path / "out", package="pkg", strict=True)
        with pytest.raises(CodegenError) as raised:
            generate(settings, cache=cache)
        return [str(problem) for problem in raised.value.problems]

    assert strict_problems(cache) == strict_problems(None) != []


# Three components and a path; each edit below changes one thing of it, as a spec update would.
EDITED_SPEC = (
    INVALID_SPEC
    + """\
    Tag:
      type: object
      required: [label]
      properties:
        label: {type: string, minLength: 1}
        item: {$ref: "#/components/schemas/Item"}
    Page:
      allOf:
        - {$ref: "#/components/schemas/Tag"}
        - {type: object, properties: {next: {type: string}}}
"""
)
SIZE = "        size: {type: integer, maximum: 9}\n"
EDITS = {
    "a valid property added": (SIZE, SIZE + "        note: {type: string}\n"),
    "a component made invalid": ("minLength: 1}", "minLength: -1}"),
    "the invalid keyword fixed": ("maxLength: -1}", "maxLength: 1}"),
    "a default its schema rejects": ("{type: string}}}", "{type: string, default: 3}}}"),
    "a required property that is not there": ("    Page:\n", "    Page:\n      required: [missing]\n"),
    "a $ref that does not resolve": ('Item"}\n    Page', 'Gone"}\n    Page'),
}  # fmt: skip


def _validated(text: str, checks: SchemaChecks | None) -> tuple[list[tuple[str, str]], list[str]] | list[str]:
    spec = yaml.safe_load(text)
    dangling = validate._dangling_refs(spec, source="s.yaml")  # what the pipeline checks first
    if dangling:
        return [str(problem) for problem in dangling]
    return validate._findings(spec, source="s.yaml", checks=checks)


@pytest.mark.parametrize("edit", EDITS)
def test_after_an_edit_only_new_schemas_are_checked_and_the_findings_are_a_whole_validation(
    tmp_path: Path, edit: str
) -> None:
    old, new = EDITS[edit]
    assert old in EDITED_SPEC
    edited = EDITED_SPEC.replace(old, new, 1)
    cache = Cache(tmp_path)
    first = SchemaChecks(cache, dialect=None)
    assert _validated(EDITED_SPEC, first) == _validated(EDITED_SPEC, None)
    assert first.checked >= 3 and not first.known
    again = SchemaChecks(cache, dialect=None)
    assert _validated(edited, again) == _validated(edited, None)
    assert again.known and again.checked < first.checked  # the unchanged schemas were not checked again
    # The SDK too: warmed with the spec before the edit, then the same bytes and warnings as without caches.
    spec = tmp_path / "shop.yaml"
    spec.write_text(EDITED_SPEC)
    _generate(spec, tmp_path / "out", cache)
    spec.write_text(edited)
    try:
        incremental: Generated | list[str] = _generate(spec, tmp_path / "out", cache)
    except CodegenError as exc:
        incremental = [str(problem) for problem in exc.problems]
    try:
        cold: Generated | list[str] = _generate(spec, tmp_path / "cold", None)
    except CodegenError as exc:
        cold = [str(problem) for problem in exc.problems]
    assert incremental == cold


def test_a_schema_that_fails_its_check_is_checked_every_time(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    first = SchemaChecks(cache, dialect=None)
    found = _validated(INVALID_SPEC, first)
    assert any(at.endswith("/maxLength") for at, _ in found[0])  # type: ignore[misc]
    again = SchemaChecks(cache, dialect=None)
    assert _validated(INVALID_SPEC, again) == found
    assert again.checked == 1  # Item, which failed; nothing else is new


def test_a_corrupt_or_stale_schema_checks_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path)
    first = SchemaChecks(cache, dialect=None)
    expected = _validated(EDITED_SPEC, first)
    (path,) = (path for path in (tmp_path / "schema-checks").rglob("*") if path.is_file())
    whole = path.read_bytes()
    path.write_bytes(whole.replace(b"\n", b"\n0", 2)[: len(whole)])  # a hash changed: the checksum fails
    corrupt = SchemaChecks(cache, dialect=None)
    assert not corrupt.known and not path.exists()
    assert _validated(EDITED_SPEC, corrupt) == expected and corrupt.checked == first.checked
    # Another generator or validator version: another entry, not found.
    monkeypatch.setattr("codegen.schema_checks.generator_fingerprint", lambda: "another version")
    assert not SchemaChecks(cache, dialect=None).known
    monkeypatch.undo()
    # Another jsonSchemaDialect: every schema is new.
    other = SchemaChecks(cache, dialect="https://spec.openapis.org/oas/3.1/dialect/base")
    assert other.known and _validated(EDITED_SPEC, other) == expected and other.checked == first.checked


ZOO_SPEC = """\
openapi: 3.1.0
info: {title: Zoo, version: "1"}
paths:
  /animals/{id}:
    get:
      operationId: getAnimal
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Animal"}
components:
  schemas:
    Kind:
      type: string
      enum: [cat, dog]
    Owner:
      type: object
      properties:
        name: {type: string, description: Who feeds it.}
    Animal:
      type: object
      required: [id, kind]
      properties:
        id: {type: string}
        kind: {$ref: "#/components/schemas/Kind"}
        owner: {$ref: "#/components/schemas/Owner"}
        tags: {type: array, items: {type: string}}
    Pen:
      type: object
      properties:
        animals: {type: array, items: {$ref: "#/components/schemas/Animal"}}
"""
NAME = "        name: {type: string, description: Who feeds it.}\n"
TAGS = "        tags: {type: array, items: {type: string}}\n"
PEN = "        pen: {$ref: '#/components/schemas/Pen'}\n"
# (old text, new text, whether the last models output is reused with the changed classes replaced)
MODEL_EDITS = {
    "a description changed": ("Who feeds it.", "Who feeds it, twice a day.", True),
    "an optional property added": (NAME, NAME + "        age: {type: integer, description: Years.}\n", True),
    "a property made required": ("required: [id, kind]", "required: [id, kind, tags]", True),
    "a property removed": (TAGS, "", True),
    "a property that needs another import": (NAME, NAME + "        since: {type: string, format: date-time}\n", False),
    "a property that refers to another schema": (TAGS, TAGS + PEN, False),
    "an enum value added": ("enum: [cat, dog]", "enum: [cat, dog, owl]", False),
    "a schema added": ("    Pen:\n", "    Keeper:\n      type: object\n    Pen:\n", False),
}  # fmt: skip


def _reuse_outcomes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each call of `models_reuse.reuse` reused the last output, in order; the models stage
    is run in this process, where the spy sees it."""
    outcomes: list[bool] = []
    real_reuse = models_reuse.reuse

    def spy(*args: Any) -> Models | None:
        result = real_reuse(*args)
        outcomes.append(result is not None)
        return result

    monkeypatch.setattr(models_reuse, "reuse", spy)
    monkeypatch.setenv("CODEGEN_HELPER", "0")
    return outcomes


@pytest.mark.parametrize("edit", MODEL_EDITS)
def test_after_an_edit_the_models_are_what_a_run_on_all_of_them_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    old, new, reused = MODEL_EDITS[edit]
    assert old in ZOO_SPEC
    spec = tmp_path / "zoo.yaml"
    spec.write_text(ZOO_SPEC)
    cache = Cache(tmp_path / "cache")
    before = _generate(spec, tmp_path / "out", cache)
    outcomes = _reuse_outcomes(monkeypatch)
    spec.write_text(ZOO_SPEC.replace(old, new, 1))
    incremental = _generate(spec, tmp_path / "out", cache)
    assert outcomes == [reused]
    assert incremental == _generate(spec, tmp_path / "cold", None)
    assert incremental.files != before.files  # the edit shows in the models


def test_a_corrupt_last_models_entry_is_ignored(tmp_path: Path) -> None:
    spec = tmp_path / "zoo.yaml"
    spec.write_text(ZOO_SPEC)
    cache = Cache(tmp_path / "cache")
    _generate(spec, tmp_path / "out", cache)
    (path,) = (path for path in (tmp_path / "cache" / "models-last").rglob("*") if path.is_file())
    path.write_bytes(path.read_bytes().replace(b"Who feeds it.", b"Who feeds it!"))  # the checksum fails
    spec.write_text(ZOO_SPEC.replace("Who feeds it.", "Who feeds it, twice a day."))
    assert models_reuse.reuse(Cache(tmp_path / "cache"), path.name, [], lambda models: ("", []), {}) is None
    assert _generate(spec, tmp_path / "out", cache) == _generate(spec, tmp_path / "cold", None)


VISIT = (
    "    Visit:\n      type: object\n      properties:\n        at: {type: string, format: date-time, maxLength: 40}\n"
)
LEFT = "        left: {type: string, format: date-time, maxLength: 9}\n"
NOTED_SPEC = ZOO_SPEC + VISIT  # the models stage says it drops `maxLength` on a date-time
NOTE_EDITS = {
    "the noted class given a property": ("maxLength: 40}\n", "maxLength: 40}\n        by: {type: string}\n", True),
    "another class's description changed": ("Who feeds it.", "Who feeds it, twice a day.", True),
    "a second noted property added": (TAGS, TAGS + LEFT, None),
    "the noted property made plain": ("format: date-time, maxLength: 40", "maxLength: 40", None),
}  # fmt: skip


@pytest.mark.parametrize("edit", NOTE_EDITS)
def test_what_the_models_stage_says_is_a_warning_at_its_model_the_same_with_a_cache_and_after_an_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    import warnings

    old, new, reused = NOTE_EDITS[edit]
    spec = tmp_path / "zoo.yaml"
    spec.write_text(NOTED_SPEC)
    cache = Cache(tmp_path / "cache")
    outcomes = _reuse_outcomes(monkeypatch)
    with warnings.catch_warnings(record=True) as python_warnings:
        warnings.simplefilter("always")
        first = _generate(spec, tmp_path / "out", cache)
        assert _generate(spec, tmp_path / "out", cache) == first  # replayed from the cache
        spec.write_text(NOTED_SPEC.replace(old, new, 1))
        incremental = _generate(spec, tmp_path / "out", cache)
        cold = _generate(spec, tmp_path / "cold", None)
    assert [str(w.message) for w in python_warnings] == []  # none left to Python's warnings
    noted = [p for p in first.warnings if p.message.startswith("models stage: ")]
    assert [(p.pointer, p.message) for p in noted] == [
        ("/components/schemas/Visit/properties/at", "models stage: Pydantic does not take max_length on AwareDatetime; "
         "Visit.at is generated without this constraint."),
    ]  # fmt: skip
    assert incremental == cold
    if reused is not None:
        assert outcomes[-1] is reused
    if edit == "a second noted property added":
        assert any("Animal.left" in p.message and p.pointer.endswith("/Animal/properties/left") for p in cold.warnings)
    if edit == "the noted property made plain":
        assert not any(p.message.startswith("models stage: ") for p in cold.warnings)


def test_the_notes_of_a_reused_output_are_those_of_a_whole_run_or_none() -> None:
    whole = [("A", "a says"), ("B", "b says"), ("C", "c says")]
    small_before, small_after = [("A", "a says"), ("B", "b says")], [("A", "a says"), ("B", "b now says")]
    merged = models_reuse._notes(whole, small_before, small_after, {"A", "B"}, {"B"})
    assert merged == [("A", "a says"), ("B", "b now says"), ("C", "c says")]
    assert models_reuse._notes([("", "names none")], [], [], {"A"}, {"A"}) is None  # cannot be placed
    assert models_reuse._notes(whole, [], [], {"A", "B"}, {"B"}) is None  # the small run said less than the whole
    moved = models_reuse._notes(whole, small_before, [("A", "a now says"), ("B", "b says")], {"A", "B"}, {"B"})
    assert moved is None  # the change moved a note about another model


def test_the_tools_versions_are_importlib_metadatas() -> None:
    from importlib import metadata

    from codegen import cache

    for tool in cache._TOOLS:
        assert cache._version(tool) == metadata.version(tool)
    assert cache._version("no-such-tool-anywhere") == "-"
