"""Cut a spec down to some operations and what they reference.

Input: a whole OpenAPI document and operationIds. Output: a smaller, valid document with
only those operations, the components they reach (transitively) and the tags and security
schemes they use. Order follows the source, so a pruned file diffs cleanly against the next.
"""

from __future__ import annotations

from typing import Any

from .errors import CodegenError
from .refs import escape, ref_closure, split_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def find_operations(spec: dict[str, Any], operation_ids: list[str], *, source: str) -> dict[str, tuple[str, str]]:
    """Map each operationId to its (path, method); unknown ids are an error naming them all."""
    found: dict[str, tuple[str, str]] = {}
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = (item or {}).get(method)
            if isinstance(op, dict) and op.get("operationId") in operation_ids:
                found[op["operationId"]] = (path, method)
    missing = [op_id for op_id in operation_ids if op_id not in found]
    if missing:
        raise CodegenError.at(source, "/paths", f"no operation with operationId {', '.join(map(repr, missing))}")
    return found


def prune(spec: dict[str, Any], operation_ids: list[str], *, source: str) -> dict[str, Any]:
    wanted = find_operations(spec, operation_ids, source=source)
    keep = set(wanted.values())
    paths: dict[str, Any] = {}
    for path, item in spec["paths"].items():
        kept = {
            key: value
            for key, value in item.items()
            if (key not in HTTP_METHODS and not key.startswith("x-")) or (path, key) in keep
        }
        if any(method in kept for method in HTTP_METHODS):
            paths[path] = kept

    roots = [(item, "/paths/" + escape(path)) for path, item in paths.items()]
    refs = ref_closure(spec, roots, source=source)
    used: dict[str, set[str]] = {}
    for ref in refs:
        tokens = split_pointer(ref)
        if len(tokens) == 3 and tokens[0] == "components":
            used.setdefault(tokens[1], set()).add(tokens[2])

    operations = [paths[path][method] for path, method in sorted(keep)]
    security = [spec.get("security") or []] + [op.get("security") or [] for op in operations]
    used.setdefault("securitySchemes", set()).update(name for reqs in security for req in reqs for name in req)
    tags = {tag for op in operations for tag in op.get("tags", [])}

    out: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "paths":
            out["paths"] = paths
        elif key == "components":
            components = {
                section: {name: entry for name, entry in entries.items() if name in used.get(section, set())}
                for section, entries in value.items()
                if isinstance(entries, dict)
            }
            out["components"] = {section: entries for section, entries in components.items() if entries}
        elif key == "tags":
            out["tags"] = [tag for tag in value if tag.get("name") in tags]
        elif key in ("webhooks",) or key.startswith("x-"):
            continue  # other operations' documentation; not part of this API surface
        else:
            out[key] = value
    return out
