"""Accepted reports become transmissions of every enabled connector that maps their figures.

A consumer handler of `ktxh.submission.submission.v1`: it runs inside the consumer's
transaction with the inbox row, so each accepted report is queued once per connector; the
`source` (report id and version) also makes a redelivered event a no-op. Only actual figures
with a value are sent; a corrected figure comes with a new version, hence a new idempotency key.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.ext.asyncio import AsyncSession

from ktxh.common.v1 import envelope_pb2, figure_pb2
from ktxh.submission.v1 import events_pb2
from ktxh_platform.domain import figure_keys
from ktxh_reporting.adapters.connector_store import ConnectorStore, TransmissionStore
from ktxh_reporting.domain.connector import AcceptedFigure, Transmission, map_figures

__all__ = ["HANDLERS", "figure_key_text"]


def figure_key_text(key: figure_pb2.FigureKey) -> str:
    """The FigureKey's text form (`ktxh_platform.domain.figure_keys`)."""
    kind = figure_pb2.FigureKind.Name(key.kind).removeprefix("FIGURE_KIND_").lower()
    return figure_keys.figure_key_text(
        key.indicator_code, ((m.dimension_code, m.member_code) for m in key.members),
        figure_keys.DEFAULT_KIND if kind == "unspecified" else kind,
    )


def _figures(submission) -> list[AcceptedFigure]:
    out = []
    for f in submission.figures:
        if f.key.kind not in (figure_pb2.FIGURE_KIND_ACTUAL, figure_pb2.FIGURE_KIND_UNSPECIFIED):
            continue
        try:
            value = Decimal(f.value)
        except InvalidOperation:
            continue  # empty or a text figure: nothing to send
        if value.is_finite():
            out.append(AcceptedFigure(figure_key_text(f.key), value, f.version))
    return out


async def on_accepted(session: AsyncSession, event: events_pb2.SubmissionAccepted,
                      envelope: envelope_pb2.EventEnvelope) -> None:
    s = event.submission
    figures = _figures(s)
    if not figures:
        return
    active, _ = await ConnectorStore(session, s.province_code).list(enabled_only=True)
    log = TransmissionStore(session, s.province_code)
    now = datetime.now(UTC)
    for connector in active:
        records = map_figures(connector, s.org_unit_code, s.period.code, figures)
        if records:
            await log.add_once(Transmission(
                id=str(uuid.uuid4()), connector_id=connector.id, org_unit_code=s.org_unit_code,
                period_code=s.period.code, records=tuple(records), requested_by="system",
                requested_at=now, next_attempt_at=now,
                source=f"submission:{s.id}:v{s.version}",
            ))


HANDLERS = {events_pb2.SubmissionAccepted: on_accepted}
