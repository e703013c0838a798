"""Render a list of spec changes for people or tools.

Input: `Change`s from `codegen.diff.wire` and a format. Output: text (one line per change, breaking
first, then a summary line), Markdown (a table per classification, fit to paste into a pull
request) or JSON (`{"changes": [...], "summary": {...}}`, description-only changes included).
Text and Markdown list description-only changes only when asked; they are always counted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .wire import Change, summary

FORMATS = ("text", "markdown", "json")
_WIDTH = 80  # longest value shown in text and Markdown; JSON keeps everything


def render(changes: Sequence[Change], fmt: str, *, descriptions: bool = False) -> str:
    if fmt == "json":
        return json.dumps({"changes": [c.to_dict() for c in changes], "summary": summary(changes)}, indent=2) + "\n"
    groups = _groups(changes, descriptions=descriptions)
    return _markdown(groups, changes) if fmt == "markdown" else _text(groups, changes)


def _groups(changes: Sequence[Change], *, descriptions: bool) -> list[tuple[str, list[Change]]]:
    """Breaking, non-breaking and (when asked) description-only, each in walk order."""
    groups = [
        ("Breaking", [c for c in changes if c.breaking]),
        ("Non-breaking", [c for c in changes if not c.breaking and not c.doc_only]),
    ]
    if descriptions:
        groups.append(("Description-only", [c for c in changes if c.doc_only]))
    return groups


def summary_line(changes: Sequence[Change]) -> str:
    counts = summary(changes)
    warnings = f" ({_plural(counts['warnings'], 'warning')})" if counts["warnings"] else ""
    return (
        f"{counts['breaking']} breaking, {counts['non_breaking']} non-breaking{warnings}, "
        f"{counts['description_only']} description-only"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _text(groups: list[tuple[str, list[Change]]], changes: Sequence[Change]) -> str:
    lines = []
    for title, group in groups:
        for change in group:
            tag = "warning" if change.rule.level == "warn" else title.lower()
            where = f"{change.operation} {change.location}".strip()
            values = _values(change)
            lines.append(f"{tag:<16} {where}: {change.kind}{values} ({change.rule.reason})")
    lines.append(f"summary: {summary_line(changes)}")
    return "\n".join(lines) + "\n"


def _markdown(groups: list[tuple[str, list[Change]]], changes: Sequence[Change]) -> str:
    out = [f"### API changes: {summary_line(changes)}", ""]
    for title, group in groups:
        if not group:
            continue
        out += [f"#### {title} ({len(group)})", ""]
        out += ["| Operation | Location | Change | Old | New | Why |", "|---|---|---|---|---|---|"]
        for c in group:
            kind = f"`{c.kind}`" + (" ⚠️" if c.rule.level == "warn" else "")
            cells = [_code(c.operation), _code(c.location), kind, _code(_show(c.old)), _code(_show(c.new))]
            out.append("| " + " | ".join([*cells, _cell(c.rule.reason)]) + " |")
        out.append("")
    hidden = summary(changes)["description_only"]
    if hidden and len(groups) == 2:
        out += [f"{_plural(hidden, 'description-only change')} not listed (`--descriptions` lists them).", ""]
    if not changes:
        out += ["No changes.", ""]
    return "\n".join(out)


def _values(change: Change) -> str:
    if change.old is None and change.new is None:
        return ""
    if change.old is None:
        return f" + {_show(change.new)}"
    if change.new is None:
        return f" - {_show(change.old)}"
    return f" {_show(change.old)} → {_show(change.new)}"


def _show(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = " ".join(text.split())
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text else ""
