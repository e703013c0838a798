"""Which HTTP transport under our `AsyncClient`: our default (a lean HTTP/1.1 transport under httpx2),
httpx2's own pool, the optional aiohttp transport, an httpx 0.28 client through the adapter.

    python bench/transports.py [--rounds 15] [--calls 320] [--concurrency 32] [--no-gc] [--json out.json]

For `AsyncClient(...).chat.completions.update("c1", metadata=...)`, sequential and N concurrent
(asyncio.gather), with each `http_client` a user could pass; next to them, the raw floor of a
transport (the same POST + `ChatCompletion.model_validate_json` without our client) and the official
`openai.AsyncOpenAI` (httpx2, and on its aiohttp client) for reference.

Variants run interleaved, round by round in a shuffled order, against one loopback server process
on the other core that answers with prebuilt bytes. A sample is one `run_until_complete` of
`--calls` calls (sequential, or in batches of `--concurrency`), so the harness adds next to nothing.
Medians per call (wall, and CPU of this process, and how much of it the cyclic GC took), ratios to
our default client in the same run, and per variant the throughput gained by going concurrent
(sequential wall / concurrent wall). Under contention from other processes wall times swell; CPU
per call holds, so compare CPU first when the machine is busy.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx2
from _common import cpu_seconds, loopback_server, machine, median, pin_to, table, versions, write_json
from client_overhead import KEY, METADATA, seed_body

from openai_chat_sdk import AsyncClient
from openai_chat_sdk.models import ChatCompletion

PACKAGES = (
    "openai-chat-sdk",
    "httpx2",
    "httpcore2",
    "h11",
    "anyio",
    "aiohttp",
    "httpx",
    "openai",
    "pydantic",
    "pydantic-core",
)
BASELINE = "ours: default (lean transport on httpx2)"
Call = Callable[[], Awaitable[Any]]


def variants(base_url: str, closers: list[Callable[[], Awaitable[Any]]]) -> dict[str, Call]:
    """Name -> coroutine function making one call; created inside the running loop."""
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    url = base_url + "/chat/completions/c1"
    payload = json.dumps({"metadata": METADATA}).encode()
    found: dict[str, Call] = {}

    def floor(name: str, http: Any) -> None:
        async def call() -> Any:
            response = await http.post(url, content=payload, headers=headers)
            return ChatCompletion.model_validate_json(response.content)

        found[name] = call
        closers.append(http.aclose)

    def ours(name: str, http: Any) -> None:
        client = AsyncClient(api_key=KEY, base_url=base_url, max_retries=0, http_client=http)
        found[name] = lambda: client.chat.completions.update("c1", metadata=METADATA)
        closers.append(client.close)
        if http is not None:
            closers.append(http.aclose)

    floor("floor: httpx2, default limits", httpx2.AsyncClient())
    ours(BASELINE, None)
    ours("ours: httpx2's own pool (http_client=httpx2.AsyncClient())", httpx2.AsyncClient())
    try:
        import httpx

        ours("ours: an httpx 0.28 AsyncClient (adapter)", httpx.AsyncClient())
    except ImportError:
        pass
    try:
        import aiohttp
    except ImportError:
        print("aiohttp not installed: no aiohttp variants")
    else:
        from openai_chat_sdk._aiohttp import aiohttp_http_client

        ours("ours: aiohttp_http_client() (opt-in)", aiohttp_http_client())
        session = aiohttp.ClientSession()

        async def aiohttp_floor() -> Any:
            async with session.post(url, data=payload, headers=headers) as response:
                return ChatCompletion.model_validate_json(await response.read())

        found["floor: aiohttp alone (no httpx2)"] = aiohttp_floor
        closers.append(session.close)
    try:
        import openai
    except ImportError:
        print("openai not installed: no official SDK variants")
    else:
        official = openai.AsyncOpenAI(api_key=KEY, base_url=base_url, max_retries=0)
        found["official openai (httpx2)"] = lambda: official.chat.completions.update("c1", metadata=METADATA)
        closers.append(official.close)
        try:
            aio_official = openai.AsyncOpenAI(
                api_key=KEY, base_url=base_url, max_retries=0, http_client=openai.DefaultAioHttpClient()
            )
        except RuntimeError:  # openai's aiohttp extra missing
            pass
        else:
            found["official openai + DefaultAioHttpClient"] = lambda: aio_official.chat.completions.update(
                "c1", metadata=METADATA
            )
            closers.append(aio_official.close)
    return found


def runner(call: Call, calls: int, concurrency: int) -> Callable[[], Awaitable[None]]:
    """A coroutine function making `calls` calls, one at a time or `concurrency` at a time."""
    if concurrency == 1:

        async def sequential() -> None:
            for _ in range(calls):
                await call()

        return sequential

    async def concurrent() -> None:
        for _ in range(max(1, calls // concurrency)):
            await asyncio.gather(*(call() for _ in range(concurrency)))

    return concurrent


class GcClock:
    """Time spent in the cyclic garbage collector (gc.callbacks), to show how much of a call it is."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started = 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started


def measure(
    loop: asyncio.AbstractEventLoop,
    calls_by_name: dict[str, Call],
    *,
    rounds: int,
    calls: int,
    concurrency: int,
    collect: bool = True,
) -> dict[str, dict[str, float]]:
    made = max(1, calls // concurrency) * concurrency
    runs = {name: runner(call, calls, concurrency) for name, call in calls_by_name.items()}

    async def check(call: Call) -> list[Any]:
        return await asyncio.gather(*(call() for _ in range(concurrency)))

    for name, call in calls_by_name.items():  # warm up connections, caches, lazy imports; check the result
        results = loop.run_until_complete(check(call))
        assert all(type(r).__name__ == "ChatCompletion" and r.id for r in results), name
        loop.run_until_complete(runs[name]())
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
    order = list(runs)
    clock = GcClock()
    gc.collect()
    if not collect:
        gc.disable()
    try:
        for _ in range(rounds):
            random.shuffle(order)
            for name in order:
                wall, cpu, in_gc = time.perf_counter(), time.process_time(), clock.total
                loop.run_until_complete(runs[name]())
                wall, cpu, in_gc = time.perf_counter() - wall, time.process_time() - cpu, clock.total - in_gc
                samples[name].append((wall / made, cpu / made, in_gc / made))
            if not collect:
                gc.collect()  # between rounds, outside the samples
    finally:
        gc.enable()
        gc.callbacks.remove(clock._tick)
    return {
        name: {
            "wall_us": median([w for w, _, _ in s]) * 1e6,
            "cpu_us": median([c for _, c, _ in s]) * 1e6,
            "gc_us": median([g for _, _, g in s]) * 1e6,
        }
        for name, s in samples.items()
    }


def report(title: str, results: dict[str, dict[str, float]]) -> str:
    base = results[BASELINE]
    rows = [
        [
            name,
            f"{r['wall_us']:,.0f}",
            f"{r['wall_us'] / base['wall_us']:.2f}x",
            f"{r['cpu_us']:,.0f}",
            f"{r['cpu_us'] / base['cpu_us']:.2f}x",
            f"{r['gc_us']:,.0f}",
        ]
        for name, r in sorted(results.items(), key=lambda item: item[1]["wall_us"])
    ]
    header = ["variant", "wall µs/call", "vs ours", "CPU µs/call", "vs ours", "of it in gc"]
    return f"\n{title} (ratios to '{BASELINE}', fastest first)\n" + table(rows, header)


def scaling(sequential: dict[str, dict[str, float]], concurrent: dict[str, dict[str, float]], n: int) -> str:
    rows = [
        [
            name,
            f"{sequential[name]['wall_us'] / concurrent[name]['wall_us']:.2f}x",
            f"{concurrent[name]['cpu_us'] / sequential[name]['cpu_us']:.2f}x",
        ]
        for name in sorted(sequential, key=lambda k: concurrent[k]["wall_us"] / sequential[k]["wall_us"])
    ]
    return f"\ngoing from sequential to {n} concurrent\n" + table(
        rows, ["variant", "throughput gain (seq wall / conc wall)", "CPU per call (conc / seq)"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=320, help="calls per sample (a multiple of --concurrency)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--no-gc", action="store_true", help="cyclic GC off while timing (to see its share)")
    parser.add_argument("--json")
    args = parser.parse_args()
    pin_to(0)
    found_versions = versions(*PACKAGES)
    print("versions:", found_versions)
    print("machine:", machine())
    out: dict[str, Any] = {"versions": found_versions, "args": vars(args), "results": {}}
    loop = asyncio.new_event_loop()
    closers: list[Callable[[], Awaitable[Any]]] = []
    with tempfile.TemporaryDirectory() as tmp, loopback_server(seed_body(), Path(tmp)) as (base_url, pid):
        server_cpu, start = cpu_seconds(pid), time.perf_counter()

        async def build() -> dict[str, Call]:
            return variants(base_url, closers)

        try:
            cases = {
                "async, sequential": 1,
                f"async, {args.concurrency} concurrent": args.concurrency,
            }
            for title, concurrency in cases.items():
                calls = loop.run_until_complete(build())  # fresh clients (and pools) per case
                results = measure(
                    loop, calls, rounds=args.rounds, calls=args.calls, concurrency=concurrency, collect=not args.no_gc
                )
                out["results"][title] = results
                print(report(title, results), flush=True)
            sequential, concurrent = out["results"].values()
            print(scaling(sequential, concurrent, args.concurrency))
            share = (cpu_seconds(pid) - server_cpu) / (time.perf_counter() - start)
            print(f"\nserver process CPU: {share:.0%} of one core over the run (not the bottleneck well below 100%)")
            out["server_cpu_share"] = share
        finally:
            for close in closers:
                loop.run_until_complete(close())
            loop.close()
    write_json(args.json, out)


if __name__ == "__main__":
    main()
