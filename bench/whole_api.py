"""The whole-API SDK (288 operations) against the official one: import, client, first call; mypy.

    python bench/whole_api.py [--runs 10] [--sdk DIR --call chat.completions.create] [--json out.json]

Generates the whole upstream OpenAI API (with the fixes overlay) into a temporary directory, unless
`--sdk` names one already generated (its package must be `openai_full`; `--call` is the attribute path
of the chat-completion method on its client, `create_chat_completion` for an SDK without resources).
Each figure is the minimum over `--runs` fresh interpreters, the variants interleaved, every call
answered by the same loopback server process (a full chat completion). Then `mypy --strict` on the
whole-API SDK, once, with an empty cache (and with two mypy workers: it checks modules in parallel).
`--before DIR` times another whole-API SDK (from an older generator) in the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, loopback_server, machine, table, versions, write_json
from client_overhead import seed_body
from generation import FIXES, spec_file

REQUEST = 'model="gpt-4o", messages=[{"role": "user", "content": "hi"}]'
TIMED = "import time\nt = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)"


def variants(base_url: str, call: str, before: str | None, before_call: str) -> dict[str, str]:
    def sdk(path: str | None) -> str:
        where = f"import sys; sys.path.insert(0, {path!r})\n" if path else ""
        return f"{where}import openai_full\nclient = openai_full.Client(api_key='k', base_url={base_url!r})"

    official = f"import openai\nclient = openai.OpenAI(api_key='k', base_url={base_url!r})"
    programs = {
        "import httpx, pydantic (baseline)": "import httpx, pydantic",
        "whole-API SDK: import + client": sdk(None),
        "official: import + client": official,
        "whole-API SDK: + first chat completion": f"{sdk(None)}\nclient.{call}({REQUEST})",
        "official: + first chat completion": f"{official}\nclient.chat.completions.create({REQUEST})",
    }
    if before:
        programs["before: import + client"] = sdk(before)
        programs["before: + first chat completion"] = f"{sdk(before)}\nclient.{before_call}({REQUEST})"
    return programs


def mypy_seconds(sdk: Path, cache: Path, *extra: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), *extra, "openai_full"],
        cwd=sdk,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, (result.stdout.strip().splitlines() or [""])[-1]


def seconds(code: str, cwd: Path) -> float:
    result = subprocess.run(
        [sys.executable, "-c", TIMED.format(code=code)], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        return float("nan")
    return float(result.stdout.split()[-1])


def generate(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        spec = spec_file("openai-2026-08-21-f85dbe2.yaml", Path(tmp))
        command = [sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--overlay", str(FIXES)]
        command += ["--out", str(out), "--package", "openai_full"]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sdk")
    parser.add_argument("--call", default="chat.completions.create")
    parser.add_argument("--before", help="another whole-API SDK (e.g. from an older generator) to time alongside")
    parser.add_argument("--before-call", default="create_chat_completion")
    parser.add_argument("--json")
    args = parser.parse_args()
    print("versions:", versions("httpx", "pydantic", "openai", "mypy"))
    print("machine:", machine())
    with tempfile.TemporaryDirectory() as tmp:
        sdk = Path(args.sdk) if args.sdk else Path(tmp) / "sdk"
        if not args.sdk:
            generate(sdk)
        files = sorted((sdk / "openai_full").rglob("*.py"))
        longest = max(len(f.read_text().splitlines()) for f in files)
        print(f"whole-API SDK: {len(files)} modules, the longest {longest} lines")
        with loopback_server(seed_body(), Path(tmp)) as (base_url, _):
            before = str(Path(args.before).resolve()) if args.before else None
            programs = variants(base_url, args.call, before, args.before_call)
            for code in programs.values():  # compile the byte code once, outside the timing
                seconds(code, sdk)
            samples: dict[str, list[float]] = {name: [] for name in programs}
            for _ in range(args.runs):
                for name, code in programs.items():
                    samples[name].append(seconds(code, sdk))
        best = {name: min(values) * 1000 for name, values in samples.items()}
        base = best["import httpx, pydantic (baseline)"]
        official = best["official: + first chat completion"]
        rows = [[name, f"{ms:.0f}", f"{ms / base:.2f}x", f"{ms / official:.2f}x"] for name, ms in best.items()]
        print(
            f"\nminimum of {args.runs} fresh interpreters\n"
            + table(rows, ["program", "ms", "vs httpx+pydantic", "vs official first call"])
        )
        mypy: dict[str, float] = {}
        checks = [("whole-API SDK", sdk, ()), ("whole-API SDK, --num-workers 2", sdk, ("--num-workers", "2"))]
        if args.before:
            checks.append(("before", Path(args.before), ()))
        for n, (name, where, extra) in enumerate(checks):
            mypy[name], summary = mypy_seconds(where, Path(tmp) / f"mypy{n}", *extra)
            print(f"mypy --strict, {name}: {mypy[name]:.1f} s ({summary})")
    write_json(args.json, {"ms": best, "mypy_seconds": mypy, "modules": len(files), "longest_module": longest})


if __name__ == "__main__":
    main()
