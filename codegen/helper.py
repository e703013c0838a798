"""A helper process, forked at the start of a run, that does one piece of work on the other core.

The models stage imports datamodel-code-generator, about 0.25 s of CPU before it does anything, and
its input, the IR, needs the spec read first. Forked before either, a helper imports what its work
will import (`warm`) while this process reads the spec and builds the IR, then does the work when
handed its arguments (pickled; the result comes back the same way) while this process goes on
with the rest. The work is the function object given at the fork, so the helper runs exactly what
this process would have run.

`Helper.fork` returns None where forking is not safe or cheap (not Linux; other threads running,
whose locks a child would inherit held), where there is no second core, or when it is not wanted
(`CODEGEN_HELPER=0`): the caller then does the work itself, with the same result.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .errors import CodegenError

T = TypeVar("T")


class Helper(Generic[T]):
    """One forked process that runs `work` once; `close()` ends it whether or not it was used."""

    def __init__(self, process: Any, connection: Any) -> None:
        self.process, self.connection = process, connection

    @classmethod
    def fork(cls, work: Callable[..., T], *, warm: tuple[str | Callable[[], object], ...] = ()) -> Helper[T] | None:
        """`warm`: modules to import (or functions to call) before the work's arguments arrive."""
        if not worth_forking():
            return None
        import multiprocessing

        context = multiprocessing.get_context("fork")
        connection, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(work, warm, theirs), daemon=True)
        process.start()
        theirs.close()
        return cls(process, connection)

    def submit(self, *args: Any, **kwargs: Any) -> Callable[[], T]:
        """Hand the work its arguments; what is returned waits for the result (or raises what the work raised)."""
        self.connection.send((args, kwargs))

        def result() -> T:
            try:
                outcome, value = self.connection.recv()
            except EOFError:
                self.close()
                raise RuntimeError(f"the helper process ended with status {self.process.exitcode}") from None
            if outcome == "problems":
                raise CodegenError(value)
            if outcome != "ok":
                raise value if isinstance(value, BaseException) else RuntimeError(value)
            result: T = value
            return result

        return result

    def close(self) -> None:
        """End the process, used or not."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def worth_forking() -> bool:
    """Whether a helper process can be forked safely (Linux, no other thread) and has a core to run on."""
    if sys.platform != "linux" or threading.active_count() > 1 or os.environ.get("CODEGEN_HELPER") == "0":
        return False
    return len(os.sched_getaffinity(0)) > 1


def _serve(work: Callable[..., Any], warm: tuple[str | Callable[[], object], ...], connection: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is the parent's to handle; it ends this one
    for name in warm:
        try:
            name() if callable(name) else importlib.import_module(name)
        except Exception:  # noqa: S112 - the work will meet the same error and report it
            continue
    try:
        args, kwargs = connection.recv()
    except EOFError:  # not needed after all
        return
    try:
        connection.send(("ok", work(*args, **kwargs)))
    except CodegenError as exc:
        connection.send(("problems", exc.problems))
    except Exception as exc:
        try:
            connection.send(("raised", exc))
        except Exception:  # an exception that does not pickle: its type and message
            connection.send(("raised", f"{type(exc).__name__}: {exc}".splitlines()[0][:200]))
    finally:
        connection.close()
