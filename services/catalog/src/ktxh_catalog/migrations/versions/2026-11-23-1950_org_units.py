"""Org units, their history, idempotency keys, outbox and inbox.

Revision ID: catalog_0001
Revises:
Create Date: 2026-11-23 19:50
"""

import sqlalchemy as sa
from alembic import op

from ktxh_platform.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "catalog_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("short_name", sa.String(120), nullable=False, server_default=""),
        sa.Column("name_folded", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.String(36), sa.ForeignKey("org_units.id"), nullable=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("successor_ids", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("province_code", "code", name="uq_org_units_province_code"),
    )
    op.create_index("ix_org_units_parent", "org_units", ["parent_id"])
    op.create_index("ix_org_units_kind", "org_units", ["kind"])
    op.create_table(
        "org_unit_history",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.String(36), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=False),
        sa.Column("reason", sa.String(255), nullable=False, server_default=""),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("operation", sa.String(60), primary_key=True),
        sa.Column("actor", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("org_unit_history")
    op.drop_index("ix_org_units_kind", "org_units")
    op.drop_index("ix_org_units_parent", "org_units")
    op.drop_table("org_units")
    drop_messaging_tables()
