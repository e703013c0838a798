"""Per-call overhead of `client.chat.completions.update`, against the floor and the official SDK.

    python bench/client_overhead.py [--rounds 15] [--calls 200] [--json out.json]

Variants run interleaved, round by round in a shuffled order, against one loopback server
process on the other core that answers with prebuilt bytes. The floor is what any client
must do: a raw httpx2 POST of the same request plus `ChatCompletion.model_validate_json`.
Medians per call (wall and CPU of this process) and ratios to the floor, same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
from _common import ROOT, cpu_seconds, loopback_server, machine, median, pin_to, table, timed, versions, write_json

from openai_chat_sdk import AsyncClient, Client
from openai_chat_sdk.models import ChatCompletion

KEY = "sk-bench"
METADATA = {"foo": "bar"}


def seed_body() -> bytes:
    """The Ruby seed page's full example response (every field present)."""
    import yaml

    overlay = yaml.safe_load((ROOT / "openapi" / "overlay.yaml").read_text())
    for action in overlay["actions"]:
        examples = action.get("update", {}).get("examples", {})
        if "every_field" in examples:
            return json.dumps(examples["every_field"]["value"]).encode()
    raise SystemExit("no every_field example in openapi/overlay.yaml")


def sync_variants(base_url: str) -> dict[str, Callable[[], Any]]:
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    raw = httpx2.Client()
    url = base_url + "/chat/completions/c1"
    payload = json.dumps({"metadata": METADATA}).encode()
    ours = Client(api_key=KEY, base_url=base_url, max_retries=0)
    variants: dict[str, Callable[[], Any]] = {
        "floor (httpx2 + model_validate_json)": lambda: ChatCompletion.model_validate_json(
            raw.post(url, content=payload, headers=headers).content
        ),
        "openai_chat_sdk": lambda: ours.chat.completions.update("c1", metadata=METADATA),
    }
    try:
        import openai

        official = openai.OpenAI(api_key=KEY, base_url=base_url, max_retries=0)
        variants["official openai"] = lambda: official.chat.completions.update("c1", metadata=METADATA)
    except ImportError:
        pass
    return variants


def async_variants(base_url: str, concurrency: int) -> dict[str, Callable[[], Any]]:
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    url = base_url + "/chat/completions/c1"
    payload = json.dumps({"metadata": METADATA}).encode()
    loop = asyncio.new_event_loop()
    raw = httpx2.AsyncClient(limits=httpx2.Limits(max_connections=100))
    ours = AsyncClient(api_key=KEY, base_url=base_url, max_retries=0)

    async def floor_call() -> Any:
        response = await raw.post(url, content=payload, headers=headers)
        return ChatCompletion.model_validate_json(response.content)

    def batch(call: Callable[[], Any]) -> Callable[[], Any]:
        async def many() -> None:
            await asyncio.gather(*(call() for _ in range(concurrency)))

        return lambda: loop.run_until_complete(many())

    variants = {
        "floor (httpx2 + model_validate_json)": batch(floor_call),
        "openai_chat_sdk": batch(lambda: ours.chat.completions.update("c1", metadata=METADATA)),
    }
    try:
        import openai

        official = openai.AsyncOpenAI(api_key=KEY, base_url=base_url, max_retries=0)
        variants["official openai"] = batch(lambda: official.chat.completions.update("c1", metadata=METADATA))
    except ImportError:
        pass
    return variants


def measure(
    variants: dict[str, Callable[[], Any]], *, rounds: int, calls: int, per_batch: int
) -> dict[str, dict[str, float]]:
    for fn in variants.values():  # warm up connections, caches, lazy imports
        for _ in range(5):
            fn()
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    order = list(variants)
    for _ in range(rounds):
        random.shuffle(order)
        for name in order:
            wall, cpu = timed(variants[name], max(1, calls // per_batch))
            samples[name].append((wall / per_batch, cpu / per_batch))
    return {
        name: {"wall_us": median([w for w, _ in s]) * 1e6, "cpu_us": median([c for _, c in s]) * 1e6}
        for name, s in samples.items()
    }


def report(title: str, results: dict[str, dict[str, float]]) -> str:
    floor = results[FLOOR]
    rows = [
        [
            name,
            f"{r['wall_us']:.0f}",
            f"{r['wall_us'] / floor['wall_us']:.2f}x",
            f"{r['cpu_us']:.0f}",
            f"{r['cpu_us'] / floor['cpu_us']:.2f}x",
        ]
        for name, r in results.items()
    ]
    return f"\n{title}\n" + table(rows, ["variant", "wall µs/call", "vs floor", "CPU µs/call", "vs floor"])


FLOOR = "floor (httpx2 + model_validate_json)"
OURS = "openai_chat_sdk"
OFFICIAL = "official openai"


def goals(results: dict[str, dict[str, dict[str, float]]]) -> tuple[str, dict[str, Any]]:
    """Issue #14's targets, each from the same run: faster than the official SDK per call (sequential),
    cheaper in client CPU under concurrency, and close to the httpx2 floor."""
    rows: list[list[str]] = []
    found: dict[str, Any] = {}

    def add(name: str, value: float, target: str, met: bool) -> None:
        rows.append([name, f"{value:.2f}x", target, "met" if met else "NOT MET"])
        found[name] = {"ratio": value, "target": target, "met": met}

    for title, case in results.items():
        ours = case[OURS]
        if OFFICIAL in case and "concurrent" not in title:
            ratio = case[OFFICIAL]["wall_us"] / ours["wall_us"]
            add(f"{title}: official / ours, wall", ratio, ">= 1.8x", ratio >= 1.8)
        if OFFICIAL in case and "concurrent" in title:
            ratio = ours["cpu_us"] / case[OFFICIAL]["cpu_us"]
            add(f"{title}: ours / official, client CPU", ratio, "<= 0.6x", ratio <= 0.6)
        ratio = ours["wall_us"] / case[FLOOR]["wall_us"]
        add(f"{title}: ours / httpx2 floor, wall", ratio, "<= 1.1x", ratio <= 1.1)
    return "\ngoals (issue #14), this run\n" + table(rows, ["ratio", "value", "target", ""]), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--json")
    args = parser.parse_args()
    pin_to(0)
    found_versions = versions("openai-chat-sdk", "httpx2", "httpcore2", "pydantic", "pydantic-core", "openai")
    print("versions:", found_versions)
    print("machine:", machine())
    out: dict[str, Any] = {"versions": found_versions, "results": {}}
    with tempfile.TemporaryDirectory() as tmp, loopback_server(seed_body(), Path(tmp)) as (base_url, pid):
        server_cpu, start = cpu_seconds(pid), time.perf_counter()
        cases = [
            ("sync, sequential", sync_variants(base_url), 1),
            ("async, sequential", async_variants(base_url, 1), 1),
            (f"async, {args.concurrency} concurrent", async_variants(base_url, args.concurrency), args.concurrency),
        ]
        for title, variants, per_batch in cases:
            results = measure(variants, rounds=args.rounds, calls=args.calls, per_batch=per_batch)
            out["results"][title] = results
            print(report(title, results))
        text, out["goals"] = goals(out["results"])
        print(text)
        share = (cpu_seconds(pid) - server_cpu) / (time.perf_counter() - start)
        print(f"\nserver process CPU: {share:.0%} of one core over the run (not the bottleneck while well below 100%)")
        out["server_cpu_share"] = share
    write_json(args.json, out)


if __name__ == "__main__":
    main()
