"""The default transport (`_transport.py`): HTTP/1.1 framing, keep-alive and the pool, sync and async,
against loopback servers that answer exactly what each test scripts."""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import pytest

from openai_chat_sdk import AsyncClient, Client
from openai_chat_sdk._exceptions import APIConnectionError
from openai_chat_sdk._transport import AsyncTransport, SyncTransport
from openai_chat_sdk.models import ChatCompletion
from tests.support.rawserver import RawServer, hang, respond

KEY = "sk-transport"
POLL = 0.02


class KeepAliveServer:
    """Serves many requests per connection (head + Content-Length body each), answering
    `answer(n)` to the n-th request overall; `close_after` closes a connection after that many
    answers. Counts connections. Threads poll a stop event; `stop()` joins them."""

    def __init__(
        self, answer: Callable[[int], bytes], *, close_after: int | None = None, tls: ssl.SSLContext | None = None
    ) -> None:
        self.answer = answer
        self.close_after = close_after
        self.tls = tls
        self.connections = 0
        self.requests: list[bytes] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(POLL)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self._sock.getsockname()[1]}"
        self._threads = [threading.Thread(target=self._accept, daemon=True)]

    def __enter__(self) -> KeepAliveServer:
        self._threads[0].start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._sock.close()
        for thread in list(self._threads):
            thread.join(5)
            assert not thread.is_alive()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        if self.tls is not None:
            conn.settimeout(5)
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:
                conn.close()
                return
        conn.settimeout(POLL)
        buffer, answered = b"", 0
        with conn:
            while not self._stop.is_set():
                end = buffer.find(b"\r\n\r\n")
                if end >= 0:
                    head = buffer[:end].lower()
                    at = head.find(b"content-length:")
                    length = int(head[at + 15 :].split(b"\r\n", 1)[0]) if at >= 0 else 0
                    if len(buffer) >= end + 4 + length:
                        with self._lock:
                            self.requests.append(buffer[: end + 4 + length])
                            index = len(self.requests) - 1
                        buffer = buffer[end + 4 + length :]
                        conn.sendall(self.answer(index))
                        answered += 1
                        if self.close_after is not None and answered >= self.close_after:
                            return
                        continue
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                buffer += data


def response(body: bytes, *, headers: str = "", status: str = "200 OK") -> bytes:
    return f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{headers}".encode() + (
        b"content-length: %d\r\n\r\n%b" % (len(body), body)
    )


def chunked(body: bytes, *, head: str = "HTTP/1.1 200 OK\r\n") -> bytes:
    middle = len(body) // 2
    parts = [body[:middle], body[middle:]]
    chunks = b"".join(b"%x;ext=1\r\n%b\r\n" % (len(part), part) for part in parts)
    return f"{head}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".encode() + (
        chunks + b"0\r\nx-trailer: yes\r\n\r\n"
    )


@pytest.fixture
def ok_body(response_examples: dict[str, bytes]) -> bytes:
    return response_examples["every_field"]


Calls = Callable[..., list[Any]]


@pytest.fixture(params=["sync", "async"])
def calls(request: pytest.FixtureRequest) -> Calls:
    """`calls(base_url, n, pause=0.0, **client_options)`: n `update` calls through one fresh client."""

    def options(base_url: str, extra: dict[str, Any]) -> dict[str, Any]:
        return {"api_key": KEY, "base_url": base_url + "/v1", "timeout": 5.0, "max_retries": 0, **extra}

    def sync_calls(base_url: str, n: int = 1, pause: float = 0.0, **extra: Any) -> list[Any]:
        out = []
        with Client(**options(base_url, extra)) as client:
            for _ in range(n):
                out.append(client.chat.completions.update("c1", metadata={}))
                time.sleep(pause)
        return out

    def async_calls(base_url: str, n: int = 1, pause: float = 0.0, **extra: Any) -> list[Any]:
        async def run() -> list[Any]:
            out = []
            async with AsyncClient(**options(base_url, extra)) as client:
                for _ in range(n):
                    out.append(await client.chat.completions.update("c1", metadata={}))
                    await asyncio.sleep(pause)
            return out

        return asyncio.run(run())

    return sync_calls if request.param == "sync" else async_calls


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    servers: list[RawServer] = []

    def start(*behaviours: Any) -> RawServer:
        server = RawServer(behaviours).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
        assert server.errors == []


# -- framing -------------------------------------------------------------------------------------


def test_chunked_body_with_extensions_and_trailers(calls: Calls, raw_server: Any, ok_body: bytes) -> None:
    server = raw_server(respond(chunked(ok_body)))
    [completion] = calls(server.url)
    assert completion == ChatCompletion.model_validate_json(ok_body)


def test_body_read_until_the_server_closes(calls: Calls, raw_server: Any, ok_body: bytes) -> None:
    server = raw_server(
        respond(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n" + ok_body)
    )
    [completion] = calls(server.url)
    assert completion.id == ChatCompletion.model_validate_json(ok_body).id


def test_interim_100_continue_is_skipped(calls: Calls, raw_server: Any, ok_body: bytes) -> None:
    server = raw_server(
        respond(b"HTTP/1.1 100 Continue\r\n\r\n" + response(ok_body, headers="x-request-id: req_1\r\n"))
    )
    [completion] = calls(server.url)
    assert completion._request_id == "req_1"


@pytest.mark.parametrize(
    "data",
    [
        chunked(b'{"id": "x"}').replace(b"6;ext=1", b"zz"),  # a chunk size that is not hex
        b"HTTP/1.1 200 OK\r\ncontent-length: 12, 13\r\n\r\n{}",  # a Content-Length that is not a number
        b"HTTP/1.1 2000 OK\r\ncontent-length: 2\r\n\r\n{}",  # a status that is not three digits
        b"HTTP/1.1 200 OK\r\n folded: header\r\ncontent-length: 2\r\n\r\n{}",  # obsolete line folding
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{}",  # cut short
    ],
    ids=["chunk-size", "content-length", "status", "folding", "chunked-cut-short"],
)
def test_malformed_responses_are_connection_errors(calls: Calls, raw_server: Any, data: bytes) -> None:
    server = raw_server(respond(data))
    with pytest.raises(APIConnectionError) as info:
        calls(server.url)
    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)


# -- keep-alive ----------------------------------------------------------------------------------


def test_one_connection_serves_every_call(calls: Calls, ok_body: bytes) -> None:
    with KeepAliveServer(lambda n: response(ok_body, headers=f"x-request-id: req_{n}\r\n")) as server:
        results = calls(server.url, 5)
    assert [r._request_id for r in results] == [f"req_{n}" for n in range(5)]
    assert server.connections == 1
    assert all(request.startswith(b"POST /v1/chat/completions/c1 HTTP/1.1\r\n") for request in server.requests)


@pytest.mark.parametrize("header", ["", "connection: close\r\n"], ids=["silently", "connection-close"])
def test_a_connection_the_server_closed_is_not_reused(calls: Calls, ok_body: bytes, header: str) -> None:
    """max_retries=0: a stale pooled connection would fail the call; each call gets a fresh one."""
    with KeepAliveServer(lambda n: response(ok_body, headers=header), close_after=1) as server:
        results = calls(server.url, 3, pause=0.05)
    assert len(results) == 3
    assert server.connections == 3


def test_an_idle_connection_past_its_expiry_is_replaced(ok_body: bytes) -> None:
    with KeepAliveServer(lambda n: response(ok_body)) as server:
        with httpx2.Client(transport=SyncTransport(keepalive_expiry=0.05)) as http:
            assert http.get(server.url).status_code == 200
            assert http.get(server.url).status_code == 200
            time.sleep(0.1)
            assert http.get(server.url).status_code == 200
        assert server.connections == 2


def test_head_and_204_have_no_body(ok_body: bytes) -> None:
    answers = [response(b"", status="204 No Content"), response(ok_body)]  # HEAD: a length, no body
    with KeepAliveServer(lambda n: answers[n]) as server, httpx2.Client(transport=SyncTransport()) as http:
        assert http.post(server.url).content == b""
        head = http.head(server.url)
        assert head.content == b"" and head.headers["content-length"] == str(len(ok_body))
        assert server.connections == 1


def test_threads_share_one_sync_client(ok_body: bytes) -> None:
    with KeepAliveServer(lambda n: response(ok_body)) as server:
        client = Client(api_key=KEY, base_url=server.url + "/v1", max_retries=0, timeout=5.0)
        with client, ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: client.chat.completions.update("c1", metadata={}), range(40)))
    assert len(results) == 40 and all(r.id for r in results)
    assert server.connections <= 8


# -- the async pool ------------------------------------------------------------------------------


def test_async_pool_opens_at_most_max_connections(ok_body: bytes) -> None:
    async def run(url: str) -> list[int]:
        async with httpx2.AsyncClient(transport=AsyncTransport(max_connections=2)) as http:
            responses = await asyncio.gather(*(http.post(url, content=b"{}") for _ in range(12)))
        return [r.status_code for r in responses]

    with KeepAliveServer(lambda n: response(ok_body)) as server:
        assert asyncio.run(run(server.url)) == [200] * 12
    assert server.connections == 2


def test_async_pool_timeout_when_every_connection_is_busy(raw_server: Any) -> None:
    server = raw_server(hang())

    async def run() -> None:
        timeout = httpx2.Timeout(2.0, pool=0.1)
        async with httpx2.AsyncClient(transport=AsyncTransport(max_connections=1), timeout=timeout) as http:
            first = asyncio.ensure_future(http.get(server.url))
            await asyncio.sleep(0.05)
            with pytest.raises(httpx2.PoolTimeout):
                await http.get(server.url)
            first.cancel()
            with pytest.raises((asyncio.CancelledError, httpx2.ReadTimeout)):
                await first

    asyncio.run(run())


def test_async_read_timeout_mid_body(raw_server: Any, ok_body: bytes) -> None:
    from tests.support.rawserver import stall

    server = raw_server(stall(response(ok_body)[:-10]))

    async def run() -> None:
        async with httpx2.AsyncClient(transport=AsyncTransport(), timeout=0.2) as http:
            with pytest.raises(httpx2.ReadTimeout):
                await http.get(server.url)

    asyncio.run(run())


# -- TLS -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it only): a self-signed certificate for 127.0.0.1."""
    folder: Path = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    return server, ssl.create_default_context(cafile=str(cert))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_https_through_a_context_made_on_first_use(
    certificate: tuple[ssl.SSLContext, ssl.SSLContext], ok_body: bytes, kind: str
) -> None:
    server_context, client_context = certificate
    made: list[int] = []

    def context() -> ssl.SSLContext:
        made.append(1)
        return client_context

    with KeepAliveServer(lambda n: response(ok_body), tls=server_context) as server:
        if kind == "sync":
            with httpx2.Client(transport=SyncTransport(ssl_context=context)) as http:
                statuses = [http.get(server.url).status_code for _ in range(3)]
        else:

            async def run() -> list[int]:
                async with httpx2.AsyncClient(transport=AsyncTransport(ssl_context=context)) as http:
                    return [(await http.get(server.url)).status_code for _ in range(3)]

            statuses = asyncio.run(run())
    assert statuses == [200] * 3
    assert made == [1] and server.connections == 1


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_an_untrusted_certificate_is_a_connect_error(
    certificate: tuple[ssl.SSLContext, ssl.SSLContext], ok_body: bytes, kind: str
) -> None:
    server_context, _ = certificate
    strict = ssl.create_default_context()  # the system's roots: our self-signed certificate is not among them
    with KeepAliveServer(lambda n: response(ok_body), tls=server_context) as server:
        if kind == "sync":
            with httpx2.Client(transport=SyncTransport(ssl_context=strict)) as http, pytest.raises(httpx2.ConnectError):
                http.get(server.url)
        else:

            async def run() -> None:
                async with httpx2.AsyncClient(transport=AsyncTransport(ssl_context=strict)) as http:
                    with pytest.raises(httpx2.ConnectError):
                        await http.get(server.url)

            asyncio.run(run())


def test_a_waiter_cancelled_after_its_wake_up_passes_it_on(ok_body: bytes) -> None:
    """The pool woke B for a free connection, then B was cancelled before it ran: C must get it."""

    async def run(url: str) -> int:
        transport = AsyncTransport(max_connections=1)
        async with httpx2.AsyncClient(transport=transport) as http:
            transport._open = 1  # as if one connection were busy
            b = asyncio.ensure_future(http.get(url))
            c = asyncio.ensure_future(http.get(url))
            await asyncio.sleep(0.05)
            assert len(transport._waiters) == 2
            transport._open = 0
            transport._wake_one()  # wakes b ...
            b.cancel()  # ... which is cancelled before it runs
            response = await asyncio.wait_for(c, 2)
            with pytest.raises(asyncio.CancelledError):
                await b
            return response.status_code

    with KeepAliveServer(lambda n: response(ok_body)) as server:
        assert asyncio.run(run(server.url)) == 200
