"""The whole upstream OpenAI API (~290 operations) generates, imports and type-checks.

The upstream file is used as it is, without the fixes overlay: what fails OpenAPI 3.1 validation
is read leniently, with a warning each. Slow (about a minute to generate, minutes for mypy):
marked `full`, run by `make test-full`, not by `make test`.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.write import read_tree
from tests.support import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "upstream"

pytestmark = pytest.mark.full


@pytest.fixture(scope="module")
def full_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("full")
    spec = tmp / "openai.yaml"
    spec.write_bytes(gzip.decompress((FIXTURES / "openai-2026-08-21-f85dbe2.yaml.gz").read_bytes()))
    out = tmp / "sdk"
    command = [
        sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--out", str(out), "--package", "openai_full",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    # The upstream file as it is: what OpenAPI 3.1 validation rejects is read leniently, one warning each.
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(f"warning: {spec}#/") for line in lines), lines
    # 4 2019-09 keywords, 1 duplicate required entry, 7 boolean exclusive bounds, 111 left-over nullable;
    # the defaults 3.1 validation rejected are annotations in 3.1: dropped without a warning; and one
    # note that the 16 webhooks are not generated
    assert len(lines) == 124 and sum("webhooks are not generated" in line for line in lines) == 1
    assert any("ContainerResource/required: required lists created_at, id, name, status more" in x for x in lines)
    return out


def test_strict_refuses_the_upstream_spec_with_pointers(tmp_path: Path) -> None:
    spec = tmp_path / "openai.yaml"
    spec.write_bytes(gzip.decompress((FIXTURES / "openai-2026-08-21-f85dbe2.yaml.gz").read_bytes()))
    command = [sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--out", str(tmp_path / "sdk")]
    result = subprocess.run([*command, "--strict"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 2 and not (tmp_path / "sdk").exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 123 and all(line.startswith(f"error: {spec}#/") for line in lines), lines
    assert any("ContainerResource/required: " in line for line in lines)


def test_the_fixes_overlay_changes_nothing_but_the_spec_hash(full_sdk: Path, tmp_path: Path) -> None:
    """What the lenient reading does equals what the hand-written fixes overlay (an Overlay example) does."""
    spec = tmp_path / "openai.yaml"
    spec.write_bytes(gzip.decompress((FIXTURES / "openai-2026-08-21-f85dbe2.yaml.gz").read_bytes()))
    out = tmp_path / "sdk"
    command = [
        sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--out", str(out), "--package", "openai_full",
        "--overlay", str(FIXTURES / "openai-2026-08-21.fixes.overlay.yaml"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    kept = (
        "nullable is OpenAPI 3.0",
        "$recursiveRef is JSON Schema 2019-09",
        "webhooks are not generated",
    )  # not fixes
    assert all(any(word in line for word in kept) for line in result.stderr.splitlines()), result.stderr[-3000:]
    ours, fixed = read_tree(full_sdk), read_tree(out)
    assert ours.keys() == fixed.keys()
    differing = [str(name) for name in ours if ours[name] != fixed[name]]
    assert differing == ["openai_full/__init__.py"]  # its sha256 line names the (overlaid) spec


WALK = """
import json, openai_full
from openai_full._base import AsyncAPIResource, SyncAPIResource

def walk(obj, path, found, seen):
    for name in sorted(dir(type(obj))):
        if name.startswith("_") or name in ("with_raw_response", "with_options", "copy", "close"):
            continue
        attribute = getattr(type(obj), name)
        if isinstance(attribute, property) or not hasattr(attribute, "__get__"):
            continue
        value = getattr(obj, name)
        if isinstance(value, (SyncAPIResource, AsyncAPIResource)):
            walk(value, path + (name,), found, seen)
        elif callable(value) and getattr(value, "__module__", "").startswith("openai_full"):
            found.append(".".join(path + (name,)))

for cls in (openai_full.Client, openai_full.AsyncClient):
    found = []
    walk(cls(api_key="k"), (), found, set())
    print(json.dumps(found))
"""


def test_every_operation_is_reachable_through_the_resource_tree(full_sdk: Path) -> None:
    result = subprocess.run([sys.executable, "-c", WALK], cwd=full_sdk, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    sync, async_ = (json.loads(line) for line in result.stdout.splitlines())
    assert sync == async_
    methods = [m for m in sync if not m.endswith("_stream")]
    assert len(methods) == len(set(methods)) == 288  # every operation of the spec, once
    official = {  # names as the official SDK spells them
        "chat.completions.create", "chat.completions.list", "chat.completions.retrieve", "chat.completions.update",
        "chat.completions.delete", "chat.completions.messages.list", "files.create", "files.list", "files.retrieve",
        "files.delete", "files.content", "models.list", "models.retrieve", "models.delete", "embeddings.create",
        "audio.speech.create", "audio.transcriptions.create", "audio.translations.create", "moderations.create",
        "batches.create", "batches.list", "batches.retrieve", "batches.cancel", "vector_stores.create",
        "vector_stores.list", "vector_stores.retrieve", "vector_stores.update", "vector_stores.delete",
        "vector_stores.search", "vector_stores.files.create", "vector_stores.files.list",
        "vector_stores.files.retrieve", "vector_stores.files.update", "vector_stores.files.delete",
        "vector_stores.files.content", "vector_stores.file_batches.create", "vector_stores.file_batches.retrieve",
        "vector_stores.file_batches.cancel", "uploads.create", "uploads.cancel", "uploads.complete",
        "uploads.parts.create", "responses.create", "responses.retrieve", "responses.delete", "responses.cancel",
        "responses.input_items.list", "fine_tuning.jobs.create", "fine_tuning.jobs.cancel",
    }  # fmt: skip
    assert official <= set(methods), sorted(official - set(methods))
    assert "chat.completions.create_stream" in sync  # the streaming twin sits next to its method


def test_the_sdk_is_modules_of_a_few_thousand_lines_loaded_on_first_use(full_sdk: Path) -> None:
    package = full_sdk / "openai_full"
    sizes = {p.relative_to(package).as_posix(): len(p.read_text().splitlines()) for p in package.rglob("*.py")}
    assert max(sizes.values()) <= 4000, max(sizes.items(), key=lambda item: item[1])
    assert sizes["_client.py"] < 400 and "models.py" not in sizes
    code = (
        "import sys, openai_full\n"
        "client = openai_full.Client(api_key='k')\n"
        "loaded = lambda: {m for m in sys.modules if m.startswith('openai_full.')}\n"
        "before = loaded()\n"
        "client.chat.completions.messages.list\n"
        "sys.modules['openai_full.resources.chat_completions']._CREATE_CHAT_COMPLETION.types()  # a first call\n"
        "print(len(before & {m for m in loaded() if '.models' in m or '.resources.' in m}), len(loaded() - before))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=full_sdk, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    at_import, on_use = map(int, result.stdout.split())
    models = len(list((package / "models").glob("*.py")))
    assert at_import == 0  # no resource or model module on import
    assert 3 <= on_use < models // 3  # chat's resources and the models they use, not all of them


def test_the_whole_sdk_passes_mypy_strict(full_sdk: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "openai_full"], cwd=full_sdk, capture_output=True, text=True,
        timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:]


def _generate(tmp: Path, version: str) -> tuple[Path, Any]:
    """The SDK of one upstream version (the spec always named openai.yaml, as `make update-spec`
    keeps one path) and its IR."""
    from codegen.config import Settings
    from codegen.ir.build import build_api
    from codegen.load import load_document
    from codegen.overlay import apply_overlay

    name = next(p.name for p in FIXTURES.glob(f"openai-{version}-*.yaml.gz"))
    spec = tmp / version / "openai.yaml"
    spec.parent.mkdir()
    spec.write_bytes(gzip.decompress((FIXTURES / name).read_bytes()))
    overlay = FIXTURES / f"openai-{version}.fixes.overlay.yaml"  # the same SDK as without (see above)
    out = tmp / version / "sdk"
    command = [sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--overlay", str(overlay)]
    result = subprocess.run(
        [*command, "--out", str(out), "--package", "openai_full"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = apply_overlay(load_document(spec).data, load_document(overlay))
    settings = Settings(spec=spec, out=out, package="openai_full")
    return out / "openai_full", build_api(data, source=str(spec), settings=settings)


def test_a_spec_update_keeps_every_name_and_changes_only_the_files_of_what_changed(tmp_path: Path) -> None:
    from codegen.ir.layout import schema_refs as _schema_refs

    old_dir, old = _generate(tmp_path, "2026-07-15")
    new_dir, new = _generate(tmp_path, "2026-08-21")
    before = {op.operation_id: (op.resource, op.name) for op in old.operations}
    after = {op.operation_id: (op.resource, op.name) for op in new.operations}
    assert len(after) == 288 and len(before) == 281
    assert {k: v for k, v in before.items() if k in after} == {k: after[k] for k in before if k in after}

    def resources(api: Any) -> dict[str, Any]:
        found, stack = {}, [api.root]
        while stack:
            node = stack.pop()
            found[node.module or "_client"] = (node.operations, [c.attribute for c in node.children])
            stack.extend(node.children)
        return found

    def models(api: Any) -> dict[str, tuple[str, str]]:
        return {m.name: (m.module, repr((m.kind, m.fields, json.dumps(m.schema, sort_keys=True)))) for m in api.models}

    old_res, new_res, old_models, new_models = resources(old), resources(new), models(old), models(new)
    schemas = {m.name: m.schema for m in new.models}
    changed = sorted(
        p.relative_to(new_dir).as_posix()
        for p in new_dir.rglob("*.py")
        if not (old_dir / p.relative_to(new_dir)).is_file()
        or (old_dir / p.relative_to(new_dir)).read_bytes() != p.read_bytes()
    )
    for path in changed:
        module = path.removesuffix(".py").split("/")[-1]
        if path.startswith("resources/"):
            assert old_res.get(module) != new_res.get(module), f"{path} changed, its resource did not"
        elif path.startswith("models/") and module != "__init__":
            touched = {n for n, (m, _) in {**old_models, **new_models}.items() if m == module}
            used = {r for n in touched for r in _schema_refs(schemas.get(n, {}))}  # what it imports
            assert any(old_models.get(n) != new_models.get(n) for n in touched | used), f"{path}: nothing changed"
    # A big group's parts (`responses_2`, `responses_1_2`) may regroup as it grows, but a model leaves
    # its group only when the operations that use it change.
    group = re.compile(r"_\d+(_\d+)?$")
    moved = [n for n in old_models if n in new_models and old_models[n][0] != new_models[n][0]]
    left = [n for n in moved if group.sub("", old_models[n][0]) != group.sub("", new_models[n][0])]
    assert len(left) <= len(old_models) // 100, left


PAGING = """
import asyncio, json, sys, openai_full

base, out = sys.argv[1], {}
with openai_full.Client(api_key="k", base_url=base, max_retries=0) as client:
    out["chat"] = [c.id for c in client.chat.completions.list(limit=2, model="gpt-x")]
    page = client.files.list(purpose="assistants")
    out["files_page"] = [type(page).__name__, [f.id for f in page.data], page.has_next_page()]
    out["files"] = [f.id for f in page]
    out["models"] = type(client.models.list()).__name__


async def main():
    async with openai_full.AsyncClient(api_key="k", base_url=base, max_retries=0) as client:
        out["achat"] = [c.id async for c in client.chat.completions.list(limit=2)]
        first = await client.files.list()
        out["afiles_page"] = [type(first).__name__, [f.id for f in first.data]]
        out["afiles"] = [f.id async for f in client.files.list()]

asyncio.run(main())
print(json.dumps(out))
"""


def test_list_endpoints_walk_every_page_sync_and_async(full_sdk: Path, httpserver: Any) -> None:
    """The cursor rule finds the upstream API's list operations (51 of them, `GET /models` not among them:
    it has no `has_more`), and `chat.completions.list()` and `files.list()` walk every page on loopback."""
    from werkzeug import Request, Response

    sources = "\n".join(p.read_text() for p in (full_sdk / "openai_full").rglob("*.py"))
    assert re.findall(r'paging=Paging\(\s*"(\w+)"', sources) == ["cursor"] * 51
    items = {
        "/v1/chat/completions": [{"id": f"cc{n}", "object": "chat.completion", "created": n, "model": "gpt-x",
                                  "choices": []} for n in range(1, 6)],
        "/v1/files": [{"id": f"file-{n}", "object": "file", "bytes": n, "created_at": n, "filename": f"{n}.txt",
                       "purpose": "assistants", "status": "processed"} for n in range(1, 6)],
    }  # fmt: skip
    seen: list[tuple[str, str | None]] = []

    def handler(request: Request) -> Response:
        data = items[request.path]
        after = request.args.get("after")
        seen.append((request.path, after))
        start = next((i + 1 for i, item in enumerate(data) if item["id"] == after), 0)
        page = data[start : start + int(request.args.get("limit", 2))]
        body = {"object": "list", "data": page, "first_id": page[0]["id"], "last_id": page[-1]["id"],
                "has_more": start + len(page) < len(data)}  # fmt: skip
        return Response(json.dumps(body), content_type="application/json")

    for path in items:
        httpserver.expect_request(path, method="GET").respond_with_handler(handler)
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": []})
    command = [sys.executable, "-c", PAGING, httpserver.url_for("/v1")]
    result = subprocess.run(command, cwd=full_sdk, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout)
    chats, files = [f"cc{n}" for n in range(1, 6)], [f"file-{n}" for n in range(1, 6)]
    assert out["chat"] == out["achat"] == chats
    assert out["files"] == out["afiles"] == files
    assert out["files_page"] == ["SyncCursorPage", ["file-1", "file-2"], True]
    assert out["afiles_page"] == ["AsyncCursorPage", ["file-1", "file-2"]]
    assert out["models"] == "ListModelsResponse"  # no has_more: one response, not a page
    chat_requests = [after for path, after in seen if path == "/v1/chat/completions"]
    assert chat_requests == [None, "cc2", "cc4"] * 2  # sync, then async: three pages each
