"""Rewrite the corpus goldens: tests/golden/<stem>/ for every spec in tests/fixtures/specs/.

    .venv/bin/python tests/golden/refresh.py [STEM ...]

Each directory gets exactly what `python -m codegen generate` writes for that spec (stale files
removed), or, when generation fails, only GENERATION_FAILED.txt with the exit status and the error
output. Review `git diff tests/golden/` like any other change: it is what the generator change does.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.corpus import GOLDEN_DIR, SPECS, expected_tree, generate_all, read_tree  # noqa: E402


def main(argv: list[str]) -> int:
    unknown = sorted(set(argv) - set(SPECS))
    if unknown:
        print(f"unknown spec(s): {', '.join(unknown)}; known: {', '.join(SPECS)}", file=sys.stderr)
        return 2
    stems = tuple(argv) or SPECS
    with tempfile.TemporaryDirectory(prefix="corpus-golden-") as tmp:
        for stem, generation in sorted(generate_all(Path(tmp), stems).items()):
            target = GOLDEN_DIR / stem
            files = expected_tree(generation)
            changed = files != read_tree(target)
            if changed:
                shutil.rmtree(target, ignore_errors=True)
                for rel, data in files.items():
                    (target / rel).parent.mkdir(parents=True, exist_ok=True)
                    (target / rel).write_bytes(data)
            state = "generated" if generation.ok else "generation FAILED"
            print(f"{stem}: {state}, {len(files)} files, {'rewritten' if changed else 'unchanged'}")
    if not argv:  # a spec that was removed leaves no golden behind
        for stale in sorted(p for p in GOLDEN_DIR.iterdir() if p.is_dir() and p.name not in SPECS):
            shutil.rmtree(stale)
            print(f"{stale.name}: spec gone, golden removed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
