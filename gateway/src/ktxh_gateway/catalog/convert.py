"""Protobuf messages <-> REST JSON, and the REST (pydantic) models, derived from the proto
descriptors so that the REST shape follows ``proto/ktxh/catalog/v1/catalog.proto``.

Rules (the same for every catalog):

* JSON field names are the proto field names (``snake_case``).
* Enums are the value name without the enum prefix, in lower case
  (``SPATIAL_AGGREGATION_RATIO`` -> ``"ratio"``); ``*_UNSPECIFIED`` is ``null``.
* ISO dates (``valid_from``, ``issued_on``, ``deadline``...) are ``date`` values; the proto's
  empty string is ``null``. Ids (``*_id``) are ``null`` when empty.
* Timestamps are RFC 3339; ``map<int32, string>`` is an object with string keys; decimal
  quantities stay strings (``"12.5"``), as in the proto.
* Fields the service does not store are left out; fields it computes (``id``, ``version``,
  ``audit``, ``valid_to``, ``retired``, ``revision``, ids resolved from codes...) appear in
  responses only (see ``resources``). Request bodies forbid unknown fields.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import Any

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.protobuf.message import Message
from pydantic import BaseModel, ConfigDict, Field, create_model

from ktxh_gateway import limits
from ktxh_gateway.catalog.docs import field_doc, field_label
from ktxh_gateway.catalog.resources import hidden, read_only

DATE_FIELDS = frozenset(
    {"valid_from", "valid_to", "issued_on", "deadline", "as_of", "effective_from", "effective_to", "due_date",
     "cutoff_start", "cutoff_end", "start_date", "end_date"}
)
DATE_LIST_FIELDS = frozenset({"holidays"})
TIMESTAMP = "google.protobuf.Timestamp"


def is_date_field(name: str) -> bool:
    return name in DATE_FIELDS or name.endswith(("_date", "_on"))


def _snake_upper(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def enum_prefix(enum: EnumDescriptor) -> str:
    return _snake_upper(enum.name) + "_"


def enum_rest_name(enum: EnumDescriptor, number: int) -> str | None:
    value = enum.values_by_number.get(number)
    if value is None or number == 0:
        return None
    return value.name.removeprefix(enum_prefix(enum)).lower()


def enum_number(enum: EnumDescriptor, rest: str | None) -> int:
    if not rest:
        return 0
    return enum.values_by_name[enum_prefix(enum) + str(rest).upper()].number


@cache
def rest_enum(enum: EnumDescriptor) -> type[StrEnum]:
    """The REST enum of a proto enum (values without prefix, lower case, no UNSPECIFIED)."""
    members = {
        name: name
        for v in enum.values
        if v.number != 0 and (name := v.name.removeprefix(enum_prefix(enum)).lower())
    }
    return StrEnum(enum.name, members)  # type: ignore[return-value]


def _is_map(f: FieldDescriptor) -> bool:
    return f.message_type is not None and f.message_type.GetOptions().map_entry


# ------------------------------------------------------------------------- proto -> JSON


def _scalar_out(f: FieldDescriptor, value: Any) -> Any:
    if f.type == FieldDescriptor.TYPE_ENUM:
        return enum_rest_name(f.enum_type, value)
    if f.type == FieldDescriptor.TYPE_MESSAGE:
        if f.message_type.full_name == TIMESTAMP:
            return value.ToDatetime(tzinfo=UTC)
        return to_json(value)
    if f.type == FieldDescriptor.TYPE_STRING and value == "" and (
        is_date_field(f.name) or f.name.endswith("_id")
    ):
        return None
    return value


def to_json(msg: Message) -> dict[str, Any]:
    """A message as a JSON-ready dict (every field present, see the module rules)."""
    out: dict[str, Any] = {}
    skip = hidden(msg.DESCRIPTOR.name)
    for f in msg.DESCRIPTOR.fields:
        if f.name in skip:
            continue
        value = getattr(msg, f.name)
        if _is_map(f):
            vf = f.message_type.fields_by_name["value"]
            out[f.name] = {str(k): _scalar_out(vf, v) for k, v in sorted(value.items())}
        elif f.is_repeated:
            out[f.name] = [_scalar_out(f, v) for v in value]
        elif f.has_presence and not msg.HasField(f.name):
            out[f.name] = None
        else:
            out[f.name] = _scalar_out(f, value)
    return out


# ------------------------------------------------------------------------- JSON -> proto


def _scalar_in(f: FieldDescriptor, value: Any) -> Any:
    if f.type == FieldDescriptor.TYPE_ENUM:
        return enum_number(f.enum_type, value.value if isinstance(value, StrEnum) else value)
    if f.type == FieldDescriptor.TYPE_STRING:
        if value is None:
            return ""
        if isinstance(value, date | datetime):
            return value.isoformat()
        return str(value)
    return value


def fill(msg: Message, data: dict[str, Any]) -> Message:
    """Set the fields of ``msg`` named in ``data`` (a model dump, see ``to_json``)."""
    desc = msg.DESCRIPTOR
    for name, value in data.items():
        f = desc.fields_by_name.get(name)
        if f is None:
            continue
        if _is_map(f):
            target = getattr(msg, name)
            target.clear()
            kf, vf = f.message_type.fields_by_name["key"], f.message_type.fields_by_name["value"]
            for k, v in (value or {}).items():
                key = int(k) if kf.type in _INT_TYPES else str(k)
                target[key] = _scalar_in(vf, v)
        elif f.is_repeated:
            target = getattr(msg, name)
            del target[:]
            for v in value or []:
                if f.type == FieldDescriptor.TYPE_MESSAGE:
                    fill(target.add(), v)
                else:
                    target.append(_scalar_in(f, v))
        elif f.type == FieldDescriptor.TYPE_MESSAGE:
            if value is None:
                msg.ClearField(name)
            elif f.message_type.full_name == TIMESTAMP:
                getattr(msg, name).FromDatetime(value)
            else:
                fill(getattr(msg, name), value)
        elif value is None and f.has_presence:
            msg.ClearField(name)
        else:
            setattr(msg, name, _scalar_in(f, value) if value is not None else _default(f))
    return msg


_INT_TYPES = {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32,
              FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64}


def _default(f: FieldDescriptor) -> Any:
    if f.type == FieldDescriptor.TYPE_STRING:
        return ""
    if f.type == FieldDescriptor.TYPE_BOOL:
        return False
    if f.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return 0.0
    return 0


# ------------------------------------------------------------------------- pydantic models


_INT_BOUNDS = {
    FieldDescriptor.TYPE_INT32: limits.INT32, FieldDescriptor.TYPE_SINT32: limits.INT32,
    FieldDescriptor.TYPE_UINT32: limits.UINT32, FieldDescriptor.TYPE_INT64: limits.INT64,
    FieldDescriptor.TYPE_SINT64: limits.INT64, FieldDescriptor.TYPE_UINT64: limits.UINT64,
}
CODE_MAX = 80  # catalog_items.code
TEXT_MAX = 10_000


def _python_type(f: FieldDescriptor, mode: str) -> Any:
    if mode != "out":  # request bodies state the real limits (ktxh_gateway.limits)
        if f.type in _INT_BOUNDS:
            return limits.integer(_INT_BOUNDS[f.type])
        if f.type == FieldDescriptor.TYPE_STRING and not (
            f.name in DATE_LIST_FIELDS or is_date_field(f.name)
        ):
            is_code = f.name == "code" or f.name.endswith(("_code", "_codes", "_id", "_ids"))
            return limits.text(CODE_MAX if is_code else TEXT_MAX)
        if f.type == FieldDescriptor.TYPE_STRING:
            return limits.Day
    if f.type == FieldDescriptor.TYPE_ENUM:
        return rest_enum(f.enum_type)
    if f.type == FieldDescriptor.TYPE_MESSAGE:
        if f.message_type.full_name == TIMESTAMP:
            return datetime
        return model_for(f.message_type, "in" if mode == "patch" else mode)
    if f.type == FieldDescriptor.TYPE_BOOL:
        return bool
    if f.type in _INT_TYPES:
        return int
    if f.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return float
    if f.name in DATE_LIST_FIELDS:
        return date
    if is_date_field(f.name):
        return date
    return str


def _field(f: FieldDescriptor, mode: str) -> tuple[Any, Any]:
    """(annotation, FieldInfo) of one proto field in a model of ``mode``
    (``out``: responses; ``in``: create/replace bodies; ``patch``: partial bodies)."""
    doc = field_doc(f.containing_type.name, f.name)
    lbl = field_label(f.containing_type.name, f.name)
    extra: dict[str, Any] = {"json_schema_extra": {"x-label": lbl}} if lbl else {}
    if _is_map(f):
        vf = f.message_type.fields_by_name["value"]
        tp: Any = dict[str, _python_type(vf, mode)]  # type: ignore[misc]
        default: Any = None if mode == "patch" else {}
        return (tp | None if mode == "patch" else tp), Field(default=default, description=doc, **extra)
    base = _python_type(f, mode)
    if f.is_repeated:
        return (list[base] | None if mode == "patch" else list[base]), Field(  # type: ignore[valid-type]
            default=None if mode == "patch" else [], description=doc, **extra
        )
    nullable = (
        mode == "patch"
        or f.type in (FieldDescriptor.TYPE_ENUM, FieldDescriptor.TYPE_MESSAGE)
        or base is date
        or f.name.endswith("_id")
        or f.has_presence
    )
    if nullable:
        return base | None, Field(default=None, description=doc, **extra)
    return base, Field(default=_default(f), description=doc, **extra)


@cache
def model_for(desc: Descriptor, mode: str = "out") -> type[BaseModel]:
    """The pydantic model of a proto message for responses (``out``), full request bodies
    (``in``) or partial request bodies (``patch``)."""
    fields: dict[str, Any] = {}
    top_level = "id" in desc.fields_by_name and "version" in desc.fields_by_name
    skip = hidden(desc.name)
    if mode != "out":
        skip = skip | read_only(desc.name, top_level=top_level)
    for f in desc.fields:
        if f.name in skip:
            continue
        fields[f.name] = _field(f, mode)
    suffix = {"out": "", "in": "Input", "patch": "Patch"}[mode]
    config = ConfigDict(extra="forbid") if mode != "out" else ConfigDict()
    return create_model(desc.name + suffix, __config__=config, __doc__=field_doc(desc.name, ""), **fields)


def dump_for_pb(model: BaseModel, *, exclude_unset: bool = False) -> dict[str, Any]:
    """A request model as a dict ``fill`` understands (enums as values, dates kept)."""
    return model.model_dump(exclude_unset=exclude_unset, mode="python")
