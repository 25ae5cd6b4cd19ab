"""Names a catalog file may still use from before the catalog had one vocabulary.

Files exported before the domain took the proto / REST names (``unit`` for
``unit_of_measure``, ``members`` for ``items``, ``"ratio_of_sums"`` for ``"ratio"``...) still
import: ``upgrade_item`` renames the old field names and enum values of one item to today's
before it is decoded. Two fields became lists (a criteria set's ``subject`` is its
``applies_to_kinds``, a report template's ``frequency`` its ``period_kinds``): the old single
value is read as a list of one. A calendar's ``deadline_rules`` and ``cutoff_rules`` merge
into its ``rules`` (one per kind of period, days as ``{"month_offset", "day"}``). A file
naming a field both ways keeps the old name too, so decoding reports it as unsupported. The
stored revisions were rewritten once by the Alembic migration ``catalog_0003``, which keeps
its own frozen copy of these tables.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OLD_FIELD_NAMES", "OLD_VALUES", "TO_LIST", "merge_calendar_rules", "upgrade_item"]

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
    "calendars": {"overrides": {"period": "period_code", "deadline": "due_date"}},
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
    "period_kind": {"five_year": "plan_period"},
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
    if collection == "calendars" and "rules" not in data and (
            "deadline_rules" in data or "cutoff_rules" in data):
        data = merge_calendar_rules(data)
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


def merge_calendar_rules(data: dict[str, Any]) -> dict[str, Any]:
    """A calendar stated with ``deadline_rules`` and ``cutoff_rules`` (one list each, days as
    ``day``/``month_offset``, ``start_day``/``end_day``...) as one rule per kind of period."""
    rules: dict[Any, dict[str, Any]] = {}
    out = {k: v for k, v in data.items() if k not in ("deadline_rules", "cutoff_rules")}
    for old in _list(data.get("deadline_rules")):
        rule = rules.setdefault(_key(old.get("frequency")), {"period_kind": old.get("frequency")})
        rule["due"] = {"month_offset": old.get("month_offset", 0), "day": old.get("day")}
        for name in ("before", "description"):
            if name in old:
                rule[name] = old[name]
    for old in _list(data.get("cutoff_rules")):
        rule = rules.setdefault(_key(old.get("frequency")), {"period_kind": old.get("frequency")})
        rule["cutoff_start"] = {"month_offset": old.get("start_month_offset"),
                                "day": old.get("start_day")}
        rule["cutoff_end"] = {"month_offset": old.get("end_month_offset", 0),
                              "day": old.get("end_day")}
        if "description" in old:
            rule["cutoff_description"] = old["description"]
    out["rules"] = list(rules.values())
    return out


def _list(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _key(value: Any) -> Any:
    return value if isinstance(value, (str, int, type(None))) else repr(value)
