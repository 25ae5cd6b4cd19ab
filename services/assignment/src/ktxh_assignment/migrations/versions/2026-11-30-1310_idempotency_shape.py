"""The Idempotency-Key table takes the shared shape (`ktxh_platform.idempotency`): keys get a
namespace (`operation`, '' here: one kind of create) and what the first request got is a JSON
`result` (the created resource's id), every row kept.

Revision ID: assignment_0004
Revises: assignment_0003
Create Date: 2026-11-30 13:10
"""

from ktxh_platform.migration_ops import adopt_idempotency_table, restore_idempotency_table

revision = "assignment_0004"
down_revision = "assignment_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    adopt_idempotency_table()


def downgrade() -> None:
    restore_idempotency_table(with_operation=False)
