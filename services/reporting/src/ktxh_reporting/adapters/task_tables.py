"""The reporting read model's key-task tables (SQLAlchemy Core), beside `tables.py`: the
catalog's key tasks, the key tasks assigned to units (assignment events) and the progress the
units reported on them in their accepted reports (submission events). Read by the key-task
summary (`service_layer/key_tasks.py`, docs/reporting.md)."""

from __future__ import annotations

import sqlalchemy as sa

from ktxh_reporting.adapters.tables import metadata

# (Registered on `tables.metadata` when this module is imported: the composition root imports
# it through `task_projections`.)

# Catalog key tasks (latest revision): code, title, sector (lĩnh vực), deadline.
key_tasks_rm = sa.Table(
    "key_tasks_rm",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("code", sa.String(80), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("field", sa.String(200), nullable=False),  # lĩnh vực
    sa.Column("deadline", sa.String(10), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

# Key tasks assigned to units by issued decisions (one row per assignment).
task_assignments = sa.Table(
    "task_assignments",
    metadata,
    sa.Column("assignment_id", sa.String(36), primary_key=True),
    sa.Column("key_task_id", sa.String(36), nullable=False),
    sa.Column("org_unit_id", sa.String(36), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("role", sa.String(14), nullable=False),  # lead | coordinating
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("deadline", sa.String(10), nullable=False),  # empty = the key task's
    sa.Column("coordinating_unit_ids", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("effective_from", sa.String(10), nullable=False),
    sa.Column("effective_to", sa.String(10), nullable=False),
    sa.Column("front_unit_ids", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_task_assignments_unit", "province_code", "year", "org_unit_id"),
)

# The version and state of every report heard of by the key-task consumer (orders its events:
# an older event never overrides a newer one, even after the newer one withdrew the rows).
task_reports = sa.Table(
    "task_reports",
    metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
)

# Key-task progress of accepted reports: one row per report x key task, replaced when the
# report is accepted again, deleted when it is reopened or returned.
task_progress = sa.Table(
    "task_progress",
    metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("key_task_id", sa.String(36), primary_key=True),
    sa.Column("key_task_code", sa.String(80), nullable=False),
    sa.Column("org_unit_id", sa.String(36), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("period_code", sa.String(24), nullable=False),
    sa.Column("period_end", sa.String(10), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # not_started | in_progress | done | overdue | stopped
    sa.Column("percent_done", sa.Integer, nullable=False),
    sa.Column("results", sa.Text, nullable=False),
    sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_task_progress_task", "key_task_id", "org_unit_id"),
)
