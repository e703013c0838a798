"""The whole-API SDK (288 operations) against the official one: import, client, first call.

    python bench/whole_api.py [--runs 10] [--sdk DIR --call chat.completions.create] [--json out.json]

Generates the whole upstream OpenAI API (with the fixes overlay) into a temporary directory, unless
`--sdk` names one already generated (its package must be `openai_full`; `--call` is the attribute path
of the chat-completion method on its client, `create_chat_completion` for an SDK without resources).
Each figure is the minimum over `--runs` fresh interpreters, the variants interleaved, every call
answered by the same loopback server process (a full chat completion). `--before DIR` times another
whole-API SDK (from an older generator) in the same run. `mypy --strict` on it: bench/mypy_time.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT, loopback_server, machine, table, versions, write_json
from client_overhead import seed_body
from generation import FIXTURES, spec_file

REQUEST = 'model="gpt-4o", messages=[{"role": "user", "content": "hi"}]'
FIXES = FIXTURES / "openai-2026-08-21.fixes.overlay.yaml"  # the upstream spec's known slips, mended
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


def seconds(code: str, cwd: Path) -> float:
    result = subprocess.run(
        [sys.executable, "-c", TIMED.format(code=code)], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        return float("nan")
    return float(result.stdout.split()[-1])


def generate(out: Path, config: Path | None = None) -> None:
    """The whole upstream API (with the fixes overlay) as package `openai_full`; `config`: a pyproject
    whose `[tool.codegen]` settings apply (none of the project's own otherwise)."""
    with tempfile.TemporaryDirectory() as tmp:
        spec = spec_file("openai-2026-08-21-f85dbe2.yaml", Path(tmp))
        command = [sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--overlay", str(FIXES)]
        command += ["--out", str(out), "--package", "openai_full"]
        command += ["--config", str(config)] if config else []
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
    print("versions:", versions("httpx", "pydantic", "openai"))
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
            # The byte code, as pip writes it on install (and has for httpx2, pydantic and openai):
            # a warm-up run does not write it where PYTHONDONTWRITEBYTECODE is set, and compiling
            # the SDK's modules on every import timed the compiler.
            for folder in [sdk, *([Path(before)] if before else [])]:
                subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)
            for code in programs.values():  # a warm-up run each, outside the timing
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
    write_json(args.json, {"ms": best, "modules": len(files), "longest_module": longest})


if __name__ == "__main__":
    main()
