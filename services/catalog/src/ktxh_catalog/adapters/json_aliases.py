"""Names a catalog file may still use from before the catalog had one vocabulary.

Files exported before the domain took the proto / REST names (``unit`` for
``unit_of_measure``, ``members`` for ``items``, ``"ratio_of_sums"`` for ``"ratio"``...) still
import: ``upgrade_item`` renames the old field names and enum values of one item to today's
before it is decoded. Two fields became lists (a criteria set's ``subject`` is its
``applies_to_kinds``, a report template's ``frequency`` its ``period_kinds``): the old single
value is read as a list of one. A file naming a field both ways keeps the old name too, so
decoding reports it as unsupported. The stored revisions were rewritten once by the Alembic
migration ``catalog_0003``, which keeps its own frozen copy of these tables. Calendars keep
their shape (``deadline_rules``/``cutoff_rules``; the proto's ``rules`` merge both).
"""

from __future__ import annotations

from typing import Any

__all__ = ["OLD_FIELD_NAMES", "OLD_VALUES", "TO_LIST", "upgrade_item"]

_LEGAL = {"legal_basis": "legal_document"}

# collection -> where in the item ("" = the item itself, "dimensions.members" = each member
# of each dimension, named by today's names) -> old field name -> today's name
OLD_FIELD_NAMES: dict[str, dict[str, dict[str, str]]] = {
    "indicators": {
        "": {
            "unit": "unit_of_measure",
            "unit_aggregation": "spatial_aggregation",
            "numerator": "numerator_code",
            "denominator": "denominator_code",
            "weight_indicator": "weight_indicator_code",
            "group": "group_code",
            "sector": "field",
        },
        "dimensions.members": {"unit": "unit_of_measure"},
    },
    "indicator_sets": {
        "": {"members": "items", "applies_to": "applies_to_kinds", **_LEGAL},
        "items": {"group": "group_code", "order": "ordinal"},
        "groups": {"order": "ordinal"},
    },
    "key_tasks": {"": {"due_date": "deadline", "sector": "field", **_LEGAL}},
    "thematic_plans": {"": {"start": "start_date", "end": "end_date",
                            "task_codes": "key_task_codes", "sector": "field", **_LEGAL}},
    "criteria_sets": {
        "": {"subject": "applies_to_kinds", **_LEGAL},
        "criteria": {"method": "scoring_method", "order": "ordinal"},
    },
    "period_targets": {"": dict(_LEGAL)},
    "report_templates": {
        "": {"frequency": "period_kinds", "columns": "column_specs"},
        "sections": {"order": "ordinal"},
        "sections.rows": {"order": "ordinal"},
    },
}

# field name (wherever it occurs) -> old enum value -> today's value
OLD_VALUES: dict[str, dict[str, str]] = {
    "spatial_aggregation": {"ratio_of_sums": "ratio"},
    "time_aggregation": {"sum": "flow", "last": "stock", "recompute": "rate"},
    "polarity": {"higher_better": "higher_is_better", "lower_better": "lower_is_better"},
    "frequencies": {"five_year": "plan_period"},
    "frequency": {"five_year": "plan_period"},
    "period_kinds": {"five_year": "plan_period"},
    "scoring_method": {"on_time_task_completion": "task_completion",
                       "report_timeliness": "timeliness"},
    "measure": {"plan": "target", "vs_plan_pct": "percent_of_target",
                "vs_same_period_pct": "percent_of_same_period"},
}

# (collection, field) whose old single value is today's list of one
TO_LIST = {("criteria_sets", "applies_to_kinds"), ("report_templates", "period_kinds")}


def upgrade_item(collection: str, data: Any) -> Any:
    """One item of ``collection`` (``"indicators"``...) with today's field names and values."""
    if not isinstance(data, dict):
        return data
    names = OLD_FIELD_NAMES.get(collection, {})
    out = _upgrade(names, data, "")
    for c, name in TO_LIST:
        if c == collection and name in out and name not in data and not isinstance(
                out[name], list):
            out[name] = [out[name]]
    return out


def _upgrade(names: dict[str, dict[str, str]], data: Any, where: str) -> Any:
    if isinstance(data, list):
        return [_upgrade(names, x, where) for x in data]
    if not isinstance(data, dict):
        return data
    renames = names.get(where, {})
    out: dict[str, Any] = {}
    for key, value in data.items():
        new = renames.get(key, key)
        if new != key and new in data:
            new = key  # named both ways: left for the decoder to refuse
        value = _upgrade(names, value, f"{where}.{new}" if where else new)
        out[new] = _value(new, value)
    return out


def _value(name: str, value: Any) -> Any:
    old = OLD_VALUES.get(name)
    if not old:
        return value
    if isinstance(value, list):
        return [old.get(v, v) if isinstance(v, str) else v for v in value]
    return old.get(value, value) if isinstance(value, str) else value
