"""Lay models.py out as black would, so that black's first pass finds little to change (the client's
templates print black's layout themselves: `layout.py`).

Input: models.py as the models stage and `render_models` wrote it. Output: the same code with the
changes black itself would make to it, where they are certain:
- a single-quoted string without quote characters in it gets double quotes;
- a class docstring loses the trailing spaces of its lines and is followed by one blank line;
- a line longer than black's limit is split as black splits it first: inside its last pair of
  brackets (`class Name(\n    Base\n):`, `field: Annotated[\n    T, Field(...)\n] = None`), or an
  assigned string is put in parentheses; only where what goes inside then fits on one line.

Black still formats the result, so anything not certain is left as it is for black; the point is
speed: black formats a statement twice when its first pass changes it, once when it does not.
Strings and comments are found with one compiled regex (Python's `tokenize` costs more than it
saves here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A comment or a string (prefix, then a triple-quoted, one-line single- or double-quoted body), in
# the order Python reads them, so that a quote inside another string or a comment is never taken
# for the start of one.
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?<![\w])(?P<prefix>[rRbBuUfF]{0,2})
      (?:
          (?P<triple>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
        | (?P<single>'(?:[^'\\\n]|\\.)*')
        | (?P<double>"(?:[^"\\\n]|\\.)*")
      )
    """,
    re.VERBOSE | re.DOTALL,
)
# A `class ...:` line, then the indentation of its first statement.
_CLASS_HEAD = re.compile(r"(?:^|\n)([ ]*)class [^\n]*:\n([ ]+)\Z")
# In one line of code: a string, a bracket, a comma, a `|`, a `=`, or the start of a comment.
_LINE_TOKEN = re.compile(r"""[rRbBuUfF]{0,2}(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|[\[\](){},|=#]""")
_CLOSING = {"(": ")", "[": "]", "{": "}"}
_ANY_BRACKET = re.compile(r"[\[\](){}]")
# A statement black splits at its last brackets: a class with its bases, a call (`mark_deprecated(...)`
# or `Name = TypeAliasType(...)`).
_CLASS = re.compile(r"(class \w+\()(.*)(\):)\Z")
_CALL = re.compile(r"((?:[A-Za-z_]\w* = )?[A-Za-z_]\w*\()(.*)(\))\Z")
# A field: name, annotation, and a default simple enough to need no split of its own.
_FIELD = re.compile(
    r"([A-Za-z_]\w*: )(.*?)( = (?:None|True|False|-?[0-9][0-9.e+-]*|[A-Za-z_][\w.]*|\"[^\"\\]*\"|\[[\w.]*\]))?\Z"
)
# A name or call with its brackets, alone: what black splits inside its brackets.
_SUBSCRIPT = re.compile(r"([A-Za-z_][\w.]*[\[(])(.*)([\])])\Z")
# A comma right before a closing bracket: black splits that bracket one element a line.
_MAGIC_COMMA = re.compile(r",\s*[\])}]")
_STRING = re.compile(r"""[rRbBuUfF]{0,2}(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
# What black cannot split: a name, a string, a keyword argument that is a string.
_ATOM = re.compile(r"(?:[A-Za-z_]\w*=)?(?:[A-Za-z_][\w.]*|\"(?:[^\"\\]|\\.)*\")\Z")
# An enum member or other name assigned one string.
_ASSIGNED_STRING = re.compile(r"([A-Za-z_]\w* = )(\"(?:[^\"\\]|\\.)*\")\Z")
LINE_LENGTH = 100  # black's, as `format.MODE` sets it


def black_layout(code: str) -> str:
    out: list[str] = []
    done = 0  # how much of `code` is in `out`
    written = 0  # how long `out` is
    docstrings: list[tuple[int, int]] = []  # where the triple-quoted strings are in `out`
    for match in _TOKEN.finditer(code):
        start, end = match.span()
        if match.group("prefix"):
            continue
        if match.group("single") is not None:
            body = match.group()[1:-1]
            if '"' not in body and "'" not in body:
                out.append(code[done:start])
                out.append(f'"{body}"')
                written += start - done + end - start
                done = end
        elif match.group("triple") is not None:
            text = match.group()
            line = code.rfind("\n", 0, start)  # the end of the line before the string's
            head = _CLASS_HEAD.search(code, max(0, code.rfind("\n", 0, line)), start) if line > 0 else None
            if head is not None and len(head.group(2)) > len(head.group(1)):
                text = _class_docstring(text, code, end, indent=head.group(2))
            out.append(code[done:start])
            out.append(text)
            written += start - done
            docstrings.append((written, written + len(text)))
            written += len(text)
            done = end
    out.append(code[done:])
    return _split_long_lines("".join(out), docstrings)


def _split_long_lines(code: str, strings: list[tuple[int, int]]) -> str:
    """Every line longer than the limit that is a whole statement (not inside brackets a line before
    opened, nor inside one of the triple-quoted `strings`), split as black would split it first,
    when that is certain (`_split`)."""
    if all(len(line) <= LINE_LENGTH for line in code.split("\n")):
        return code
    out: list[str] = []
    offset = 0
    index = 0  # the first triple-quoted string not yet behind
    depth = 0  # brackets open at the start of the line
    for line in code.split("\n"):
        while index < len(strings) and strings[index][1] <= offset:
            index += 1
        if index < len(strings) and strings[index][0] < offset + len(line):  # in a docstring
            out.append(line)
        else:
            out.append(_split(line) if depth == 0 and len(line) > LINE_LENGTH else line)
            if _ANY_BRACKET.search(line):
                depth += _depth(line)
        offset += len(line) + 1
    return "\n".join(out)


def _split(line: str) -> str:
    """One long statement line laid out as black lays it out, or as it is when unsure."""
    indent = line[: len(line) - len(line.lstrip(" "))]
    statement = line[len(indent) :]
    if _parts(statement, "#") != [statement] or _MAGIC_COMMA.search(_blank_strings(statement)):
        return line  # a comment (black may move it), a trailing comma (black splits there): left to black
    lines = _statement(indent, statement)
    return line if lines is None else "\n".join(lines)


def _statement(indent: str, statement: str) -> list[str] | None:
    inner = indent + "    "
    if (assigned := _ASSIGNED_STRING.match(statement)) is not None:
        # An assigned string goes in parentheses when that makes it fit; else it stays as it is.
        value = assigned.group(2)
        if len(inner) + len(value) > LINE_LENGTH:
            return None
        return [f"{indent}{assigned.group(1)}(", inner + value, f"{indent})"]
    if (split := _CLASS.match(statement) or _CALL.match(statement)) is not None:
        head, body, tail = split.groups()
        if not _balanced(body) or (split.re is _CALL and len(indent) + len(head) > LINE_LENGTH):
            return None
        return _around(indent, head, body, tail)
    if (field := _FIELD.match(statement)) is not None:
        return _field(indent, *field.groups())
    return None


def _field(indent: str, name: str, annotation: str, default: str | None) -> list[str] | None:
    """`name: annotation = default`: the default in parentheses when the line up to them fits (a
    list of one name split inside its brackets); else split inside the annotation's brackets when
    it is one subscript (`Annotated[...]`), or the annotation in parentheses when it then fits or
    can be split at its `|`."""
    if not _balanced(annotation) or len(_parts(annotation, "=")) > 1:  # a default this does not split
        return None
    inner = indent + "    "
    if default is not None and len(indent) + len(name) + len(annotation) + len(" = (") <= LINE_LENGTH:
        if default == " = []":
            return None
        if default.startswith(" = ["):
            return [f"{indent}{name}{annotation} = [", inner + default[4:-1], f"{indent}]"]
        return [f"{indent}{name}{annotation}{default[:3]}(", inner + default[3:], f"{indent})"]
    tail = default or ""
    if tail.startswith(" = [") and tail != " = []":
        return None
    subscript = _SUBSCRIPT.match(annotation)
    if subscript is not None and _balanced(subscript.group(2)) and len(_parts(annotation, "|")) == 1:
        head, body, close = subscript.groups()
        return _around(indent, name + head, body, close + tail)
    if _ATOM.match(annotation) and len(inner) + len(annotation) > LINE_LENGTH:
        return None  # black leaves a name too long for any line as it is
    return _around(indent, name + "(", annotation, ")" + tail)


def _around(indent: str, head: str, body: str, tail: str) -> list[str] | None:
    """`head` and `tail` around a bracket's content one level deeper: on one line if it fits, else
    an element a line, each with a comma."""
    lines = _content(indent + "    ", body)
    if lines is None or len(indent) + len(tail) > LINE_LENGTH:
        return None
    return [indent + head, *lines, indent + tail]


def _content(indent: str, body: str) -> list[str] | None:
    if len(indent) + len(body) <= LINE_LENGTH:
        return [indent + body]
    elements = _parts(body, ",")
    if len(elements) == 1:
        return _element(indent, body, "")
    if elements[-1] == "":  # a trailing comma already there: black keeps the split it asks for
        return None
    lines: list[str] = []
    for element in elements:
        element_lines = _element(indent, element, ",")
        if element_lines is None:
            return None
        lines.extend(element_lines)
    return lines


def _element(indent: str, element: str, comma: str, lead: str = "") -> list[str] | None:
    """One element of a bracket's content (after `lead`: the `| ` of an alternative), split as black
    splits it: at each top-level `|`, else inside its brackets; a name or string that cannot be
    split stays whole, however long."""
    if len(indent) + len(lead) + len(element) + len(comma) <= LINE_LENGTH or _ATOM.match(element):
        return [indent + lead + element + comma]
    alternatives = _parts(element, "|")
    if len(alternatives) > 1 and not lead:
        lines: list[str] = []
        for index, alternative in enumerate(alternatives):
            last = index == len(alternatives) - 1
            alternative_lines = _element(indent, alternative, comma if last else "", "| " if index else "")
            if alternative_lines is None:
                return None
            lines.extend(alternative_lines)
        return lines
    subscript = _SUBSCRIPT.match(element)
    if subscript is None or not _balanced(subscript.group(2)):
        return None
    head, body, close = subscript.groups()
    return _around(indent, lead + head, body, close + comma)


def _parts(text: str, separator: str) -> list[str]:
    """`text` cut at each `separator` outside brackets and strings, the parts stripped."""
    parts: list[str] = []
    start = 0
    for match, depth in _tokens(text):
        if match.group() == separator and depth == 0:
            parts.append(text[start : match.start()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return parts


def _depth(text: str) -> int:
    """Brackets `text` opens less those it closes, outside strings."""
    return sum(_step(match.group()) for match in _LINE_TOKEN.finditer(text))


def _tokens(text: str) -> Iterator[tuple[re.Match[str], int]]:
    """Each bracket, separator or string of `text`, with the bracket depth before it."""
    depth = 0
    for match in _LINE_TOKEN.finditer(text):
        yield match, depth
        depth += _step(match.group())


def _step(piece: str) -> int:
    return 1 if piece in _CLOSING else -1 if piece in ")]}" else 0


def _blank_strings(text: str) -> str:
    return _STRING.sub('""', text)


def _balanced(text: str) -> bool:
    """Every bracket in `text` closed by its own kind, in order, outside strings."""
    stack: list[str] = []
    for match in _LINE_TOKEN.finditer(text):
        piece = match.group()
        if piece in _CLOSING:
            stack.append(_CLOSING[piece])
        elif piece in ")]}" and (not stack or stack.pop() != piece):
            return False
    return not stack


def _class_docstring(docstring: str, code: str, end: int, *, indent: str) -> str:
    """A class docstring that starts on its own line, as black writes it: trailing spaces stripped
    (not on the last line, which holds the indentation of the closing quotes), one blank line
    after it when a statement of the class follows. Left as it is when black would re-indent it or
    skip it (tabs, backslash-newline, lines indented less than the class body)."""
    if "\t" in docstring or re.search(r"\\\s*\n", docstring) or not docstring.startswith('"""\n'):
        return docstring
    lines = docstring.split("\n")
    if any(line.strip() and not line.startswith(indent) for line in lines[1:]):
        return docstring
    if lines[-1] != indent + '"""':
        return docstring
    stripped = "\n".join([lines[0], *(line.rstrip() for line in lines[1:-1]), lines[-1]])
    follows = code[end : end + len(indent) + 2]
    if follows.startswith("\n" + indent) and not follows[1 + len(indent) :].isspace():
        stripped += "\n"
    return stripped
