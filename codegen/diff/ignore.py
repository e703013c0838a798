"""Accepted changes: an ignore file, each entry with a reason and maybe an expiry date.

Input: a YAML file (`openapi/diff-ignore.yaml`), a list of entries (or `{ignore: [...]}`):

    - rule: response-property-removed          # a change kind; `*` and `?` match like shell globs
      location: "POST /things/{id} response 200 .legacy"   # `OPERATION LOCATION` or the Python spelling
      reason: "nobody reads it; agreed in #123"
      expires: 2026-12-31                      # optional: after that day the entry no longer applies

Output: the changes split into kept and ignored, and the entries to report: expired ones (which
then ignore nothing) and unused ones (which ignored nothing). Bad entries are a `CodegenError`.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import CodegenError, Problem
from .wire import Change

_KEYS = {"rule", "location", "reason", "expires"}


@dataclass(frozen=True, slots=True)
class Entry:
    rule: str
    location: str
    reason: str
    expires: dt.date | None
    pointer: str  # `/3`: which entry, for messages

    def matches(self, change: Change) -> bool:
        kinds = (change.kind, change.merged) if change.merged else (change.kind,)
        if not any(fnmatch.fnmatchcase(kind, self.rule) for kind in kinds):
            return False
        where = f"{change.operation} {change.location}".strip()
        return any(fnmatch.fnmatchcase(text, self.location) for text in (where, change.python) if text)


@dataclass(frozen=True, slots=True)
class Outcome:
    kept: tuple[Change, ...]
    ignored: tuple[tuple[Change, Entry], ...]
    expired: tuple[Entry, ...]
    unused: tuple[Entry, ...]

    def notes(self, source: str) -> list[str]:
        """One line per entry to report: expired, then unused."""
        lines = [
            f"{source}#{e.pointer}: expired on {e.expires}: `{e.rule}` at `{e.location}` is reported again"
            for e in self.expired
        ]
        lines += [f"{source}#{e.pointer}: unused: no `{e.rule}` change at `{e.location}`" for e in self.unused]
        return lines


def load_ignore(path: Path | str) -> list[Entry]:
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CodegenError.at(source, "", f"cannot read: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else ""
        raise CodegenError.at(source, line, f"invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if isinstance(data, dict):
        data = data.get("ignore")
    return parse_entries(data, source=source)


def parse_entries(data: Any, *, source: str) -> list[Entry]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise CodegenError.at(source, "", "expected a list of entries (rule, location, reason, expires)")
    entries, problems = [], []
    for index, item in enumerate(data):
        pointer = f"/{index}"
        if not isinstance(item, dict):
            problems.append(Problem(source, pointer, "an entry must be a mapping"))
            continue
        unknown = sorted(set(map(str, item)) - _KEYS)
        missing = [key for key in ("rule", "location", "reason") if not str(item.get(key) or "").strip()]
        if unknown:
            problems.append(
                Problem(source, pointer, f"unknown key {', '.join(unknown)} (rule, location, reason, expires)")
            )
        if missing:
            problems.append(Problem(source, pointer, f"missing {', '.join(missing)}"))
        expires = _date(item.get("expires"))
        if item.get("expires") is not None and expires is None:
            problems.append(Problem(source, f"{pointer}/expires", "expected a date, YYYY-MM-DD"))
        if not unknown and not missing:
            entries.append(
                Entry(str(item["rule"]), str(item["location"]), str(item["reason"]).strip(), expires, pointer)
            )
    if problems:
        raise CodegenError(problems)
    return entries


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def apply_ignore(changes: Sequence[Change], entries: Sequence[Entry], *, today: dt.date) -> Outcome:
    live = [e for e in entries if e.expires is None or e.expires >= today]
    expired = tuple(e for e in entries if e not in live)
    used: set[int] = set()
    kept: list[Change] = []
    ignored: list[tuple[Change, Entry]] = []
    for change in changes:
        entry = next((e for e in live if e.matches(change)), None)
        if entry is None:
            kept.append(change)
        else:
            used.add(id(entry))
            ignored.append((change, entry))
    unused = tuple(e for e in live if id(e) not in used)
    return Outcome(tuple(kept), tuple(ignored), expired, unused)
