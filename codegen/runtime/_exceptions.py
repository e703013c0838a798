"""Errors raised by the client.

    SDKError
    ├── APIError
    │   ├── APIStatusError              a response with status >= 400
    │   │   ├── BadRequestError          400
    │   │   ├── AuthenticationError      401
    │   │   ├── PermissionDeniedError    403
    │   │   ├── NotFoundError            404
    │   │   ├── ConflictError            409
    │   │   ├── UnprocessableEntityError 422
    │   │   ├── RateLimitError           429
    │   │   └── InternalServerError      >= 500
    │   ├── APIConnectionError           no response: DNS, refused, reset
    │   │   └── APITimeoutError
    │   └── APIResponseValidationError   a 2xx body that is not what the spec promises
    └── (ValueError)                     a bad argument, raised before anything is sent

Every exception pickles and unpickles with its fields (multiprocessing, Ray); the copy
drops the credentials of the request it carries (headers, cookies, API keys in the query).
"""

from __future__ import annotations

from typing import Any

import httpx2

from ._constants import AUTH_SCHEMES, ERROR_ENVELOPE

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "SDKError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]


class SDKError(Exception):
    """Base of every error this package raises on purpose."""


# Where credentials travel: never in a pickled copy of a request.
_SECRET_HEADERS = frozenset(
    {"authorization", "cookie"} | {name.lower() for kind, name in AUTH_SCHEMES.values() if kind == "header"}
)
_SECRET_QUERY = frozenset(name for kind, name in AUTH_SCHEMES.values() if kind == "query")


def _scrubbed(request: httpx2.Request | None) -> httpx2.Request | None:
    if request is None:
        return request
    secret_headers = [name for name in request.headers if name.lower() in _SECRET_HEADERS]
    secret_query = [name for name in request.url.params if name in _SECRET_QUERY]
    if not secret_headers and not secret_query:
        return request
    headers = httpx2.Headers(request.headers)
    for name in secret_headers:
        del headers[name]
    url = request.url.copy_with(params=request.url.params.merge(dict.fromkeys(secret_query, "[hidden]")))
    return httpx2.Request(request.method, url, headers=headers, content=request.content)


class APIError(SDKError):
    message: str
    request: httpx2.Request | None
    body: object | None
    """The decoded JSON `error` object of the response (or the whole body), if any."""

    def __init__(self, message: str, request: httpx2.Request | None, *, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        state = dict(self.__dict__)
        state["request"] = _scrubbed(self.request)
        if isinstance(state.get("response"), httpx2.Response):
            response = state["response"]
            state["response"] = httpx2.Response(
                response.status_code, headers=response.headers, content=response.content, request=state["request"]
            )
        return (_restore, (type(self), state))


def _restore(cls: type[APIError], state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class APIStatusError(APIError):
    """The server answered with a status code of 400 or more."""

    response: httpx2.Response
    status_code: int
    request_id: str | None

    def __init__(self, message: str, *, response: httpx2.Response, body: object | None) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


class APIConnectionError(APIError):
    """The request did not get a response."""

    def __init__(self, *, message: str = "Connection error.", request: httpx2.Request | None) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx2.Request | None) -> None:
        super().__init__(message="Request timed out.", request=request)


class APIResponseValidationError(APIError):
    """A successful response whose body is not valid JSON or does not match the schema."""

    response: httpx2.Response
    status_code: int

    def __init__(self, response: httpx2.Response, body: object | None, *, message: str | None = None) -> None:
        super().__init__(
            message or "Data returned by the API is invalid for the expected schema.", response.request, body=body
        )
        self.response = response
        self.status_code = response.status_code


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx2.Response) -> APIStatusError:
    """The exception for an error response: class by status, message from `error.message`."""
    try:
        data: object = response.json()
    except ValueError:
        data = response.text or None
    # Some APIs wrap the error ({"error": {...}}: ERROR_ENVELOPE); any other shape is kept whole.
    wrapped = ERROR_ENVELOPE and isinstance(data, dict) and isinstance(data.get(ERROR_ENVELOPE), dict)
    body = data[ERROR_ENVELOPE] if wrapped else data  # type: ignore[index]
    detail = _detail(body)
    message = f"Error code: {response.status_code} - {detail if isinstance(detail, str) else data}"
    cls = InternalServerError if response.status_code >= 500 else _BY_STATUS.get(response.status_code, APIStatusError)
    return cls(message, response=response, body=body)


def _detail(body: object) -> str | None:
    """The human message of an error body: `message`, `detail` (problem+json) or `title`."""
    if isinstance(body, dict):
        for key in ("message", "detail", "title"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return None
