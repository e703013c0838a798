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

import pytest

from codegen import format as formatting
from codegen import validate
from codegen.cache import Cache, key
from codegen.config import load_settings
from codegen.errors import CodegenError
from codegen.pipeline import Generated, generate
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
    assert again.hits == 0 and again.misses == 2  # the file's entry and its one piece's
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
        started.append((result.child is not None, result.overlapped))
        return result

    monkeypatch.setattr("codegen.pipeline.start_validation", spy)
    # Small: validated in a child process, the verdict awaited before the IR is built.
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


def test_the_tools_versions_are_importlib_metadatas() -> None:
    from importlib import metadata

    from codegen import cache

    for tool in cache._TOOLS:
        assert cache._version(tool) == metadata.version(tool)
    assert cache._version("no-such-tool-anywhere") == "-"
