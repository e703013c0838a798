"""Errors of the generator: each names the file and the place in it.

Input: a source path, a JSON pointer (or line) and a message.
Output: one line, `file#/json/pointer: message`, the only form the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input document."""

    source: str
    pointer: str
    message: str

    def __str__(self) -> str:
        where = (
            f"{self.source}#{self.pointer}"
            if self.pointer.startswith("/")
            else f"{self.source}:{self.pointer}"
            if self.pointer
            else self.source
        )
        return f"{where}: {self.message}"


class CodegenError(Exception):
    """A failure the user can fix in their input; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, source: str, pointer: str, message: str) -> CodegenError:
        return cls(Problem(source, pointer, message))
