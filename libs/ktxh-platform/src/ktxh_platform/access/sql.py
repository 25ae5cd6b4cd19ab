"""Scopes (`ktxh_platform.access.policy.Scope`) as SQLAlchemy predicates, so listings filter in
the database, never after loading. Works on SQLite and PostgreSQL (recursive CTEs).

A service filters its rows by the unit they belong to against a table of units shaped like the
catalog's `org_units` (columns `id`, `code`, `kind`, `parent_id`, `province_code`,
`successor_ids` as a JSON list of ids): the catalog passes its own table; a later service
passes its replica of the unit tree, fed by the catalog's org-unit events.
"""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa

from ktxh_platform.access.policy import HOME_UNIT_KINDS, Scope

__all__ = ["scope_filter", "units_in_scope"]


@lru_cache(maxsize=256)
def _alias(units: sa.Table, name: str) -> sa.Alias:
    """One alias object per (table, name), reused by every request: building an alias's column
    collection is most of the cost of a scope filter (a fifth of a small save's CPU on the
    deadline-day peak, docs/performance.md). Aliases are immutable; statements share them."""
    return units.alias(name)


def _anchor(scope: Scope, units: sa.Table) -> sa.Select:
    """The home unit's id: the token's unit, or its parent for an office or Front committee."""
    u = _alias(units, "scope_anchor")
    home_id = (
        sa.case((u.c.kind.in_(HOME_UNIT_KINDS), u.c.parent_id), else_=u.c.id)
        if scope.home
        else u.c.id
    )
    return sa.select(home_id.label("id")).where(
        u.c.code == scope.unit_code, u.c.province_code == scope.province
    )


def units_in_scope(scope: Scope, units: sa.Table) -> sa.Select:
    """Ids of the units a unit scope reaches: the home unit, its descendants and the units
    merged into any of them (transitively), plus the chain above it when `scope.ancestors`."""
    if scope.unit_code is None:
        raise ValueError("a province-wide scope has no unit set; use scope_filter")
    down_t = _alias(units, "scope_down_unit")
    down = _anchor(scope, units).cte("scope_down", recursive=True)
    merged_into = sa.cast(down_t.c.successor_ids, sa.Text).contains(down.c.id)
    down = down.union(
        sa.select(down_t.c.id).where(
            down_t.c.province_code == scope.province,
            sa.or_(down_t.c.parent_id == down.c.id, merged_into),
        )
    )
    reach = sa.select(down.c.id)
    if scope.ancestors:
        up_t = _alias(units, "scope_up_unit")
        start = _alias(units, "scope_up_start")
        up = (
            sa.select(start.c.id, start.c.parent_id)
            .where(start.c.id.in_(_anchor(scope, units)))
            .cte("scope_up", recursive=True)
        )
        up = up.union(
            sa.select(up_t.c.id, up_t.c.parent_id).where(
                up_t.c.id == up.c.parent_id, up_t.c.province_code == scope.province
            )
        )
        reach = sa.union(reach, sa.select(up.c.id))
    return reach


def scope_filter(
    scope: Scope,
    *,
    province: sa.ColumnElement[str],
    unit_id: sa.ColumnElement[str] | None = None,
    units: sa.Table | None = None,
) -> sa.ColumnElement[bool]:
    """The WHERE clause keeping only rows in `scope`: same province always; for a unit scope,
    `unit_id` must be one of `units_in_scope`. A unit scope on rows without a unit column
    keeps the province only (e.g. province-wide catalogs every unit reads)."""
    same_province = province == scope.province
    if scope.unit_code is None or unit_id is None:
        return same_province
    if units is None:
        raise ValueError("a unit scope needs the table of units")
    return sa.and_(same_province, unit_id.in_(units_in_scope(scope, units)))
