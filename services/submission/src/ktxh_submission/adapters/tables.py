"""The submission service's tables (SQLAlchemy Core)."""

from __future__ import annotations

import sqlalchemy as sa

from ktxh_platform.db import messaging_tables

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)
