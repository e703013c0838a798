"""A loopback HTTP/1.1 server whose responses can stay open, for the streaming tests.

`StreamServer(reply)` listens on 127.0.0.1 (a free port) and gives each connection a thread, which
reads requests one after another (keep-alive; head and `Content-Length` body) and answers each with
`reply(request)`: a `Reply` whose body goes out whole, or in chunks (chunked transfer encoding, one
write each). A reply with `hold` then keeps the response open, its body unfinished, until the client
closes its end or `hold` seconds pass (a server-sent event stream nobody reads to the end).

It counts the connections open (`open_connections`, and the most at once: `peak`), so a test can
see the client give them back. Every loop is bounded: sockets poll a stop event, a held response
ends after `hold`, and `stop()` closes everything and joins the threads with a timeout.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["Reply", "Request", "StreamServer", "sse"]

POLL = 0.02  # seconds; how often blocking loops look at the stop event


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path and query
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""  # sent whole, with Content-Length, unless `chunks` is given
    content_type: str = "application/json"
    chunks: Sequence[bytes] | None = None  # sent chunked, one write each
    hold: float = 0.0  # after the chunks: keep the body open this long, or until the client closes
    headers: dict[str, str] = field(default_factory=dict)


def sse(*events: str, done: bool = True, hold: float = 0.0) -> Reply:
    """A `text/event-stream` reply: each `data:` payload one event (and chunk), then `[DONE]`."""
    chunks = [f"data: {event}\n\n".encode() for event in events] + ([b"data: [DONE]\n\n"] if done else [])
    return Reply(content_type="text/event-stream", chunks=chunks, hold=hold)


class StreamServer:
    def __init__(self, reply: Callable[[Request], Reply], *, max_connections: int = 400) -> None:
        self.reply = reply
        self.max_connections = max_connections
        self.requests: list[Request] = []
        self.errors: list[BaseException] = []
        self.open_connections = 0
        self.peak = 0
        self.accepted = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self._sock.settimeout(POLL)
        self.port: int = self._sock.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept, name=f"streamserver:{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StreamServer:
        self._acceptor.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._sock.close()
        deadline = time.monotonic() + timeout
        for thread in [self._acceptor, *self._threads]:
            thread.join(max(0.0, deadline - time.monotonic()))
        if any(thread.is_alive() for thread in [self._acceptor, *self._threads]):
            raise RuntimeError(f"stream server threads did not stop within {timeout}s")

    def __enter__(self) -> StreamServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_until_open_at_most(self, count: int, timeout: float = 5.0) -> int:
        """Poll until at most `count` connections are open (or `timeout`); the number open then."""
        deadline = time.monotonic() + timeout
        while self.open_connections > count and time.monotonic() < deadline:
            time.sleep(POLL)
        return self.open_connections

    # -- server threads ---------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set() and self.accepted < self.max_connections:
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by stop()
                return
            with self._lock:
                self.accepted += 1
                self.open_connections += 1
                self.peak = max(self.peak, self.open_connections)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(POLL)
        buffer = bytearray()
        try:
            while not self._stop.is_set():
                request = self._read_request(conn, buffer)
                if request is None:
                    return  # the client closed the connection (or we are stopping)
                self.requests.append(request)
                reply = self.reply(request)
                try:
                    if not self._answer(conn, reply):
                        return
                except OSError:  # the client closed the connection before the reply was out
                    return
        except Exception as exc:  # recorded for the test to see
            self.errors.append(exc)
        finally:
            conn.close()
            with self._lock:
                self.open_connections -= 1

    def _read_request(self, conn: socket.socket, buffer: bytearray) -> Request | None:
        while b"\r\n\r\n" not in buffer:
            if not self._receive(conn, buffer):
                return None
        head = bytes(buffer).partition(b"\r\n\r\n")[0]
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        del buffer[: len(head) + 4]
        while len(buffer) < length:
            if not self._receive(conn, buffer):
                return None
        body = bytes(buffer[:length])
        del buffer[:length]
        return Request(method, target, headers, body)

    def _receive(self, conn: socket.socket, buffer: bytearray) -> bool:
        """More bytes into `buffer`; False when the client closed or the server is stopping."""
        while not self._stop.is_set():
            try:
                data = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return False
            if not data:
                return False
            buffer += data
            return True
        return False

    def _answer(self, conn: socket.socket, reply: Reply) -> bool:
        """Send the reply; False when the connection is done (the client left a held response)."""
        lines = [f"HTTP/1.1 {reply.status} Whatever", f"Content-Type: {reply.content_type}"]
        lines += [f"{name}: {value}" for name, value in reply.headers.items()]
        if reply.chunks is None:
            lines.append(f"Content-Length: {len(reply.body)}")
            conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + reply.body)
            return True
        lines.append("Transfer-Encoding: chunked")
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        for chunk in reply.chunks:
            conn.sendall(b"%x\r\n%b\r\n" % (len(chunk), chunk))
        if reply.hold and self._client_leaves_within(conn, reply.hold):
            return False
        conn.sendall(b"0\r\n\r\n")
        return True

    def _client_leaves_within(self, conn: socket.socket, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                if not conn.recv(65536):
                    return True
            except TimeoutError:
                continue
            except OSError:
                return True
        return False
