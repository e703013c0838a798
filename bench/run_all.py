"""`make bench`: every benchmark in turn, each printing its own table; JSON under bench/results/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = (
    "client_overhead.py",
    "transports.py",
    "large_response.py",
    "import_time.py",
    "whole_api.py",
    "mypy_time.py",
    "generation.py",
)


def main() -> int:
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    failed = 0
    for script in BENCHMARKS:
        print(f"\n=== {script} ===", flush=True)
        out = results / script.replace(".py", ".json")
        failed |= subprocess.run([sys.executable, str(HERE / script), "--json", str(out)], cwd=HERE).returncode
    return failed


if __name__ == "__main__":
    sys.exit(main())
