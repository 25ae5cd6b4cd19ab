"""One vocabulary: stored revisions take the proto / REST field names and enum values.

Every revision's ``payload`` and ``changes`` of ``catalog_item_versions`` is rewritten from the
domain's old names (``unit``, ``unit_aggregation: "ratio_of_sums"``, ``members``...) to the
names the proto, REST, the files and the UI use (``unit_of_measure``,
``spatial_aggregation: "ratio"``, ``items``...). The tables below are a frozen copy of
``adapters/json_aliases.py`` as of this revision (a later rename gets its own migration).
Rows are read and written one at a time through SQLAlchemy Core, so SQLite and PostgreSQL
take the same path. The downgrade renames back.

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
    "frequency": {"five_year": "plan_period"},
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


def _rewrite(names: dict[str, dict[str, dict[str, str]]],
             values: dict[str, dict[str, str]], lists: str) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(versions.c.item_id, versions.c.number, versions.c.payload, versions.c.changes,
                  items.c.kind).join(items, items.c.id == versions.c.item_id)
    ).all()
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
