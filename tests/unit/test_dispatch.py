"""A discriminated union pydantic cannot pick by Literal tags picks by the spec's mapping (`by_tag`):
the IR decides which value selects which branch, the renderer writes it, the runtime reads it."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import pydantic
import pytest
from pydantic import Tag
from typing_extensions import TypeAliasType

from codegen.ir.dispatch import dispatch
from codegen.render.dispatch import write_dispatch
from codegen.runtime._lenient import lenient_value
from codegen.runtime._models import BaseModel, by_tag

REF = "#/$defs/"


def _obj(tag: dict[str, Any], *, required: bool = True, **more: Any) -> dict[str, Any]:
    props = {"status": tag, **more}
    return {"type": "object", "properties": props, "required": ["status"] if required else []}


DEFS: dict[str, Any] = {
    "Queued": _obj({"const": "queued"}, plan={"type": "string"}),
    "Empty": _obj({"$ref": REF + "EmptyStatus"}),  # an enum class: queued or cancelled
    "EmptyStatus": {"type": "string", "enum": ["queued", "cancelled"]},
    "Feline": {"oneOf": [{"$ref": REF + "Cat"}, {"$ref": REF + "Lion"}]},
    "Cat": _obj({"const": "cat"}),
    "Lion": _obj({"type": "string", "enum": ["lion", "tiger"]}),
    "Loose": _obj({"const": "loose"}, required=False),
}


def _refs(*names: str) -> list[dict[str, str]]:
    return [{"$ref": REF + name} for name in names]


def test_the_mapping_decides_even_where_a_branch_pins_the_value_as_well() -> None:
    mapping = {"queued": "Queued", "cancelled": "Empty"}
    found = dispatch("status", mapping, {}, _refs("Queued", "Empty"), DEFS)
    assert found == {"cancelled": "Empty", "queued": "Queued"}


def test_an_unmapped_branch_is_selected_by_what_it_pins_a_union_by_its_members() -> None:
    mapping = {"Queued": "Queued", "Feline": "Feline"}  # OpenAPI's implicit values: the schemas' names
    found = dispatch("status", mapping, {"Queued": "Queued", "Feline": "Feline"}, _refs("Queued", "Feline"), DEFS)
    assert found == {"cat": "Feline", "lion": "Feline", "queued": "Queued", "tiger": "Feline"}


def test_an_optional_tag_or_a_value_two_branches_claim_leaves_the_union_tried_branch_by_branch() -> None:
    assert dispatch("status", {"loose": "Loose"}, {"Loose": "loose"}, _refs("Queued", "Loose"), DEFS) is None
    both = {"Queued": "Queued", "Empty": "Empty"}  # both pin `queued`, no mapping entry says which
    assert dispatch("status", both, both, _refs("Queued", "Empty"), DEFS) is None


def test_the_renderer_tags_the_branches_the_models_stage_wrote() -> None:
    code = (
        "from __future__ import annotations\n\nfrom typing import Literal\n\nfrom pydantic import Field\n"
        "from typing_extensions import TypeAliasType\n\n"
        'Plan = TypeAliasType("Plan", Union["Queued", Empty])\n'
    )
    out = write_dispatch(code, {"Plan": ("status", ["Queued", "Empty"], {"queued": "Queued"})})
    assert (
        "from typing import Annotated, Literal, Union\n" in out and "from pydantic import Field, Tag as _Tag\n" in out
    )
    expected = "Annotated[Union[Annotated[\"Queued\", _Tag('Queued')], Annotated[Empty, _Tag('Empty')]], "
    assert expected + "by_tag('status', {'queued': 'Queued'})]" in out


def test_a_model_named_tag_does_not_shadow_the_discriminator_tag() -> None:
    # A spec with a `Tag` schema (a pet store's, a catalogue's) gets a class `Tag` in the same module.
    code = (
        "from __future__ import annotations\n\nfrom pydantic import Field\n"
        "from typing_extensions import TypeAliasType\n\n"
        "from .._models import BaseModel\n\n\nclass Tag(BaseModel):\n    name: str\n\n\n"
        'Plan = TypeAliasType("Plan", Union[Queued, Empty])\n'
    )
    out = write_dispatch(code, {"Plan": ("status", ["Queued", "Empty"], {"queued": "Queued"})})
    assert "Annotated[Queued, _Tag('Queued')]" in out and "from pydantic import Field, Tag as _Tag\n" in out
    assert "Tag('" not in out.replace("_Tag('", "")


def test_branches_after_non_ascii_text_on_the_same_line_are_cut_where_they_are() -> None:
    # ast counts columns in UTF-8 bytes: a branch after "é" starts one column later in characters.
    code = (
        "from __future__ import annotations\n\nfrom pydantic import Field\n"
        "from typing_extensions import TypeAliasType\n\n"
        'Plan = TypeAliasType("Plan", Union[Annotated[Queued, Field(description="né")], Empty])  # é\n'
    )
    out = write_dispatch(code, {"Plan": ("status", ["Queued", "Empty"], {"queued": "Queued"})})
    assert "Annotated[Annotated[Queued, Field(description=\"né\")], _Tag('Queued')]" in out
    assert "Annotated[Empty, _Tag('Empty')]], by_tag('status', {'queued': 'Queued'})])  # é\n" in out


class Queued(BaseModel):
    status: Literal["queued"]
    plan_id: Annotated[str, pydantic.Field(alias="plan-id")]


class Empty(BaseModel):
    status: Literal["queued", "cancelled"]


Plan = TypeAliasType(
    "Plan",
    Annotated[
        Annotated[Queued, Tag("Queued")] | Annotated[Empty, Tag("Empty")],
        by_tag("status", {"queued": "Queued", "cancelled": "Empty"}),
    ],
)
PLAN: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(Plan)


@pytest.mark.parametrize("value", [{"status": "queued"}, {}, {"status": "newer"}, {"status": 1}])
def test_strict_refuses_what_the_mapped_branch_refuses_and_a_missing_or_unknown_tag(value: dict[str, Any]) -> None:
    with pytest.raises(pydantic.ValidationError):  # `queued` without plan-id is no Empty
        PLAN.validate_json(json.dumps(value), strict=True)


def test_each_value_goes_to_its_branch_and_dumps_back_unchanged() -> None:
    for value, cls in [({"status": "queued", "plan-id": "p"}, Queued), ({"status": "cancelled"}, Empty)]:
        model = PLAN.validate_json(json.dumps(value), strict=True)
        assert type(model) is cls
        assert PLAN.dump_python(model, mode="json", by_alias=True, exclude_unset=True, warnings="error") == value


def test_the_lenient_path_keeps_an_unknown_tag_as_sent() -> None:
    assert lenient_value(Plan, {"status": "newer", "x": 1}) == {"status": "newer", "x": 1}
    assert lenient_value(Plan, {"status": "cancelled"}) == Empty(status="cancelled")
