"""Generation time and peak memory: our generator against datamodel-code-generator alone, and
against openapi-python-client on a 200-operation public spec; regeneration with the caches.

    python bench/generation.py [--runs 3] [--full PATH] [--json out.json] [--project-only]

Each run is a fresh process; time is wall-clock, memory the child's peak RSS. Inputs: the project
spec (pruned), a full upstream spec (cold: an empty cache; then again with nothing changed; then
with one optional property added to one schema, both with the cache the cold run left), box.json.gz
from ../shared/realworld (296 operations, three cold runs into an empty folder, each followed by one
of openapi-python-client, which runs from its own venv, bench/.venv-opc/, made here from
requirements/bench-opc.txt, since its pins conflict with dev.txt).
Also times `codegen diff` on two full upstream specs. The issue's goals are printed as ratios.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import ROOT, machine, median, table, versions, write_json

SPECS = ROOT.parent / "shared" / "specs"
REALWORLD = ROOT.parent / "shared" / "realworld"
FIXTURES = ROOT / "tests" / "fixtures" / "upstream"
OPC_VENV = ROOT / "bench" / ".venv-opc"
BOX_PAIRS = 3  # cold runs of box, each beside one of openapi-python-client: the ratio of their medians
# One optional property added to one schema of the full spec, as a spec update would.
ANCHOR = "    ChatCompletionDeleted:\n      type: object\n      properties:\n"
ADDED = "        bench_note:\n          type: string\n          description: A property added by bench/generation.py.\n"

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
    target = tmp / name
    target.write_bytes(gzip.decompress((FIXTURES / f"{name}.gz").read_bytes()))
    return target


def openapi_python_client() -> Path | None:
    """The openapi-python-client command in its own venv, installed on first use; None when it cannot be."""
    command = OPC_VENV / "bin" / "openapi-python-client"
    if not command.exists():
        requirements = ROOT / "requirements" / "bench-opc.txt"
        made = subprocess.run([sys.executable, "-m", "venv", str(OPC_VENV)], check=False).returncode == 0
        pip = [str(OPC_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        if not made or subprocess.run([*pip, "-r", str(requirements)], check=False).returncode != 0:
            return None
    return command


def with_one_property(spec: Path, tmp: Path) -> Path:
    text = spec.read_text(encoding="utf-8")
    if ANCHOR not in text:
        raise SystemExit(f"{spec}: no schema ChatCompletionDeleted to add a property to")
    changed = tmp / "updated" / spec.name  # same name: the files' provenance line stays as it was
    changed.parent.mkdir(exist_ok=True)
    changed.write_text(text.replace(ANCHOR, ANCHOR + ADDED, 1), encoding="utf-8")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full", default="openai-2026-08-21-f85dbe2.yaml")
    parser.add_argument("--json")
    parser.add_argument("--project-only", action="store_true", help="only the project spec and datamodel-codegen")
    args = parser.parse_args()
    # The generator's bytecode, as pip wrote datamodel-codegen's when it installed it: without it
    # (PYTHONDONTWRITEBYTECODE) every run would compile the generator's modules again (0.05 s).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "codegen")], check=True)
    print("versions:", versions("datamodel-code-generator", "black", "pydantic", "jinja2"))
    print("machine:", machine())
    dmcg = str(Path(sys.executable).with_name("datamodel-codegen"))
    opc = None if args.project_only else openapi_python_client()
    ours = [sys.executable, "-m", "codegen", "generate"]
    samples: dict[str, list[tuple[int, float, float, str]]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        full = spec_file(args.full, tmp)
        older = spec_file("openai-2026-07-15-535f5dc.yaml", tmp)
        one_more = with_one_property(full, tmp)
        box = tmp / "box.json"
        box.write_bytes(gzip.decompress((REALWORLD / "box.json.gz").read_bytes()))
        opc_config = tmp / "opc.yaml"
        opc_config.write_text("literal_enums: true\n")  # else it stops at box's duplicate enum keys

        def sample(name: str, command: list[str]) -> None:
            samples.setdefault(name, []).append(run(command))

        full_args = ["--spec", str(full), "--out", str(tmp / "full" / "sdk"), "--package", "openai_full"]
        for number in range(args.runs):
            fresh = tmp / f"cache-{number}"  # every cold run starts from an empty cache
            sample(
                "codegen generate, project spec, cold", [*ours, "--out", str(tmp / "ours"), "--cache-dir", str(fresh)]
            )
            sample(
                "codegen generate, project spec, nothing changed",
                [*ours, "--out", str(tmp / "ours"), "--cache-dir", str(fresh)],
            )
            sample(
                "datamodel-codegen, project spec (pruned)",
                [
                    dmcg,
                    "--input",
                    "openapi/openapi.yaml",
                    "--input-file-type",
                    "openapi",
                    "--output",
                    str(tmp / "d.py"),
                ],
            )
            if args.project_only or number >= max(1, args.runs // 3):
                continue  # the large specs: fewer runs
            shutil.rmtree(tmp / "full", ignore_errors=True)
            cache = ["--cache-dir", str(tmp / f"cache-full-{number}")]
            sample("codegen generate, full spec, cold", [*ours, *full_args, *cache])
            sample("codegen generate, full spec, nothing changed", [*ours, *full_args, *cache])
            changed_args = [*full_args[:1], str(one_more), *full_args[2:]]
            sample("codegen generate, full spec, one property added", [*ours, *changed_args, *cache])
            sample(
                "datamodel-codegen, full spec",
                [
                    dmcg,
                    "--input",
                    str(full),
                    "--input-file-type",
                    "openapi",
                    "--output",
                    str(tmp / "dfull.py"),
                ],
            )
            for pair in range(BOX_PAIRS):  # a few seconds each: alternate pairs, so one slow minute moves one of each
                shutil.rmtree(tmp / "box", ignore_errors=True)
                sample(
                    "codegen generate, box (296 operations), cold",
                    [
                        *ours,
                        "--spec",
                        str(box),
                        "--out",
                        str(tmp / "box"),
                        "--package",
                        "box",
                        "--cache-dir",
                        str(tmp / f"cache-box-{number}-{pair}"),
                    ],
                )
                if opc is not None:
                    sample(
                        "openapi-python-client, box",
                        [
                            str(opc),
                            "generate",
                            "--path",
                            str(box),
                            "--output-path",
                            str(tmp / "opc"),
                            "--overwrite",
                            "--config",
                            str(opc_config),
                        ],
                    )
            sample(
                "codegen diff, two full specs",
                [sys.executable, "-m", "codegen", "diff", str(older), str(full), "--format", "json"],
            )
    results: dict[str, Any] = {}
    for name, runs in samples.items():
        codes = {s[0] for s in runs}
        results[name] = {
            "seconds": median([s[1] for s in runs]),
            "best": min(s[1] for s in runs),
            "peak_mib": max(s[2] for s in runs),
            "exit": sorted(codes),
            "note": "" if codes <= {0, 1} else runs[-1][3],
        }
    rows = [
        [name, f"{r['seconds']:.2f}", f"{r['best']:.2f}", f"{r['peak_mib']:.0f}", ",".join(map(str, r["exit"])),
         r["note"][:70]]
        for name, r in results.items()
    ]  # fmt: skip
    print("\n" + table(rows, ["run", "seconds (median)", "best", "peak MiB", "exit", "note"]))
    ratios = goals(results)
    print("\n" + table([[n, f"{v:.2f}x", f"<= {g:.2f}x", "met" if v <= g else "NOT met"] for n, v, g in ratios],
                        ["goal (issue #13)", "measured", "goal", ""]))  # fmt: skip
    write_json(args.json, {"results": results, "ratios": {n: v for n, v, _ in ratios}})


def goals(results: dict[str, Any]) -> list[tuple[str, float, float]]:
    """(what, measured ratio, goal) for each of the issue's goals measured in this run."""

    def ratio(a: str, b: str, what: str = "seconds") -> float | None:
        if a in results and b in results and results[b][what]:
            return float(results[a][what]) / float(results[b][what])
        return None

    cold = "codegen generate, full spec, cold"
    wanted = [
        ("whole API cold / datamodel-codegen alone, time", ratio(cold, "datamodel-codegen, full spec"), 1.0),
        ("whole API cold / datamodel-codegen alone, peak memory",
         ratio(cold, "datamodel-codegen, full spec", "peak_mib"), 1.0),
        ("whole API, nothing changed / cold", ratio("codegen generate, full spec, nothing changed", cold), 0.05),
        ("whole API, one property added / cold", ratio("codegen generate, full spec, one property added", cold), 0.15),
        ("project spec cold / datamodel-codegen (pruned)",
         ratio("codegen generate, project spec, cold", "datamodel-codegen, project spec (pruned)"), 1.0),
        ("box (296 operations) / openapi-python-client",
         ratio("codegen generate, box (296 operations), cold", "openapi-python-client, box"), 1.5),
    ]  # fmt: skip
    return [(name, value, goal) for name, value, goal in wanted if value is not None]


if __name__ == "__main__":
    main()
