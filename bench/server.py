"""A loopback HTTP/1.1 server that answers every request with the same prebuilt bytes.

Run as a separate process (`python bench/server.py BODY_FILE`); prints its port, then serves
until killed. asyncio protocol, keep-alive, no parsing beyond Content-Length: it must never
be the bottleneck of a client benchmark.
"""

from __future__ import annotations

import asyncio
import os
import sys


def build_response(body: bytes) -> bytes:
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req_bench\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Answer(asyncio.Protocol):
    response = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            length = 0
            at = head.find(b"content-length:")
            if at >= 0:
                length = int(head[at + 15 :].split(b"\r\n", 1)[0])
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            self.buffer = self.buffer[total:]
            self.transport.write(self.response)  # type: ignore[attr-defined]


async def main(body_file: str) -> None:
    with open(body_file, "rb") as handle:
        Answer.response = build_response(handle.read())
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Answer, "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) > 2 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(sys.argv[2])})
    asyncio.run(main(sys.argv[1]))
