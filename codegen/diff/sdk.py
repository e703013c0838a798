"""Compare two public surfaces: what changes for code that uses the generated SDK.

Input: the old and new `Surface` (surface.py). Output: `Change`s whose kinds start with `sdk-`,
each spelled in Python (`client.chat.completions.update(metadata=…)`, `ChatCompletion.service_tier`)
and carrying `explains`: the wire locations it comes from, which `merge.py` uses to fold it into
the wire-level change instead of listing it twice.

Methods are matched by HTTP method and path (parameter names blanked), so a renamed method is one
change, not a removal and an addition; arguments by location and wire name; classes and enums by name,
fields by wire alias.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from .scope import operation_key
from .surface import Argument, EnumClass, Method, ModelClass, Surface
from .types import relation
from .wire import Change


@dataclass(frozen=True, slots=True)
class _Types:
    """What annotation comparisons need to know of both sides."""

    old_classes: frozenset[str]
    new_classes: frozenset[str]
    enums: dict[str, str]

    def relation(self, old: str, new: str) -> str:
        return relation(old, new, old_classes=self.old_classes, new_classes=self.new_classes, enums=self.enums)


@dataclass(frozen=True, slots=True)
class SdkChange:
    """An SDK change and what it explains: wire changes of `operation` at `site` (a location, or a
    location prefix when `prefix`), or of the property `alias` of the class `model`."""

    change: Change
    site: str | None = None
    prefix: bool = False
    model: str = ""
    alias: str = ""
    member: str = ""  # an enum member's value: explains the enum-value changes of fields typed by `model`


def compare_surfaces(old: Surface, new: Surface) -> list[SdkChange]:
    found: list[SdkChange] = []
    old_methods = {m.key: m for m in old.methods}
    new_methods = {m.key: m for m in new.methods}
    classes = _Types(old.names, new.names, {**old.enum_bases, **new.enum_bases})
    rejected = (
        {operation_key(op): why for op, why in old.skipped},
        {operation_key(op): why for op, why in new.skipped},
    )
    for key in sorted(old_methods.keys() | new_methods.keys()):
        before, after = old_methods.get(key), new_methods.get(key)
        if after is None and before is not None and key in rejected[1]:
            # Not a removal: the generator cannot make the new version (and says why when generating).
            found.append(_at(before, "sdk-method-not-generated", "", f"{before.spelling}()", new=rejected[1][key]))
        elif before is None and after is not None and key in rejected[0]:
            found.append(_at(after, "sdk-method-generated-again", "", f"{after.spelling}()", old=rejected[0][key]))
        elif after is None and before is not None:
            found.append(_at(before, "sdk-method-removed", "", f"{before.spelling}()", old=before.spelling))
        elif before is None and after is not None:
            found.append(_at(after, "sdk-method-added", "", f"{after.spelling}()", new=after.spelling))
        elif before is not None and after is not None:
            found.extend(_compare_methods(before, after, classes))
    hints = _rename_hints(old, new)
    found.extend(_compare_classes(old, new, classes, hints))
    found.extend(_compare_enums(old, new, hints))
    return found


def _rename_hints(old: Surface, new: Surface) -> dict[str, str]:
    """Old class name → new, where a field or argument that stayed names one class instead of another
    (`service_tier: CreateChatCompletionResponseServiceTier` → `ServiceTier`)."""
    old_names, new_names = old.names, new.names
    annotations: list[tuple[str, str]] = []
    new_classes = {c.name: c for c in new.classes}
    for model in old.classes:
        other = new_classes.get(model.name)
        if other is not None:
            now = {f.alias: f.annotation for f in other.fields}
            annotations += [(f.annotation, now[f.alias]) for f in model.fields if f.alias in now]
    new_methods = {m.key: m for m in new.methods}
    for method in old.methods:
        other_method = new_methods.get(method.key)
        if other_method is not None:
            annotations.append((method.returns, other_method.returns))
            passed = {(a.location, a.wire_name): a.annotation for a in other_method.arguments}
            annotations += [
                (a.annotation, passed[(a.location, a.wire_name)])
                for a in method.arguments
                if (a.location, a.wire_name) in passed
            ]
    hints: dict[str, str] = {}
    for before, after in annotations:
        if before == after:
            continue
        gone = set(re.findall(r"\w+", before)) - set(re.findall(r"\w+", after))
        came = set(re.findall(r"\w+", after)) - set(re.findall(r"\w+", before))
        gone &= old_names - new_names
        came &= new_names - old_names
        if len(gone) == 1 and len(came) == 1:
            hints.setdefault(gone.pop(), came.pop())
    return hints


def _at(
    method: Method, kind: str, site: str, python: str, *, old: object = None, new: object = None, prefix: bool = False
) -> SdkChange:
    return SdkChange(Change(kind, method.operation, site, old, new, python=python), site, prefix)


def call(method: Method, argument: Argument | None = None) -> str:
    """`client.chat.completions.update(metadata=…)`; a positional argument by name alone."""
    if argument is None:
        return f"{method.spelling}()"
    if argument.positional:
        return f"{method.spelling}({argument.name}, …)"
    return f"{method.spelling}({argument.name}=…)"


def argument_site(argument: Argument) -> str:
    """Where the wire diff reports the argument: `parameter query limit`, `request body .metadata`."""
    if argument.location == "body":
        return f"request body .{argument.wire_name}" if argument.wire_name else "request body"
    return f"parameter {argument.location} {argument.wire_name}"


def _compare_methods(old: Method, new: Method, classes: _Types) -> Iterator[SdkChange]:
    if old.spelling != new.spelling:
        yield _at(new, "sdk-method-renamed", "", f"{new.spelling}()", old=old.spelling, new=new.spelling)
    if old.stream and not new.stream:
        yield _at(new, "sdk-stream-variant-removed", "", f"{old.spelling}(stream=True)", old="stream=True")
    elif new.stream and not old.stream:
        yield _at(new, "sdk-stream-variant-added", "", f"{new.spelling}(stream=True)", new="stream=True")
    elif old.stream and new.stream:
        yield from _returns(new, "stream", old.stream, new.stream, classes)
    yield from _returns(new, "return", old.returns, new.returns, classes)
    yield from _compare_arguments(old, new, classes)


def _returns(method: Method, what: str, old: str, new: str, classes: _Types) -> Iterator[SdkChange]:
    how = classes.relation(old, new)
    if how == "same":
        return
    suffix = {"wider": "widened", "narrower": "narrowed", "renamed": "renamed", "other": "changed"}[how]
    if old == "None":  # nothing was returned: code that called it for its effect still works
        suffix = "added"
    python = f"{method.spelling}({'stream=True' if what == 'stream' else ''}) -> {new}"
    yield _at(method, f"sdk-{what}-type-{suffix}", "response", python, old=old, new=new, prefix=True)


def _compare_arguments(old: Method, new: Method, classes: _Types) -> Iterator[SdkChange]:
    before = {_argument_key(a, i): a for i, a in enumerate(old.arguments)}
    after = {_argument_key(a, i): a for i, a in enumerate(new.arguments)}
    old_body = [a for a in old.arguments if a.location == "body"]
    new_body = [a for a in new.arguments if a.location == "body"]
    whole_before = [a.name for a in old_body if not a.wire_name]
    whole_after = [a.name for a in new_body if not a.wire_name]
    if old_body and new_body and bool(whole_before) != bool(whole_after):
        # Keyword arguments became one `body=` argument (a body wrapped in oneOf, made an array...) or back.
        kind = "sdk-body-became-one-argument" if whole_after else "sdk-body-became-keywords"
        shown_old, shown_new = (", ".join(f"{a.name}=" for a in args) for args in (old_body, new_body))
        python = f"{new.spelling}({whole_after[0]}=…)" if whole_after else f"{new.spelling}({shown_new[:-1]}…)"
        yield _at(new, kind, "request body", python, old=shown_old, new=shown_new, prefix=True)
        before = {k: a for k, a in before.items() if a.location != "body"}
        after = {k: a for k, a in after.items() if a.location != "body"}
    for key, argument in before.items():
        site = argument_site(argument)
        if key not in after:
            yield _at(new, "sdk-argument-removed", site, call(old, argument), old=argument.name)
            continue
        now = after[key]
        if now.name != argument.name:
            kind = (
                "sdk-positional-argument-renamed" if argument.positional and now.positional else "sdk-argument-renamed"
            )
            yield _at(new, kind, site, call(new, now), old=argument.name, new=now.name)
        if now.required != argument.required:
            kind = "sdk-argument-became-required" if now.required else "sdk-argument-became-optional"
            yield _at(new, kind, site, call(new, now))
        how = classes.relation(argument.annotation, now.annotation)
        if how != "same":
            suffix = {"wider": "widened", "narrower": "narrowed", "renamed": "renamed", "other": "changed"}[how]
            python = call(new, now)
            yield _at(new, f"sdk-argument-type-{suffix}", site, python, old=argument.annotation, new=now.annotation)
    for key, argument in after.items():
        if key not in before:
            kind = "sdk-argument-added-required" if argument.required else "sdk-argument-added-optional"
            yield _at(new, kind, argument_site(argument), call(new, argument), new=argument.annotation)


def _argument_key(argument: Argument, index: int) -> tuple[str, str]:
    """Positional arguments by position (a renamed path parameter is the same argument); the rest by
    where they go on the wire and their name there."""
    return ("path", f"#{index}") if argument.positional else (argument.location, argument.wire_name)


def _compare_classes(old: Surface, new: Surface, classes: _Types, hints: dict[str, str]) -> Iterator[SdkChange]:
    before = {c.name: c for c in old.classes}
    after = {c.name: c for c in new.classes}
    removed = [before[n] for n in sorted(before.keys() - after.keys())]
    added = [after[n] for n in sorted(after.keys() - before.keys())]
    renamed = _renames(
        removed, added, lambda c: tuple(sorted((f.alias, f.annotation, f.required) for f in c.fields)), hints
    )
    for was, now in renamed:
        yield _model(now.name, "", "sdk-class-renamed", now.name, old=was.name, new=now.name)
        yield from _compare_fields(was, now, classes)
    paired = {c.name for pair in renamed for c in pair}
    for name in sorted(before.keys() | after.keys()):
        if name in paired:
            continue
        if name not in after:
            yield _model(name, "", "sdk-class-removed", name, old=name)
        elif name not in before:
            yield _model(name, "", "sdk-class-added", name, new=name)
        else:
            yield from _compare_fields(before[name], after[name], classes)


_Named = TypeVar("_Named", ModelClass, EnumClass)


def _renames(
    removed: list[_Named], added: list[_Named], shape: Callable[[_Named], Hashable], hints: dict[str, str]
) -> list[tuple[_Named, _Named]]:
    """Classes that changed name: the same place in the spec (an inline schema named anew), a field or
    argument that names the new one where it named the old, or the same non-empty shape (a component
    renamed, an inline enum moved into a component)."""
    pairs: list[tuple[_Named, _Named]] = []
    left, right = list(removed), list(added)
    hinted: Callable[[_Named], Hashable] = lambda c: hints.get(c.name, c.name)  # noqa: E731
    for key in (lambda c: c.pointer, hinted, shape):
        for was in list(left):
            wanted = key(was)
            now = next((c for c in right if wanted and key(c) == wanted), None)
            if now is not None:
                pairs.append((was, now))
                left.remove(was)
                right.remove(now)
    return pairs


def _model(model: str, alias: str, kind: str, python: str, *, old: object = None, new: object = None) -> SdkChange:
    return SdkChange(Change(kind, "", "", old, new, python=python), model=model, alias=alias)


def _compare_fields(old: ModelClass, new: ModelClass, classes: _Types) -> Iterator[SdkChange]:
    before = {f.alias: f for f in old.fields}
    after = {f.alias: f for f in new.fields}
    for alias, was in before.items():
        python = f"{new.name}.{was.name}"
        if alias not in after:
            yield _model(new.name, alias, "sdk-field-removed", python, old=was.annotation)
            continue
        now = after[alias]
        if now.name != was.name:
            yield _model(new.name, alias, "sdk-field-renamed", f"{new.name}.{now.name}", old=was.name, new=now.name)
        how = classes.relation(was.annotation, now.annotation)
        if how != "same":
            suffix = {"wider": "widened", "narrower": "narrowed", "renamed": "renamed", "other": "changed"}[how]
            yield _model(new.name, alias, f"sdk-field-type-{suffix}", python, old=was.annotation, new=now.annotation)
    for alias, now in after.items():
        if alias not in before:
            yield _model(new.name, alias, "sdk-field-added", f"{new.name}.{now.name}", new=now.annotation)


def _compare_enums(old: Surface, new: Surface, hints: dict[str, str]) -> Iterator[SdkChange]:
    before: dict[str, EnumClass] = {e.name: e for e in old.enums}
    after: dict[str, EnumClass] = {e.name: e for e in new.enums}
    removed = [before[n] for n in sorted(before.keys() - after.keys())]
    added = [after[n] for n in sorted(after.keys() - before.keys())]
    renamed = _renames(removed, added, lambda e: frozenset(e.values), hints)
    for was, now in renamed:
        yield _model(now.name, "", "sdk-enum-renamed", now.name, old=was.name, new=now.name)
        yield from _compare_members(was, now)
    paired = {e.name for pair in renamed for e in pair}
    for name in sorted(before.keys() | after.keys()):
        if name in paired:
            continue
        if name not in after:
            yield _model(name, "", "sdk-enum-removed", name, old=name)
        elif name not in before:
            yield _model(name, "", "sdk-enum-added", name, new=name)
        else:
            yield from _compare_members(before[name], after[name])


def _compare_members(old: EnumClass, new: EnumClass) -> Iterator[SdkChange]:
    for value in old.values:
        if value not in new.values:
            change = _model(new.name, "", "sdk-enum-member-removed", f"{new.name}.{value}", old=value).change
            yield SdkChange(change, model=new.name, member=value)
    for value in new.values:
        if value not in old.values:
            change = _model(new.name, "", "sdk-enum-member-added", f"{new.name}.{value}", new=value).change
            yield SdkChange(change, model=new.name, member=value)
