"""Figure keys are spelt as everywhere else (`ktxh_platform.domain.figure_keys`):
``CODE[dim=member]/kind``, no longer ``CODE[dim=member]#kind``, in the facts and targets the
read model stores. Codes and members never hold '#' or '/' (the catalog's code patterns).

Revision ID: reporting_0103
Revises: reporting_0102
Create Date: 2026-11-30 13:20
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0103"
down_revision = "reporting_0102"
branch_labels = None
depends_on = None

_TABLES = ("facts", "targets")


def upgrade() -> None:
    for table in _TABLES:
        op.execute(sa.text(f"UPDATE {table} SET figure_key = replace(figure_key, '#', '/')"))


def downgrade() -> None:
    for table in _TABLES:
        op.execute(sa.text(f"UPDATE {table} SET figure_key = replace(figure_key, '/', '#')"))
