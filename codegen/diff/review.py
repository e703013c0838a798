"""One review of a spec change: wire diff + SDK diff, merged, filtered, summed up.

Input: the two prepared documents (wire.prepare), Settings for the generator (same config and
overlay on both sides) and the ignore entries. Output: a `Review`: the changes that count, the
ignored ones, the ignore file's notes, the suggested version bump and a stat of what the
generated code would change. When the generator cannot build one side's IR at all, the review is
the wire diff alone, and says why (`sdk_note`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from ..config import DEFAULT_CONFIG, Settings, load_settings
from ..errors import CodegenError
from ..load import Document
from .ignore import Entry, Outcome, apply_ignore
from .merge import merge
from .rules import SEVERITY, Level
from .scope import changed_scope
from .sdk import SdkChange, compare_surfaces
from .surface import Surface, build_surfaces
from .wire import Change, diff_specs, unchanged_components

Bump = str  # major, minor, patch or none

# Non-breaking changes that add to the public API: a minor version.
_ADDITIONS = (
    "sdk-method-added",
    "sdk-stream-variant-added",
    "sdk-argument-added-optional",
    "sdk-class-added",
    "sdk-enum-added",
    "sdk-enum-member-added",
    "sdk-field-added",
    "operation-added",
    "request-parameter-added-optional",
    "request-property-added-optional",
    "response-property-added",
)


def _adds(kind: str) -> bool:
    return kind in _ADDITIONS or kind.endswith(("enum-value-added", "-type-widened", "media-type-added"))


@dataclass(frozen=True, slots=True)
class Review:
    changes: tuple[Change, ...]
    ignored: tuple[tuple[Change, Entry], ...] = ()
    notes: tuple[str, ...] = ()  # the ignore file's expired and unused entries
    sdk_note: str = ""  # why the SDK comparison was not made, when it was not
    stat: dict[str, int] = field(default_factory=dict)

    @property
    def breaking(self) -> bool:
        return any(c.breaking for c in self.changes)

    def fails(self, level: Level) -> bool:
        """Exit status 1: anything at `level` (error = breaking, warn = a warning or worse)."""
        return any(SEVERITY[c.rule.level] >= SEVERITY[level] for c in self.changes)

    @property
    def bump(self) -> Bump:
        if self.breaking:
            return "major"
        if any(_adds(c.kind) or _adds(c.merged) for c in self.changes):
            return "minor"
        return "patch" if self.changes else "none"


def review(
    old: Document,
    new: Document,
    *,
    settings: Settings,
    entries: Sequence[Entry] = (),
    ignore_source: str = "",
    today: dt.date | None = None,
) -> Review:
    unchanged = unchanged_components(old.data, new.data)
    wire = diff_specs(old, new, unchanged=unchanged)
    sdk: list[SdkChange] = []
    note = ""
    surfaces = _surfaces(old, new, settings, unchanged)
    if isinstance(surfaces, str):
        note, changes = surfaces, wire
    else:
        sdk = compare_surfaces(*surfaces)
        changes = merge(wire, sdk, *surfaces)
    outcome: Outcome = apply_ignore(changes, entries, today=today or dt.date.today())
    return Review(
        changes=outcome.kept,
        ignored=outcome.ignored,
        notes=tuple(outcome.notes(ignore_source)),
        sdk_note=note,
        stat=_stat(sdk),
    )


def _surfaces(
    old: Document, new: Document, settings: Settings, unchanged: frozenset[str]
) -> tuple[Surface, Surface] | str:
    """Both public surfaces, built where they can differ; or why they cannot be built."""
    try:
        specs = changed_scope(old.data, new.data, sources=(old.source, new.source), unchanged=unchanged)
        return build_surfaces(*specs, sources=(old.source, new.source), settings=settings)
    except CodegenError as exc:
        return f"the generator rejects it: {exc.problems[0]}"
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, RecursionError) as exc:
        return f"the generator cannot read it ({type(exc).__name__}: {exc})"


def _stat(sdk: Sequence[SdkChange]) -> dict[str, int]:
    """What regenerating would change, counted from the SDK changes: `{"method changed": 2, ...}`."""
    counts: Counter[str] = Counter()
    methods = {s.change.operation for s in sdk if not s.model and s.change.kind.startswith(_METHOD_EDITS)}
    classes = {s.model for s in sdk if s.model and (s.alias or s.member)}
    counts["method changed"] = len(methods)
    counts["class changed"] = len(classes)
    for item in sdk:
        kind = item.change.kind.removeprefix("sdk-")
        for noun in ("method", "class", "enum", "field", "enum-member"):
            for verb in ("added", "removed", "renamed"):
                if kind == f"{noun}-{verb}":
                    counts[f"{noun.replace('enum-member', 'member')} {verb}"] += 1
    return {key: value for key, value in sorted(counts.items()) if value}


_METHOD_EDITS = ("sdk-method-renamed", "sdk-argument", "sdk-body", "sdk-return", "sdk-stream", "sdk-positional")


def diff_settings(config: Path | None, source: str) -> Settings:
    """The generator's settings for both sides: `config`'s [tool.codegen] (resource placement, class
    renames), else ./pyproject.toml's when it has that table, else none (a foreign spec as it is)."""
    if config is None:
        config = DEFAULT_CONFIG
        if not _has_codegen_table(config):
            return Settings(spec=Path(source), out=Path("generated"), package="sdk")
    return load_settings(config, spec=Path(source), out=Path("generated"))


def _has_codegen_table(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return isinstance(tomllib.load(handle).get("tool", {}).get("codegen"), dict)
    except (OSError, tomllib.TOMLDecodeError):
        return False
