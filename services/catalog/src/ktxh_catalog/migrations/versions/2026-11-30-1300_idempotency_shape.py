"""The Idempotency-Key table takes the shared shape (`ktxh_platform.idempotency`): what the
first request got is a JSON `result` (here the created resource's id), every row kept.

Revision ID: catalog_0004
Revises: catalog_0003
Create Date: 2026-11-30 13:00
"""

from ktxh_platform.migration_ops import adopt_idempotency_table, restore_idempotency_table

revision = "catalog_0004"
down_revision = "catalog_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    adopt_idempotency_table()


def downgrade() -> None:
    restore_idempotency_table(with_operation=True)
