"""`pip install ./generated` in an empty venv: imports with only httpx2 and pydantic installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

from tests.support import ROOT

ALLOWED = {"anyio", "annotated-types", "h11", "httpcore2", "httpx2", "idna", "pydantic", "pydantic-core", "truststore"}
ALLOWED |= {"typing-extensions", "typing-inspection", "exceptiongroup", "sniffio", "openai-chat-sdk"}


def test_generated_package_installs_alone(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT / "generated", source, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # Dependencies come from the same pinned versions the project tests with, so no new download is needed.
    pins = [
        line
        for line in (ROOT / "requirements" / "dev.txt").read_text().splitlines()
        if line.split("==")[0].lower()
        in {
            "httpx2",
            "httpcore2",
            "truststore",
            "pydantic",
            "pydantic-core",
            "anyio",
            "h11",
            "idna",
            "annotated-types",
            "typing-extensions",
            "typing-inspection",
            "setuptools",
        }
    ]
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(constraints),
            str(source),
        ],
        check=True,
    )
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"], check=True, capture_output=True, text=True
    )
    installed = {line.split("==")[0].lower().replace("_", "-") for line in listed.stdout.splitlines()}
    assert installed - {"pip", "setuptools"} <= ALLOWED, installed
    code = (
        "import sys, openai_chat_sdk as s, openai_chat_sdk.models as m\n"
        "print(s.Client.__name__, m.ChatCompletion.__name__)\n"
        "heavy = ('asyncio', 'jinja2', 'yaml', 'black', 'datamodel_code_generator')\n"
        "print(sorted(n for n in heavy if n in sys.modules))"
    )
    result = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path)
    names, heavy = result.stdout.splitlines()
    assert names.split() == ["Client", "ChatCompletion"]
    assert heavy == "[]"  # no generator tool at run time; asyncio only once an async call needs it
    assert sys.executable != str(python)
