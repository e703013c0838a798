"""Parsing a large response: 50 choices x 200 logprob tokens x 5 top logprobs (about 4 MB).

    python bench/large_response.py [--rounds 7] [--json out.json]

Two tables, variants interleaved round by round:
- parse only: our response path (`Endpoint.parse_json`) against plain `ChatCompletion.model_validate_json`;
- end to end against a loopback server: ours, the floor (httpx2 + model_validate_json), the official SDK.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
from _common import loopback_server, machine, median, pin_to, table, versions, write_json

from openai_chat_sdk import Client
from openai_chat_sdk._client import _UPDATE_CHAT_COMPLETION
from openai_chat_sdk.models import ChatCompletion


def large_body(choices: int = 50, tokens: int = 200, top: int = 5) -> bytes:
    def token(i: int) -> dict[str, Any]:
        text = f"tok{i}"
        return {"token": text, "logprob": -0.25 * (i % 7), "bytes": list(text.encode())}

    def logprob(i: int) -> dict[str, Any]:
        return {**token(i), "top_logprobs": [token(i + k) for k in range(top)]}

    completion = {
        "id": "chatcmpl-large",
        "object": "chat.completion",
        "created": 1738960610,
        "model": "gpt-4o-2024-08-06",
        "service_tier": "default",
        "choices": [
            {
                "index": c,
                "finish_reason": "length",
                "message": {"role": "assistant", "content": "word " * tokens, "refusal": None, "annotations": []},
                "logprobs": {"content": [logprob(i) for i in range(tokens)], "refusal": None},
            }
            for c in range(choices)
        ],
        "usage": {"prompt_tokens": 13, "completion_tokens": choices * tokens, "total_tokens": 13 + choices * tokens},
    }
    return json.dumps(completion).encode()


def interleave(variants: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    for fn in variants.values():
        fn()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    order = list(variants)
    for _ in range(rounds):
        random.shuffle(order)
        for name in order:
            start = time.perf_counter()
            variants[name]()
            samples[name].append(time.perf_counter() - start)
    return {name: median(s) * 1000 for name, s in samples.items()}


def show(title: str, results: dict[str, float], baseline: str) -> None:
    rows = [[name, f"{ms:.0f}", f"{ms / results[baseline]:.2f}x"] for name, ms in results.items()]
    print(f"\n{title}\n" + table(rows, ["variant", "ms (median)", f"vs {baseline}"]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json")
    args = parser.parse_args()
    pin_to(0)
    body = large_body()
    print("versions:", versions("openai-chat-sdk", "pydantic", "pydantic-core", "httpx2", "openai"))
    print("machine:", machine())
    print(f"body: {len(body) / 1e6:.1f} MB")
    out: dict[str, Any] = {"body_bytes": len(body)}

    parse = interleave(
        {
            "plain model_validate_json": lambda: ChatCompletion.model_validate_json(body),
            "openai_chat_sdk response path": lambda: _UPDATE_CHAT_COMPLETION.parse_json(body),
        },
        args.rounds,
    )
    show("parse only", parse, "plain model_validate_json")
    out["parse_ms"] = parse

    with tempfile.TemporaryDirectory() as tmp, loopback_server(body, Path(tmp)) as (base_url, _):
        raw = httpx2.Client(timeout=60)
        ours = Client(api_key="k", base_url=base_url, max_retries=0, timeout=60)
        variants: dict[str, Callable[[], Any]] = {
            "floor (httpx2 + model_validate_json)": lambda: ChatCompletion.model_validate_json(
                raw.post(base_url + "/chat/completions/c1", json={"metadata": {}}).content
            ),
            "openai_chat_sdk": lambda: ours.chat.completions.update("c1", metadata={}),
        }
        try:
            import openai

            official = openai.OpenAI(api_key="k", base_url=base_url, max_retries=0, timeout=60)
            variants["official openai"] = lambda: official.chat.completions.update("c1", metadata={})
        except ImportError:
            print("(the official openai package is not installed: `make bench` installs it)")
        end_to_end = interleave(variants, args.rounds)
        show("end to end (loopback server)", end_to_end, "floor (httpx2 + model_validate_json)")
        out["end_to_end_ms"] = end_to_end
    write_json(args.json, out)


if __name__ == "__main__":
    main()
