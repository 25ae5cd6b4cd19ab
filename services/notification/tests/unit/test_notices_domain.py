"""The notice itself: gathering events of one group, in any order, and what a draft refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from ktxh_notification.domain.notices import Notice, NoticeDraft
from ktxh_platform.domain import InvalidArgument

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def draft(event_id: str, at: datetime, **kw) -> NoticeDraft:
    return NoticeDraft(**{
        "unit_id": "u-1", "group_key": "g", "title": "Đơn vị được giao chỉ tiêu", "body": "Một chỉ tiêu",
        "link": "#/duoc-giao/a-1", "event_id": event_id, "event_type": "t", "occurred_at": at,
        "group_body": "{n} chỉ tiêu", "group_link": "#/duoc-giao", **kw})


def test_gathering_counts_items_and_keeps_the_earliest_start():
    notice = Notice.from_draft(draft("e2", T0 + timedelta(hours=1)), "31")
    notice.read_at = T0 + timedelta(hours=2)
    assert (notice.item_count, notice.body, notice.link) == (1, "Một chỉ tiêu", "#/duoc-giao/a-1")

    notice.gather(draft("e1", T0))
    assert (notice.item_count, notice.body, notice.link) == (2, "2 chỉ tiêu", "#/duoc-giao")
    assert notice.created_at == T0 and notice.source_event_id == "e1"
    assert notice.updated_at == T0 + timedelta(hours=1)
    assert not notice.read


@pytest.mark.parametrize(("field", "value"), [
    ("unit_id", ""), ("title", " "), ("title", "x" * 301), ("body", "x" * 2001), ("event_id", ""),
])
def test_a_draft_names_what_is_wrong(field, value):
    with pytest.raises(InvalidArgument) as err:
        draft(**{"event_id": "e", "at": T0, field: value})
    assert err.value.violations[0].field == field
