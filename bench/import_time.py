"""Import time of the SDK in fresh interpreters, and client construction time.

    python bench/import_time.py [--runs 20] [--json out.json]

Each import runs in a new `python -c` process, interleaved; the minimum over the runs is the
figure least disturbed by noise. Construction is timed in-process (first and later clients).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Any

from _common import machine, table, versions, write_json

IMPORTS = {
    "httpx2, pydantic (baseline)": "import httpx2, pydantic",
    "openai_chat_sdk": "import openai_chat_sdk",
    "openai (official)": "import openai",
}

CONSTRUCT = """
import time
t0 = time.perf_counter()
from {module} import {cls}
t1 = time.perf_counter()
{cls}(api_key="k")
t2 = time.perf_counter()
{cls}(api_key="k")
t3 = time.perf_counter()
print(t2 - t1, t3 - t2)
"""


def import_seconds(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json")
    args = parser.parse_args()
    print("versions:", versions("openai-chat-sdk", "httpx2", "pydantic", "openai"))
    print("machine:", machine())
    samples: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for _ in range(args.runs):
        for name, statement in IMPORTS.items():
            try:
                samples[name].append(import_seconds(statement))
            except subprocess.CalledProcessError:
                samples[name].append(float("nan"))
    best = {name: min(values) * 1000 for name, values in samples.items()}
    base = best["httpx2, pydantic (baseline)"]
    rows = [[name, f"{ms:.0f}", f"{ms / base:.2f}x"] for name, ms in best.items()]
    print(f"\nimport (minimum of {args.runs} fresh interpreters)\n" + table(rows, ["import", "ms", "vs baseline"]))

    construct: dict[str, Any] = {}
    for name, module, cls in (
        ("openai_chat_sdk.Client", "openai_chat_sdk", "Client"),
        ("openai.OpenAI", "openai", "OpenAI"),
    ):
        runs = []
        for _ in range(max(3, args.runs // 4)):
            code = CONSTRUCT.format(module=module, cls=cls)
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            if result.returncode == 0:
                runs.append(tuple(float(x) for x in result.stdout.split()))
        if runs:
            construct[name] = {"first_ms": min(r[0] for r in runs) * 1000, "next_ms": min(r[1] for r in runs) * 1000}
    rows = [[name, f"{v['first_ms']:.1f}", f"{v['next_ms']:.2f}"] for name, v in construct.items()]
    print("\nclient construction (minimum)\n" + table(rows, ["client", "first ms", "each later ms"]))
    write_json(args.json, {"import_ms": best, "construct": construct})


if __name__ == "__main__":
    main()
