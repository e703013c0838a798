"""Where things go: the resource tree of the client, and for a large API the module of every
resource and of every model (pure).

Input: the IR's operations and models. Output: the `Resource` tree (with each resource's module
and the builtins its methods shadow) and the models with their `module` set.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Mapping
from typing import Any

from ..naming import dedupe, pascal
from ..refs import ref_values
from .nodes import Layout, Model, Operation, Resource
from .types import model_names

_DEFS = "#/$defs/"


def resource_tree(operations: list[Operation], layout: Layout) -> Resource:
    """The client and its resources; with layout "modules", each resource names its module
    (`chat.completions` → `chat_completions`, numbered in the rare case two paths join alike)."""
    paths = sorted({op.resource[:n] for op in operations for n in range(1, len(op.resource) + 1)})
    modules: dict[tuple[str, ...], str] = {}
    taken: set[str] = set()
    for path in paths:
        modules[path] = dedupe("_".join(path), taken) if layout == "modules" else ""
        taken.add(modules[path])

    def build(prefix: tuple[str, ...]) -> Resource:
        depth = len(prefix)
        children = sorted({p[depth] for p in paths if len(p) == depth + 1 and p[:depth] == prefix})
        mine = tuple(sorted((op for op in operations if op.resource == prefix), key=lambda op: op.name))
        return Resource(
            shadows=frozenset({op.name for op in mine} & SHADOWABLE),
            attribute=prefix[-1] if prefix else "",
            class_name="".join(pascal(p) for p in prefix) + "Resource" if prefix else "",
            children=tuple(build((*prefix, child)) for child in children),
            operations=mine,
            path=prefix,
            module=modules.get(prefix, ""),
        )

    return build(())


SHADOWABLE = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})  # what annotations spell
SHARED_MODULE = "_shared"  # models that operations of three or more top-level resources use
OTHER_MODULE = "_other"  # models no operation uses (components kept for completeness)
MODULE_CAP = 80  # models per module at most; a bigger group is cut, dependencies first


def place_models(models: tuple[Model, ...], operations: list[Operation], root: Resource) -> tuple[Model, ...]:
    """Decide each model's module from the operations that use it (directly or through other models):
    - one top-level resource: the module of the deepest resource whose operations include every
      user (`ChatCompletionMessage` → `chat_completions`);
    - two: `_shared_<a>_and_<b>`; more: `_shared`; none: `_other`.
    A model uses only models with at least its users, so imports go from a resource's module up to
    its ancestors and to shared modules, never back: no cycles. A group above MODULE_CAP models is
    cut into parts by dependency depth (`_cut`).
    """
    known = {m.name for m in models}
    refs = {m.name: schema_refs(m.schema) & known for m in models}
    users: dict[str, set[tuple[str, ...]]] = {m.name: set() for m in models}
    for op in operations:
        stack = sorted(_operation_models(op))
        seen: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen or name not in users:
                continue
            seen.add(name)
            users[name].add(op.resource)
            stack.extend(refs[name])
    modules: dict[tuple[str, ...], str] = {}
    nodes = [root]
    while nodes:
        node = nodes.pop()
        modules[node.path] = node.module or SHARED_MODULE
        nodes.extend(node.children)
    groups: dict[str, list[str]] = {}
    for m in models:
        tops = sorted({path[:1] for path in users[m.name]})
        if not tops:
            module = OTHER_MODULE
        elif len(tops) == 1:
            module = modules[_common_prefix(sorted(users[m.name]))]
        elif len(tops) == 2:
            module = f"{SHARED_MODULE}_{modules[tops[0]]}_and_{modules[tops[1]]}"
        else:
            module = SHARED_MODULE
        groups.setdefault(module, []).append(m.name)
    placed: dict[str, str] = {}
    for module, names in groups.items():
        for name, suffix in (_cut(names, refs) if len(names) > MODULE_CAP else dict.fromkeys(names, "")).items():
            placed[name] = module + suffix
    return tuple(dataclasses.replace(m, module=placed[m.name]) for m in models)


def _cut(names: list[str], refs: Mapping[str, set[str]]) -> dict[str, str]:
    """{name: module suffix} for a group above MODULE_CAP, stable under additions. Models get a
    depth (0: uses no other model of the group; else one more than the deepest it uses; a cycle
    shares one), so a model only uses models of lower depth or of its own cycle. Consecutive
    depths fill a part up to MODULE_CAP (`""` from depth 0, else `_<first depth>`); a depth too big
    alone is cut by a hash of each cycle's first name (`_<depth>_<bucket>`), which a new model
    elsewhere never changes. Parts import only parts of lower depth: no cycles."""
    components = _components(names, refs)
    depth: dict[str, int] = {}
    for component in components:  # dependencies first
        uses = {w for v in component for w in refs[v] if w in depth}
        level = 1 + max((depth[w] for w in uses), default=-1)
        depth.update((v, level) for v in component)
    levels: dict[int, list[list[str]]] = {}
    for component in components:
        levels.setdefault(depth[component[0]], []).append(component)
    suffix: dict[str, str] = {}
    run: list[str] = []
    start = 0
    for level in sorted(levels):
        members = [v for component in levels[level] for v in component]
        if len(members) > MODULE_CAP:
            buckets = -(-len(members) // MODULE_CAP)
            for component in levels[level]:
                bucket = zlib.crc32(component[0].encode()) % buckets + 1
                suffix.update((v, f"_{level}_{bucket}") for v in component)
            run, start = [], level + 1
            continue
        if len(run) + len(members) > MODULE_CAP:
            run, start = [], level
        run += members
        suffix.update((v, f"_{start}" if start else "") for v in members)
    return suffix


def _components(names: list[str], refs: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components (Tarjan) of the names' uses among themselves, each sorted,
    dependencies first; ties by name."""
    inside = set(names)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(refs[v] & inside):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            found.append(sorted(component))

    for name in sorted(names):
        if name not in index:
            visit(name)
    return found


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    first, last = paths[0], paths[-1]  # sorted: the common prefix of all is that of the extremes
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def schema_refs(node: Any) -> set[str]:
    return {ref.removeprefix(_DEFS) for ref in ref_values(node) if isinstance(ref, str) and ref.startswith(_DEFS)}


def _operation_models(op: Operation) -> set[str]:
    nodes = [op.returns, *(p.type for p in op.params)]
    endpoint = op.endpoint
    nodes += [n for n in (endpoint.response, endpoint.stream) if n is not None]
    nodes += [r.type for r in endpoint.responses if r.type is not None]
    names = {name for node in nodes for name in model_names(node)}
    return names | {n for n in (endpoint.body_model, endpoint.params_model) if n}
