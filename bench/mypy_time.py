"""Cold `mypy --strict`: the whole-API SDK against the floor and the one-file SDK, and what a user pays.

    python bench/mypy_time.py [--runs 3] [--sdk DIR] [--one-file DIR] [--before DIR] [--json out.json]

Every check starts with an empty cache, the variants interleaved, `--runs` times; figures are
medians of wall and of CPU seconds (CPU is steadier on a shared machine). The floor is a file that
only imports httpx2 and pydantic, the SDK's run-time dependencies: no check of a program using the
SDK can cost less. Variants:
- the whole-API SDK (a resource tree, modules per resource) and the same API generated as one
  `_client.py` and one `models.py` (this generator with `tree-above` and `split-above` raised);
  `--sdk` and `--one-file` reuse ones already generated (package `openai_full`);
- a user's program that imports the SDK, builds a model and makes one chat completion, with the
  SDK installed (on a venv's path, so mypy checks it as a library: function bodies that define no
  attributes are skipped, its errors silenced);
- `--before DIR`: another SDK of the same API (from an older generator, say), checked alongside.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from _common import machine, median, table, versions, write_json
from whole_api import generate

FLOOR = "import httpx2\nimport pydantic\n"
USER = """from openai_full import Client
from openai_full.models import ChatCompletionRequestUserMessage

client = Client(api_key="k")
message = ChatCompletionRequestUserMessage(role="user", content="hi")
completion = client.{call}(model="gpt-4o", messages=[message])
text: str | None = completion.choices[0].message.content
"""
ONE_FILE_CONFIG = "[tool.codegen]\ntree-above = 1000000\nsplit-above = 1000000\n"


def cold_mypy(cwd: Path, target: str, cache: Path, python: Path | None = None) -> tuple[float, float, str]:
    """(wall s, CPU s, last line) of `mypy --strict target` in `cwd` with an empty cache."""
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), target]
    if python is not None:
        command[3:3] = ["--python-executable", str(python)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, (result.stdout.strip().splitlines() or [""])[-1]


def installed(sdk: Path, where: Path) -> Path:
    """A venv whose site-packages hold this interpreter's packages and `sdk`: its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (Path(site) / "sdk.pth").write_text(f"{sdk.resolve()}\n")
    return python


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sdk", help="a whole-API SDK already generated (package openai_full)")
    parser.add_argument("--one-file", help="the same API already generated as one _client.py and one models.py")
    parser.add_argument(
        "--before", help="another SDK of the same API (e.g. from an older generator) to check alongside"
    )
    parser.add_argument("--json")
    args = parser.parse_args()
    print("versions:", versions("mypy", "pydantic", "httpx2"))
    print("machine:", machine())
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        sdk = Path(args.sdk) if args.sdk else tmp / "sdk"
        one_file = Path(args.one_file) if args.one_file else tmp / "one-file"
        if not args.sdk:
            generate(sdk)
        if not args.one_file:
            (tmp / "one-file.toml").write_text(ONE_FILE_CONFIG)
            generate(one_file, config=tmp / "one-file.toml")
        (tmp / "floor").mkdir()
        (tmp / "floor" / "floor.py").write_text(FLOOR)
        (tmp / "user").mkdir()
        (tmp / "user" / "tree.py").write_text(USER.format(call="chat.completions.create"))
        (tmp / "user" / "one_file.py").write_text(USER.format(call="create_chat_completion"))
        checks: dict[str, tuple[Path, str, Path | None]] = {
            "floor: import httpx2, pydantic": (tmp / "floor", "floor.py", None),
            "whole-API SDK": (sdk, "openai_full", None),
            "one-file SDK": (one_file, "openai_full", None),
            "user program, whole-API SDK installed": (tmp / "user", "tree.py", installed(sdk, tmp / "venv-sdk")),
            "user program, one-file SDK installed": (
                tmp / "user",
                "one_file.py",
                installed(one_file, tmp / "venv-one-file"),
            ),
        }
        if args.before:
            checks["before: --before SDK"] = (Path(args.before), "openai_full", None)
        wall: dict[str, list[float]] = {name: [] for name in checks}
        cpu: dict[str, list[float]] = {name: [] for name in checks}
        for run in range(args.runs):
            for n, (name, (cwd, target, python)) in enumerate(checks.items()):
                seconds, cpu_seconds, last = cold_mypy(cwd, target, tmp / f"cache-{run}-{n}", python)
                if not last.startswith("Success"):
                    print(f"{name}: {last}", file=sys.stderr)
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)
    walls = {name: median(values) for name, values in wall.items()}
    cpus = {name: median(values) for name, values in cpu.items()}
    floor_wall, floor_cpu = walls["floor: import httpx2, pydantic"], cpus["floor: import httpx2, pydantic"]
    rows = [
        [
            name,
            f"{walls[name]:.1f}",
            f"{walls[name] / floor_wall:.2f}x",
            f"{cpus[name]:.1f}",
            f"{cpus[name] / floor_cpu:.2f}x",
        ]
        for name in checks
    ]
    print(
        f"\ncold mypy --strict, median of {args.runs} (load average {os.getloadavg()[0]:.1f})\n"
        + table(rows, ["check", "wall s", "vs floor", "CPU s", "vs floor"])
    )
    ratios = {
        "whole-API / one-file SDK": cpus["whole-API SDK"] / cpus["one-file SDK"],
        "above the floor, whole-API / one-file SDK": (cpus["whole-API SDK"] - floor_cpu)
        / (cpus["one-file SDK"] - floor_cpu),
        "user program, whole-API / one-file SDK": cpus["user program, whole-API SDK installed"]
        / cpus["user program, one-file SDK installed"],
    }
    if args.before:
        ratios["whole-API SDK / --before SDK"] = cpus["whole-API SDK"] / cpus["before: --before SDK"]
    for name, ratio in ratios.items():
        print(f"{name} (CPU): {ratio:.2f}x")
    write_json(args.json, {"wall_seconds": walls, "cpu_seconds": cpus, "ratios": ratios, "runs": args.runs})


if __name__ == "__main__":
    main()
