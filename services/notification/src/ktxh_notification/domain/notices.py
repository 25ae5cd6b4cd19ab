"""Notices: what the inbox shows. Plain classes, no framework.

A notice is addressed to an org unit (never to one person): every user of the unit sees it,
and each has their own read state. Events of one kind about one thing for one unit are
gathered into one notice (`group_key`): a decision assigning 200 targets to a commune is one
notice "200 nội dung", not 200. A new event gathered into a notice makes it unread again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from ktxh_platform.domain import InvalidArgument

TITLE_MAX = 300
BODY_MAX = 2000
LINK_MAX = 300


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """What one event says to one unit, before it is stored (made by a source's mapping).

    `body`/`link` describe the event alone; `group_body` (with `{n}`, the number of events
    gathered) and `group_link` replace them once a second event joins the same group.
    """

    unit_id: str
    group_key: str
    title: str
    body: str
    link: str
    event_id: str
    event_type: str
    occurred_at: datetime
    group_body: str = ""
    group_link: str = ""

    def __post_init__(self) -> None:
        if not self.unit_id:
            raise InvalidArgument.single("unit_id", "Thông báo phải gửi tới một đơn vị")
        if not self.title.strip() or len(self.title) > TITLE_MAX:
            raise InvalidArgument.single("title", f"Tiêu đề thông báo phải có từ 1 đến {TITLE_MAX} ký tự")
        if len(self.body) > BODY_MAX or len(self.group_body) > BODY_MAX:
            raise InvalidArgument.single("body", f"Nội dung thông báo tối đa {BODY_MAX} ký tự")
        if not self.event_id:
            raise InvalidArgument.single("event_id", "Thông báo phải ghi sự kiện nguồn")


@dataclass(slots=True)
class Notice:
    id: str
    province_code: str
    unit_id: str
    group_key: str
    title: str
    body: str
    link: str
    source_event_type: str
    source_event_id: str
    item_count: int
    created_at: datetime
    updated_at: datetime
    group_body: str = ""
    group_link: str = ""
    # Set when loaded for a user: when that user read it (None = unread).
    read_at: datetime | None = None

    @classmethod
    def from_draft(cls, draft: NoticeDraft, province_code: str) -> Notice:
        return cls(
            id=str(uuid.uuid4()), province_code=province_code, unit_id=draft.unit_id,
            group_key=draft.group_key, title=draft.title[:TITLE_MAX], body=draft.body,
            link=draft.link[:LINK_MAX], source_event_type=draft.event_type,
            source_event_id=draft.event_id, item_count=1, created_at=draft.occurred_at,
            updated_at=draft.occurred_at, group_body=draft.group_body,
            group_link=draft.group_link[:LINK_MAX],
        )

    def gather(self, draft: NoticeDraft) -> None:
        """Add one more event of the same group (in any order of arrival)."""
        self.item_count += 1
        self.group_body = draft.group_body or self.group_body
        self.group_link = draft.group_link or self.group_link
        if self.group_body:
            self.body = self.group_body.format(n=self.item_count)
        if self.group_link:
            self.link = self.group_link
        if draft.occurred_at < self.created_at:  # an earlier event arrived late
            self.created_at = draft.occurred_at
            self.source_event_id = draft.event_id
        self.updated_at = max(self.updated_at, draft.occurred_at)
        self.read_at = None  # something new: unread again for everyone (the repository resets)

    @property
    def read(self) -> bool:
        return self.read_at is not None


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads the inbox: a user (token subject) of a unit (by code) in a province."""

    subject: str
    unit_code: str
    province: str
