"""What each kind of spec change means to an SDK user.

Input: a change kind (a stable id such as `response-property-removed`). Output: its `Rule`:
the level (`error` = breaking, `warn` / `info` = non-breaking, `doc` = description-only) and
a one-line reason. The kind alone decides the classification, so this table is the whole
policy and `python -m codegen diff` output can be checked against it.

Direction decides most rules: a request is written by the caller, so anything that accepts
less (a removed enum value, a tighter bound, a new required property) breaks callers; a
response is read by the caller through generated types, so anything that changes those types
(a removed or now-optional property, a new `| None`, a `$ref` widened into a union) breaks
readers, while the server sending *less* (a removed enum value, a tighter bound) does not.

Decision: removing a request property is breaking even when it was optional. The generated
model and method lose the field, so callers who pass it fail type-checking (or get a
`TypeError`), and the server may reject it as unknown. oasdiff reports it at `warn`.

Deviation from oasdiff ≥ 1.31: response constraint changes are non-breaking here (the brief's
rule): responses are parsed leniently by default, so a value outside the old bounds still
parses; only `strict_response_validation=True` would reject it.

SDK kinds (`sdk-…`) come from comparing the generated Python API (sdk.py): a renamed method or
argument, keyword arguments that became one `body=`, a return type that changed. Each rule also
says whom a breaking change breaks (`effect`: callers, readers) and how to migrate (`hint`, with
`{old}`, `{new}` and `{python}` filled in from the change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warn", "info", "doc"]
Direction = Literal["request", "response"]


SEVERITY: Mapping[Level, int] = {"doc": 0, "info": 1, "warn": 2, "error": 3}


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    level: Level
    reason: str

    @property
    def classification(self) -> str:
        return "breaking" if self.level == "error" else "non-breaking"

    @property
    def effect(self) -> str:
        """`breaks callers`, `breaks readers` or `safe` (a warning is safe, with something to check)."""
        if self.level != "error":
            return "safe"
        readers = self.kind.startswith("response-") or self.kind.startswith(_READER_SDK_KINDS)
        return "breaks readers" if readers else "breaks callers"

    @property
    def hint(self) -> str:
        """How to migrate, with `{old}`, `{new}`, `{python}` placeholders; empty when nothing to do."""
        if self.level != "error":
            return ""
        for pattern, text in _HINTS:
            if pattern in self.kind:
                return text
        return self.reason


_READER_SDK_KINDS = ("sdk-return-", "sdk-stream-type-", "sdk-field-", "sdk-class-", "sdk-enum-")
# Migration hints for breaking kinds: the first pattern found in the kind wins.
_HINTS: tuple[tuple[str, str], ...] = (
    ("method-renamed", "rename the calls: `{old}(…)` → `{new}(…)`"),
    ("operation-id", "rename the calls to the new method name (`{python}`)"),
    ("body-became-one-argument", "pass the whole body as one `body=` value instead of `{old}`"),
    ("body-became-keywords", "pass the body's fields as keyword arguments (`{new}`) instead of `body=`"),
    ("operation-removed", "remove the calls: the operation is gone from the spec"),
    ("method-removed", "remove the calls: the operation is gone from the spec"),
    ("stream-variant-removed", "call the method without `stream=True`"),
    ("argument-renamed", "rename the keyword: `{old}=` → `{new}=`"),
    ("added-required", "pass the new argument in every call"),
    ("became-required", "pass it in every call"),
    ("request-parameter-removed", "stop passing it"),
    ("request-property-removed", "stop passing it (or send it with `extra_body`)"),
    ("argument-removed", "stop passing it"),
    ("request-body-removed", "stop sending a body"),
    ("const-changed", "use `{new}` where you used `{old}`"),
    ("request-body-added", "send a body"),
    ("enum-value-removed", "stop sending `{old}`"),
    ("request-property-enum-added", "send only the listed values"),
    ("request-parameter-enum-added", "send only the listed values"),
    ("request-body-enum-added", "send only the listed values"),
    ("constraint-tightened", "check the values you send against `{new}`"),
    ("subschema", "check the values you send against the new schema"),
    ("request-body-format", "check the values you send against format `{new}`"),
    ("request-property-format", "check the values you send against format `{new}`"),
    ("request-parameter-format", "check the values you send against format `{new}`"),
    ("default-changed", "pass the value explicitly to keep `{old}`"),
    ("media-type-removed", "send or accept one of the remaining content types"),
    ("became-not-nullable", "stop sending None"),
    ("union-branch-removed", "stop sending `{old}`"),
    ("union-narrowed", "send only `{new}`"),
    ("request-", "pass a value of the new type: `{new}`"),
    ("sdk-argument", "pass a value of the new type: `{new}`"),
    ("property-removed", "stop reading it (a value the server still sends stays in `model_extra`)"),
    ("became-optional", "handle a missing value: the attribute may be None"),
    ("became-nullable", "handle None"),
    ("union-widened", "narrow the value: it may now also be `{new}`"),
    ("union-branch-added", "handle the new variant `{new}`"),
    ("enum-removed", "compare with plain strings instead of the enum's members"),
    ("success-status-removed", "check what the method returns now"),
    ("sdk-return", "read the result as `{new}`"),
    ("sdk-stream-type", "read the events as `{new}`"),
    ("type-changed", "read it as `{new}`"),
    ("sdk-field-renamed", "rename the attribute: `.{old}` → `.{new}`"),
    ("renamed", "rename it in your code: `{old}` → `{new}`"),
)


# Schema-level changes, the same for a request body, one of its properties or a parameter:
# suffix → (request rule, response rule), each (level, reason).
_SCHEMA: dict[str, tuple[tuple[Level, str], tuple[Level, str]]] = {
    "type-changed": (
        ("error", "callers sending the old type are rejected, and the generated argument type changes"),
        ("error", "the generated type changes: typed readers get values of another type"),
    ),
    "type-widened": (
        ("info", "the new type accepts everything the old one did"),
        ("error", "the generated type changes: typed readers get values of another type"),
    ),
    "format-changed": (
        ("error", "the server may reject values that were valid under the old format"),
        ("info", "the JSON type is the same and the generator maps neither format to another Python type"),
    ),
    "format-removed": (
        ("info", "fewer checks on what callers send"),
        ("info", "the JSON type is the same and the generator maps neither format to another Python type"),
    ),
    "format-type-changed": (
        ("error", "the generated Python type changes (date-time and binary map to datetime and bytes)"),
        ("error", "the generated Python type changes (date-time and binary map to datetime and bytes)"),
    ),
    "became-nullable": (
        ("info", "null is accepted as well as every old value"),
        ("error", "typed readers may now get None where the generated type ruled it out"),
    ),
    "became-not-nullable": (
        ("error", "callers sending null are rejected and the generated type loses `| None`"),
        ("info", "the server no longer sends null; readers that handled None still work"),
    ),
    "enum-value-added": (
        ("info", "one more value accepted"),
        (
            "warn",
            "non-breaking only because the SDK runtime keeps unknown enum values as plain strings; "
            "code that matches every member should handle the new one",
        ),
    ),
    "enum-value-removed": (
        ("error", "callers sending the removed value are rejected and the generated enum loses the member"),
        ("info", "the server sends fewer values; nothing a reader handled goes away"),
    ),
    "enum-added": (
        ("error", "values are now restricted to a list; callers sending others are rejected"),
        ("info", "values are now restricted to a list; the generated str enum still compares equal to strings"),
    ),
    "enum-removed": (
        ("info", "any value is accepted now"),
        ("error", "the generated enum becomes a plain type; code naming its members breaks"),
    ),
    "constraint-tightened": (
        ("error", "values that were valid may now be rejected"),
        ("info", "response constraints do not change generated types; responses are parsed leniently"),
    ),
    "constraint-loosened": (
        ("info", "everything that was valid still is"),
        ("info", "response constraints do not change generated types; responses are parsed leniently"),
    ),
    "union-widened": (
        ("info", "the generated type accepts the old shape and more"),
        ("error", "a single type became a union: the generated type changes and typed readers must narrow it"),
    ),
    "union-branch-added": (
        ("info", "one more shape accepted"),
        ("error", "the generated union gains a variant that typed readers do not handle"),
    ),
    "union-branch-removed": (
        ("error", "callers sending that shape are rejected and the generated union loses it"),
        ("info", "the server sends fewer shapes; nothing a reader handled goes away"),
    ),
    "union-narrowed": (
        ("error", "a union became a single type: callers sending the other shapes are rejected"),
        ("info", "the server sends fewer shapes; nothing a reader handled goes away"),
    ),
    "ref-changed": (
        ("warn", "another component is used here; its generated class has another name"),
        ("warn", "another component is used here; its generated class has another name"),
    ),
    "deprecated": (
        ("warn", "still works; plan to stop sending it"),
        ("warn", "still sent; plan to stop reading it"),
    ),
    "deprecation-removed": (("info", "no longer deprecated"), ("info", "no longer deprecated")),
    "type-narrowed": (
        ("error", "callers sending the old type are rejected, and the generated argument type changes"),
        ("info", "every value sent now fits the old generated type (an int is a float to Python)"),
    ),
    "const-changed": (
        ("error", "callers sending the old constant are rejected; the generated Literal changes"),
        (
            "error",
            "the generated Literal changes, and unions that tell their branches apart by it pick another class",
        ),
    ),
    "subschema-added": (
        ("error", "a new JSON Schema subschema constrains what callers send"),
        ("info", "response constraints do not change generated types; responses are parsed leniently"),
    ),
    "subschema-removed": (
        ("info", "one constraint fewer on what callers send"),
        ("info", "response constraints do not change generated types; responses are parsed leniently"),
    ),
    "subschema-changed": (
        ("error", "a JSON Schema subschema changed: values that were valid may now be rejected"),
        ("info", "response constraints do not change generated types; responses are parsed leniently"),
    ),
    "not-changed": (
        ("warn", "what `not` rejects changed; the SDK does not check it, the server may"),
        ("info", "response constraints do not change generated types; responses are parsed leniently"),
    ),
    "default-changed": (
        ("warn", "callers who leave it out get a different server behaviour"),
        ("info", "a default in a response describes the server, not the types"),
    ),
}

# Where a subject needs a stricter rule than the table above (as oasdiff does for parameters).
_SUBJECT_OVERRIDES: dict[str, tuple[Level, str]] = {
    "request-parameter-default-changed": (
        "error",
        "callers who leave the parameter out silently get another value",
    ),
}

_OTHER: dict[str, tuple[Level, str]] = {
    # Properties of an object, by direction.
    "request-property-removed": (
        "error",
        "the generated model no longer has it: callers who pass it fail type-checking or get a TypeError",
    ),
    "request-property-added-required": ("error", "callers must now send it (a default does not change that)"),
    "request-property-added-optional": ("info", "a new optional argument; existing calls are unchanged"),
    "request-property-became-required": ("error", "callers who left it out are rejected"),
    "request-property-became-optional": ("info", "callers may now leave it out"),
    "response-property-removed": (
        "error",
        "the generated model loses the attribute: code that reads it breaks",
    ),
    "response-property-added": ("info", "a new attribute; older SDKs keep it in model_extra"),
    "response-property-became-optional": (
        "error",
        "the attribute may be missing: its generated type gains `| None` and typed readers must handle it",
    ),
    "response-property-became-required": ("info", "the attribute is always sent now"),
    "subschema-property-removed": (
        "info",
        "named only inside a JSON Schema subschema (`if`, `contains`, ...): no generated field, one constraint less",
    ),
    # Parameters.
    "request-required-parameter-default-changed": (
        "info",
        "callers always pass a required parameter, so its default is never used",
    ),
    "request-parameter-added-required": ("error", "callers must now pass it"),
    "request-parameter-added-optional": ("info", "a new optional argument; existing calls are unchanged"),
    "request-parameter-removed": ("error", "the generated method no longer takes it: callers who pass it break"),
    "request-parameter-became-required": ("error", "callers who left it out must now pass it"),
    "request-parameter-became-optional": ("info", "callers may now leave it out"),
    # Request bodies.
    "request-body-added-required": ("error", "callers must now send a body"),
    "request-body-added-optional": ("info", "callers may send a body"),
    "request-body-removed": ("error", "the generated method no longer takes a body: callers who send one break"),
    "request-body-became-required": ("error", "callers who sent no body are rejected"),
    "request-body-became-optional": ("info", "callers may now leave the body out"),
    "request-media-type-added": ("info", "one more accepted content type"),
    "request-media-type-removed": ("error", "callers sending that content type are rejected"),
    # Responses.
    "response-status-added": ("info", "a new status; the runtime maps statuses to errors by family"),
    "response-success-status-removed": ("error", "the generated return type loses that response"),
    "response-error-status-removed": ("info", "the runtime raises errors by status family, not from the spec"),
    "response-media-type-added": ("info", "another content type may be sent for this status"),
    "response-media-type-removed": ("error", "the generated return type loses that content type"),
    # Operations.
    "operation-added": ("info", "a new method"),
    "operation-removed": ("error", "the generated method disappears"),
    "operation-id-changed": ("error", "the generated method and its resource placement are keyed by operationId"),
    "operation-id-added": ("error", "the generated method was named after method and path; now after operationId"),
    "operation-id-removed": ("error", "the generated method was named after operationId; now after method and path"),
    "operation-deprecated": ("warn", "still works; plan to stop calling it"),
    "operation-deprecation-removed": ("info", "no longer deprecated"),
    "operation-id-changed-same-method": ("info", "the generated method keeps its name and place"),
    # Words only.
    "description-changed": ("doc", "documentation only: docstrings change, types do not"),
}

# The generated Python API (sdk.py), in its own terms.
_SDK: dict[str, tuple[Level, str]] = {
    "sdk-method-added": ("info", "a new method"),
    "sdk-method-removed": ("error", "the method is gone: calls raise AttributeError"),
    "sdk-method-not-generated": (
        "warn",
        "the generator rejects the new version of this operation: generating fails until spec or generator is fixed",
    ),
    "sdk-method-generated-again": ("info", "the generator could not make the old version; it can make the new one"),
    "sdk-method-renamed": ("error", "the method has another name or place: calls to the old one raise AttributeError"),
    "sdk-stream-variant-added": ("info", "the method takes `stream=True`"),
    "sdk-stream-variant-removed": ("error", "the method no longer takes `stream=True`"),
    "sdk-body-became-one-argument": (
        "error",
        "the body's keyword arguments became one `body=` argument: every call breaks",
    ),
    "sdk-body-became-keywords": ("error", "the `body=` argument became keyword arguments: every call breaks"),
    "sdk-argument-added-required": ("error", "a new required argument: calls without it raise TypeError"),
    "sdk-argument-added-optional": ("info", "a new optional argument"),
    "sdk-argument-removed": ("error", "the argument is gone: calls that pass it raise TypeError"),
    "sdk-argument-renamed": ("error", "the keyword argument has another name: calls that pass it raise TypeError"),
    "sdk-positional-argument-renamed": ("warn", "a positional argument has another name; positional calls still work"),
    "sdk-argument-became-required": ("error", "calls that leave it out raise TypeError"),
    "sdk-argument-became-optional": ("info", "calls may leave it out"),
    "sdk-argument-became-required-in-signature": (
        "warn",
        "the signature now requires an argument the server already required: working calls pass it",
    ),
    "sdk-argument-added-required-in-signature": (
        "warn",
        "the signature gains a required argument the server already required: working calls send it",
    ),
    "sdk-argument-type-widened": ("info", "the argument accepts every value it did"),
    "sdk-argument-type-narrowed": ("error", "the argument accepts fewer values: type checkers flag old calls"),
    "sdk-argument-type-changed": ("error", "the argument's type changed: type checkers flag old calls"),
    "sdk-argument-type-renamed": ("warn", "the argument's type names another class of the same shape"),
    "sdk-return-type-added": ("info", "the method returns a value where it returned None"),
    "sdk-return-type-widened": ("error", "the method may return values its old type ruled out"),
    "sdk-return-type-narrowed": ("info", "the method returns a narrower type; old code still type-checks"),
    "sdk-return-type-changed": ("error", "the method returns another type"),
    "sdk-return-type-renamed": ("warn", "the return type is another class of the same shape"),
    "sdk-stream-type-widened": ("error", "the stream may yield events its old type ruled out"),
    "sdk-stream-type-narrowed": ("info", "the stream yields a narrower type"),
    "sdk-stream-type-changed": ("error", "the stream yields another type"),
    "sdk-stream-type-renamed": ("warn", "the event type is another class of the same shape"),
    "sdk-class-added": ("info", "a new model class"),
    "sdk-class-renamed": ("warn", "the same class under another name: code that imports or names it breaks"),
    "sdk-enum-renamed": ("warn", "the same enum under another name: code that imports or names it breaks"),
    "sdk-class-removed": ("warn", "code that imports or names the class breaks; responses still parse"),
    "sdk-enum-added": ("info", "a new enum"),
    "sdk-enum-removed": ("warn", "code that imports or names the enum breaks; values still parse as strings"),
    "sdk-enum-member-added": ("info", "a new member"),
    "sdk-enum-member-removed": ("warn", "code that names the member breaks; the value still parses as a string"),
    "sdk-field-added": ("info", "a new attribute"),
    "sdk-field-removed": ("warn", "the class loses the attribute"),
    "sdk-field-renamed": ("error", "the attribute has another Python name: code that reads or sets it breaks"),
    "sdk-field-type-widened": ("warn", "the attribute's type admits more values"),
    "sdk-field-type-narrowed": ("info", "the attribute's type admits fewer values"),
    "sdk-field-type-changed": ("warn", "the attribute's type changed"),
    "sdk-field-type-renamed": ("warn", "the attribute's type names another class of the same shape"),
}

SUBJECTS: Mapping[Direction, tuple[str, ...]] = {
    "request": ("body", "property", "parameter"),
    "response": ("body", "property"),
}


def _build() -> dict[str, Rule]:
    rules = {kind: Rule(kind, level, reason) for kind, (level, reason) in {**_OTHER, **_SDK}.items()}
    for suffix, (request, response) in _SCHEMA.items():
        sides: tuple[tuple[Direction, tuple[Level, str]], ...] = (("request", request), ("response", response))
        for direction, (level, reason) in sides:
            for subject in SUBJECTS[direction]:
                kind = f"{direction}-{subject}-{suffix}"
                rules[kind] = Rule(kind, *_SUBJECT_OVERRIDES.get(kind, (level, reason)))
    return rules


RULES: Mapping[str, Rule] = _build()


def rule(kind: str) -> Rule:
    """The rule of a kind; an unknown kind is a programming error, not an input error."""
    return RULES[kind]


def schema_kind(direction: Direction, subject: str, suffix: str) -> str:
    """`request` + `property` + `enum-value-removed` → `request-property-enum-value-removed`."""
    if suffix not in _SCHEMA:
        raise KeyError(suffix)
    return f"{direction}-{subject}-{suffix}"
