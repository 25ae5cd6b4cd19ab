"""Notices ↔ protobuf messages."""

from __future__ import annotations

from datetime import datetime

from google.protobuf import timestamp_pb2
from ktxh.notification.v1 import notification_pb2

from ktxh_notification.domain.notices import Notice


def _ts(value: datetime) -> timestamp_pb2.Timestamp:
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)
    return ts


def notice_to_pb(n: Notice) -> notification_pb2.Notification:
    msg = notification_pb2.Notification(
        id=n.id, unit_id=n.unit_id, title=n.title, body=n.body, link=n.link,
        source_event_type=n.source_event_type, source_event_id=n.source_event_id,
        item_count=n.item_count, created_at=_ts(n.created_at), updated_at=_ts(n.updated_at),
        read=n.read,
    )
    if n.read_at is not None:
        msg.read_at.CopyFrom(_ts(n.read_at))
    return msg
