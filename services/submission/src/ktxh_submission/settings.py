"""Settings of the submission service beyond the shared ones (``KTXH_SUBMISSION_*``)."""

from __future__ import annotations

from decimal import Decimal

from ktxh_platform.settings import GRPC_PORTS
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SubmissionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KTXH_SUBMISSION_", extra="ignore", frozen=True)

    # Public holidays (ISO dates, separated by commas or blanks): a deadline on one of them,
    # or on a Saturday or Sunday, moves by DEADLINE_SHIFT.
    holidays: str = ""
    # Where a deadline on a day off moves: earlier (the working day before), later, none.
    deadline_shift: str = "earlier"
    # A change from the previous period beyond this share (0.5 = 50%) needs an explanatory note.
    max_change_share: Decimal = Decimal("0.5")
    # A robust z-score (median/MAD over the unit's past periods) beyond this needs a note.
    outlier_score: Decimal = Decimal("3.5")
    # Past periods needed before the outlier rule applies.
    min_history: int = 4
    # gRPC addresses of the services it calls with the caller's token (to build a form).
    catalog_addr: str = f"127.0.0.1:{GRPC_PORTS['catalog']}"
    assignment_addr: str = f"127.0.0.1:{GRPC_PORTS['assignment']}"
    document_addr: str = f"127.0.0.1:{GRPC_PORTS['document']}"
    # Kinds of unit expected to send periodic reports to their upper level (the board,
    # reminders), comma-separated.
    reporting_kinds: str = "commune,district"
    # Reminders: days before a deadline (internal or official) to remind the unit; how long
    # after the official deadline an overdue reminder is still sent; how often the service
    # looks (seconds, 0 = never); which calendars (codes, comma-separated; empty = all).
    reminder_days: int = Field(default=3, ge=0, le=60)
    overdue_horizon_days: int = Field(default=30, ge=1, le=366)
    reminder_interval_seconds: float = Field(default=3600.0, ge=0)
    reminder_calendars: str = ""
