"""After a spec update that changed a few classes: the last models output, their definitions replaced.

Input: the models of this run, those of the run before and its output and notes (kept by
`remember()`), and the models stage as a function of a list of models. Output: the module the
models stage would write for all models and what it would say of them, or None when this cannot be
shown, and the caller runs the stage on all.

datamodel-codegen writes one module for all models: their imports, then one definition per
model (a class, an enum, a type alias) and the helpers it adds, in an order of its own. Running it
on the 2,458 models of the whole upstream API takes 8 s; on a changed class and what it refers to,
a fraction of a second. So the stage is run twice on that small set, with the class before and
after the change, and the earlier whole output is reused when the two small runs show that
- the change touches nothing but the changed classes' own definitions: the same imports (the
  module imports what its definitions use, together), the same definitions in the same order,
  each other one (those the classes refer to, and those that refer to them) the same text;
- the small run renders each definition exactly as the whole run did before the change, and says
  of its models what the whole run said (each note naming its model), and the change moves no note
  about another model;
- and the change keeps what the stage reads across definitions: the class's name, kind, the
  models it refers to, its deprecated fields (the `mark_deprecated` lines).
Then the whole output with the changed classes' definitions replaced is what the stage would write.
Anything else (a model added, removed, or of another kind, an enum or alias changed, a new helper)
runs the stage on all models. `tests/unit/test_cache.py` compares both ways on real edits.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Sequence
from typing import Any

from .cache import Cache, key
from .ir.nodes import Model
from .render.models import Models, Note

_KIND = "models-last"
_MOST_CHANGED = 8  # classes changed at once; more is a larger update, run on all
_MOST_RUN = 300  # models in the small runs (changed ones, what they refer to, what refers to them)
# The first line of a definition at the top of the module, and the first of the trailing calls.
_START = re.compile(r"^(?:class (\w+)\b|(\w+)(?:: [^\n=]*)? = |type (\w+)\b)", re.MULTILINE)
_TAIL = re.compile(r"^(?:mark_deprecated\(|__all__ = )", re.MULTILINE)


def digests(models: Sequence[Model]) -> dict[str, str]:
    """{name: hash of the model's repr}: every field of it, its JSON Schema included."""
    return {m.name: key(repr(m)) for m in models}


def remember(cache: Cache, entry: str, models: Sequence[Model], made: Models, hashes: dict[str, str]) -> None:
    """Keep this run's models (`hashes`: their `digests`), output and notes for the next run under the same settings."""
    kept = {m.name: (hashes[m.name], pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL)) for m in models}
    cache.put(_KIND, entry, pickle.dumps((kept, *made), protocol=pickle.HIGHEST_PROTOCOL))


def reuse(
    cache: Cache, entry: str, models: Sequence[Model], render: Callable[[list[Model]], Models], hashes: dict[str, str]
) -> Models | None:
    """The models stage's output and notes for `models` (`hashes`: their `digests`), from the last
    run's when that can be shown (above)."""
    data = cache.get(_KIND, entry)
    if data is None:
        return None
    try:
        kept, before, noted = pickle.loads(data)  # noqa: S301 - our own cache, checksummed
        if {m.name for m in models} != set(kept) or not isinstance(before, str) or not isinstance(noted, list):
            return None
        changed = [m for m in models if hashes[m.name] != kept[m.name][0]]
        old = {m.name: pickle.loads(kept[m.name][1]) for m in changed}  # noqa: S301
    except Exception:  # an entry this version cannot read: as if there were none
        return None
    if not changed:
        return before, noted
    if len(changed) > _MOST_CHANGED or not all(_same_shape(old[m.name], m) for m in changed):
        return None
    subset = _neighbourhood({m.name for m in changed}, models)
    if subset is None:
        return None
    now = {m.name: m for m in models}
    try:
        after = render([now[name] for name in subset])
        earlier = render([old.get(name, now[name]) for name in subset])
    except Exception:  # the run on all models then reports it, as without this
        return None
    names = {m.name for m in changed}
    code = _spliced(before, earlier[0], after[0], names)
    notes = _notes(noted, earlier[1], after[1], set(subset), names)
    return (code, notes) if code is not None and notes is not None else None


def _notes(
    whole: list[Note], earlier: list[Note], after: list[Note], subset: set[str], changed: set[str]
) -> list[Note] | None:
    """The notes of a run on all models after the change: the last run's, those about the changed
    models taken from the small run after it. None unless every note names its model, the small run
    before the change said of its models what the whole run said, and the change moved no note
    about another model."""
    if any(not name for name, _ in [*whole, *earlier, *after]):
        return None
    if set(earlier) != {note for note in whole if note[0] in subset}:
        return None
    if {n for n in earlier if n[0] not in changed} != {n for n in after if n[0] not in changed}:
        return None
    return sorted({n for n in whole if n[0] not in changed} | {n for n in after if n[0] in changed})


def _same_shape(old: Model, new: Model) -> bool:
    deprecated = [[f.name for f in m.fields if f.deprecated and not f.inherited] for m in (old, new)]
    return (
        old.name == new.name
        and old.kind == new.kind == "class"
        and old.module == new.module
        and _refs(old) == _refs(new)
        and deprecated[0] == deprecated[1]
    )


def _refs(model: Model) -> set[str]:
    found: set[str] = set()
    stack: list[Any] = [model.schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.add(ref)
            mapping = node.get("mapping")  # a discriminator's mapping names its branches too
            if isinstance(mapping, dict):
                found.update(value for value in mapping.values() if isinstance(value, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _neighbourhood(changed: set[str], models: Sequence[Model]) -> list[str] | None:
    """The changed models, the models that refer to them, and everything those refer to."""
    refs = {m.name: {r.removeprefix("#/$defs/") for r in _refs(m)} for m in models}
    todo = set(changed) | {name for name, targets in refs.items() if targets & changed}
    found: set[str] = set()
    while todo:
        name = todo.pop()
        if name in found or name not in refs:
            continue
        found.add(name)
        todo |= refs[name]
        if len(found) > _MOST_RUN:
            return None
    return [m.name for m in models if m.name in found]


def _split(code: str) -> tuple[str, list[tuple[str, str, str]], str] | None:
    """(imports and the rest before the first definition, [(name, definition, blank lines after
    it)], trailing calls). The blank lines after a definition depend on what follows it (one more
    before a type alias), so they are kept apart from it."""
    tail_at = _TAIL.search(code)
    end = tail_at.start() if tail_at else len(code)
    starts = list(_START.finditer(code, 0, end))
    if not starts:
        return None
    blocks: list[tuple[str, str, str]] = []
    for number, match in enumerate(starts):
        stop = starts[number + 1].start() if number + 1 < len(starts) else end
        text = code[match.start() : stop]
        definition = text.rstrip()
        blocks.append((match.group(1) or match.group(2) or match.group(3), definition, text[len(definition) :]))
    if len({name for name, _, _ in blocks}) != len(blocks):
        return None  # a name defined twice: not a module this reads
    return code[: starts[0].start()], blocks, code[end:]


def _spliced(before: str, earlier: str, after: str, changed: set[str]) -> str | None:
    whole, small_before, small_after = _split(before), _split(earlier), _split(after)
    if whole is None or small_before is None or small_after is None:
        return None
    head, blocks, tail = whole
    if small_before[0] != small_after[0] or small_before[2] != small_after[2]:
        return None  # other imports or other trailing calls
    if [(name, gap) for name, _, gap in small_before[1]] != [(name, gap) for name, _, gap in small_after[1]]:
        return None  # another definition, another order, or other blank lines between them
    known = {name: text for name, text, _ in blocks}
    replaced: dict[str, str] = {}
    for (name, old_text, _), (_, new_text, _) in zip(small_before[1], small_after[1], strict=True):
        if known.get(name) != old_text:
            return None  # the small run does not write it as the whole run did
        if name in changed:
            replaced[name] = new_text
        elif new_text != old_text:
            return None  # the change reached another definition
    if set(replaced) != changed:
        return None
    return head + "".join(replaced.get(name, text) + gap for name, text, gap in blocks) + tail
