"""Prose from the spec, fitted to the line length: descriptions become docstrings that fit.

Input: description text (Markdown, as specs write it). Output: the same text with every line
longer than the width wrapped at word boundaries, indentation kept. Nothing is joined, so a spec
that wraps its own prose stays as written; fenced code and tables are left alone, and a word
longer than the width (a URL) gets a line of its own rather than being broken.
"""

from __future__ import annotations

import functools
import textwrap
from typing import Any

WIDTH = 100  # leaves room for the docstring's indentation under a 120-character line
_DATA_KEYS = frozenset({"default", "enum", "const", "examples", "example"})  # values, not schemas
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "schemas"})


@functools.lru_cache(maxsize=8192)  # a method's sync and async twins wrap the same prose
def wrap(text: str, width: int = WIDTH) -> str:
    out: list[str] = []
    fenced = False
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or len(line) <= width or stripped.startswith("|"):
            out.append(line)
            continue
        indent = line[: len(line) - len(stripped)]
        bullet = stripped[:2] if stripped[:2] in ("- ", "* ", "+ ") else ""
        out.extend(
            textwrap.wrap(
                stripped,
                width=width,
                initial_indent=indent,
                subsequent_indent=indent + " " * len(bullet),
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [line]
        )
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def wrap_descriptions(node: Any, *, names: bool = False) -> Any:
    """A JSON Schema with every `description` wrapped (`names`: the keys of `node` are property names)."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if not names and key == "description" and isinstance(value, str):
                out[key] = wrap(value)
            elif not names and key in _DATA_KEYS:
                out[key] = value
            else:
                out[key] = wrap_descriptions(value, names=not names and key in _NAME_MAPS)
        return out
    if isinstance(node, list):
        return [wrap_descriptions(item) for item in node]
    return node
