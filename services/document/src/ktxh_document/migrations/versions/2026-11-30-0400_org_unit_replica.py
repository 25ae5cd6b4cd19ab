"""Replica of the catalog's org-unit tree, for the access scope of documents.

Revision ID: document_0003
Revises: document_0002
Create Date: 2026-11-30 04:00
"""

import sqlalchemy as sa
from alembic import op

revision = "document_0003"
down_revision = "document_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("successor_ids", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_org_units_code", "org_units", ["province_code", "code"])
    op.create_index("ix_org_units_parent", "org_units", ["parent_id"])


def downgrade() -> None:
    op.drop_index("ix_org_units_parent", "org_units")
    op.drop_index("ix_org_units_code", "org_units")
    op.drop_table("org_units")
