"""Render a review for people or tools.

Input: a `Review` (review.py) and a format. Output:
- text: one line per change, breaking first, each with its Python spelling, then a summary line;
- markdown: a ready pull-request comment: a one-line verdict with the suggested version bump,
  the breaking changes with a migration hint each, then the other changes to the SDK's API,
  then the rest, then what the generated code would change, ignored changes and ignore-file notes;
- json: `{"verdict", "bump", "changes", "summary", "stat", "ignored", "notes", "sdk_note"}`.
Text and Markdown list description-only changes only when asked; they are always counted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .review import Review
from .wire import Change, summary

FORMATS = ("text", "markdown", "json")
_WIDTH = 80  # longest value shown in text and Markdown; JSON keeps everything
# Kinds that say nothing about the Python API (they change what the server accepts or sends).
_WIRE_ONLY = ("constraint", "subschema", "not-changed", "default-changed", "status", "media-type", "description")


def render(result: Review, fmt: str, *, descriptions: bool = False) -> str:
    if fmt == "json":
        return _json(result)
    return _markdown(result, descriptions=descriptions) if fmt == "markdown" else _text(result, descriptions)


def summary_line(changes: Sequence[Change]) -> str:
    counts = summary(changes)
    warnings = f" ({_plural(counts['warnings'], 'warning')})" if counts["warnings"] else ""
    return (
        f"{counts['breaking']} breaking, {counts['non_breaking']} non-breaking{warnings}, "
        f"{counts['description_only']} description-only"
    )


def verdict(result: Review) -> str:
    bump = f"suggested SDK version bump: **{result.bump}**"
    if result.breaking:
        return f"❌ Breaking for SDK users — {bump}"
    if result.changes:
        return f"✅ No breaking change for SDK users — {bump}"
    return f"✅ No change for SDK users — {bump}"


def _json(result: Review) -> str:
    document = {
        "verdict": "breaking" if result.breaking else "non-breaking",
        "bump": result.bump,
        "changes": [c.to_dict() for c in result.changes],
        "summary": summary(result.changes),
        "stat": result.stat,
        "ignored": [{**c.to_dict(), "ignored_because": e.reason} for c, e in result.ignored],
        "notes": list(result.notes),
        "sdk_note": result.sdk_note,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _text(result: Review, descriptions: bool) -> str:
    changes = result.changes
    ordered = [c for c in changes if c.breaking] + [c for c in changes if not c.breaking and not c.doc_only]
    if descriptions:
        ordered += [c for c in changes if c.doc_only]
    lines = []
    for change in ordered:
        level = change.rule.level
        tag = "breaking" if level == "error" else "warning" if level == "warn" else "description-only"
        tag = tag if level in ("error", "warn", "doc") else "non-breaking"
        where = f"{change.operation} {change.location}".strip()
        python = (f" [{change.python}]" if where else change.python) if change.python else ""
        lines.append(f"{tag:<16} {where}{python}: {_kinds(change)}{_values(change)} ({change.rule.reason})")
    for change, entry in result.ignored:
        lines.append(f"{'ignored':<16} {change.operation} {change.location}: {change.kind} ({entry.reason})")
    lines += [f"note: {note}" for note in result.notes]
    if result.sdk_note:
        lines.append(f"note: SDK comparison skipped: {result.sdk_note}")
    lines.append(f"summary: {summary_line(changes)}")
    return "\n".join(lines) + "\n"


def _kinds(change: Change) -> str:
    return f"{change.kind} → {change.merged}" if change.merged else change.kind


def _markdown(result: Review, *, descriptions: bool) -> str:
    changes = result.changes
    breaking = [c for c in changes if c.breaking]
    rest = [c for c in changes if not c.breaking and not c.doc_only]
    api = [c for c in rest if _is_api(c)]
    other = [c for c in rest if not _is_api(c)]
    out = [f"### {verdict(result)}", "", f"{summary_line(changes)}{_ignored_count(result)}.", ""]
    if breaking:
        out += [f"#### Breaking changes ({len(_grouped(breaking))})", ""]
        out += ["| Python | Where | Change | Breaks | Migration |", "|---|---|---|---|---|"]
        for c, places in _grouped(breaking):
            where = "<br>".join(_code(p) for p in places)
            cells = [_code(c.python), where, _kind_cell(c), c.rule.effect.removeprefix("breaks "), _hint(c)]
            out.append(_row(cells))
        out.append("")
    if api:
        out += [f"#### SDK API changes ({len(_grouped(api))})", ""]
        out += ["| Python | Change | Old | New | Note |", "|---|---|---|---|---|"]
        for c, _ in _grouped(api):
            python = c.python or f"{c.operation} {c.location}".strip()
            old, new = c.python_values if c.python_values != (None, None) else (c.old, c.new)
            cells = [_code(python), _kind_cell(c), _code(_show(old)), _code(_show(new)), _cell(c.rule.reason)]
            out.append(_row(cells))
        out.append("")
    if other:
        out += [f"#### Other changes ({len(other)})", ""]
        out += ["| Operation | Location | Change | Old | New | Why |", "|---|---|---|---|---|---|"]
        for c in other:
            cells = [_code(c.operation), _code(c.location), _kind_cell(c), _code(_show(c.old)), _code(_show(c.new))]
            out.append(_row([*cells, _cell(c.rule.reason)]))
        out.append("")
    docs = [c for c in changes if c.doc_only]
    if descriptions and docs:
        out += [f"#### Description-only ({len(docs)})", ""]
        out += ["| Operation | Location |", "|---|---|"]
        out += [_row([_code(c.operation), _code(c.location)]) for c in docs]
        out.append("")
    elif docs:
        out += [f"{_plural(len(docs), 'description-only change')} not listed (`--descriptions` lists them).", ""]
    out += _generated(result)
    if result.ignored:
        out += [f"#### Ignored ({len(result.ignored)})", "", "| Where | Change | Reason |", "|---|---|---|"]
        for c, entry in result.ignored:
            out.append(_row([_code(f"{c.operation} {c.location}".strip()), f"`{c.kind}`", _cell(entry.reason)]))
        out.append("")
    out += [f"> ⚠️ {_cell(note)}" for note in result.notes]
    if result.sdk_note:
        out += [f"> ⚠️ SDK comparison skipped: {_cell(result.sdk_note)}"]
    if result.notes or result.sdk_note:
        out.append("")
    if not changes:
        out += ["No changes.", ""]
    return "\n".join(out)


def _grouped(changes: Sequence[Change]) -> list[tuple[Change, list[str]]]:
    """One row per Python-level change: a model field that changed is reported by every operation
    that returns it; the row lists those places."""
    rows: dict[Any, tuple[Change, list[str]]] = {}
    for index, c in enumerate(changes):
        key: Any = (c.kind, c.merged, c.python, _show(c.old), _show(c.new)) if c.python else index
        place = f"{c.operation} {c.location}".strip()
        if key in rows:
            rows[key][1].append(place)
        else:
            rows[key] = (c, [place] if place else [])
    return list(rows.values())


def _is_api(change: Change) -> bool:
    if change.kind.startswith("sdk-") or change.merged:
        return True
    return bool(change.python) and not any(word in change.kind for word in _WIRE_ONLY)


def _ignored_count(result: Review) -> str:
    return f", {len(result.ignored)} ignored" if result.ignored else ""


def _generated(result: Review) -> list[str]:
    """`_client.py`: 1 method changed, 1 removed · `models.py`: 2 classes changed, 3 fields added, …"""
    files: dict[str, list[str]] = {}
    for what, count in result.stat.items():
        noun, verb = what.split(" ", 1)
        where = "_client.py" if noun == "method" else "models.py"
        files.setdefault(where, []).append(f"{count} {noun if count == 1 else _nouns(noun)} {verb}")
    if not files:
        return []
    parts = [f"`{name}`: {', '.join(items)}" for name, items in sorted(files.items())]
    return ["#### Generated code", "", "What regenerating would change: " + "; ".join(parts) + ".", ""]


def _nouns(noun: str) -> str:
    return noun + ("es" if noun.endswith("s") else "s")


def _kind_cell(change: Change) -> str:
    text = f"`{change.kind}`" + (f" → `{change.merged}`" if change.merged else "")
    return text + (" ⚠️" if change.rule.level == "warn" else "")


def _hint(change: Change) -> str:
    text = change.rule.hint
    for key, value in (("{old}", change.old), ("{new}", change.new), ("{python}", change.python)):
        text = text.replace(key, _show(value))
    return _cell(text)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


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
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text else ""
