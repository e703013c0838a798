"""Generation time and peak memory: our generator against datamodel-code-generator alone.

    python bench/generation.py [--runs 3] [--full PATH] [--json out.json]

Each run is a fresh process; time is wall-clock, memory the child's peak RSS. Inputs: the project
spec (pruned) and a full upstream spec. Also times `codegen diff` on two full upstream specs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import ROOT, machine, median, table, versions, write_json

SPECS = ROOT.parent / "shared" / "specs"
FIXTURES = ROOT / "tests" / "fixtures" / "upstream"

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(code.returncode, elapsed, peak, (code.stderr.strip().splitlines() or [""])[-1][:160], sep="\\t")
"""


def run(command: list[str]) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak MiB, last stderr line) of `command` in a fresh process."""
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, cwd=ROOT)
    code, seconds, peak, last = result.stdout.rstrip("\n").split("\t")
    return int(code), float(seconds), float(peak), last


def spec_file(name: str, tmp: Path) -> Path:
    """A full upstream spec: from ../shared/specs when present, else the gzipped test fixture."""
    if (SPECS / name).exists():
        return SPECS / name
    import gzip

    target = tmp / name
    target.write_bytes(gzip.decompress((FIXTURES / f"{name}.gz").read_bytes()))
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full", default="openai-2026-08-21-f85dbe2.yaml")
    parser.add_argument("--json")
    args = parser.parse_args()
    print("versions:", versions("datamodel-code-generator", "black", "pydantic", "jinja2"))
    print("machine:", machine())
    dmcg = str(Path(sys.executable).with_name("datamodel-codegen"))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        full = spec_file(args.full, tmp)
        older = spec_file("openai-2026-07-15-535f5dc.yaml", tmp)
        cases = {
            "codegen generate, project spec": [sys.executable, "-m", "codegen", "generate", "--out", str(tmp / "ours")],
            "datamodel-codegen, project spec (pruned)": [
                dmcg, "--input", "openapi/openapi.yaml", "--input-file-type", "openapi", "--output", str(tmp / "d.py"),
            ],
            "codegen generate, full spec (as it is)": [
                sys.executable, "-m", "codegen", "generate", "--spec", str(full), "--out", str(tmp / "full"),
                "--package", "openai_full",
            ],
            "datamodel-codegen, full spec": [
                dmcg, "--input", str(full), "--input-file-type", "openapi", "--output", str(tmp / "dfull.py"),
            ],
            "codegen diff, two full specs": [
                sys.executable, "-m", "codegen", "diff", str(older), str(full), "--format", "json",
            ],
        }  # fmt: skip
        for name, command in cases.items():
            samples = [run(command) for _ in range(args.runs if "full" not in name else max(1, args.runs // 3))]
            codes = {s[0] for s in samples}
            results[name] = {
                "seconds": median([s[1] for s in samples]),
                "peak_mib": max(s[2] for s in samples),
                "exit": sorted(codes),
                "note": "" if codes <= {0, 1} else samples[-1][3],
            }
    rows = [
        [name, f"{r['seconds']:.2f}", f"{r['peak_mib']:.0f}", ",".join(map(str, r["exit"])), r["note"][:70]]
        for name, r in results.items()
    ]
    print("\n" + table(rows, ["run", "seconds", "peak MiB", "exit", "note"]))
    ours, theirs = results["codegen generate, project spec"], results["datamodel-codegen, project spec (pruned)"]
    print(f"\nproject spec: ours / datamodel-codegen alone = {ours['seconds'] / theirs['seconds']:.2f}x time")
    write_json(args.json, {"results": results})


if __name__ == "__main__":
    main()
