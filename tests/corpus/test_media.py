"""media-30: bodies, responses and parameters as real APIs send them, checked on the wire.

Form-urlencoded fields (with an `encoding` style), raw bytes from bytes, files, paths and
iterators, a text body, a vendor `+json` body, XML offered beside form (form wins, XML comes back
as text), a `*/*` response described by a JSON schema (parsed), an image (bytes), and query, path,
header and cookie parameters in their styles.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qsl

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support.corpus import generate, imported

PET = {"id": 7, "name": "Rex", "nicknames": ["r"], "age": 3}


@pytest.fixture(scope="module")
def kennel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    generation = generate("media-30", tmp_path_factory.mktemp("media"))
    assert "application/xml is returned as text" in generation.stderr  # said, not silently done
    with imported(generation) as package:
        yield package


@pytest.fixture
def seen(httpserver: HTTPServer) -> list[tuple[Request, bytes]]:
    requests: list[tuple[Request, bytes]] = []

    def handler(request: Request) -> Response:
        body = request.get_data()  # read it all, streamed uploads included
        requests.append((request, body))
        path = request.path
        if path == "/pets" or (path.startswith("/pets/") and request.method == "PATCH"):
            return Response(json.dumps(PET), content_type="application/vnd.kennel.v1+json")
        if path.endswith("/photo") and request.method == "PUT":
            return Response(f"stored {len(body)} bytes", content_type="text/plain")
        if path.endswith("/photo"):
            return Response(b"\x89PNG\r\n", content_type="image/png")
        if path == "/notes":
            return Response(f"<note>{body.decode()}</note>", content_type="application/xml")
        if path == "/export":
            return Response(json.dumps([PET]), content_type="application/octet-stream")
        return Response(json.dumps([PET]), content_type="application/json")

    httpserver.expect_request("").respond_with_handler(handler)
    return requests


@pytest.fixture
def client(kennel: ModuleType, httpserver: HTTPServer) -> Iterator[object]:
    with kennel.Client(base_url=httpserver.url_for("/"), max_retries=0) as made:
        yield made


def test_a_form_body_is_urlencoded_with_its_encoding_styles(client: object, seen: list[tuple[Request, bytes]]) -> None:
    pet = client.add_pet(name="Rex", nicknames=["r", "x"], age=3)  # type: ignore[attr-defined]
    request, body = seen[0]
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"  # not XML, though offered first
    assert parse_qsl(body.decode()) == [("name", "Rex"), ("nicknames", "r|x"), ("age", "3")]
    assert request.headers["Accept"] == "application/vnd.kennel.v1+json"
    assert pet.id == 7 and pet.nicknames == ["r"]  # the vendor JSON is parsed


@pytest.mark.parametrize("kind", ["bytes", "file", "path", "iterator"])
def test_raw_bytes_go_up_as_given(client: object, seen: list[tuple[Request, bytes]], tmp_path: Path, kind: str) -> None:
    content = b"\x00\x01binary\xff"
    path = tmp_path / "photo.bin"
    path.write_bytes(content)
    given = {"bytes": content, "file": io.BytesIO(content), "path": path, "iterator": iter([content[:3], content[3:]])}
    answer = client.upload_photo(5, body=given[kind])  # type: ignore[attr-defined]
    request, body = seen[0]
    assert body == content and request.headers["Content-Type"] == "application/octet-stream"
    assert answer == f"stored {len(content)} bytes"  # text/plain comes back as str


def test_an_image_comes_back_as_bytes(client: object, seen: list[tuple[Request, bytes]]) -> None:
    assert client.get_photo(5) == b"\x89PNG\r\n"  # type: ignore[attr-defined]
    assert seen[0][0].headers["Accept"] == "image/png"


def test_text_bodies_and_xml_answers_are_text(client: object, seen: list[tuple[Request, bytes]]) -> None:
    note = client.add_note(body="walk at 5")  # type: ignore[attr-defined]
    request, body = seen[0]
    assert body == b"walk at 5" and request.headers["Content-Type"] == "text/plain"
    assert note == "<note>walk at 5</note>"


def test_a_vendor_json_body_is_validated_and_sent_with_its_media_type(
    client: object, seen: list[tuple[Request, bytes]]
) -> None:
    client.patch_pet(7, name="Max")  # type: ignore[attr-defined]
    request, body = seen[0]
    assert request.headers["Content-Type"] == "application/merge-patch+json" and json.loads(body) == {"name": "Max"}
    with pytest.raises(ValueError, match="name"):
        client.patch_pet(7, name=3)  # type: ignore[attr-defined]
    assert len(seen) == 1


def test_a_wildcard_response_with_a_json_schema_is_parsed(client: object, seen: list[tuple[Request, bytes]]) -> None:
    (pet,) = client.export_all()  # type: ignore[attr-defined]
    assert pet.name == "Rex" and seen[0][0].headers["Accept"] == "application/json"


def test_parameters_in_every_style(client: object, seen: list[tuple[Request, bytes]]) -> None:
    client.search_pets(  # type: ignore[attr-defined]
        [1, 2],
        names=["a b", "c"],
        filter={"kind": "dog", "size": "s"},
        tags=["x", "y"],
        x_colors=["red", "tan"],
        session="s-1",
    )
    request, _ = seen[0]
    raw_path, _, raw_query = request.environ["REQUEST_URI"].partition("?")
    assert raw_path == "/search/.1.2"  # label, exploded
    assert parse_qsl(raw_query) == [
        ("names", "a b c"),  # spaceDelimited
        ("filter[kind]", "dog"),  # deepObject
        ("filter[size]", "s"),
        ("tags", "x"),  # form, exploded (the default)
        ("tags", "y"),
    ]
    assert request.headers["X-Colors"] == "red,tan" and request.cookies["session"] == "s-1"


def test_async_clients_send_the_same(
    kennel: ModuleType, httpserver: HTTPServer, seen: list[tuple[Request, bytes]]
) -> None:
    async def run() -> object:
        async with kennel.AsyncClient(base_url=httpserver.url_for("/"), max_retries=0) as made:
            return await made.add_pet(name="Rex", nicknames=["a"])

    assert asyncio.run(run()).id == 7  # type: ignore[attr-defined]
    assert parse_qsl(seen[0][1].decode()) == [("name", "Rex"), ("nicknames", "a")]
