"""The submission service's tables (SQLAlchemy Core). The repository maps rows to domain
objects; the migrations (`migrations/versions/`) create the same tables."""

from __future__ import annotations

import sqlalchemy as sa
from ktxh_platform.db import messaging_tables
from ktxh_platform.idempotency import idempotency_table
from ktxh_platform.org_units import org_unit_table

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)

# One report of one unit for one period.
submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("org_unit_id", sa.String(36), nullable=False),
    sa.Column("org_unit_code", sa.String(40), nullable=False),
    sa.Column("period_code", sa.String(20), nullable=False),
    sa.Column("period_kind", sa.String(20), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("calendar_code", sa.String(60), nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("lines", sa.JSON, nullable=False),  # the form as opened (FormLine list)
    sa.Column("sections", sa.JSON, nullable=False),  # office code -> status, delivered, comment
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("return_count", sa.Integer, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    # figure key text -> {value, low, high, text}: the targets in force when opened
    sa.Column("targets", sa.JSON, nullable=True),
    sa.UniqueConstraint("org_unit_id", "period_code", name="uq_submissions_unit_period"),
    sa.Index("ix_submissions_period", "province_code", "period_code", "status"),
    sa.Index("ix_submissions_unit_kind", "org_unit_id", "period_kind", "period_start"),
)

# The current figures of a report, one row per figure key. `figure_key` is the text form of
# `ktxh.common.v1.FigureKey` (`FigureKey.text`): a target of the assignment service joins in
# on (unit, period, figure_key) with kind `target`.
submission_figures = sa.Table(
    "submission_figures",
    metadata,
    sa.Column("submission_id", sa.String(36), sa.ForeignKey("submissions.id"), primary_key=True),
    sa.Column("figure_key", sa.String(300), primary_key=True),
    sa.Column("indicator_code", sa.String(60), nullable=False),
    sa.Column("office_code", sa.String(40), nullable=False),
    sa.Column("value", sa.String(60), nullable=True),  # exact decimal text
    sa.Column("text_value", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("return_comment", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_submission_figures_indicator", "indicator_code"),
)

# Append-only: every change of every figure (who, when, before, after).
submission_figure_changes = sa.Table(
    "submission_figure_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.String(36), sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("figure_key", sa.String(300), nullable=False),
    sa.Column("office_code", sa.String(40), nullable=False),
    sa.Column("before", sa.Text, nullable=False),
    sa.Column("after", sa.Text, nullable=False),
    sa.Column("before_note", sa.Text, nullable=False),
    sa.Column("after_note", sa.Text, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("figure_version", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Index("ix_submission_figure_changes_sub", "submission_id", "id"),
)

# Append-only: every workflow step.
submission_steps = sa.Table(
    "submission_steps",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("submission_id", sa.String(36), sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("from_status", sa.String(20), nullable=False),
    sa.Column("to_status", sa.String(20), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("actor_unit", sa.String(40), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("office_code", sa.String(40), nullable=False),
    sa.Column("figure_key", sa.String(300), nullable=False),
    sa.Column("submission_version", sa.Integer, nullable=False),
    sa.UniqueConstraint("submission_id", "seq", name="uq_submission_steps_seq"),
)

# Progress on each key task of a report's form (one row per task, its own version).
submission_task_progress = sa.Table(
    "submission_task_progress",
    metadata,
    sa.Column("submission_id", sa.String(36), sa.ForeignKey("submissions.id"), primary_key=True),
    sa.Column("key_task_code", sa.String(60), primary_key=True),
    sa.Column("key_task_id", sa.String(36), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("deadline", sa.Date, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("percent_done", sa.Integer, nullable=False),
    sa.Column("results", sa.Text, nullable=False),
    sa.Column("difficulties", sa.Text, nullable=False),
    sa.Column("proposals", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("office_code", sa.String(40), nullable=False),  # who reports it
)

# Documents (document service) attached to a report.
submission_attachments = sa.Table(
    "submission_attachments",
    metadata,
    sa.Column("submission_id", sa.String(36), sa.ForeignKey("submissions.id"), primary_key=True),
    sa.Column("document_id", sa.String(36), primary_key=True),
    sa.Column("file_name", sa.String(300), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("added_by", sa.String(200), nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=True),
)

# Append-only: every change of a key task's progress (who, when, before, after).
submission_task_changes = sa.Table(
    "submission_task_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.String(36), sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("key_task_code", sa.String(60), nullable=False),
    sa.Column("before", sa.JSON, nullable=False),
    sa.Column("after", sa.JSON, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_submission_task_changes_sub", "submission_id", "id"),
)

# Append-only: every change of the whole report's explanatory note (who, when, before, after).
submission_note_changes = sa.Table(
    "submission_note_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.String(36), sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("before", sa.Text, nullable=False),
    sa.Column("after", sa.Text, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # the report's version it produced
    sa.Index("ix_submission_note_changes_sub", "submission_id", "id"),
)

# Replica of the catalog's org-unit tree (the shape `ktxh_platform.access.sql` expects), fed by
# the catalog's org-unit events (`adapters/org_unit_replica.py`).
org_units = org_unit_table(metadata)

# Reminders already published: one per unit, period, calendar and deadline step (`official`,
# an internal step, or `overdue`), so each is sent once even with several replicas.
submission_reminders = sa.Table(
    "submission_reminders",
    metadata,
    sa.Column("org_unit_id", sa.String(36), primary_key=True),
    sa.Column("period_code", sa.String(20), primary_key=True),
    sa.Column("calendar_code", sa.String(60), primary_key=True),
    sa.Column("step", sa.String(40), primary_key=True),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
)

# Replica of the catalog's reporting calendars (the current revision), fed by the catalog's
# calendar events (`adapters/calendar_replica.py`); `calendar` is the protobuf message.
calendars = sa.Table(
    "calendars",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("code", sa.String(60), nullable=False),
    sa.Column("province_code", sa.String(10), nullable=False),
    sa.Column("retired", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("calendar", sa.LargeBinary, nullable=False),
    sa.Index("ix_calendars_code", "province_code", "code"),
)

# Idempotency-Key of bulk imports (`data-values`, XLSX): who sent the key, the hash of what was
# posted and the import summary it got, written in the same transaction as the import.
submission_idempotency_keys = idempotency_table(metadata, "submission_idempotency_keys")
