"""One vocabulary: stored revisions take the proto / REST field names and enum values.

Every revision's ``payload`` and ``changes`` of ``catalog_item_versions`` is rewritten from the
domain's old names (``unit``, ``unit_aggregation: "ratio_of_sums"``, ``members``...) to the
names the proto, REST, the files and the UI use (``unit_of_measure``,
``spatial_aggregation: "ratio"``, ``items``...). The tables below are a frozen copy of
``adapters/json_aliases.py`` as of this revision (a later rename gets its own migration).
Rows are read and written one at a time through SQLAlchemy Core, so SQLite and PostgreSQL
take the same path. A calendar's ``deadline_rules`` and ``cutoff_rules`` become its ``rules``,
one per kind of period as the proto's ``DeadlineRule`` (``due``, ``cutoff_start``,
``cutoff_end`` as ``{"month_offset", "day"}``); a revision's change of either list becomes a
change of ``rules``. The downgrade renames back and splits the rules again.

Revision ID: catalog_0003
Revises: catalog_0002
Create Date: 2026-11-30 06:30
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "catalog_0003"
down_revision = "catalog_0002"
branch_labels = None
depends_on = None

_LEGAL = {"legal_basis": "legal_document"}
# kind -> where in the payload ("" = top level, named by the new names) -> old name -> new name
FIELD_NAMES: dict[str, dict[str, dict[str, str]]] = {
    "indicator": {
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
    "indicator_set": {
        "": {"members": "items", "applies_to": "applies_to_kinds", **_LEGAL},
        "items": {"group": "group_code", "order": "ordinal"},
        "groups": {"order": "ordinal"},
    },
    "key_task": {"": {"due_date": "deadline", "sector": "field", **_LEGAL}},
    "thematic_plan": {"": {"start": "start_date", "end": "end_date",
                           "task_codes": "key_task_codes", "sector": "field", **_LEGAL}},
    "criteria_set": {
        "": {"subject": "applies_to_kinds", **_LEGAL},
        "criteria": {"method": "scoring_method", "order": "ordinal"},
    },
    "period_target": {"": dict(_LEGAL)},
    "calendar": {"overrides": {"period": "period_code", "deadline": "due_date"}},
    "report_template": {
        "": {"frequency": "period_kinds", "columns": "column_specs"},
        "sections": {"order": "ordinal"},
        "sections.rows": {"order": "ordinal"},
    },
}
# field name (wherever it occurs) -> old value -> new value
VALUES: dict[str, dict[str, str]] = {
    "spatial_aggregation": {"ratio_of_sums": "ratio"},
    "time_aggregation": {"sum": "flow", "last": "stock", "recompute": "rate"},
    "polarity": {"higher_better": "higher_is_better", "lower_better": "lower_is_better"},
    "frequencies": {"five_year": "plan_period"},
    "frequency": {"five_year": "plan_period"},  # a calendar's old rules, before they merge
    "period_kind": {"five_year": "plan_period"},
    "period_kinds": {"five_year": "plan_period"},
    "scoring_method": {"on_time_task_completion": "task_completion",
                       "report_timeliness": "timeliness"},
    "measure": {"plan": "target", "vs_plan_pct": "percent_of_target",
                "vs_same_period_pct": "percent_of_same_period"},
}
# (kind, top-level field) whose old single value became a list of one
TO_LIST = {("criteria_set", "applies_to_kinds"), ("report_template", "period_kinds")}

versions = sa.table(
    "catalog_item_versions",
    sa.column("item_id", sa.String),
    sa.column("number", sa.Integer),
    sa.column("payload", sa.JSON),
    sa.column("changes", sa.JSON),
)
items = sa.table("catalog_items", sa.column("id", sa.String), sa.column("kind", sa.String))


def _invert(names: dict[str, dict[str, dict[str, str]]]) -> dict[str, dict[str, dict[str, str]]]:
    """The renames back, each place named by its old path (a set's ``items`` are ``members``)."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for kind, places in names.items():
        for where, renames in places.items():
            segments, prefix = [], ""
            for seg in where.split(".") if where else []:
                back = {new: old for old, new in places.get(prefix, {}).items()}
                segments.append(back.get(seg, seg))
                prefix = f"{prefix}.{seg}" if prefix else seg
            out.setdefault(kind, {})[".".join(segments)] = {n: o for o, n in renames.items()}
    return out


def _rename(names: dict[str, dict[str, str]], values: dict[str, dict[str, str]], data: Any,
            where: str) -> Any:
    if isinstance(data, list):
        return [_rename(names, values, x, where) for x in data]
    if not isinstance(data, dict):
        return data
    renames = names.get(where, {})
    out: dict[str, Any] = {}
    for key, value in data.items():
        new = renames.get(key, key)
        value = _rename(names, values, value, f"{where}.{new}" if where else new)
        table = values.get(new)
        if table and isinstance(value, list):
            value = [table.get(v, v) if isinstance(v, str) else v for v in value]
        elif table and isinstance(value, str):
            value = table.get(value, value)
        out[new] = value
    return out


def _listed(kind: str, name: str, value: Any, lists: str) -> Any:
    """``lists="wrap"``: an old single value as a list of one; ``"unwrap"``: back."""
    if (kind, name) not in TO_LIST or value is None:
        return value
    if lists == "wrap":
        return value if isinstance(value, list) else [value]
    if lists == "unwrap":
        return value[0] if isinstance(value, list) and len(value) == 1 else value
    return value


def _merge_rules(data: dict[str, Any]) -> dict[str, Any]:
    if "deadline_rules" not in data and "cutoff_rules" not in data:
        return data
    rules: dict[Any, dict[str, Any]] = {}
    for old in data.get("deadline_rules") or []:
        rule = rules.setdefault(old["frequency"], {"period_kind": old["frequency"]})
        rule.update(due={"month_offset": old.get("month_offset", 0), "day": old["day"]},
                    before=old.get("before", True), description=old.get("description", ""))
    for old in data.get("cutoff_rules") or []:
        rule = rules.setdefault(old["frequency"], {"period_kind": old["frequency"]})
        rule.update(cutoff_start={"month_offset": old["start_month_offset"],
                                  "day": old["start_day"]},
                    cutoff_end={"month_offset": old.get("end_month_offset", 0),
                                "day": old["end_day"]},
                    cutoff_description=old.get("description", ""))
    full = [{"period_kind": r["period_kind"], "due": r.get("due"),
             "cutoff_start": r.get("cutoff_start"), "cutoff_end": r.get("cutoff_end"),
             "before": r.get("before", True), "description": r.get("description", ""),
             "cutoff_description": r.get("cutoff_description", "")} for r in rules.values()]
    out = {k: v for k, v in data.items() if k not in ("deadline_rules", "cutoff_rules")}
    return {**out, "rules": full}


def _split_rules(data: dict[str, Any]) -> dict[str, Any]:
    if "rules" not in data:
        return data
    deadlines, cutoffs = [], []
    for r in data["rules"] or []:
        if r.get("due"):
            deadlines.append({"frequency": r["period_kind"], "day": r["due"]["day"],
                              "month_offset": r["due"]["month_offset"],
                              "before": r.get("before", True),
                              "description": r.get("description", "")})
        if r.get("cutoff_start") and r.get("cutoff_end"):
            cutoffs.append({"frequency": r["period_kind"],
                            "start_day": r["cutoff_start"]["day"],
                            "start_month_offset": r["cutoff_start"]["month_offset"],
                            "end_day": r["cutoff_end"]["day"],
                            "end_month_offset": r["cutoff_end"]["month_offset"],
                            "description": r.get("cutoff_description", "")})
    out = {k: v for k, v in data.items() if k != "rules"}
    return {**out, "deadline_rules": deadlines, "cutoff_rules": cutoffs}


def _reshape(kind: str, payload: Any, changes: dict[str, Any], previous: Any,
             lists: str) -> tuple[Any, dict[str, Any]]:
    """A calendar's rules merged (``lists="wrap"``, the upgrade) or split (``"unwrap"``); the
    change of the rules recomputed from the previous revision's reshaped payload."""
    if kind != "calendar" or not isinstance(payload, dict) or lists not in ("wrap", "unwrap"):
        return payload, changes
    reshape = _merge_rules if lists == "wrap" else _split_rules
    payload = reshape(payload)
    old_keys = ("deadline_rules", "cutoff_rules") if lists == "wrap" else ("rules",)
    new_keys = ("rules",) if lists == "wrap" else ("deadline_rules", "cutoff_rules")
    if any(k in changes for k in old_keys):
        changes = {k: v for k, v in changes.items() if k not in old_keys}
        for key in new_keys:
            before = (previous or {}).get(key) if previous is not None else None
            if before != payload.get(key):
                changes[key] = [before, payload.get(key)]
    return payload, changes


def _rewrite(names: dict[str, dict[str, dict[str, str]]],
             values: dict[str, dict[str, str]], lists: str) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(versions.c.item_id, versions.c.number, versions.c.payload, versions.c.changes,
                  items.c.kind).join(items, items.c.id == versions.c.item_id)
        .order_by(versions.c.item_id, versions.c.number)
    ).all()
    previous: dict[str, Any] = {}  # item id -> its previous revision's payload, reshaped
    for row in rows:
        kind_names = names.get(row.kind, {})
        payload = _rename(kind_names, values, row.payload, "")
        if isinstance(payload, dict):
            payload = {k: _listed(row.kind, k, v, lists) for k, v in payload.items()}
        changes = {}
        for name, pair in (row.changes or {}).items():
            before, after = pair
            renamed = _rename(kind_names, values, {name: before}, "")
            (new_name, new_before), = renamed.items()
            new_after = _rename(kind_names, values, {name: after}, "")[new_name]
            changes[new_name] = [_listed(row.kind, new_name, new_before, lists),
                                 _listed(row.kind, new_name, new_after, lists)]
        payload, changes = _reshape(row.kind, payload, changes, previous.get(row.item_id),
                                    lists)
        previous[row.item_id] = payload
        if payload != row.payload or changes != (row.changes or {}):
            conn.execute(
                versions.update()
                .where(versions.c.item_id == row.item_id, versions.c.number == row.number)
                .values(payload=payload, changes=changes)
            )


def upgrade() -> None:
    _rewrite(FIELD_NAMES, VALUES, lists="wrap")


def downgrade() -> None:
    back = {name: {new: old for old, new in table.items()} for name, table in VALUES.items()}
    # values and lists go back under the fields' new names, then the names go back
    _rewrite({}, back, lists="unwrap")
    _rewrite(_invert(FIELD_NAMES), {}, lists="")
