"""The base of every generated model.

Plain pydantic v2, plus what the official SDK's models offer: `to_dict()`, `to_json()`, and
`_request_id` (the `x-request-id` of the response a model was parsed from). Unknown fields
are kept (`extra="allow"`) so nothing a newer server sends is lost.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import pydantic

__all__ = ["BaseModel"]


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    # Set per instance on the model a call returns; a ClassVar so that pydantic neither
    # validates nor serializes it, and nested models pay nothing for it.
    _request_id: ClassVar[str | None] = None

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The fields as the server sent them (unset fields left out), extra fields included."""
        # warnings=False: a value kept as sent (an enum value newer than the spec) is not an error here.
        return self.model_dump(
            mode=mode, by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none, warnings=False
        )

    def to_json(self, *, indent: int | None = 2, exclude_unset: bool = True) -> str:
        return self.model_dump_json(indent=indent, by_alias=True, exclude_unset=exclude_unset, warnings=False)
