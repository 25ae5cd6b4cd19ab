"""Alembic operations shared by every service's first migration (outbox and inbox tables)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create_messaging_tables() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "seq"])
    op.create_table(
        "inbox",
        sa.Column("consumer_group", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )


def drop_messaging_tables() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unpublished", "outbox")
    op.drop_table("outbox")


def create_org_unit_table(name: str = "org_units") -> None:
    """The replica of the catalog's org-unit tree (`ktxh_platform.org_units`)."""
    from ktxh_platform.org_units import org_unit_columns, org_unit_indexes

    op.create_table(name, *org_unit_columns())
    for index, columns in org_unit_indexes(name):
        op.create_index(index, name, columns)


def add_org_unit_columns(table: str, *names: str) -> None:
    """Give an older org-unit replica the columns of the shared shape it lacks (all nullable:
    existing rows get them with the unit's next event)."""
    from ktxh_platform.org_units import org_unit_columns

    by_name = {c.name: c for c in org_unit_columns()}
    for name in names:
        op.add_column(table, by_name[name])
