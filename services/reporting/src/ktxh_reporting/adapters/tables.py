"""The reporting service's tables (SQLAlchemy Core)."""

from __future__ import annotations

import sqlalchemy as sa

from ktxh_platform.db import messaging_tables

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

# Read model of org units, fed by catalog events (reporting never reads catalog's database).
org_units_rm = sa.Table(
    "org_units_rm",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("parent_id", sa.String(36), nullable=True),
    sa.Column("province_code", sa.String(10), nullable=False, index=True),
    sa.Column("valid_from", sa.String(10), nullable=False),
    sa.Column("valid_to", sa.String(10), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("events_applied", sa.Integer, nullable=False),
)
