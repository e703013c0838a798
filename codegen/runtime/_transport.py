"""The default transport under the client's own `httpx2.Client` / `httpx2.AsyncClient`: HTTP/1.1
with keep-alive, on plain sockets (sync) and asyncio protocols (async).

Why not httpx2's own: its pool (httpcore2 on h11, anyio) costs more CPU than the rest of a call,
and under concurrency it checks every pooled connection on every request event (bench/transports.py).
This one keeps httpx2's API: it is an `httpx2.BaseTransport` / `httpx2.AsyncBaseTransport`, so
redirects, event hooks, decompression and every error type stay httpx2's. It speaks HTTP/1.1 only,
without proxies: the client uses httpx2's own pool when the environment names a proxy, and an
`http_client` of your own can do HTTP/2, proxies or anything else httpx2 does.

    request ──► pool: an idle connection to the origin (stale or expired ones dropped), else a new one
            ──► one write (head + body), read the head, frame the body (Content-Length, chunked, or
                until close) ──► httpx2.Response whose stream hands the connection back when read

Errors are httpx2's: ConnectError / ConnectTimeout, WriteError / WriteTimeout, ReadError /
ReadTimeout, PoolTimeout, RemoteProtocolError (a response cut short, or not HTTP).
"""

from __future__ import annotations

import contextlib
import importlib
import select
import socket
import ssl
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

import httpx2

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncTransport", "SyncTransport", "httpx1_client"]

Origin = tuple[str, str, int]
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_HEAD = 256 * 1024  # bytes of status line and headers before we give up on a response
_READ_SIZE = 256 * 1024
_PAUSE_AT = 4 * 1024 * 1024  # async: stop reading from the socket while this much is unconsumed
_NO_BODY = frozenset({204, 304})


def _origin(url: httpx2.URL) -> Origin:
    scheme = url.scheme
    if scheme not in _DEFAULT_PORTS:
        raise httpx2.UnsupportedProtocol(f"Request URL has an unsupported protocol '{scheme}://'.")
    return scheme, url.host, url.port or _DEFAULT_PORTS[scheme]


def _context(transport: SyncTransport | AsyncTransport) -> ssl.SSLContext:
    """The TLS context, made on the first https connection (building one takes tens of ms)."""
    given = transport._ssl_context
    if not isinstance(given, ssl.SSLContext):
        given = transport._ssl_context = given() if given is not None else httpx2.create_ssl_context()
    return given


def _timeouts(request: httpx2.Request) -> dict[str, float | None]:
    timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
    return timeouts


def _request_head(request: httpx2.Request, chunked: bool) -> bytes:
    parts = [request.method.encode(), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
    for name, value in request.headers.raw:
        parts += (name, b": ", value, b"\r\n")
    parts.append(b"\r\n")
    return b"".join(parts)


def _request_body(request: httpx2.Request) -> tuple[bytes | None, bool]:
    """The whole body when it is in memory (None: stream it), and whether it goes chunked."""
    chunked = request.headers.get("transfer-encoding", "").lower() == "chunked"
    try:
        return request.content, chunked
    except httpx2.RequestNotRead:
        return None, chunked


def _chunk(data: bytes, chunked: bool) -> bytes:
    return b"%x\r\n%b\r\n" % (len(data), data) if chunked else data


class _Framing:
    """How a response body ends: after `length` bytes, at the zero chunk, or when the server closes."""

    __slots__ = ("_remaining", "_state", "done", "kind")

    def __init__(self, kind: str, length: int = 0) -> None:
        self.kind = kind  # "length", "chunked" or "close"
        self._remaining = length
        self._state = "size"
        self.done = kind == "length" and length == 0

    def take(self, buffer: bytearray) -> list[bytes]:
        """Move what belongs to the body out of `buffer`; sets `done` at its end."""
        out: list[bytes] = []
        if self.kind == "close":
            if buffer:
                out.append(bytes(buffer))
                del buffer[:]
            return out
        if self.kind == "length":
            n = min(self._remaining, len(buffer))
            if n:
                out.append(bytes(buffer[:n]))
                del buffer[:n]
                self._remaining -= n
            self.done = self._remaining == 0
            return out
        while not self.done:
            if self._state == "data":
                n = min(self._remaining, len(buffer))
                if n:
                    out.append(bytes(buffer[:n]))
                    del buffer[:n]
                    self._remaining -= n
                if self._remaining:
                    return out
                self._state = "crlf"
            end = buffer.find(b"\r\n")
            if end < 0:
                if len(buffer) > _MAX_HEAD:
                    raise httpx2.RemoteProtocolError("malformed chunked body")
                return out
            line = bytes(buffer[:end])
            del buffer[: end + 2]
            if self._state == "crlf":
                if line:
                    raise httpx2.RemoteProtocolError("malformed chunked body: no CRLF after a chunk")
                self._state = "size"
            elif self._state == "size":
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise httpx2.RemoteProtocolError(f"malformed chunk size {line[:40]!r}") from None
                if size < 0:
                    raise httpx2.RemoteProtocolError(f"malformed chunk size {line[:40]!r}")
                self._state, self._remaining = ("trailer", 0) if size == 0 else ("data", size)
            elif not line:  # the blank line after the trailers
                self.done = True
        return out

    def incomplete(self) -> httpx2.RemoteProtocolError:
        return httpx2.RemoteProtocolError(
            "peer closed connection without sending complete message body"
            + (f": {self._remaining} bytes missing" if self.kind == "length" else "")
        )


class _Head:
    __slots__ = ("framing", "headers", "keep_alive", "reason", "status")

    def __init__(
        self, status: int, reason: bytes, headers: list[tuple[bytes, bytes]], framing: _Framing, keep_alive: bool
    ) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self.framing = framing
        self.keep_alive = keep_alive


def _parse_head(buffer: bytearray, method: str) -> _Head | None:
    """The status line and headers at the start of `buffer` (removed from it); None: not all there yet."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        line_end = buffer.find(b"\r\n")
        first = bytes(buffer[: line_end if line_end >= 0 else 8])
        if len(first) >= 5 and not first.startswith(b"HTTP/"):
            raise httpx2.RemoteProtocolError(f"the server did not answer with HTTP: {first[:40]!r}")
        if len(buffer) > _MAX_HEAD:
            raise httpx2.RemoteProtocolError("response head too large")
        return None
    lines = bytes(buffer[:end]).split(b"\r\n")
    del buffer[: end + 4]
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or len(parts[1]) != 3 or not parts[1].isdigit():
        raise httpx2.RemoteProtocolError(f"malformed status line {lines[0][:60]!r}")
    status = int(parts[1])
    headers: list[tuple[bytes, bytes]] = []
    length: int | None = None
    chunked = False
    close = parts[0] == b"HTTP/1.0"
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip() or line[:1] in (b" ", b"\t"):
            raise httpx2.RemoteProtocolError(f"malformed header line {line[:60]!r}")
        value = value.strip()
        headers.append((name, value))
        lowered = name.lower()
        if lowered == b"content-length":
            if not value.isdigit() or (length is not None and int(value) != length):
                raise httpx2.RemoteProtocolError(f"malformed Content-Length {value[:40]!r}")
            length = int(value)
        elif lowered == b"transfer-encoding":
            chunked = value.lower().endswith(b"chunked")
        elif lowered == b"connection":
            tokens = value.lower()
            close = b"close" in tokens or (close and b"keep-alive" not in tokens)
    if method == "HEAD" or status in _NO_BODY or 100 <= status < 200:
        framing = _Framing("length", 0)
    elif chunked:
        framing = _Framing("chunked")
    elif length is not None:
        framing = _Framing("length", length)
    else:
        framing, close = _Framing("close"), True
    return _Head(status, parts[2] if len(parts) > 2 else b"", headers, framing, not close)


def _response(head: _Head, stream: Any) -> httpx2.Response:
    return httpx2.Response(
        head.status,
        headers=head.headers,
        stream=stream,
        extensions={"http_version": b"HTTP/1.1", "reason_phrase": head.reason},
    )


# -- sync ----------------------------------------------------------------------------------------


class _Connection:
    __slots__ = ("buffer", "idle_since", "origin", "sock", "timeout")

    def __init__(self, sock: socket.socket, origin: Origin) -> None:
        self.sock = sock
        self.origin = origin
        self.buffer = bytearray()
        self.idle_since = 0.0
        self.timeout: float | None = -1.0

    def settimeout(self, timeout: float | None) -> None:
        if timeout != self.timeout:
            self.sock.settimeout(timeout)
            self.timeout = timeout

    def reusable(self, now: float, expiry: float) -> bool:
        """Still open and quiet: a pooled connection the server closed (or wrote to) reads as ready."""
        if now - self.idle_since > expiry:
            return False
        try:
            ready, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return not ready

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class _SyncBody(httpx2.SyncByteStream):
    def __init__(self, transport: SyncTransport, connection: _Connection, head: _Head, request: httpx2.Request) -> None:
        self._transport = transport
        self._connection: _Connection | None = connection
        self._head = head
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        connection = self._connection
        if connection is None:
            return
        framing, buffer = self._head.framing, connection.buffer
        yield from framing.take(buffer)
        if not framing.done:
            connection.settimeout(_timeouts(self._request).get("read"))
        while not framing.done:
            data = self._transport._recv(connection, self._request)
            if not data:
                if framing.kind == "close":
                    framing.done = True
                    break
                self.close()
                raise framing.incomplete()
            buffer += data
            yield from framing.take(buffer)
        self._release(reuse=self._head.keep_alive and not buffer)

    def _release(self, *, reuse: bool) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._transport._release(connection, reuse=reuse)

    def close(self) -> None:
        self._release(reuse=False)


class SyncTransport(httpx2.BaseTransport):
    """HTTP/1.1 over a pool of keep-alive sockets, shared by threads."""

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | Callable[[], ssl.SSLContext] | None = None,
        max_keepalive_connections: int = 100,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self._ssl_context = ssl_context
        self._max_keepalive = max_keepalive_connections
        self._expiry = keepalive_expiry
        self._idle: dict[Origin, list[_Connection]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        origin = _origin(request.url)
        timeouts = _timeouts(request)
        body, chunked = _request_body(request)
        head = _request_head(request, chunked)
        connection = self._connect_or_reuse(origin, timeouts)
        try:
            connection.settimeout(timeouts.get("write"))
            try:
                if body is not None:
                    connection.sock.sendall(head + _chunk(body, chunked) + (b"0\r\n\r\n" if chunked and body else b""))
                else:
                    connection.sock.sendall(head)
                    for part in request.stream:  # type: ignore[union-attr]
                        if part:
                            connection.sock.sendall(_chunk(part, chunked))
                    if chunked:
                        connection.sock.sendall(b"0\r\n\r\n")
            except TimeoutError as exc:
                raise httpx2.WriteTimeout(str(exc) or "write timed out", request=request) from exc
            except OSError as exc:
                raise httpx2.WriteError(str(exc) or type(exc).__name__, request=request) from exc
            connection.settimeout(timeouts.get("read"))
            buffer = connection.buffer
            while True:
                parsed = _parse_head(buffer, request.method)
                if parsed is None:
                    data = self._recv(connection, request)
                    if not data:
                        raise httpx2.RemoteProtocolError("Server disconnected without sending a response.")
                    buffer += data
                    continue
                if 100 <= parsed.status < 200 and parsed.status != 101:
                    continue  # an interim response (100 Continue): the real one follows
                return _response(parsed, _SyncBody(self, connection, parsed, request))
        except BaseException:
            connection.close()
            raise

    def _recv(self, connection: _Connection, request: httpx2.Request) -> bytes:
        try:
            return connection.sock.recv(_READ_SIZE)
        except TimeoutError as exc:
            raise httpx2.ReadTimeout(str(exc) or "read timed out", request=request) from exc
        except OSError as exc:
            raise httpx2.ReadError(str(exc) or type(exc).__name__, request=request) from exc

    def _connect_or_reuse(self, origin: Origin, timeouts: dict[str, float | None]) -> _Connection:
        now = time.monotonic()
        with self._lock:
            idle = self._idle.get(origin)
            while idle:
                connection = idle.pop()
                if connection.reusable(now, self._expiry):
                    return connection
                connection.close()
        scheme, host, port = origin
        try:
            sock = socket.create_connection((host, port), timeout=timeouts.get("connect"))
        except TimeoutError as exc:
            raise httpx2.ConnectTimeout(str(exc) or "connect timed out") from exc
        except OSError as exc:
            raise httpx2.ConnectError(str(exc) or type(exc).__name__) from exc
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == "https":
                context = _context(self)
                sock = context.wrap_socket(sock, server_hostname=host)
        except TimeoutError as exc:
            sock.close()
            raise httpx2.ConnectTimeout(str(exc) or "TLS handshake timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            sock.close()
            raise httpx2.ConnectError(str(exc) or type(exc).__name__) from exc
        connection = _Connection(sock, origin)
        connection.timeout = timeouts.get("connect")
        return connection

    def _release(self, connection: _Connection, *, reuse: bool) -> None:
        if reuse and not self._closed:
            connection.idle_since = time.monotonic()
            with self._lock:
                idle = self._idle.setdefault(connection.origin, [])
                if sum(map(len, self._idle.values())) < self._max_keepalive:
                    idle.append(connection)
                    return
        connection.close()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()


# -- async ---------------------------------------------------------------------------------------


class _Protocol:
    """One connection's asyncio protocol: buffers what arrives and wakes the reader waiting for it."""

    def __init__(self, loop: asyncio.AbstractEventLoop, origin: Origin) -> None:
        self.loop = loop
        self.origin = origin
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.error: BaseException | None = None
        self.idle_since = 0.0
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False
        self._drain: asyncio.Future[None] | None = None

    # asyncio.Protocol
    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _PAUSE_AT and self.transport is not None and not self._paused:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False

    def connection_lost(self, exc: BaseException | None) -> None:
        self.eof = True
        self.error = exc
        self._wake()
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(None)

    def pause_writing(self) -> None:
        self._drain = self.loop.create_future()

    def resume_writing(self) -> None:
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(None)
        self._drain = None

    # ours
    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def consumed(self) -> None:
        if self._paused and len(self.buffer) < _PAUSE_AT // 2 and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()

    async def wait(self, timeout: float | None, request: httpx2.Request, *, writing: bool = False) -> None:
        """Until more data arrives, the peer closes, or `timeout` passes (ReadTimeout)."""
        waiter = self._drain if writing else self.loop.create_future()
        if waiter is None:
            return
        if not writing:
            self._waiter = waiter
        timer = self.loop.call_later(timeout, _expire, waiter) if timeout is not None else None
        try:
            await waiter
        except TimeoutError:
            if writing:
                raise httpx2.WriteTimeout("write timed out", request=request) from None
            raise httpx2.ReadTimeout("read timed out", request=request) from None
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    def reusable(self, now: float, expiry: float) -> bool:
        return (
            not self.eof
            and not self.buffer
            and self.transport is not None
            and not self.transport.is_closing()
            and now - self.idle_since <= expiry
        )

    def close(self) -> None:
        if self.transport is not None:
            with contextlib.suppress(RuntimeError):  # its event loop is closed
                self.transport.close()


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class _AsyncBody(httpx2.AsyncByteStream):
    def __init__(self, transport: AsyncTransport, connection: _Protocol, head: _Head, request: httpx2.Request) -> None:
        self._transport = transport
        self._connection: _Protocol | None = connection
        self._head = head
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            return
        framing, buffer = self._head.framing, connection.buffer
        for part in framing.take(buffer):
            yield part
        read_timeout = _timeouts(self._request).get("read")
        while not framing.done:
            if connection.eof and not buffer:
                if framing.kind == "close" and connection.error is None:
                    framing.done = True
                    break
                self._release(reuse=False)
                if connection.error is not None and framing.kind == "close":
                    raise httpx2.ReadError(str(connection.error), request=self._request)
                raise framing.incomplete()
            if not buffer:
                await connection.wait(read_timeout, self._request)
            for part in framing.take(buffer):
                yield part
            connection.consumed()
        self._release(reuse=self._head.keep_alive and not buffer)

    def _release(self, *, reuse: bool) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._transport._release(connection, reuse=reuse)

    async def aclose(self) -> None:
        self._release(reuse=False)


class AsyncTransport(httpx2.AsyncBaseTransport):
    """HTTP/1.1 over a pool of keep-alive asyncio connections: at most `max_connections` open,
    requests beyond that wait for one (up to the pool timeout)."""

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | Callable[[], ssl.SSLContext] | None = None,
        max_connections: int = 100,
        max_keepalive_connections: int = 100,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self._ssl_context = ssl_context
        self._max_connections = max_connections
        self._max_keepalive = max_keepalive_connections
        self._expiry = keepalive_expiry
        self._idle: dict[Origin, list[_Protocol]] = {}
        self._idle_count = 0
        self._open = 0
        self._waiters: list[asyncio.Future[None]] = []
        self._closed = False

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        origin = _origin(request.url)
        timeouts = _timeouts(request)
        body, chunked = _request_body(request)
        head = _request_head(request, chunked)
        connection = await self._connect_or_reuse(origin, timeouts, request)
        try:
            transport = connection.transport
            assert transport is not None
            if body is not None:
                transport.write(head + _chunk(body, chunked) + (b"0\r\n\r\n" if chunked and body else b""))
            else:
                transport.write(head)
                async for part in request.stream:  # type: ignore[union-attr]
                    if part:
                        transport.write(_chunk(part, chunked))
                        await connection.wait(timeouts.get("write"), request, writing=True)
                if chunked:
                    transport.write(b"0\r\n\r\n")
            await connection.wait(timeouts.get("write"), request, writing=True)
            read_timeout = timeouts.get("read")
            buffer = connection.buffer
            while True:
                parsed = _parse_head(buffer, request.method)
                if parsed is None:
                    if connection.eof:
                        if connection.error is not None:
                            raise httpx2.ReadError(str(connection.error) or "connection lost", request=request)
                        raise httpx2.RemoteProtocolError("Server disconnected without sending a response.")
                    await connection.wait(read_timeout, request)
                    continue
                if 100 <= parsed.status < 200 and parsed.status != 101:
                    continue
                return _response(parsed, _AsyncBody(self, connection, parsed, request))
        except BaseException:
            self._release(connection, reuse=False)
            raise

    async def _connect_or_reuse(
        self, origin: Origin, timeouts: dict[str, float | None], request: httpx2.Request
    ) -> _Protocol:
        import asyncio

        loop = asyncio.get_running_loop()
        while True:
            idle = self._idle.get(origin)
            now = loop.time()
            while idle:
                connection = idle.pop()
                self._idle_count -= 1
                if connection.loop is loop and connection.reusable(now, self._expiry):
                    return connection
                self._drop(connection)
            if self._open >= self._max_connections and self._idle_count:
                self._drop_one_idle()  # an idle connection to another origin makes room
            if self._open < self._max_connections:
                break
            waiter = loop.create_future()
            self._waiters.append(waiter)
            pool_timeout = timeouts.get("pool")
            timer = loop.call_later(pool_timeout, _expire, waiter) if pool_timeout is not None else None
            try:
                await waiter
            except TimeoutError:
                raise httpx2.PoolTimeout("no connection free in time", request=request) from None
            except BaseException:  # cancelled: a wake-up this waiter got goes to the next one
                if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                    self._wake_one()
                raise
            finally:
                if timer is not None:
                    timer.cancel()
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        self._open += 1
        scheme, host, port = origin
        context = _context(self) if scheme == "https" else None

        def protocol() -> asyncio.Protocol:  # duck-typed: asyncio is imported only once an async call needs it
            return cast("asyncio.Protocol", _Protocol(loop, origin))

        try:
            _, made = await asyncio.wait_for(
                loop.create_connection(
                    protocol,
                    host,
                    port,
                    ssl=context,
                    server_hostname=host if context is not None else None,
                ),
                timeouts.get("connect"),
            )
        except BaseException as exc:
            self._open -= 1
            self._wake_one()
            if isinstance(exc, TimeoutError):
                raise httpx2.ConnectTimeout(str(exc) or "connect timed out", request=request) from exc
            if isinstance(exc, (OSError, ssl.SSLError)):
                raise httpx2.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
            raise
        new = cast(_Protocol, made)
        sock = new.transport.get_extra_info("socket") if new.transport is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return new

    def _release(self, connection: _Protocol, *, reuse: bool) -> None:
        if reuse and not self._closed and self._idle_count < self._max_keepalive:
            connection.idle_since = connection.loop.time()
            self._idle.setdefault(connection.origin, []).append(connection)
            self._idle_count += 1
            self._wake_one()
        else:
            self._drop(connection)

    def _drop(self, connection: _Protocol) -> None:
        connection.close()
        self._open -= 1
        self._wake_one()

    def _drop_one_idle(self) -> None:
        for connections in self._idle.values():
            if connections:
                self._idle_count -= 1
                self._drop(connections.pop(0))
                return

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return

    async def aclose(self) -> None:
        self._closed = True
        idle, self._idle, self._idle_count = self._idle, {}, 0
        for connections in idle.values():
            for connection in connections:
                self._drop(connection)


# -- an httpx 0.28 client underneath -------------------------------------------------------------


def httpx1_client(client: Any) -> httpx2.Client | httpx2.AsyncClient | None:
    """An httpx2 client that sends every request through `client`, an `httpx.Client` or
    `httpx.AsyncClient` of httpx 0.28 (None when `client` is neither). Its base URL, headers,
    cookies, auth, event hooks, proxies, transport and redirect setting all still apply; httpx's
    errors become httpx2's of the same name, so retries and the client's exceptions are unchanged."""
    names = {(cls.__module__.split(".")[0], cls.__name__) for cls in type(client).__mro__}
    if ("httpx", "AsyncClient") in names:
        return httpx2.AsyncClient(transport=_AsyncHttpx1Transport(client), trust_env=False)
    if ("httpx", "Client") in names:
        return httpx2.Client(transport=_Httpx1Transport(client), trust_env=False)
    return None


def _httpx1_base_error() -> type[Exception]:
    """httpx's `HTTPError` (httpx is there: the client passed in is one of its clients). Imported by
    name so that type checkers do not follow it: a `mypy` of any program using the SDK would
    otherwise check httpx 0.28 and its httpcore too, about 80 modules, for this one class."""
    base: type[Exception] = importlib.import_module("httpx").HTTPError
    return base


def _httpx1_request(client: Any, request: httpx2.Request, content: Any) -> Any:
    return client.build_request(
        request.method,
        str(request.url),
        headers=[(name, value) for name, value in request.headers.raw if name.lower() != b"host"],
        content=content,
        extensions={"timeout": _timeouts(request)},
    )


def _httpx1_error(exc: Exception, request: httpx2.Request) -> Exception:
    """httpx's exception as httpx2's class of the same name (a TransportError when there is none)."""
    cls = getattr(httpx2, type(exc).__name__, None)
    if not (isinstance(cls, type) and issubclass(cls, httpx2.RequestError)):
        cls = httpx2.TransportError
    return cls(str(exc) or type(exc).__name__, request=request)


def _httpx1_response(response: Any, stream: Any) -> httpx2.Response:
    return httpx2.Response(
        response.status_code,
        headers=response.headers.raw,
        stream=stream,
        extensions={k: v for k, v in response.extensions.items() if k in ("http_version", "reason_phrase")},
    )


class _Httpx1Body(httpx2.SyncByteStream):
    def __init__(self, response: Any, request: httpx2.Request, errors: type[Exception]) -> None:
        self._response = response
        self._request = request
        self._errors = errors

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._response.iter_raw()
        except self._errors as exc:
            raise _httpx1_error(exc, self._request) from exc

    def close(self) -> None:
        self._response.close()


class _Httpx1Transport(httpx2.BaseTransport):
    def __init__(self, client: Any) -> None:
        self._client = client
        self._errors = _httpx1_base_error()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body, _ = _request_body(request)
        content = body if body is not None else iter(request.stream)  # type: ignore[arg-type]
        try:
            response = self._client.send(_httpx1_request(self._client, request, content), stream=True)
        except self._errors as exc:
            raise _httpx1_error(exc, request) from exc
        return _httpx1_response(response, _Httpx1Body(response, request, self._errors))


class _AsyncHttpx1Body(httpx2.AsyncByteStream):
    def __init__(self, response: Any, request: httpx2.Request, errors: type[Exception]) -> None:
        self._response = response
        self._request = request
        self._errors = errors

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.aiter_raw():
                yield chunk
        except self._errors as exc:
            raise _httpx1_error(exc, self._request) from exc

    async def aclose(self) -> None:
        await self._response.aclose()


class _AsyncHttpx1Transport(httpx2.AsyncBaseTransport):
    def __init__(self, client: Any) -> None:
        self._client = client
        self._errors = _httpx1_base_error()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body, _ = _request_body(request)
        content = body if body is not None else request.stream
        try:
            response = await self._client.send(_httpx1_request(self._client, request, content), stream=True)
        except self._errors as exc:
            raise _httpx1_error(exc, request) from exc
        return _httpx1_response(response, _AsyncHttpx1Body(response, request, self._errors))
