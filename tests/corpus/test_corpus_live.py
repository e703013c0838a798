"""The corpus SDKs against a real HTTP server on loopback, sync and async.

Each spec in tests/fixtures/specs/ is generated once per session (tests/support/corpus.py) into a temporary
directory, which goes on sys.path; its package (named after the spec: `operations-30.yaml` →
`operations_30`) is imported and its client called against pytest-httpserver. Every assertion reads
what went on the wire (method, raw path, query pairs, headers, JSON or multipart body) or what came
back (models, attributes, errors, bytes).
"""

from __future__ import annotations

import ast
import asyncio
import functools
import importlib
import inspect
import json
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pydantic
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support import ROOT
from tests.support.corpus import Generation, session_corpus, spec_path

API_KEY = "sk-corpus"


def version_params(prefix: str) -> list[Any]:
    """The 3.0 and 3.1 spellings of one theme."""
    return [pytest.param(f"{prefix}-{v}", id=v) for v in ("30", "31")]


# -- generating, importing and calling ----------------------------------------------------------


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generation]:
    return session_corpus(tmp_path_factory.mktemp("corpus"))


def load(corpus: dict[str, Generation], stem: str) -> ModuleType:
    """Import the package generated from `stem` from the session's output directory."""
    generation = corpus[stem]
    if not generation.ok:
        pytest.fail(f"{stem} did not generate: {generation.stderr.strip()}", pytrace=False)
    out = str(generation.out)
    if out not in sys.path:
        sys.path.insert(0, out)
    return importlib.import_module(generation.package)


@dataclass
class Sdk:
    """One generated package and a way to call its client, sync or async, against the test server."""

    package: ModuleType
    mode: str
    base_url: str
    names: Mapping[str, str] = field(default_factory=dict)  # method name → its path on a client with resources

    @property
    def models(self) -> ModuleType:
        return importlib.import_module(f"{self.package.__name__}.models")

    def call(self, method: str, *args: Any, client_options: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        credentials = {"api_key": API_KEY} if "api_key" in self.package._constants.AUTH_SCHEMES else {}
        options = {**credentials, "base_url": self.base_url, "max_retries": 0, **(client_options or {})}
        path = self.names.get(method, method).split(".")
        if self.mode == "sync":
            with self.package.Client(**options) as client:
                return functools.reduce(getattr, path, client)(*args, **kwargs)

        async def run() -> Any:
            async with self.package.AsyncClient(**options) as client:
                return await functools.reduce(getattr, path, client)(*args, **kwargs)

        return asyncio.run(run())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def sdk_for(stem: str, corpus: dict[str, Generation], mode: str, httpserver: HTTPServer, prefix: str = "") -> Sdk:
    return Sdk(load(corpus, stem), mode, httpserver.url_for(prefix or "/"))


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    raw_uri: str  # path and query exactly as sent, percent-encoding included
    headers: dict[str, str]
    query: list[tuple[str, str]]
    body: bytes = b""
    form: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[tuple[str | None, str | None, bytes]]] = field(default_factory=dict)

    @property
    def raw_path(self) -> str:
        return self.raw_uri.split("?", 1)[0]

    def json(self) -> Any:
        return json.loads(self.body)


def serve(
    httpserver: HTTPServer,
    method: str,
    path: str,
    payload: Any = None,
    *,
    status: int = 200,
    raw: bytes | None = None,
    content_type: str = "application/json",
) -> list[Seen]:
    """Answer one request to `path` (as the server decodes it); returns the list it is recorded in."""
    seen: list[Seen] = []

    def handler(request: Request) -> Response:
        raw_uri = request.environ.get("RAW_URI") or request.environ["REQUEST_URI"]
        record = Seen(
            method=request.method,
            raw_uri=raw_uri,
            headers=dict(request.headers.items()),
            query=parse_qsl(request.query_string.decode(), keep_blank_values=True),
        )
        if request.mimetype == "multipart/form-data":
            record.form = {key: request.form.getlist(key) for key in request.form}
            record.files = {
                key: [(f.filename, f.mimetype or None, f.read()) for f in request.files.getlist(key)]
                for key in request.files
            }
        else:
            record.body = request.get_data()
        seen.append(record)
        if raw is not None:
            return Response(raw, status=status, content_type=content_type)
        if payload is None:
            return Response(b"", status=status)
        return Response(json.dumps(payload), status=status, content_type=content_type)

    httpserver.expect_oneshot_request(path, method=method).respond_with_handler(handler)
    return seen


def kwarg_for(function: Callable[..., Any], wire: str) -> str:
    """The argument name a generated method uses for a wire name, read from its `{"wire": name}` dicts."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == wire and isinstance(value, ast.Name):
                    return value.id
    raise AssertionError(f"{function.__qualname__} sends no {wire!r}")


def as_data(body: object) -> object:
    """An error body as plain data, whether the SDK gives a model or what it decoded."""
    return (
        body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if isinstance(body, pydantic.BaseModel)
        else body
    )


def field_for(model: type[pydantic.BaseModel], wire: str) -> str:
    """The attribute a model keeps a wire name in."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == wire:
            return name
    raise AssertionError(f"{model.__name__} has no field for {wire!r}")


# == theme: schemas (schemas-30.yaml, schemas-31.yaml) ===========================================

SPECIMEN: dict[str, Any] = {
    "id": "sp-1",
    "badge": {"text": "Rare", "hue": 120},
    "kind": "specimen",
    "code": "A-7",
    "contact": {"phone": "+1 555 0100"},
    "season": "summer",
    "priority": 2,
    "soil": "loam",
    "nickname": None,
    "watered_by": {"text": "Ada"},
    "labels": {"bed": "north", "light": "full sun"},
    "badges_by_year": {"2023": {"text": "Best in show"}, "2024": {"text": "Runner-up", "hue": 30}},
    "attributes": {"height": {"cm": 40}, "toxic": False},
    "extras": {"anything": [1, "two", None]},
    "anything": [1, {"two": 2}],
    "grid": [[1.5, 2.25], [], [3.0]],
    "created_at": "2024-05-06T07:08:09Z",
    "planted_on": "2024-03-01",
    "homepage": "https://garden.example.test/specimens/sp-1?view=full",
    "height_cm": 42.5,
    "water_per_week": 5,
    "climate": "wet",
    "tags": ["perennial"],
    "latin_name": "Rosa canina",
    "location": {"bed": "B2", "row": 3, "coordinates": {"x": 1.0, "y": -2.5}},
}
SPECIMEN_REQUIRED = {k: SPECIMEN[k] for k in ("id", "badge", "kind", "code", "season", "priority", "created_at")}
SPECIMEN_MINIMAL = {**SPECIMEN_REQUIRED, "soil": None}


@pytest.fixture(params=version_params("schemas"))
def schemas(request: pytest.FixtureRequest, corpus: dict[str, Generation], mode: str, httpserver: HTTPServer) -> Sdk:
    return sdk_for(request.param, corpus, mode, httpserver, "/api")


def get_specimen(sdk: Sdk, httpserver: HTTPServer, payload: dict[str, Any], **options: Any) -> Any:
    seen = serve(httpserver, "GET", "/api/specimens/sp-1", payload)
    specimen = sdk.call("get_specimen", "sp-1", client_options=options)
    assert [s.raw_uri for s in seen] == ["/api/specimens/sp-1"]
    return specimen


def test_specimen_parses_field_by_field_and_round_trips(schemas: Sdk, httpserver: HTTPServer) -> None:
    models = schemas.models
    specimen = get_specimen(schemas, httpserver, SPECIMEN)
    assert isinstance(specimen, models.Specimen)
    # $ref chain Badge -> Emblem -> Label: the field holds a Label
    assert isinstance(specimen.badge, models.Label) and (specimen.badge.text, specimen.badge.hue) == ("Rare", 120)
    assert specimen.kind == "specimen"
    # anyOf without a discriminator: the branch whose required fields are there
    assert isinstance(specimen.contact, models.PhoneContact) and specimen.contact.phone == "+1 555 0100"
    assert specimen.code == "A-7"
    # nullable scalar and nullable reference
    assert specimen.nickname is None
    assert isinstance(specimen.watered_by, models.Label) and specimen.watered_by.text == "Ada"
    # maps and free-form objects
    assert specimen.labels == {"bed": "north", "light": "full sun"}
    assert isinstance(specimen.badges_by_year["2024"], models.Label) and specimen.badges_by_year["2024"].hue == 30
    assert specimen.attributes == {"height": {"cm": 40}, "toxic": False}
    assert specimen.extras == {"anything": [1, "two", None]} and specimen.anything == [1, {"two": 2}]
    # arrays of arrays
    assert specimen.grid == [[1.5, 2.25], [], [3.0]]
    # formats
    assert specimen.created_at == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert str(specimen.planted_on) == "2024-03-01"
    assert str(specimen.homepage) == "https://garden.example.test/specimens/sp-1?view=full"
    # inline objects get classes of their own, named from where they sit
    assert isinstance(specimen.location, models.SpecimenLocation) and specimen.location.bed == "B2"
    assert isinstance(specimen.location.coordinates, models.SpecimenLocationCoordinates)
    assert specimen.location.coordinates.y == -2.5
    assert (specimen.height_cm, specimen.water_per_week, specimen.climate, specimen.tags) == (
        42.5,
        5,
        "wet",
        ["perennial"],
    )
    # round trip: what was sent comes back out, original names and values
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dumping must not trip the deprecated field
        assert specimen.to_dict(mode="json") == SPECIMEN
    assert json.loads(specimen.to_json()) == SPECIMEN


def test_code_union_keeps_strings_and_integers_apart(schemas: Sdk, httpserver: HTTPServer) -> None:
    specimen = get_specimen(schemas, httpserver, {**SPECIMEN_MINIMAL, "code": 7, "contact": {"email": "a@b.test"}})
    assert specimen.code == 7 and type(specimen.code) is int
    assert isinstance(specimen.contact, schemas.models.EmailContact)
    specimen = get_specimen(schemas, httpserver, {**SPECIMEN_MINIMAL, "code": "7"})
    assert specimen.code == "7" and type(specimen.code) is str


def test_string_and_integer_enums_compare_to_their_values(schemas: Sdk, httpserver: HTTPServer) -> None:
    models = schemas.models
    specimen = get_specimen(schemas, httpserver, SPECIMEN)
    assert isinstance(specimen.season, models.Season) and specimen.season == "summer"
    assert specimen.season is models.Season("summer")
    assert isinstance(specimen.priority, models.Priority) and specimen.priority == 2
    assert [m.value for m in models.Season] == ["spring", "summer", "autumn", "winter"]


def test_nullable_enum_compares_to_strings(schemas: Sdk, httpserver: HTTPServer) -> None:
    specimen = get_specimen(schemas, httpserver, SPECIMEN)
    assert specimen.soil == "loam" and isinstance(specimen.soil, str)


def test_nullable_enum_takes_null(schemas: Sdk, httpserver: HTTPServer) -> None:
    specimen = get_specimen(schemas, httpserver, SPECIMEN_MINIMAL, strict_response_validation=True)
    assert specimen.soil is None


def test_required_nullable_field_may_be_null_but_not_missing(schemas: Sdk) -> None:
    Specimen = schemas.models.Specimen
    assert Specimen.model_validate(SPECIMEN_MINIMAL).soil is None
    with pytest.raises(pydantic.ValidationError, match="soil"):
        Specimen.model_validate(SPECIMEN_REQUIRED)


def test_defaults_apply_when_fields_are_absent(schemas: Sdk, httpserver: HTTPServer) -> None:
    specimen = get_specimen(schemas, httpserver, SPECIMEN_MINIMAL, strict_response_validation=True)
    assert specimen.water_per_week == 3
    assert specimen.tags == []
    assert specimen.nickname is None and specimen.location is None and specimen.labels is None
    assert specimen.to_dict() == {**SPECIMEN_MINIMAL, "created_at": specimen.created_at}  # defaults are not "sent"


def test_enum_default_applies_when_absent(schemas: Sdk) -> None:
    assert schemas.models.Specimen.model_validate(SPECIMEN_MINIMAL).climate == "dry"


def test_deprecated_field_warns_when_read(schemas: Sdk) -> None:
    specimen = schemas.models.Specimen.model_validate(SPECIMEN)
    with pytest.warns(DeprecationWarning):
        assert specimen.latin_name == "Rosa canina"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert specimen.nickname is None  # other fields stay quiet


@pytest.mark.parametrize(("height", "valid"), [(0, False), (0.001, True), (999.9, True), (1000, False), (-1, False)])
def test_exclusive_bounds(schemas: Sdk, height: float, valid: bool) -> None:
    """3.0 `minimum: 0, exclusiveMinimum: true` and 3.1 `exclusiveMinimum: 0` mean the same thing."""
    Specimen = schemas.models.Specimen
    if valid:
        assert Specimen.model_validate({**SPECIMEN_MINIMAL, "height_cm": height}).height_cm == height
    else:
        with pytest.raises(pydantic.ValidationError, match="height_cm"):
            Specimen.model_validate({**SPECIMEN_MINIMAL, "height_cm": height})


def test_allof_extends_the_base(schemas: Sdk, httpserver: HTTPServer) -> None:
    models = schemas.models
    payload = {"id": "n-1", "created_at": "2024-01-02T03:04:05+02:00", "title": "Pruning", "body": None}
    serve(httpserver, "GET", "/api/notes/n-1", payload)
    note = schemas.call("get_note", "n-1", client_options={"strict_response_validation": True})
    assert isinstance(note, models.Note) and isinstance(note, models.Record)
    assert (note.id, note.title, note.body) == ("n-1", "Pruning", None)
    assert note.created_at.utcoffset() == timedelta(hours=2)
    assert note.to_dict(mode="json") == payload
    with pytest.raises(pydantic.ValidationError, match="title"):
        models.Note.model_validate({"id": "n-1", "created_at": "2024-01-02T03:04:05Z"})  # the extension's required
    with pytest.raises(pydantic.ValidationError, match="created_at"):
        models.Note.model_validate({"id": "n-1", "title": "t"})  # the base's required


def test_oneof_discriminator_picks_the_class_both_ways(schemas: Sdk, httpserver: HTTPServer) -> None:
    models = schemas.models
    seen = serve(httpserver, "POST", "/api/shapes", {"kind": "square", "side": 2.0})
    shape = schemas.call("echo_shape", body=models.Circle(kind="circle", radius=1.5))
    assert seen[0].json() == {"kind": "circle", "radius": 1.5}
    assert seen[0].headers["Content-Type"] == "application/json"
    assert isinstance(shape, models.Square) and shape.side == 2.0

    seen = serve(httpserver, "POST", "/api/shapes", {"kind": "circle", "radius": 3.0})
    shape = schemas.call("echo_shape", body={"kind": "square", "side": 4.0})
    assert seen[0].json() == {"kind": "square", "side": 4.0}
    assert isinstance(shape, models.Circle) and shape.radius == 3.0


@pytest.mark.parametrize(
    ("payload", "cls"),
    [
        ({"method": "card", "last4": "4242"}, "CardPayment"),
        ({"method": "transfer", "iban": "XX00 1"}, "TransferPayment"),
    ],
)
def test_anyof_discriminator_picks_the_class(
    schemas: Sdk, httpserver: HTTPServer, payload: dict[str, Any], cls: str
) -> None:
    serve(httpserver, "GET", "/api/payments/p-1", payload)
    payment = schemas.call("get_payment", "p-1", client_options={"strict_response_validation": True})
    assert type(payment) is getattr(schemas.models, cls)
    assert payment.method == payload["method"] and payment.to_dict() == payload


@pytest.mark.parametrize(
    ("method", "payload", "cls"),
    [
        pytest.param("get_pet", {"pet_type": "Cat", "name": "Tom"}, "Cat", id="pet-first-branch"),
        pytest.param("get_vehicle", {"type": "car", "wheels": 4}, "Car", id="vehicle-first-branch"),
        pytest.param("get_pet", {"pet_type": "Dog", "name": "Rex"}, "Dog", id="pet-second-branch"),
        pytest.param("get_vehicle", {"type": "bike", "wheels": 2}, "Bike", id="vehicle-second-branch"),
    ],
)
def test_plain_string_discriminator_picks_the_class(
    schemas: Sdk, httpserver: HTTPServer, method: str, payload: dict[str, Any], cls: str
) -> None:
    serve(httpserver, "GET", f"/api/{method.removeprefix('get_')}s/x-1", payload)
    value = schemas.call(method, "x-1", client_options={"strict_response_validation": True})
    assert type(value) is getattr(schemas.models, cls) and value.to_dict() == payload


def test_read_only_property_is_not_a_request_argument(schemas: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "POST", "/api/gardeners", {"id": "g-1", "name": "Ada", "experience_years": 12}, status=201)
    gardener = schemas.call("create_gardener", name="Ada", password="s3cret", experience_years=12)
    assert seen[0].json() == {"name": "Ada", "password": "s3cret", "experience_years": 12}
    assert gardener.id == "g-1"


def test_write_only_property_may_be_absent_from_a_response(schemas: Sdk, httpserver: HTTPServer) -> None:
    serve(httpserver, "GET", "/api/gardeners/g-1", {"id": "g-1", "name": "Ada"})
    gardener = schemas.call("get_gardener", "g-1", client_options={"strict_response_validation": True})
    assert (gardener.id, gardener.name) == ("g-1", "Ada")


def test_write_only_property_is_sent(schemas: Sdk, httpserver: HTTPServer) -> None:
    """Whatever happens to readOnly `id`, the writeOnly password goes out; pass `id` only if asked for it."""
    seen = serve(httpserver, "POST", "/api/gardeners", {"id": "g-1", "name": "Ada"}, status=201)
    create = schemas.package.Client.create_gardener
    extra: dict[str, Any] = {"id": "g-0"} if "id" in inspect.signature(create).parameters else {}
    schemas.call("create_gardener", name="Ada", password="s3cret", **extra)
    assert seen[0].json()["password"] == "s3cret"


@pytest.mark.parametrize(("years", "valid"), [(0, True), (99, True), (100, False), (-1, False)])
def test_body_bounds_are_checked_before_sending(schemas: Sdk, years: int, valid: bool) -> None:
    """experience_years: 3.0 `maximum: 100, exclusiveMaximum: true`, 3.1 `exclusiveMaximum: 100`."""
    Gardener = schemas.models.Gardener
    body = {"id": "g-1", "name": "Ada", "password": "pw", "experience_years": years}
    if valid:
        assert Gardener.model_validate(body).experience_years == years
    else:
        with pytest.raises(pydantic.ValidationError, match="experience_years"):
            Gardener.model_validate(body)


def test_body_out_of_bounds_fails_before_sending(schemas: Sdk, httpserver: HTTPServer) -> None:
    create = schemas.package.Client.create_gardener
    extra: dict[str, Any] = {"id": "g-0"} if "id" in inspect.signature(create).parameters else {}
    with pytest.raises(ValueError, match="experience_years"):
        schemas.call("create_gardener", name="Ada", password="pw", experience_years=100, **extra)
    assert httpserver.log == []


# == theme: schemas, recursion (recursion-30.yaml, recursion-31.yaml) ============================

TREE: dict[str, Any] = {
    "name": "root",
    "parent": None,
    "children": [
        {"name": "a", "children": [{"name": "a1", "children": []}, {"name": "a2"}]},
        {"name": "b"},
    ],
}


@pytest.fixture(params=version_params("recursion"))
def recursion(request: pytest.FixtureRequest, corpus: dict[str, Generation], mode: str, httpserver: HTTPServer) -> Sdk:
    return sdk_for(request.param, corpus, mode, httpserver)


def test_recursive_model_parses_a_three_level_tree(recursion: Sdk, httpserver: HTTPServer) -> None:
    TreeNode = recursion.models.TreeNode
    serve(httpserver, "GET", "/trees/t-1", TREE)
    tree = recursion.call("get_tree", "t-1", client_options={"strict_response_validation": True})
    assert isinstance(tree, TreeNode) and tree.parent is None
    assert [child.name for child in tree.children] == ["a", "b"]
    leaf = tree.children[0].children[0]
    assert isinstance(leaf, TreeNode) and leaf.name == "a1" and leaf.children == []
    assert tree.children[1].children is None
    assert tree.to_dict() == TREE


def test_recursive_model_goes_out_nested(recursion: Sdk, httpserver: HTTPServer) -> None:
    TreeNode = recursion.models.TreeNode
    seen = serve(httpserver, "PUT", "/trees/t 1", {"name": "root"})
    leaf = TreeNode(name="a1", parent=TreeNode(name="a"))
    recursion.call("replace_tree", "t 1", name="root", children=[TreeNode(name="a", children=[leaf])])
    assert seen[0].raw_path == "/trees/t%201"
    assert seen[0].json() == {
        "name": "root",
        "children": [{"name": "a", "children": [{"name": "a1", "parent": {"name": "a"}}]}],
    }


def test_mutually_recursive_models(recursion: Sdk, httpserver: HTTPServer) -> None:
    models = recursion.models
    payload = {
        "name": "Grace",
        "employer": {"name": "Acme", "founder": {"name": "Ada"}, "subsidiaries": [{"name": "Acme Labs"}]},
    }
    serve(httpserver, "GET", "/people/p-1", payload)
    person = recursion.call("get_person", "p-1")
    assert isinstance(person.employer, models.Company) and isinstance(person.employer.founder, models.Person)
    assert person.employer.subsidiaries[0].name == "Acme Labs"
    assert person.to_dict() == payload


# == theme: names (names-31.yaml) ================================================================

KEYWORDS: dict[str, Any] = {
    "class": "Algebra",
    "from": "2021",
    "type": "course",
    "import": True,
    "list": ["a", "b"],
    "id": 7,
    "dashed-name": "dash",
    "dotted.name": "dot",
    "2fa-enabled": True,
    "@context": "https://schema.example.test",
    "UPPER_CASE": "up",
    "camelCaseName": "camel",
    "json": "{}",
    "schema": "s",
    "state": "in-progress",
}
COLLISIONS = {"fooBar": "camel", "foo_bar": "snake", "foo-bar": "kebab", "FooBar": "pascal"}


@pytest.fixture
def names(corpus: dict[str, Generation], mode: str, httpserver: HTTPServer) -> Sdk:
    return sdk_for("names-31", corpus, mode, httpserver, "/v2")


def test_keyword_and_odd_parameter_names_reach_the_wire(names: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "GET", "/v2/classes/Intro to Python/101", KEYWORDS)
    second = kwarg_for(names.package.Client.get_class, "2nd")
    keywords = names.call(
        "get_class",
        "Intro to Python/101",
        from_="2020-01",
        type="lecture",
        import_=3,
        page_size=25,
        filter_name="ada",
        x_request_class="seminar",
        **dict[str, Any]({second: "yes"}),
    )
    (request,) = seen
    assert request.method == "GET"
    assert request.raw_path == "/v2/classes/Intro%20to%20Python%2F101"
    assert request.query == [
        ("from", "2020-01"),
        ("type", "lecture"),
        ("import", "3"),
        ("page-size", "25"),
        ("filter.name", "ada"),
        ("2nd", "yes"),
    ]
    assert request.headers["X-Request-Class"] == "seminar"
    assert second.isidentifier() and not second[0].isdigit()
    # attributes: keywords get a trailing underscore, dashes and dots become underscores
    assert (keywords.class_, keywords.from_, keywords.import_, keywords.type) == ("Algebra", "2021", True, "course")
    assert (keywords.dashed_name, keywords.dotted_name, keywords.id) == ("dash", "dot", 7)
    for wire in ("2fa-enabled", "@context", "list", "json", "schema"):  # some identifier, whatever it is
        assert getattr(keywords, field_for(type(keywords), wire)) == KEYWORDS[wire]
    assert keywords.to_dict() == KEYWORDS
    assert json.loads(keywords.to_json()) == KEYWORDS
    assert keywords.model_extra == {}


def test_keyword_body_properties_go_out_under_their_wire_names(names: Sdk, httpserver: HTTPServer) -> None:
    create = names.package.Client.create_class
    arguments = {kwarg_for(create, wire): value for wire, value in KEYWORDS.items()}
    assert {"class_", "from_", "import_", "type", "dashed_name", "dotted_name"} <= arguments.keys()
    seen = serve(httpserver, "POST", "/v2/classes", KEYWORDS, status=201)
    created = names.call("create_class", **arguments)
    assert seen[0].json() == KEYWORDS
    assert isinstance(created, names.models.Keywords) and created.class_ == "Algebra"


def test_dashed_operation_id_becomes_a_snake_case_method(names: Sdk) -> None:
    assert callable(names.package.Client.create_class) and callable(names.package.AsyncClient.create_class)


def test_enum_values_that_are_not_identifiers(names: Sdk) -> None:
    State = names.models.KeywordsState
    assert [member.value for member in State] == ["in-progress", "done.ok", "3d", "class", "none", "None"]
    for value in ("in-progress", "done.ok", "3d", "class", "none", "None"):
        keywords = names.models.Keywords.model_validate({"class": "c", "from": "f", "state": value})
        assert keywords.state == value and keywords.state is State(value)
        assert keywords.to_dict(mode="json")["state"] == value


def test_names_that_collide_after_conversion_stay_apart(names: Sdk, httpserver: HTTPServer) -> None:
    send = names.package.Client.send_collisions
    arguments: dict[str, Any] = {kwarg_for(send, wire): value for wire, value in COLLISIONS.items()}
    assert len(arguments) == 4
    seen = serve(httpserver, "POST", "/v2/collisions", COLLISIONS)
    collisions = names.call("send_collisions", **arguments)
    assert seen[0].json() == COLLISIONS
    Collisions = names.models.Collisions
    attributes = {wire: field_for(Collisions, wire) for wire in COLLISIONS}
    assert len(set(attributes.values())) == 4
    assert {wire: getattr(collisions, name) for wire, name in attributes.items()} == COLLISIONS
    assert collisions.to_dict() == COLLISIONS


def test_model_attributes_are_snake_case(names: Sdk) -> None:
    keywords = names.models.Keywords.model_validate(KEYWORDS)
    assert (keywords.camel_case_name, keywords.upper_case) == ("camel", "up")
    for model in (names.models.Keywords, names.models.Collisions):
        assert all(name == name.lower() for name in model.model_fields), list(model.model_fields)


@pytest.mark.parametrize(
    ("method", "model", "wires"),
    [("create_class", "Keywords", KEYWORDS), ("send_collisions", "Collisions", COLLISIONS)],
)
def test_model_attribute_and_keyword_argument_agree(names: Sdk, method: str, model: str, wires: dict[str, Any]) -> None:
    function = getattr(names.package.Client, method)
    cls = getattr(names.models, model)
    mismatched = {
        w: (field_for(cls, w), kwarg_for(function, w)) for w in wires if field_for(cls, w) != kwarg_for(function, w)
    }
    assert not mismatched, mismatched


def test_operation_ids_that_collide_get_a_method_each(names: Sdk, httpserver: HTTPServer) -> None:
    methods = sorted(name for name in dir(names.package.Client) if name.startswith("list_tags"))
    assert len(methods) == 2, methods
    tags, groups = serve(httpserver, "GET", "/v2/tags", ["a"]), serve(httpserver, "GET", "/v2/tag-groups", [1])
    results = [names.call(method) for method in methods]
    assert sorted(map(str, results)) == ["['a']", "[1]"]
    assert len(tags) == len(groups) == 1


# == theme: names the client itself uses (names-reserved-31.yaml) ================================


def test_parameters_named_like_the_methods_own_arguments(
    corpus: dict[str, Generation], mode: str, httpserver: HTTPServer
) -> None:
    sdk = sdk_for("names-reserved-31", corpus, mode, httpserver)
    update = sdk.package.Client.update_job
    names = {
        wire: kwarg_for(update, wire) for wire in ("self", "extra_query", "timeout", "extra_headers", "extra_body")
    }
    assert len(set(names.values())) == 5
    seen = serve(httpserver, "POST", "/jobs/job 1", {"self": "/jobs/job%201", "timeout": 30})
    body = {"timeout": 30, "extra_headers": {"x": "y"}, "extra_body": "b"}
    job = sdk.call(
        "update_job",
        "job 1",
        **dict[str, Any]({names["extra_query"]: "q", **{names[k]: v for k, v in body.items()}}),
        timeout=5.0,  # the client's own option, still there
        extra_headers={"X-Extra": "1"},
    )
    assert seen[0].raw_path == "/jobs/job%201" and seen[0].query == [("extra_query", "q")]
    assert seen[0].json() == body and seen[0].headers["X-Extra"] == "1"
    assert job.to_dict() == {"self": "/jobs/job%201", "timeout": 30}


# == theme: schema names (names-schemas-31.yaml, names-classes-31.yaml) ==========================


def test_schemas_named_like_imports(corpus: dict[str, Generation], mode: str, httpserver: HTTPServer) -> None:
    sdk = sdk_for("names-schemas-31", corpus, mode, httpserver)
    payload = {
        "fields": [{"label": "Name"}, {"label": "Email"}],
        "base": {"version": 2},
        "kind": "long",
        "status": "draft",
        "status_detail": {"since": "2020"},
    }
    serve(httpserver, "GET", "/forms/f-1", payload)
    form = sdk.call("get_form", "f-1", client_options={"strict_response_validation": True})
    assert [f.label for f in form.fields] == ["Name", "Email"] and form.base.version == 2
    assert form.kind == "long" and form.status == "draft" and form.status_detail.since == "2020"
    assert type(form.status) is not type(form.status_detail)  # form_status and FormStatus: two classes
    assert issubclass(type(form), sdk.package.BaseModel)  # the runtime base, not the schema named BaseModel
    assert form.to_dict() == payload


@pytest.fixture
def classes(corpus: dict[str, Generation], mode: str, httpserver: HTTPServer) -> Sdk:
    return sdk_for("names-classes-31", corpus, mode, httpserver)


def test_schema_named_client_is_a_model_at_run_time(classes: Sdk, httpserver: HTTPServer) -> None:
    payload = {"name": "Florist", "last_query": {"text": "roses", "hits": 3}}
    serve(httpserver, "GET", "/clients/c 1", payload)
    shop_client = classes.call("get_client", "c 1")
    assert isinstance(shop_client, classes.models.Client) and shop_client.name == "Florist"
    assert isinstance(shop_client.last_query, classes.models.Query) and shop_client.last_query.hits == 3


def test_schemas_named_query_and_headers_beside_the_client_options(classes: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "POST", "/queries", {"text": "roses", "hits": 3})
    query = classes.call(
        "run_query",
        text="roses",
        headers=classes.models.Headers(accept_language="fr"),
        extra_query={"debug": "1"},
        extra_headers={"X-Debug": "1"},
    )
    assert seen[0].json() == {"text": "roses", "headers": {"accept_language": "fr"}}
    assert seen[0].query == [("debug", "1")] and seen[0].headers["X-Debug"] == "1"
    assert isinstance(query, classes.models.Query) and query.hits == 3


# == theme: operations (operations-30.yaml, operations-31.yaml) ==================================

ITEM = {"sku": "A1", "name": "Anvil", "price": 9.5, "tags": ["heavy"], "status": "in_stock", "id": "it-1"}
PAGE = {"data": [ITEM], "next_cursor": None}


# operations-31 generated with a resource tree and a module per resource (`tree-above = 0`,
# `split-above = 0`): the same calls, at their place in the tree.
TREE_NAMES = {
    "get_bin_item": "bins.items.retrieve",
    "list_items": "items.list",
    "create_item": "items.create",
    "get_item": "items.retrieve",
    "put_item": "items.update",
    "delete_item": "items.delete",
    "reserve_item": "items.reserve",
    "get_health": "health.list",
    "get_stats_day": "stats.retrieve",
    "upload_file": "files.create",
    "download_file": "files.content",
}


@pytest.fixture(scope="session")
def operations_tree(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    tmp = tmp_path_factory.mktemp("operations-tree")
    config = tmp / "pyproject.toml"
    config.write_text(
        f'[tool.codegen]\nspec = "{spec_path("operations-31").as_posix()}"\npackage = "operations_tree"\n'
        "tree-above = 0\nsplit-above = 0\n"
    )
    command = [sys.executable, "-m", "codegen", "generate", "--config", str(config), "--out", str(tmp / "out")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(tmp / "out"))
    return importlib.import_module("operations_tree")


@pytest.fixture(params=[*version_params("operations"), pytest.param("tree", id="31-modules")])
def operations(request: pytest.FixtureRequest, corpus: dict[str, Generation], mode: str, httpserver: HTTPServer) -> Sdk:
    if request.param == "tree":
        package = request.getfixturevalue("operations_tree")
        return Sdk(package, mode, httpserver.url_for("/v1"), TREE_NAMES)
    return sdk_for(request.param, corpus, mode, httpserver, "/v1")


def test_the_tree_variant_is_split_into_modules_loaded_on_first_use(operations_tree: ModuleType) -> None:
    root = Path(operations_tree.__file__).parent
    assert (root / "resources" / "items.py").is_file() and (root / "models" / "items.py").is_file()
    assert not (root / "models.py").exists()
    code = (
        "import sys, operations_tree as p\n"
        "c = p.Client(api_key='k')\n"
        "before = sorted(m for m in sys.modules if m.startswith('operations_tree.'))\n"
        "c.bins.items.retrieve\n"
        "from operations_tree.models import Ticket, Item\n"
        "after = sorted(m for m in sys.modules if m.startswith('operations_tree.'))\n"
        "print(sorted(set(after) - set(before)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=root.parent, capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[0] == str(
        [
            "operations_tree._models",
            "operations_tree.models",
            "operations_tree.models._shared_bins_and_items",
            "operations_tree.models.items",
            "operations_tree.resources",
            "operations_tree.resources.bins",
            "operations_tree.resources.bins_items",
        ]
    )
    ruff = [sys.executable, "-m", "ruff", "check", "--no-cache", "--ignore=E501,RUF,UP", str(root)]  # as generated/
    mypy = [sys.executable, "-m", "mypy", "--strict", "--config-file=", "--python-version=3.11", "operations_tree"]
    for command, cwd in ((ruff, ROOT), (mypy, root.parent)):
        checked = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize(
    ("bin_id", "wire"),
    [
        ("a/b", "a%2Fb"),
        ("a?b=1", "a%3Fb%3D1"),
        ("a#frag", "a%23frag"),
        ("100%", "100%25"),
        ("with space", "with%20space"),
        ("ünï", "%C3%BCn%C3%AF"),
        ("a+b&c;d", "a%2Bb%26c%3Bd"),
    ],
)
def test_path_parameters_are_percent_encoded_segments(
    operations: Sdk, httpserver: HTTPServer, bin_id: str, wire: str
) -> None:
    seen = serve(httpserver, "GET", f"/v1/bins/{bin_id}/items/7", ITEM)
    item = operations.call("get_bin_item", bin_id, 7)
    assert seen[0].method == "GET" and seen[0].raw_uri == f"/v1/bins/{wire}/items/7"
    assert isinstance(item, operations.models.Item) and item.id == "it-1"


@pytest.mark.parametrize("bad", ["", ".", ".."])
def test_unusable_path_parameter_fails_before_sending(operations: Sdk, httpserver: HTTPServer, bad: str) -> None:
    with pytest.raises(ValueError, match="bin_id"):
        operations.call("get_bin_item", bad, 7)
    assert httpserver.log == []


def test_query_arrays_repeat_the_key_and_scalars_are_spelled_as_json(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "GET", "/v1/items", PAGE)
    page = operations.call(
        "list_items", x_tenant="acme", tag=["red", "blue", "a&b"], status="sold_out", limit=5, include_archived=False
    )
    assert seen[0].query == [
        ("tag", "red"),
        ("tag", "blue"),
        ("tag", "a&b"),
        ("status", "sold_out"),
        ("limit", "5"),
        ("include_archived", "false"),
    ]
    assert "tag=red&tag=blue&tag=a%26b&" in seen[0].raw_uri
    assert isinstance(page.data[0], operations.models.Item) and page.next_cursor is None


def test_unset_query_parameters_are_left_out(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "GET", "/v1/items", PAGE)
    operations.call("list_items", x_tenant="acme")
    assert seen[0].raw_uri == "/v1/items"
    assert "X-Dry-Run" not in seen[0].headers and "X-Max-Age" not in seen[0].headers


def test_query_enum_member_goes_out_as_its_value(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "GET", "/v1/items", PAGE)
    operations.call("list_items", x_tenant="acme", status=operations.models.ListItemsStatus.sold_out)
    assert seen[0].query == [("status", "sold_out")]


def test_query_array_not_exploded_is_comma_joined(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "GET", "/v1/items", PAGE)
    operations.call("list_items", x_tenant="acme", ids=[1, 2, 3])
    assert seen[0].query == [("ids", "1,2,3")]


@pytest.mark.parametrize("limit", [1, 100])
def test_query_integer_within_bounds_is_sent(operations: Sdk, httpserver: HTTPServer, limit: int) -> None:
    seen = serve(httpserver, "GET", "/v1/items", PAGE)
    operations.call("list_items", x_tenant="acme", limit=limit)
    assert seen[0].query == [("limit", str(limit))]


@pytest.mark.parametrize("limit", [0, 101])
def test_query_integer_out_of_bounds_fails_before_sending(operations: Sdk, httpserver: HTTPServer, limit: int) -> None:
    """limit: 3.0 `minimum: 0, exclusiveMinimum: true, maximum: 100`; 3.1 `exclusiveMinimum: 0, maximum: 100`."""
    serve(httpserver, "GET", "/v1/items", PAGE)
    with pytest.raises(ValueError, match="limit"):
        operations.call("list_items", x_tenant="acme", limit=limit)
    assert httpserver.log == []


def test_header_parameters_are_sent(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "GET", "/v1/items", PAGE)
    operations.call("list_items", x_tenant="acme corp", x_max_age=30, extra_headers={"X-Trace": "t-1"})
    headers = seen[0].headers
    assert (headers["X-Tenant"], headers["X-Max-Age"], headers["X-Trace"]) == ("acme corp", "30", "t-1")
    assert headers["Authorization"] == f"Bearer {API_KEY}"


def test_required_header_parameter_is_required(operations: Sdk) -> None:
    client = operations.package.Client(api_key="k")
    method = functools.reduce(getattr, operations.names.get("list_items", "list_items").split("."), client)
    parameter = inspect.signature(method).parameters["x_tenant"]
    assert parameter.default is inspect.Parameter.empty and parameter.kind is inspect.Parameter.KEYWORD_ONLY


def test_boolean_header_is_spelled_as_json(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "GET", "/v1/items", PAGE)
    operations.call("list_items", x_tenant="acme", x_dry_run=True)
    assert seen[0].headers["X-Dry-Run"] == "true"


def test_json_body_from_keyword_arguments(operations: Sdk, httpserver: HTTPServer) -> None:
    models = operations.models
    seen = serve(httpserver, "POST", "/v1/items", ITEM, status=201)
    item = operations.call(
        "create_item", sku="A1", name="Anvil", price=9.5, tags=["heavy"], status=models.ItemStatus.in_stock
    )
    (request,) = seen
    assert request.method == "POST" and request.headers["Content-Type"] == "application/json"
    assert request.json() == {"sku": "A1", "name": "Anvil", "price": 9.5, "tags": ["heavy"], "status": "in_stock"}
    assert isinstance(item, models.Item) and item.status == "in_stock" and item.id == "it-1"


def test_json_body_leaves_unset_arguments_out_and_sends_null(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "POST", "/v1/items/it 1/reserve", {"reservation_id": "r-1", "quantity": 9})
    reservation = operations.call("reserve_item", "it 1", quantity=9, note=None)
    assert seen[0].raw_path == "/v1/items/it%201/reserve"
    assert seen[0].body == b'{"quantity":9,"note":null}'
    assert isinstance(reservation, operations.models.Reservation) and reservation.quantity == 9

    seen = serve(httpserver, "POST", "/v1/items/it-1/reserve", {"reservation_id": "r-2", "quantity": 1})
    operations.call("reserve_item", "it-1", quantity=1)
    assert seen[0].json() == {"quantity": 1}


@pytest.mark.parametrize("quantity", [0, 10])
def test_json_body_exclusive_bounds_fail_before_sending(operations: Sdk, httpserver: HTTPServer, quantity: int) -> None:
    """quantity: 3.0 `minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true`; 3.1 numbers."""
    with pytest.raises(ValueError, match="quantity"):
        operations.call("reserve_item", "it-1", quantity=quantity)
    assert httpserver.log == []


@pytest.mark.parametrize("status", [200, 201])
def test_200_and_201_both_parse(operations: Sdk, httpserver: HTTPServer, status: int) -> None:
    seen = serve(httpserver, "PUT", "/v1/items/it-1", ITEM, status=status)
    item = operations.call("put_item", "it-1", sku="A1", name="Anvil")
    assert seen[0].json() == {"sku": "A1", "name": "Anvil"}
    assert isinstance(item, operations.models.Item) and item.sku == "A1"


def test_204_returns_none(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "DELETE", "/v1/items/it-1", status=204)
    assert operations.call("delete_item", "it-1") is None
    assert seen[0].method == "DELETE" and seen[0].body == b""


def test_204_beside_a_200_returns_none(operations: Sdk, httpserver: HTTPServer) -> None:
    serve(httpserver, "POST", "/v1/items/it-1/reserve", status=204)
    assert operations.call("reserve_item", "it-1", quantity=1) is None


def test_202_body_parses_with_its_own_schema(operations: Sdk, httpserver: HTTPServer) -> None:
    serve(httpserver, "POST", "/v1/items/it-1/reserve", {"ticket_id": "t-9", "retry_after_seconds": 5}, status=202)
    ticket = operations.call("reserve_item", "it-1", quantity=1, client_options={"strict_response_validation": True})
    assert isinstance(ticket, operations.models.Ticket) and ticket.ticket_id == "t-9"


def test_typed_404_raises_not_found(operations: Sdk, httpserver: HTTPServer) -> None:
    package = operations.package
    payload = {"error": "item_not_found", "message": "no item it-9"}
    serve(httpserver, "GET", "/v1/items/it-9", payload, status=404)
    with pytest.raises(package.NotFoundError) as caught:
        operations.call("get_item", "it-9")
    assert caught.value.status_code == 404 and isinstance(caught.value, package.APIStatusError)


def test_typed_404_body_is_the_declared_schema(operations: Sdk, httpserver: HTTPServer) -> None:
    payload = {"error": "item_not_found", "message": "no item it-9"}
    serve(httpserver, "GET", "/v1/items/it-9", payload, status=404)
    with pytest.raises(operations.package.NotFoundError) as caught:
        operations.call("get_item", "it-9")
    body = caught.value.body
    assert as_data(body) == payload


@pytest.mark.parametrize(
    ("status", "error", "payload"),
    [
        (409, "ConflictError", {"existing_id": "it-1"}),
        (422, "UnprocessableEntityError", {"errors": [{"field": "sku", "reason": "taken"}]}),
        (404, "NotFoundError", {"detail": "no route"}),  # not declared for this operation
    ],
)
def test_typed_4xx_raise_their_error_class_with_the_body(
    operations: Sdk, httpserver: HTTPServer, status: int, error: str, payload: dict[str, Any]
) -> None:
    serve(httpserver, "POST", "/v1/items", payload, status=status)
    with pytest.raises(getattr(operations.package, error)) as caught:
        operations.call("create_item", sku="A1", name="Anvil")
    body = caught.value.body
    assert caught.value.status_code == status
    assert as_data(body) == payload
    assert len(httpserver.log) == 1  # 4xx are not retried (max_retries=0 anyway, but the log shows one call)


def test_operations_without_operation_id_or_tags(operations: Sdk, httpserver: HTTPServer) -> None:
    serve(httpserver, "GET", "/v1/health", {"ok": True})
    health = operations.call("get_health")
    assert health.ok is True
    seen = serve(httpserver, "GET", "/v1/stats/2024-01-02", {"views": 3, "sales": 0})
    assert operations.call("get_stats_day", "2024-01-02") == {"views": 3, "sales": 0}
    assert seen[0].raw_uri == "/v1/stats/2024-01-02"


def test_multipart_upload_sends_a_file_part_and_a_text_part(operations: Sdk, httpserver: HTTPServer) -> None:
    stored = {"id": "file-1", "filename": "notes.txt", "bytes": 11, "purpose": "manual"}
    seen = serve(httpserver, "POST", "/v1/files", stored, status=201)
    content = b"hello\x00\xffworld"
    result = operations.call("upload_file", file=("notes.txt", content, "text/plain"), purpose="manual")
    (request,) = seen
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert request.files == {"file": [("notes.txt", "text/plain", content)]}
    assert request.form == {"purpose": ["manual"]}
    assert isinstance(result, operations.models.StoredFile) and result.bytes == 11


def test_multipart_upload_takes_plain_bytes(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(
        httpserver, "POST", "/v1/files", {"id": "f", "filename": "upload", "bytes": 3, "purpose": "p"}, status=201
    )
    operations.call("upload_file", file=b"abc", purpose="p")
    ((_, _, data),) = seen[0].files["file"]
    assert data == b"abc" and seen[0].form == {"purpose": ["p"]}


def test_upload_file_argument_is_typed_as_a_file(corpus: dict[str, Generation]) -> None:
    sdk = load(corpus, "operations-30")
    assert "FileTypes" in str(inspect.signature(sdk.Client.upload_file).parameters["file"].annotation)


def test_upload_file_argument_is_typed_as_a_file_in_31(corpus: dict[str, Generation]) -> None:
    sdk = load(corpus, "operations-31")
    assert "FileTypes" in str(inspect.signature(sdk.Client.upload_file).parameters["file"].annotation)


def test_binary_response_is_bytes(operations: Sdk, httpserver: HTTPServer) -> None:
    content = bytes(range(256)) * 4
    seen = serve(httpserver, "GET", "/v1/files/f/1/content", raw=content, content_type="application/octet-stream")
    data = operations.call("download_file", "f/1")
    assert type(data) is bytes and data == content
    assert seen[0].raw_uri == "/v1/files/f%2F1/content"


def test_binary_download_accepts_octet_stream(operations: Sdk, httpserver: HTTPServer) -> None:
    seen = serve(httpserver, "GET", "/v1/files/f-1/content", raw=b"x", content_type="application/octet-stream")
    operations.call("download_file", "f-1")
    assert "application/octet-stream" in seen[0].headers["Accept"] or "*/*" in seen[0].headers["Accept"]
