"""A scripted raw-socket server on loopback, for faults an HTTP framework cannot produce.

`RawServer(script)` listens on 127.0.0.1 (a free port) and serves one connection at a time, in
order, from a thread. For each connection it first reads the request (head and `Content-Length`
body, bounded in time), records it, then does what the script says for that connection:

- `reset()`: close with SO_LINGER 0, so the client gets a TCP RST instead of a response;
- `hang()`: answer nothing, until the client gives up and closes (or `hang_limit` passes);
- `respond(data)`: write `data` (any bytes: a whole HTTP response, a truncated one) and close;
- `stall(data)`: write `data`, then hang as above (a response that stops half-way).

Connections beyond the script are recorded and reset. Every loop is bounded: the accept loop
polls a stop event and ends after `max_connections`; `stop()` closes the listening socket and
joins the thread with a timeout.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["Behaviour", "RawServer", "hang", "http_response", "reset", "respond", "stall"]

POLL = 0.02  # seconds; how often blocking loops look at the stop event


@dataclass(frozen=True)
class Behaviour:
    kind: Literal["reset", "hang", "respond", "stall"]
    data: bytes = b""


def reset() -> Behaviour:
    return Behaviour("reset")


def hang() -> Behaviour:
    return Behaviour("hang")


def respond(data: bytes) -> Behaviour:
    return Behaviour("respond", data)


def stall(data: bytes) -> Behaviour:
    return Behaviour("stall", data)


def http_response(
    status: int = 200,
    body: bytes = b"",
    *,
    headers: Mapping[str, str] | None = None,
    content_length: int | None = None,
    reason: str = "Whatever",
) -> bytes:
    """The bytes of an HTTP/1.1 response; `content_length` may lie (say more than `body` holds)."""
    lines = [f"HTTP/1.1 {status} {reason}", "Content-Type: application/json", "Connection: close"]
    lines.append(f"Content-Length: {len(body) if content_length is None else content_length}")
    lines.extend(f"{name}: {value}" for name, value in (headers or {}).items())
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Connection:
    request: bytes
    behaviour: Behaviour
    accepted_at: float


class RawServer:
    def __init__(
        self,
        script: Sequence[Behaviour] | Iterable[Behaviour],
        *,
        max_connections: int = 20,
        hang_limit: float = 5.0,
        read_limit: float = 2.0,
    ) -> None:
        self.script = list(script)
        self.max_connections = max_connections
        self.hang_limit = hang_limit
        self.read_limit = read_limit
        self.connections: list[Connection] = []
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(POLL)
        self.port: int = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name=f"rawserver:{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RawServer:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError(f"raw server thread did not stop within {timeout}s")

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- the server thread ------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._stop.is_set() and len(self.connections) < self.max_connections:
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:  # the listening socket was closed by stop()
                return
            try:
                self._handle(conn)
            except Exception as exc:  # recorded for the test to see; never kills the loop silently
                self.errors.append(exc)
            finally:
                conn.close()

    def _handle(self, conn: socket.socket) -> None:
        accepted_at = time.monotonic()
        conn.settimeout(POLL)
        request = self._read_request(conn)
        index = len(self.connections)
        behaviour = self.script[index] if index < len(self.script) else reset()
        self.connections.append(Connection(request, behaviour, accepted_at))
        if behaviour.kind == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        if behaviour.kind in ("respond", "stall"):
            conn.sendall(behaviour.data)
        if behaviour.kind in ("hang", "stall"):
            self._wait_for_close(conn)

    def _read_request(self, conn: socket.socket) -> bytes:
        """The request head and its Content-Length body, or what arrived within `read_limit`."""
        data = b""
        deadline = time.monotonic() + self.read_limit
        expected: int | None = None
        while not self._stop.is_set() and time.monotonic() < deadline:
            if expected is None and b"\r\n\r\n" in data:
                head, _, _ = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                expected = len(head) + 4 + length
            if expected is not None and len(data) >= expected:
                break
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        return data

    def _wait_for_close(self, conn: socket.socket) -> None:
        deadline = time.monotonic() + self.hang_limit
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                if not conn.recv(65536):
                    return  # the client closed its end
            except TimeoutError:
                continue
            except OSError:
                return
