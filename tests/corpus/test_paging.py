"""List operations that page (tests/fixtures/specs/paging-31.yaml with paging-31.toml), walked
against a loopback server, sync and async: every item of every page, each next request the first
one with only its cursor, offset, token or URL changed (same filters, same request options), the
walk's ends (has_more false, no cursor, an empty offset page, a repeated cursor), errors of a page
fetch as the usual exceptions; and user code that walks pages type-checks under mypy --strict.

Servers answer from a list of items by the request's query, so a wrong next request gives the
wrong items; every walk is bounded (`islice`) so a walk that never ends fails instead of hanging.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support import ROOT
from tests.support.corpus import GOLDEN_DIR, Generation, imported, session_corpus

BOOKS = [{"id": f"b{n}", "title": f"Book {n}"} for n in range(1, 8)]  # 7 books: pages of 3, 3, 1
BOUND = 50  # no walk here has more items; one that does is walking forever


@pytest.fixture(scope="session")
def paging(tmp_path_factory: pytest.TempPathFactory) -> Iterable[ModuleType]:
    corpus: dict[str, Generation] = session_corpus(tmp_path_factory.mktemp("corpus"))
    with imported(corpus["paging-31"]) as package:
        yield package


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(package: ModuleType, mode: str, base_url: str, use: Callable[[Any], Any], **options: Any) -> Any:
    """`use(client)` with a sync client, or with an async one (`use` returns a coroutine then)."""
    settings = {"base_url": base_url, "max_retries": 0, "timeout": 5.0, **options}
    if mode == "sync":
        with package.Client(**settings) as client:
            return use(client)

    async def main() -> Any:
        async with package.AsyncClient(**settings) as client:
            return await use(client)

    return asyncio.run(main())


def walk(method: Callable[..., Any], mode: str, *args: Any, **kwargs: Any) -> Any:
    """Every item the method's pages hold (bounded), by `for` or `async for`."""
    if mode == "sync":
        return list(itertools.islice(method(*args, **kwargs), BOUND))

    async def collect() -> list[Any]:
        found = []
        async for item in method(*args, **kwargs):
            found.append(item)
            if len(found) >= BOUND:
                break
        return found

    return collect()


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


class Server:
    """Answers one path from a handler; records each request's query and headers."""

    def __init__(self, httpserver: HTTPServer, path: str, answer: Callable[[dict[str, str]], Response]) -> None:
        self.queries: list[dict[str, str]] = []
        self.headers: list[dict[str, str]] = []

        def handler(request: Request) -> Response:
            query = dict(request.args.items())
            self.queries.append(query)
            self.headers.append(dict(request.headers.items()))
            return answer(query)

        httpserver.expect_request(path).respond_with_handler(handler)


def book_page(query: dict[str, str], *, with_last_id: bool = True) -> Response:
    """Books after `after`, `limit` at a time (3 by default), as the cursor rule reads them."""
    start = next((i + 1 for i, b in enumerate(BOOKS) if b["id"] == query.get("after")), 0)
    page = BOOKS[start : start + int(query.get("limit", 3))]
    body: dict[str, Any] = {"data": page, "has_more": start + len(page) < len(BOOKS)}
    if with_last_id:
        body |= {
            "object": "list",
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
        }
    return json_response(body)


# -- cursor pages (the rule finds them) ------------------------------------------------------------


def test_a_cursor_list_walks_every_page_with_the_same_filters_and_options(
    paging: ModuleType, mode: str, httpserver: HTTPServer
) -> None:
    server = Server(httpserver, "/v1/books", book_page)
    options = {"extra_headers": {"X-Trace": "t-1"}, "extra_query": {"tenant": "x"}}
    books = run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_books, mode, genre="sf", **options))
    assert [b.id for b in books] == [b["id"] for b in BOOKS]
    assert all(isinstance(b, paging.models.Book) for b in books)
    assert [q.get("after") for q in server.queries] == [None, "b3", "b6"]  # the response's last_id
    assert all(q["genre"] == "sf" and q["tenant"] == "x" for q in server.queries)
    assert all(h["X-Trace"] == "t-1" for h in server.headers)


def test_without_last_id_the_walk_continues_after_the_last_items_id(
    paging: ModuleType, mode: str, httpserver: HTTPServer
) -> None:
    server = Server(httpserver, "/v1/shelves/s1/books", lambda q: book_page(q, with_last_id=False))
    books = run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_shelf_books, mode, "s1"))
    assert [b.id for b in books] == [b["id"] for b in BOOKS]
    assert [q.get("after") for q in server.queries] == [None, "b3", "b6"]


def test_the_responses_cursor_wins_over_the_last_items_id(
    paging: ModuleType, mode: str, httpserver: HTTPServer
) -> None:
    def answer(query: dict[str, str]) -> Response:
        if query.get("after") == "opaque-1":
            return json_response({"data": BOOKS[3:], "has_more": False, "last_id": None})
        return json_response({"data": BOOKS[:3], "has_more": True, "last_id": "opaque-1"})

    server = Server(httpserver, "/v1/books", answer)
    books = run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_books, mode))
    assert len(books) == 7 and [q.get("after") for q in server.queries] == [None, "opaque-1"]


def test_a_page_by_hand_sync(paging: ModuleType, httpserver: HTTPServer) -> None:
    server = Server(httpserver, "/v1/books", book_page)
    with paging.Client(base_url=httpserver.url_for("/v1"), max_retries=0) as client:
        page = client.list_books(limit=3)
        assert isinstance(page, paging.SyncCursorPage)
        assert [b.id for b in page.data] == ["b1", "b2", "b3"] and page.body.last_id == "b3"
        assert len(server.queries) == 1  # nothing fetched before it is asked for
        assert page.has_next_page()
        second = page.get_next_page()
        assert [b.id for b in second.data] == ["b4", "b5", "b6"]
        pages = list(itertools.islice(page.iter_pages(), 10))
        assert [len(p.data) for p in pages] == [3, 3, 1] and not pages[-1].has_next_page()
        with pytest.raises(RuntimeError, match="last page"):
            pages[-1].get_next_page()
        assert server.queries[-1] == {"limit": "3", "after": "b6"}


def test_a_page_by_hand_async(paging: ModuleType, httpserver: HTTPServer) -> None:
    server = Server(httpserver, "/v1/books", book_page)

    async def main() -> None:
        async with paging.AsyncClient(base_url=httpserver.url_for("/v1"), max_retries=0) as client:
            paginator = client.list_books(limit=3)
            assert not server.queries  # an AsyncPaginator sends nothing until awaited or iterated
            page = await paginator
            assert isinstance(page, paging.AsyncCursorPage)
            assert [b.id for b in page.data] == ["b1", "b2", "b3"] and page.has_next_page()
            second = await page.get_next_page()
            assert [b.id for b in second.data] == ["b4", "b5", "b6"]
            pages = [p async for p in page.iter_pages()]
            assert [len(p.data) for p in pages] == [3, 3, 1] and not pages[-1].has_next_page()
            with pytest.raises(RuntimeError, match="last page"):
                await pages[-1].get_next_page()
            items = [b.id async for b in second]  # a page iterates its own items and the next pages'
            assert items == ["b4", "b5", "b6", "b7"]

    asyncio.run(main())


def test_the_raw_response_parses_to_a_page_that_walks_on(paging: ModuleType, mode: str, httpserver: HTTPServer) -> None:
    Server(httpserver, "/v1/books", book_page)

    def use(client: Any) -> Any:
        if mode == "sync":
            raw = client.with_raw_response.list_books()
            return raw.status_code, [b.id for b in raw.parse()]

        async def main() -> Any:
            raw = await client.with_raw_response.list_books()
            return raw.status_code, [b.id async for b in raw.parse()]

        return main()

    status, ids = run(paging, mode, httpserver.url_for("/v1"), use)
    assert status == 200 and ids == [b["id"] for b in BOOKS]


def test_a_call_walking_backwards_gets_its_one_page(paging: ModuleType, mode: str, httpserver: HTTPServer) -> None:
    server = Server(httpserver, "/v1/books", lambda q: book_page({}))  # has_more true, last_id b3
    books = run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_books, mode, before="b9"))
    assert len(books) == 3 and len(server.queries) == 1


def test_a_server_that_repeats_its_cursor_ends_the_walk(paging: ModuleType, mode: str, httpserver: HTTPServer) -> None:
    server = Server(httpserver, "/v1/books", lambda q: book_page({"after": "b3"}))  # always b4..b6, has_more
    books = run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_books, mode))
    assert [b.id for b in books] == ["b4", "b5", "b6"] * 2  # the first page, then after=b6 once more
    assert [q.get("after") for q in server.queries] == [None, "b6"]


def test_a_failed_page_fetch_raises_the_usual_exception(paging: ModuleType, mode: str, httpserver: HTTPServer) -> None:
    def answer(query: dict[str, str]) -> Response:
        if query.get("after") == "b3":
            return json_response({"error": {"message": "down"}}, status=503)
        return book_page(query)

    Server(httpserver, "/v1/books", answer)
    seen: list[str] = []

    def use(client: Any) -> Any:
        if mode == "sync":
            for book in client.list_books():
                seen.append(book.id)
            return None

        async def main() -> None:
            async for book in client.list_books():
                seen.append(book.id)

        return main()

    with pytest.raises(paging.InternalServerError) as caught:
        run(paging, mode, httpserver.url_for("/v1"), use)
    assert caught.value.status_code == 503
    assert seen == ["b1", "b2", "b3"]  # the first page's items came before the second page failed


# -- declared shapes (paging-31.toml) --------------------------------------------------------------

LOANS = [{"id": n} for n in range(7)]


def test_an_offset_list_moves_by_the_items_received(paging: ModuleType, mode: str, httpserver: HTTPServer) -> None:
    def answer(query: dict[str, str]) -> Response:
        start = int(query.get("offset", 0))
        return json_response({"items": LOANS[start : start + int(query["limit"])], "total": len(LOANS)})

    server = Server(httpserver, "/v1/loans", answer)
    loans = run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_loans, mode, limit=3))
    assert [loan.id for loan in loans] == list(range(7))
    assert [q.get("offset") for q in server.queries] == [None, "3", "6", "7"]  # an empty page ends it
    assert all(q["limit"] == "3" for q in server.queries)


def test_a_token_list_sends_the_token_the_response_names(paging: ModuleType, mode: str, httpserver: HTTPServer) -> None:
    tokens = {None: ("t1", ["e1", "e2"]), "t1": ("t2", ["e3"]), "t2": (None, ["e4", "e5"])}

    def answer(query: dict[str, str]) -> Response:
        following, names = tokens[query.get("pageToken")]
        return json_response({"events": [{"name": n} for n in names], "meta": {"nextPageToken": following}})

    server = Server(httpserver, "/v1/events", answer)
    events = run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_events, mode))
    assert [e.name for e in events] == ["e1", "e2", "e3", "e4", "e5"]
    assert [q.get("pageToken") for q in server.queries] == [None, "t1", "t2"]


def test_a_link_list_follows_relative_and_absolute_next_urls(
    paging: ModuleType, mode: str, httpserver: HTTPServer
) -> None:
    def answer(query: dict[str, str]) -> Response:
        page = query.get("page", "1")
        following = {
            "1": "/v1/authors?letter=a&page=2",  # relative to the server
            "2": httpserver.url_for("/v1/authors") + "?letter=a&page=3",  # absolute
            "3": None,
        }[page]
        return json_response({"data": [f"author {page}.{n}" for n in (1, 2)], "next": following})

    server = Server(httpserver, "/v1/authors", answer)
    authors = run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_authors, mode, letter="a"))
    assert authors == ["author 1.1", "author 1.2", "author 2.1", "author 2.2", "author 3.1", "author 3.2"]
    assert server.queries == [{"letter": "a"}, {"letter": "a", "page": "2"}, {"letter": "a", "page": "3"}]


def test_a_next_link_elsewhere_is_refused(paging: ModuleType, mode: str, httpserver: HTTPServer) -> None:
    Server(httpserver, "/v1/authors", lambda q: json_response({"data": ["x"], "next": "https://elsewhere.test/a"}))
    with pytest.raises(paging.Paging31Error, match="not under the client's base_url"):
        run(paging, mode, httpserver.url_for("/v1"), lambda c: walk(c.list_authors, mode))


def test_lists_that_do_not_page_return_their_model(paging: ModuleType, mode: str, httpserver: HTTPServer) -> None:
    Server(httpserver, "/v1/genres", lambda q: json_response({"data": ["sf", "crime"]}))

    def use(client: Any) -> Any:
        return client.list_genres()

    genres = run(paging, mode, httpserver.url_for("/v1"), use)
    assert isinstance(genres, paging.models.ListGenresResponse) and genres.data == ["sf", "crime"]
    source = (GOLDEN_DIR / "paging-31" / "paging_31" / "_client.py").read_text()
    assert "def search_books(" in source and "_SEARCH_BOOKS: Endpoint[models.BookList]" in source
    assert "paging=" not in source.split("_SEARCH_BOOKS")[1].split(")\n")[0]  # a POST is no list to walk


# -- user code type-checks -------------------------------------------------------------------------

USAGE = """
from typing_extensions import assert_type

from paging_31 import (
    AsyncClient, AsyncCursorPage, AsyncPaginator, Client, SyncCursorPage, SyncLinkPage, SyncOffsetPage, SyncTokenPage
)
from paging_31.models import Book, Event, Loan


def sync_usage(client: Client) -> None:
    page = client.list_books(limit=2)
    assert_type(page, SyncCursorPage[Book])
    assert_type(page.data, list[Book])
    assert_type(page.has_next_page(), bool)
    assert_type(page.get_next_page(), SyncCursorPage[Book])
    for book in client.list_books():
        assert_type(book, Book)
    for one in page.iter_pages():
        assert_type(one, SyncCursorPage[Book])
    assert_type(client.list_events(), SyncTokenPage[Event])
    assert_type(client.list_loans(), SyncOffsetPage[Loan])
    assert_type(client.list_authors(), SyncLinkPage[str])
    assert_type(client.with_raw_response.list_books().parse(), SyncCursorPage[Book])


async def async_usage(client: AsyncClient) -> None:
    assert_type(client.list_books(), AsyncPaginator[Book, AsyncCursorPage[Book]])
    first = await client.list_books()
    assert_type(first, AsyncCursorPage[Book])
    assert_type(first.data, list[Book])
    assert_type(await first.get_next_page(), AsyncCursorPage[Book])
    async for book in client.list_books():
        assert_type(book, Book)
    async for one in first.iter_pages():
        assert_type(one, AsyncCursorPage[Book])
    raw = await client.with_raw_response.list_books()
    assert_type(raw.parse(), AsyncCursorPage[Book])
"""


def test_user_code_walking_pages_type_checks_under_mypy_strict(tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(textwrap.dedent(USAGE))
    wrong = tmp_path / "wrong.py"  # the check can fail: a page of books is no page of events
    wrong.write_text(
        USAGE.replace("assert_type(page, SyncCursorPage[Book])", "assert_type(page, SyncCursorPage[Event])")
    )
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file=", "--python-version=3.11"]
    command += [f"--cache-dir={ROOT / '.mypy_cache' / 'corpus'}", "--no-error-summary"]
    env = {**os.environ, "MYPYPATH": str(GOLDEN_DIR / "paging-31")}
    good = subprocess.run([*command, str(usage)], cwd=ROOT, capture_output=True, text=True, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run([*command, str(wrong)], cwd=ROOT, capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "assert-type" in bad.stdout and bad.stdout.count("error:") == 1, bad.stdout
