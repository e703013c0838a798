"""Pages of list operations, and walking them: `for item in client.files.list()` reads every page.

A list method returns its first page (`SyncCursorPage[File]`); async, an `AsyncPaginator` that is
awaited to the first page or iterated (`async for`) over every item of every page. A page has
`.data` (its items), `.body` (the whole parsed response), `.has_next_page()`, `.get_next_page()`
and `.iter_pages()`. The next request is the first one (same arguments and request options) with
one query parameter replaced; the endpoint's `Paging` says which and where its value comes from:

- cursor: the response's cursor field (`last_id`) when set, else the last item's `id`;
- offset: the offset sent plus the number of items received (an empty page ends the walk);
- token: the response's next-token field;
- link: the response's next URL (under the client's base URL), requested as it is.

A `has_more` field that is false ends the walk; so does a next request equal to the one just sent
(a server that repeats its cursor would otherwise be walked forever). Pages are fetched lazily, one
at a time, as the iteration reaches them; a failed fetch raises the usual exceptions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar
from urllib.parse import parse_qsl

import httpx2
from typing_extensions import Self

from ._exceptions import SDKError
from ._response import RawResponse

if TYPE_CHECKING:
    from ._base import Endpoint

__all__ = [
    "AsyncCursorPage",
    "AsyncLinkPage",
    "AsyncOffsetPage",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncTokenPage",
    "Paging",
    "SyncCursorPage",
    "SyncLinkPage",
    "SyncOffsetPage",
    "SyncPage",
    "SyncTokenPage",
]

_T = TypeVar("_T")
_PageT = TypeVar("_PageT", bound="AsyncPage[Any]")
Arguments = dict[str, Any]  # what a generated method passes to `_request`: path, query, ..., request options
ITEM_ID = "id"  # a cursor page without a cursor field continues after its last item's `id`


@dataclass(frozen=True, slots=True)
class Paging:
    """How an endpoint's responses page: attribute paths of the parsed response, the query parameter."""

    kind: Literal["cursor", "offset", "token", "link"]
    items: tuple[str, ...] = ("data",)
    param: str = ""  # the query parameter the next request sets (not for a link)
    next: tuple[str, ...] = ()  # the next cursor (optional), token or URL
    has_more: tuple[str, ...] = ()  # false: no next page
    before: str = ""  # cursor: a call that sets this parameter (walking backwards) gets one page

    def items_of(self, body: Any) -> list[Any]:
        items = _get(body, self.items)
        return items if isinstance(items, list) else []

    def next_request(
        self, endpoint: Endpoint[Any], body: Any, items: list[Any], arguments: Arguments, base_url: httpx2.URL
    ) -> tuple[Endpoint[Any], Arguments] | None:
        """The endpoint and arguments of the next page's request; None after the last page."""
        if self.has_more and _get(body, self.has_more) is False:
            return None
        if self.kind == "link":
            return self._linked(endpoint, body, arguments, base_url)
        query: dict[str, Any] = dict(arguments.get("query") or {})
        value: Any
        if self.kind == "cursor":
            if self.before and query.get(self.before):
                return None
            value = _get(body, self.next) if self.next else None
            if not value and items:
                last = items[-1]
                value = last.get(ITEM_ID) if isinstance(last, Mapping) else getattr(last, ITEM_ID, None)
        elif self.kind == "token":
            value = _get(body, self.next)
        else:  # offset
            sent = query.get(self.param)
            value = (sent if isinstance(sent, int) and not isinstance(sent, bool) else 0) + len(items)
            if not items:
                return None
        if value is None or value == "" or query.get(self.param) == value:
            return None
        query[self.param] = value
        return endpoint, {**arguments, "query": query}

    def _linked(
        self, endpoint: Endpoint[Any], body: Any, arguments: Arguments, base_url: httpx2.URL
    ) -> tuple[Endpoint[Any], Arguments] | None:
        """A next URL, relative or absolute, as a request of the same client: its path under the base
        URL and its own query (the first request's query parameters are in it already)."""
        link = _get(body, self.next)
        if not link:
            return None
        url = base_url.join(str(link))
        prefix = str(base_url).rstrip("/")
        path = str(url.copy_with(query=None, fragment=None))
        if not path.startswith(prefix + "/"):
            raise SDKError(f"the next page's URL {str(url)!r} is not under the client's base_url {prefix!r}")
        values: dict[str, list[str]] = {}
        for name, value in parse_qsl(url.query.decode("ascii"), keep_blank_values=True):
            values.setdefault(name, []).append(value)
        query: dict[str, Any] = {name: found[0] if len(found) == 1 else found for name, found in values.items()}
        path = path[len(prefix) :]
        if endpoint.path == path and arguments.get("query") == query:
            return None
        following = dataclasses.replace(endpoint, path=path, path_params=())
        return following, {**arguments, "path": {}, "query": query}


def _get(body: Any, path: tuple[str, ...]) -> Any:
    for attribute in path:
        if body is None:
            return None
        body = body.get(attribute) if isinstance(body, Mapping) else getattr(body, attribute, None)
    return body


class _Page(Generic[_T]):
    """What every page has: its items, the whole response, and how to ask for the next one."""

    data: list[_T]  # the items of this page
    body: Any  # the whole parsed response (`first_id`, `last_id`, `has_more`, ...)

    def __init__(self, request: Callable[..., Any], endpoint: Endpoint[Any], arguments: Arguments, body: Any) -> None:
        paging = endpoint.paging
        assert paging is not None, f"{endpoint.method} {endpoint.path} does not page"
        self._paging = paging
        self._request = request
        self._endpoint = endpoint
        self._arguments = arguments
        self.body = body
        self.data = paging.items_of(body)

    def has_next_page(self) -> bool:
        return self._following() is not None

    def _following(self) -> tuple[Endpoint[Any], Arguments] | None:
        base_url = getattr(self._request, "__self__", None)  # the client whose bound `_request` this is
        return self._paging.next_request(
            self._endpoint, self.body, self.data, self._arguments, getattr(base_url, "base_url", httpx2.URL("/"))
        )

    def _next_or_raise(self) -> tuple[Endpoint[Any], Arguments]:
        following = self._following()
        if following is None:
            raise RuntimeError("this is the last page: check has_next_page() before get_next_page()")
        return following

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._endpoint.method} {self._endpoint.path}: {len(self.data)} items>"


class SyncPage(_Page[_T]):
    """A page of a synchronous client; iterating it walks every item of this page and the next ones."""

    @classmethod
    def _fetch(cls, request: Callable[..., Any], endpoint: Endpoint[Any], **arguments: Any) -> Self:
        """The first page (a `RawResponse` whose `parse()` is the page, inside `with_raw_response`)."""
        body = request(endpoint, **arguments)
        if isinstance(body, RawResponse):
            raw = body
            return RawResponse(  # type: ignore[return-value]
                raw.http_response,
                lambda: cls(request, endpoint, arguments, raw.parse()),
                retries_taken=raw.retries_taken,
            )
        return cls(request, endpoint, arguments, body)

    def get_next_page(self) -> Self:
        endpoint, arguments = self._next_or_raise()
        return type(self)(self._request, endpoint, arguments, self._request(endpoint, **arguments))

    def iter_pages(self) -> Iterator[Self]:
        """This page, then each next one, fetched as the loop reaches it."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_Page[_T]):
    """A page of an asynchronous client; `async for` walks every item of this page and the next ones."""

    @classmethod
    def _paginate(
        cls, request: Callable[..., Any], endpoint: Endpoint[Any], **arguments: Any
    ) -> AsyncPaginator[_T, Self]:
        async def first() -> Self:
            body = await request(endpoint, **arguments)
            if isinstance(body, RawResponse):
                raw = body
                return RawResponse(  # type: ignore[return-value]
                    raw.http_response,
                    lambda: cls(request, endpoint, arguments, raw.parse()),
                    retries_taken=raw.retries_taken,
                )
            return cls(request, endpoint, arguments, body)

        return AsyncPaginator(first)

    async def get_next_page(self) -> Self:
        endpoint, arguments = self._next_or_raise()
        return type(self)(self._request, endpoint, arguments, await self._request(endpoint, **arguments))

    async def iter_pages(self) -> AsyncIterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPaginator(Generic[_T, _PageT]):
    """What an async list method returns: `await` it for the first page, or `async for` over every item.
    Nothing is sent until then."""

    def __init__(self, first: Callable[[], Awaitable[_PageT]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, _PageT]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self
        async for item in page:
            yield item


class SyncCursorPage(SyncPage[_T]):
    """Continues after a cursor: the response's (`last_id`), else the last item's `id`."""


class AsyncCursorPage(AsyncPage[_T]):
    """Continues after a cursor: the response's (`last_id`), else the last item's `id`."""


class SyncOffsetPage(SyncPage[_T]):
    """Continues at the offset sent plus the items received."""


class AsyncOffsetPage(AsyncPage[_T]):
    """Continues at the offset sent plus the items received."""


class SyncTokenPage(SyncPage[_T]):
    """Continues with the token the response names."""


class AsyncTokenPage(AsyncPage[_T]):
    """Continues with the token the response names."""


class SyncLinkPage(SyncPage[_T]):
    """Continues at the URL the response names."""


class AsyncLinkPage(AsyncPage[_T]):
    """Continues at the URL the response names."""
