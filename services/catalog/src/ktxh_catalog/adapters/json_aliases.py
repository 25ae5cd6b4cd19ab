"""Names a catalog file may still use from before the catalog had one vocabulary.

Files exported before the domain took the proto / REST names (``unit`` for
``unit_of_measure``, ``"ratio_of_sums"`` for ``"ratio"``...) still import: ``upgrade_item``
renames the old field names and enum values of one item to today's before it is decoded. A
file naming a field both ways keeps the old name too, so decoding reports it as unsupported.
The stored revisions were rewritten once by the Alembic migration ``catalog_0003``, which
keeps its own frozen copy of these tables.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OLD_FIELD_NAMES", "OLD_VALUES", "upgrade_item"]

# collection -> where in the item ("" = the item itself, "dimensions.members" = each member
# of each dimension) -> old field name -> today's name
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
    "key_tasks": {"": {"sector": "field"}},
    "thematic_plans": {"": {"sector": "field"}},
}

# field name (wherever it occurs) -> old enum value -> today's value
OLD_VALUES: dict[str, dict[str, str]] = {
    "spatial_aggregation": {"ratio_of_sums": "ratio"},
    "time_aggregation": {"sum": "flow", "last": "stock", "recompute": "rate"},
    "polarity": {"higher_better": "higher_is_better", "lower_better": "lower_is_better"},
    "frequencies": {"five_year": "plan_period"},
    "frequency": {"five_year": "plan_period"},
}


def upgrade_item(collection: str, data: Any) -> Any:
    """One item of ``collection`` (``"indicators"``...) with today's field names and values."""
    return _upgrade(OLD_FIELD_NAMES.get(collection, {}), data, "")


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
        sub = f"{where}.{new}" if where else new
        value = _upgrade(names, value, sub)
        out[new] = _value(new, value)
    return out


def _value(name: str, value: Any) -> Any:
    old = OLD_VALUES.get(name)
    if not old:
        return value
    if isinstance(value, list):
        return [old.get(v, v) if isinstance(v, str) else v for v in value]
    return old.get(value, value) if isinstance(value, str) else value
