"""The catalog-item use cases against the in-memory unit of work (conftest.py): roles, one
transaction, nothing written on refusal, events recorded for the outbox, idempotency.
The same use cases run on SQLite and PostgreSQL in tests/integration."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ktxh_catalog.domain.indicators import (
    Frequency,
    Indicator,
    TimeAggregation,
    SpatialAggregation,
    ValueType,
)
from ktxh_catalog.domain.versioning import ItemCreated, ItemRetired, ItemRevised
from ktxh_catalog.seed import load_haiphong_2081, versioned_items
from ktxh_catalog.service_layer import items as svc
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import (
    Conflict,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
)

PLANNER = Principal("sub-kh", "ke_hoach", "Chuyên viên kế hoạch", frozenset({"planning_officer"}),
                    "31.STC", "31")
CLERK = Principal("sub-nl", "nhap_lieu", "Nhập liệu", frozenset({"data_entry"}), "10846.PKT", "31")
AUGUST = date(2026, 8, 1)


def _ratio(**changes) -> Indicator:
    base = Indicator(
        code="HP.TL_TEST", name="Tỷ lệ thử nghiệm", unit_of_measure="%", value_type=ValueType.PERCENT,
        frequencies=(Frequency.YEAR,), spatial_aggregation=SpatialAggregation.RATIO,
        time_aggregation=TimeAggregation.RATE, numerator_code="HP2081.TP.HO_NGHEO",
        denominator_code="HP2081.TP.SO_HO", scale=Decimal(100),
    )
    return replace(base, **changes)


@pytest.fixture
def seeded(store):
    for item in versioned_items(load_haiphong_2081()):
        item.events.clear()
        store.items[item.id] = item
    return store


async def test_create_commits_once_and_records_the_event(seeded, fake_uow):
    view = await svc.create_item(
        svc.CreateItem("indicator", svc.Given(_ratio()), effective_from=AUGUST,
                       idempotency_key="k1"), fake_uow(), PLANNER)
    assert seeded.commits == 1
    assert seeded.items[view.item.id].latest.payload == _ratio()
    [event] = seeded.outbox
    assert isinstance(event, ItemCreated) and event.code == "HP.TL_TEST"
    # the view shows what the item refers to: the numerator_code's id is known
    assert view.refs.id_of("indicator", "HP2081.TP.HO_NGHEO")


async def test_a_repeated_idempotency_key_returns_the_first_item(seeded, fake_uow):
    cmd = svc.CreateItem("indicator", svc.Given(_ratio()), effective_from=AUGUST,
                         idempotency_key="k1")
    first = await svc.create_item(cmd, fake_uow(), PLANNER)
    again = await svc.create_item(cmd, fake_uow(), PLANNER)
    assert again.item.id == first.item.id and seeded.commits == 1
    with pytest.raises(Conflict) as err:
        await svc.create_item(replace(cmd, definition=svc.Given(_ratio(name="Khác"))),
                              fake_uow(), PLANNER)
    assert [v.field for v in err.value.violations] == ["idempotency_key"]


async def test_refusals_write_nothing(seeded, fake_uow):
    before = dict(seeded.items)
    with pytest.raises(PermissionDenied):
        await svc.create_item(svc.CreateItem("indicator", svc.Given(_ratio())), fake_uow(), CLERK)
    with pytest.raises(InvalidArgument) as err:
        await svc.create_item(svc.CreateItem("indicator",
                                             svc.Given(_ratio(numerator_code="HP.KHONG_CO")),
                                             effective_from=AUGUST), fake_uow(), PLANNER)
    assert [v.field for v in err.value.violations] == ["numerator_code"]
    with pytest.raises(Conflict):
        await svc.create_item(svc.CreateItem("indicator",
                                             svc.Given(_ratio(code="HP2081.XIII.11"))),
                              fake_uow(), PLANNER)
    assert seeded.items.keys() == before.keys() and seeded.outbox == [] and seeded.commits == 0


async def test_the_definition_is_decoded_with_the_references_inside_the_use_case(seeded,
                                                                                 fake_uow):
    seen = []

    class ById:
        def decode(self, refs, current):
            seen.append(current)
            poor = refs.item_ids[("indicator", "HP2081.TP.HO_NGHEO")]
            return _ratio(numerator_code=refs.code_of("indicator", poor))

    view = await svc.create_item(svc.CreateItem("indicator", ById(), effective_from=AUGUST),
                                 fake_uow(), PLANNER)
    assert seen == [None] and view.item.latest.payload.numerator_code == "HP2081.TP.HO_NGHEO"


async def test_revise_merges_into_the_latest_revision_and_checks_the_version(seeded, fake_uow):
    poor = await svc.get_item("indicator", "HP2081.TP.HO_NGHEO", None, fake_uow(), CLERK)

    class Rename:
        def decode(self, refs, current):
            return replace(current.ver.payload, name="Số hộ nghèo (mới)")

    revised = await svc.revise_item(
        svc.ReviseItem("indicator", "HP2081.TP.HO_NGHEO", Rename(),
                       expected_version=poor.item.version, effective_from=AUGUST),
        fake_uow(), PLANNER)
    assert revised.item.version == poor.item.version + 1
    assert isinstance(seeded.outbox[-1], ItemRevised)
    assert seeded.outbox[-1].changed_fields == ("name",)
    with pytest.raises(PreconditionFailed):
        await svc.revise_item(
            svc.ReviseItem("indicator", poor.item.id, svc.Given(_ratio(code=poor.item.code)),
                           expected_version=poor.item.version, effective_from=AUGUST),
            fake_uow(), PLANNER)
    unchanged = await svc.revise_item(svc.ReviseItem("indicator", poor.item.id, Rename()),
                                      fake_uow(), PLANNER)
    assert unchanged.item.version == revised.item.version and seeded.commits == 1


async def test_retire_is_refused_while_referenced_and_recorded_otherwise(seeded, fake_uow):
    with pytest.raises(InvalidArgument) as err:
        await svc.retire_item(svc.RetireItem("indicator", "HP2081.XIII.23",
                                             valid_to=date(2026, 9, 30)), fake_uow(), PLANNER)
    assert any(v.field.startswith("indicator_sets[HP2081].items[")
               for v in err.value.violations)
    created = await svc.create_item(svc.CreateItem("indicator", svc.Given(_ratio()),
                                                   effective_from=AUGUST), fake_uow(), PLANNER)
    retired = await svc.retire_item(svc.RetireItem("indicator", created.item.id,
                                                   valid_to=date(2026, 9, 30)),
                                    fake_uow(), PLANNER)
    assert retired.ver.retired
    assert [type(e) for e in seeded.outbox] == [ItemCreated, ItemRetired]
    listed, _, _ = await svc.list_items("indicator", fake_uow(), CLERK, as_of=date(2026, 10, 1),
                                        query="thu nghiem")
    assert listed == []


async def test_a_dry_run_import_writes_nothing(seeded, fake_uow):
    exported = await svc.export_catalog(fake_uow(), CLERK, as_of=AUGUST)
    outcome = await svc.import_file(exported.content, fake_uow(), PLANNER, fmt="json",
                                    dry_run=True, effective_from=AUGUST,
                                    indicator_set_only=False)
    assert outcome.errors == [] and not outcome.applied
    assert {p.action for p in outcome.plan} == {"unchanged"} and seeded.commits == 0


async def test_list_period_targets_by_unit_id_resolves_the_code(seeded, fake_uow):
    with pytest.raises(InvalidArgument) as err:
        await svc.list_items("period_target", fake_uow(), CLERK,
                             filters=svc.ListFilter(org_unit_id="khong-co"))
    assert [v.field for v in err.value.violations] == ["org_unit_id"]


async def test_reads_check_the_reader_in_the_use_case(seeded, fake_uow):
    """Every read use case checks the role itself: catalogs are province-wide, so a reader of
    another province finds nothing (404); one of its own reads."""
    other = Principal("sub-x", "khac", "Tỉnh khác", frozenset({"data_entry"}), "01.PKT", "01")
    period = svc.Period.month(2026, 11)
    reads = [
        lambda uow, who: svc.get_item("indicator", "HP2081.XIII.11", None, uow, who),
        lambda uow, who: svc.list_items("indicator", uow, who),
        lambda uow, who: svc.list_revisions(
            next(iter(seeded.items.values())).id, uow, who),
        lambda uow, who: svc.list_changes(uow, who),
        lambda uow, who: svc.resolve_deadlines(uow, who, indicator_set="HP2081", period=period),
        lambda uow, who: svc.export_indicator_set("HP2081", uow, who, as_of=AUGUST),
        lambda uow, who: svc.export_catalog(uow, who, as_of=AUGUST),
    ]
    for read in reads:
        with pytest.raises(NotFound):
            await read(fake_uow(), other)
        assert await read(fake_uow(), CLERK)
