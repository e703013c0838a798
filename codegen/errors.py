"""Errors and warnings of the generator: each names the file and the place in it.

Input: a source path, a JSON pointer (or line) and a message.
Output: one line, `file#/json/pointer: message`, the only form the CLI prints.

What makes the whole spec unusable is raised as a `CodegenError` (every problem found, then
stop). What only affects one keyword or operation is a warning: a stage records it in the
`Diagnostics` it is given, reads that part leniently and carries on.
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
        self.warnings: tuple[Problem, ...] = ()  # what was read leniently before the error stopped the run
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, source: str, pointer: str, message: str) -> CodegenError:
        return cls(Problem(source, pointer, message))


class InternalError(Exception):
    """A bug of the generator met while processing an input: reported in one line, exit status 3."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class Diagnostics:
    """The warnings of one run, collected by every stage that is given this object."""

    def __init__(self) -> None:
        self._warnings: list[Problem] = []

    def warn(self, source: str, pointer: str, message: str) -> None:
        self._warnings.append(Problem(source, pointer, message))

    def extend(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self._warnings.extend(problems)

    def truncate(self, count: int) -> None:
        """Forget what was recorded after the first `count` warnings (a stage that is run again)."""
        del self._warnings[count:]

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Sorted by file and pointer, duplicates dropped: the same on every run."""
        return tuple(sorted(set(self._warnings), key=lambda p: (p.source, p.pointer, p.message)))

    def __len__(self) -> int:
        return len(self._warnings)
