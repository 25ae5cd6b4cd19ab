"""JSON import/export of catalog items.

The JSON shape is the dataclass shape: field names as in the domain (which are the proto /
REST names), enums by their code (``"ratio"``), decimals as strings (``"100"``, no float
rounding), dates ISO (``"2026-06-03"``), tuples as arrays. Fields equal to their default may be omitted.

A catalog document::

    {"format": "ktxh-catalog", "format_version": 1,
     "indicators": [...], "indicator_sets": [...], "calendars": [...], "key_tasks": [...],
     "thematic_plans": [...], "criteria_sets": [...], "period_targets": [...],
     "report_templates": [...]}

``load_catalog`` is a dry run: it returns the decoded ``CatalogSnapshot`` and *every* error
(JSON path + Vietnamese message), writing nothing. ``dump_catalog`` is its inverse; the
round trip is lossless. Files written before the catalog had one vocabulary (``unit``,
``"ratio_of_sums"``...) still load: ``json_aliases.upgrade_item`` renames their old names first.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import MISSING, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from ktxh_catalog.adapters.json_aliases import upgrade_item
from ktxh_catalog.domain.calendars import Calendar
from ktxh_catalog.domain.catalog_items import (
    CatalogSnapshot,
    CriteriaSet,
    IndicatorSet,
    KeyTask,
    PeriodTarget,
    ReportTemplate,
    ThematicPlan,
)
from ktxh_catalog.domain.errors import DomainError, FieldViolation
from ktxh_catalog.domain.indicators import Indicator

__all__ = [
    "COLLECTION_TYPES",
    "FORMAT",
    "DecodeError",
    "JsonImportResult",
    "dump_catalog",
    "from_data",
    "load_catalog",
    "snapshot_from_data",
    "snapshot_to_data",
    "to_data",
]

T = TypeVar("T")
FORMAT = "ktxh-catalog"
FORMAT_VERSION = 1

COLLECTION_TYPES: dict[str, type] = {
    "indicators": Indicator,
    "indicator_sets": IndicatorSet,
    "calendars": Calendar,
    "key_tasks": KeyTask,
    "thematic_plans": ThematicPlan,
    "criteria_sets": CriteriaSet,
    "period_targets": PeriodTarget,
    "report_templates": ReportTemplate,
}


# ====================================================================== encoding


def to_data(obj: Any, *, omit_defaults: bool = False) -> Any:
    """Domain value -> JSON-compatible data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if omit_defaults and _is_default(f, value):
                continue
            out[f.name] = to_data(value, omit_defaults=omit_defaults)
        return out
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return format(obj, "f") if obj == obj.to_integral_value() else str(obj)
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_data(x, omit_defaults=omit_defaults) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_data(v, omit_defaults=omit_defaults) for k, v in obj.items()}
    return obj


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not MISSING:
        return bool(value == f.default)
    if f.default_factory is not MISSING:
        return bool(value == f.default_factory())
    return False


# ====================================================================== decoding


class DecodeError(Exception):
    pass


_hints_cache: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _hints_cache:
        _hints_cache[cls] = typing.get_type_hints(cls)
    return _hints_cache[cls]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def from_data(cls: type[T], data: Any, path: str = "") -> tuple[T | None, list[FieldViolation]]:
    """JSON data -> domain value of type ``cls``, with every error found (path, message)."""
    errors: list[FieldViolation] = []
    value = _decode(cls, data, path, errors)
    return (None if errors else value), errors


_MISSING_VALUE = object()


def _decode(tp: Any, data: Any, path: str, errors: list[FieldViolation]) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    where = path or "(gốc)"

    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        if data is None and len(non_none) < len(args):
            return None
        if len(non_none) == 1:
            return _decode(non_none[0], data, path, errors)
        raise TypeError(f"unsupported union {tp}")  # pragma: no cover
    if tp is Any:
        return data
    if origin is tuple:
        if not isinstance(data, list):
            errors.append(FieldViolation(where, "Phải là một danh sách"))
            return ()
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], x, f"{path}[{i}]", errors) for i, x in enumerate(data))
        if len(data) != len(args):
            errors.append(FieldViolation(where, f"Phải có đúng {len(args)} phần tử"))
            return ()
        return tuple(_decode(a, x, f"{path}[{i}]", errors) for i, (a, x) in
                     enumerate(zip(args, data)))
    if origin is dict:
        if not isinstance(data, dict):
            errors.append(FieldViolation(where, "Phải là một đối tượng"))
            return {}
        return {str(k): _decode(args[1], v, f"{path}[{k}]", errors) for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _decode_dataclass(tp, data, path, errors)
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(data)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            errors.append(FieldViolation(where, f"Giá trị '{data}' không hợp lệ (hợp lệ: {allowed})"))
            return None
    if tp is Decimal:
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            errors.append(FieldViolation(where, "Phải là một số"))
            return None
        try:
            d = Decimal(str(data).strip())
        except InvalidOperation:
            errors.append(FieldViolation(where, f"'{data}' không phải là số"))
            return None
        if not d.is_finite():
            errors.append(FieldViolation(where, f"'{data}' không phải là số hữu hạn"))
            return None
        return d
    if tp is datetime:
        try:
            return datetime.fromisoformat(str(data))
        except ValueError:
            errors.append(FieldViolation(where, f"Thời điểm '{data}' không hợp lệ"))
            return None
    if tp is date:
        if not isinstance(data, str):
            errors.append(FieldViolation(where, "Ngày phải có dạng YYYY-MM-DD"))
            return None
        try:
            return date.fromisoformat(data)
        except ValueError:
            errors.append(FieldViolation(where, f"Ngày '{data}' không tồn tại hoặc sai dạng "
                                                "YYYY-MM-DD"))
            return None
    if tp is bool:
        if not isinstance(data, bool):
            errors.append(FieldViolation(where, "Phải là true hoặc false"))
            return False
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            errors.append(FieldViolation(where, "Phải là số nguyên"))
            return 0
        return data
    if tp is str:
        if not isinstance(data, str):
            errors.append(FieldViolation(where, "Phải là chuỗi ký tự"))
            return ""
        return data
    raise TypeError(f"unsupported type {tp}")  # pragma: no cover


def _decode_dataclass(cls: type, data: Any, path: str, errors: list[FieldViolation]) -> Any:
    if not isinstance(data, dict):
        errors.append(FieldViolation(path or "(gốc)", "Phải là một đối tượng"))
        return None
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    for key in data:
        if key not in fields:
            errors.append(FieldViolation(_join(path, str(key)), "Trường không được hỗ trợ"))
    kwargs: dict[str, Any] = {}
    before = len(errors)
    for name, f in fields.items():
        if name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                errors.append(FieldViolation(_join(path, name), "Thiếu trường bắt buộc"))
            continue
        kwargs[name] = _decode(hints[name], data[name], _join(path, name), errors)
    if len(errors) > before:
        return None
    try:
        return cls(**kwargs)
    except (ValueError, TypeError, DomainError) as e:  # a constructor check refused it
        msg = getattr(e, "message", str(e))
        errors.append(FieldViolation(path or "(gốc)", msg))
        return None


# ====================================================================== catalog documents


@dataclass
class JsonImportResult:
    snapshot: CatalogSnapshot
    errors: list[FieldViolation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def snapshot_to_data(snapshot: CatalogSnapshot, *, omit_defaults: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    for name in COLLECTION_TYPES:
        items = getattr(snapshot, name)
        if items:
            out[name] = [to_data(x, omit_defaults=omit_defaults) for x in items.values()]
    return out


def snapshot_from_data(data: Any, *, validate: bool = True) -> JsonImportResult:
    """Decode a catalog document. Errors carry JSON paths (``indicators[3].numerator_code``)
    for decoding problems and catalog paths (``indicators[CODE].numerator_code``) for rule
    violations, which are checked only once everything decoded."""
    snap = CatalogSnapshot()
    errors: list[FieldViolation] = []
    if not isinstance(data, dict):
        return JsonImportResult(snap, [FieldViolation("(gốc)", "Tài liệu phải là một đối tượng JSON")])
    if data.get("format", FORMAT) != FORMAT:
        errors.append(FieldViolation("format", f"Định dạng phải là '{FORMAT}'"))
    if data.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        errors.append(FieldViolation("format_version",
                                     f"Phiên bản định dạng {data.get('format_version')} không "
                                     f"được hỗ trợ (hỗ trợ: {FORMAT_VERSION})"))
    for key in data:
        if key not in COLLECTION_TYPES and key not in ("format", "format_version", "comment",
                                                        "demo"):
            errors.append(FieldViolation(key, "Danh mục không được hỗ trợ"))
    for name, cls in COLLECTION_TYPES.items():
        items = data.get(name, [])
        if not isinstance(items, list):
            errors.append(FieldViolation(name, "Phải là một danh sách"))
            continue
        target = getattr(snap, name)
        for i, raw in enumerate(items):
            obj, errs = from_data(cls, upgrade_item(name, raw), f"{name}[{i}]")
            errors.extend(errs)
            if obj is None:
                continue
            if obj.code in target:
                errors.append(FieldViolation(f"{name}[{i}].code", f"Mã '{obj.code}' bị trùng"))
                continue
            target[obj.code] = obj
    if validate and not errors:
        errors.extend(snap.validate())
    return JsonImportResult(snap, errors)


def dump_catalog(snapshot: CatalogSnapshot, *, omit_defaults: bool = True) -> str:
    return pretty(snapshot_to_data(snapshot, omit_defaults=omit_defaults))


def pretty(data: Any, indent: int = 0, width: int = 100) -> str:
    """Readable JSON for hand-edited files: a list or object goes on one line when it holds
    only scalars and fits in ``width`` columns; otherwise one element per line."""
    return _pretty(data, indent, width) + "\n"


def _pretty(data: Any, indent: int, width: int) -> str:
    flat = json.dumps(data, ensure_ascii=False)
    pad = "  " * indent
    scalar = lambda x: not isinstance(x, (dict, list))
    if not isinstance(data, (dict, list)):
        return flat
    values = list(data.values()) if isinstance(data, dict) else data
    if all(scalar(x) for x in values) and len(pad) + len(flat) <= width:
        return flat
    inner = "  " * (indent + 1)
    if isinstance(data, list):
        body = ",\n".join(inner + _pretty(x, indent + 1, width) for x in data)
        return f"[\n{body}\n{pad}]"
    body = ",\n".join(f"{inner}{json.dumps(k, ensure_ascii=False)}: "
                      f"{_pretty(v, indent + 1, width)}" for k, v in data.items())
    return f"{{\n{body}\n{pad}}}"


def load_catalog(source: str | bytes | Path, *, validate: bool = True) -> JsonImportResult:
    """Dry run: parse a catalog document (text, bytes or a file path)."""
    if isinstance(source, Path):
        source = source.read_bytes()
    try:
        data = json.loads(source)
    except json.JSONDecodeError as e:
        return JsonImportResult(CatalogSnapshot(), [FieldViolation(
            "(gốc)", f"JSON không hợp lệ ở dòng {e.lineno}, cột {e.colno}: {e.msg}")])
    return snapshot_from_data(data, validate=validate)
