"""Versioned catalog items: as_of, future versions, retiring, history, events, locking."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from ktxh_catalog.domain.errors import InvalidArgument, PreconditionFailed
from ktxh_catalog.domain.indicators import SpatialAggregation
from ktxh_catalog.domain.versioning import ItemCreated, ItemRetired, ItemRevised, VersionedItem
from ktxh_catalog.seed import load_haiphong_2081

T0 = datetime(2026, 6, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def income():
    return load_haiphong_2081().indicators["HP2081.XIII.06"]


@pytest.fixture
def item(income):
    return VersionedItem.create("indicator", income, date(2026, 6, 3), "ke_hoach", now=T0)


def test_create_records_an_event_and_version_1(item, income):
    assert item.code == "HP2081.XIII.06" and item.version == 1
    assert item.as_of(date(2026, 6, 3)).payload == income
    assert item.as_of(date(2026, 6, 2)) is None
    assert isinstance(item.events[0], ItemCreated)
    assert item.events[0].code == item.code and item.events[0].version == 1


def test_future_revision_keeps_the_current_version_until_then(item, income):
    edited = replace(income, spatial_aggregation=SpatialAggregation.AVERAGE, weight_indicator_code=None)
    ver = item.revise(edited, date(2026, 12, 1), "ke_hoach", reason="Đổi cách tổng hợp")
    assert ver.number == 2 and item.version == 2
    assert item.as_of(date(2026, 11, 30)).payload == income
    assert item.as_of(date(2026, 12, 1)).payload == edited
    assert item.as_of(date(2030, 1, 1)).number == 2
    assert item.versions[0].effective_to == date(2026, 12, 1)
    ev = item.events[-1]
    assert isinstance(ev, ItemRevised)
    assert set(ev.changed_fields) == {"spatial_aggregation", "weight_indicator_code"}
    hist = item.history()
    assert [h.action for h in hist] == ["created", "revised"]
    assert hist[1].before == income and hist[1].after == edited
    assert hist[1].fields["spatial_aggregation"] == (SpatialAggregation.WEIGHTED_AVERAGE,
                                                  SpatialAggregation.AVERAGE)


def test_retiring_never_deletes(item, income):
    item.retire(date(2027, 1, 1), "ke_hoach", reason="Bãi bỏ")
    assert len(item.versions) == 2
    assert item.active_as_of(date(2026, 12, 31)) == income
    assert item.active_as_of(date(2027, 1, 1)) is None
    v = item.as_of(date(2027, 6, 1))
    assert v.retired and v.payload == income
    assert isinstance(item.events[-1], ItemRetired)
    with pytest.raises(InvalidArgument):
        item.retire(date(2027, 2, 1), "ke_hoach")
    item.revise(income, date(2027, 3, 1), "ke_hoach", reason="Khôi phục")
    assert item.active_as_of(date(2027, 3, 1)) == income
    assert [h.action for h in item.history()] == ["created", "retired", "reinstated"]


def test_no_revision_before_the_latest_version(item, income):
    with pytest.raises(InvalidArgument) as exc:
        item.revise(replace(income, decimals=2), date(2026, 1, 1), "ke_hoach")
    assert exc.value.violations[0].field == "effective_from"


def test_same_day_revision_supersedes_but_is_kept(item, income):
    a = replace(income, decimals=2)
    b = replace(income, decimals=3)
    item.revise(a, date(2026, 12, 1), "u")
    item.revise(b, date(2026, 12, 1), "u")
    assert item.as_of(date(2026, 12, 1)).payload == b
    assert item.versions[1].superseded and len(item.versions) == 3


def test_unchanged_invalid_or_recoded_revisions_are_refused(item, income):
    with pytest.raises(InvalidArgument):
        item.revise(income, date(2026, 12, 1), "u")
    with pytest.raises(InvalidArgument) as exc:
        item.revise(replace(income, weight_indicator_code=None), date(2026, 12, 1), "u")
    assert exc.value.violations[0].field == "weight_indicator_code"
    with pytest.raises(InvalidArgument) as exc:
        item.revise(replace(income, code="OTHER"), date(2026, 12, 1), "u")
    assert exc.value.violations[0].field == "code"


def test_optimistic_locking(item, income):
    item.revise(replace(income, decimals=2), date(2026, 7, 1), "a", expected_version=1)
    with pytest.raises(PreconditionFailed):
        item.revise(replace(income, decimals=3), date(2026, 8, 1), "b", expected_version=1)
