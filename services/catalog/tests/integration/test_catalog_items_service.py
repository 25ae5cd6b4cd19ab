"""Versioned catalog use cases against the real migrations, on SQLite and PostgreSQL: the
planning officer's import with a dry run, an edit effective next month with both versions
visible, refused definitions naming the field, diacritic-insensitive search, retirement
that keeps history, and an event in the outbox for every change."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from ktxh.common.v1 import envelope_pb2
from ktxh_catalog.adapters import json_io, xlsx_io
from ktxh_catalog.adapters.tables import catalog_item_versions, catalog_items, outbox
from ktxh_catalog.domain.calendars import Calendar, DeadlineRule, RelativeDate
from ktxh_catalog.domain.catalog_items import CatalogSnapshot, KeyTask
from ktxh_catalog.domain.indicators import (
    Frequency,
    Indicator,
    TimeAggregation,
    SpatialAggregation,
    ValueType,
)
from ktxh_catalog.domain.periods import Period
from ktxh_catalog.seed import demo_info, load_haiphong_2081
from ktxh_catalog.service_layer import items as svc
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import Conflict, InvalidArgument, PermissionDenied, PreconditionFailed

PLANNER = Principal("sub-kh", "ke_hoach", "Chuyên viên kế hoạch", frozenset({"planning_officer"}),
                    "31.STC", "31")
CLERK = Principal("sub-nl", "nhap_lieu", "Nhập liệu", frozenset({"data_entry"}), "10846.PKT", "31")

JULY = date(2026, 7, 1)
AUGUST = date(2026, 8, 1)


@pytest.fixture(scope="module")
def seed() -> CatalogSnapshot:
    return load_haiphong_2081()


@pytest.fixture(scope="module")
def offices() -> dict[str, str]:
    return {o.code: o.name for o in demo_info()["offices"]}


@pytest.fixture(scope="module")
def workbook(seed, offices) -> bytes:
    """The file a planning officer fills in: the 2081 set with its 50 indicators."""
    return xlsx_io.export_indicator_set(seed.indicator_sets["HP2081"], seed.indicators,
                                        offices=offices)


async def _count(db, table, *where) -> int:
    async with db.engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(table)
        if where:
            query = query.where(*where)
        return int(await conn.scalar(query))


async def _event_types(db) -> list[str]:
    async with db.engine.connect() as conn:
        rows = (await conn.execute(sa.select(outbox.c.event_type).order_by(outbox.c.seq))).all()
    return [r.event_type for r in rows]


async def _import_calendar(seed, uow_factory) -> svc.ImportOutcome:
    doc = json_io.dump_catalog(CatalogSnapshot(calendars=dict(seed.calendars))).encode()
    return await svc.import_file(doc, uow_factory(), PLANNER, fmt="json", dry_run=False,
                                 effective_from=JULY, indicator_set_only=False)


def _broken(workbook: bytes) -> bytes:
    """The same file with the mistakes people make: a rate without numerator_code and
    denominator_code, a formula naming an unknown code, a duplicate code."""
    wb = load_workbook(io.BytesIO(workbook))
    ws = wb[xlsx_io.SHEET_INDICATORS]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 2).value == "Mã chỉ số")
    col = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, col["Mã chỉ số"]).value: r for r in range(header_row + 1, ws.max_row + 1)}
    poverty = rows["HP2081.XIII.11"]
    ws.cell(poverty, col[xlsx_io.HEADER["numerator_code"]]).value = None
    ws.cell(poverty, col[xlsx_io.HEADER["denominator_code"]]).value = None
    ws.cell(rows["HP2081.XIII.03"], col["Mã chỉ số"]).value = "HP2081.XIII.02"
    growth = rows["HP2081.TP.DT_DAT_NN"]  # a component row turned into a growth rate
    for key, value in {"unit_of_measure": "%", "value_type": "Tỷ lệ (%)",
                       "spatial_aggregation": "Tính lại theo công thức",
                       "time_aggregation": "Tính lại từ thành phần",
                       "formula": "growth(HP2081.KHONG_CO)"}.items():
        ws.cell(growth, col[xlsx_io.HEADER[key]]).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def test_import_dry_run_fix_import_then_edit_next_month(catalog_db, uow_factory, seed,
                                                              workbook):
    calendar = await _import_calendar(seed, uow_factory)
    assert calendar.applied and [p.action for p in calendar.plan] == ["create"]

    # 1. the file with mistakes: every row error is named, nothing is stored
    broken = _broken(workbook)
    dry = await svc.import_file(broken, uow_factory(), PLANNER, dry_run=True, effective_from=JULY)
    assert not dry.applied
    messages = [(e.sheet, e.row, e.column) for e in dry.errors]
    assert len(dry.errors) >= 4, messages
    columns = {e.column for e in dry.errors}
    assert {xlsx_io.HEADER["numerator_code"], xlsx_io.HEADER["denominator_code"],
            xlsx_io.HEADER["formula"], "Mã chỉ số"} <= columns
    assert all(e.sheet and e.row for e in dry.errors if e.column)
    assert any("HP2081.KHONG_CO" in e.message for e in dry.errors)
    # a real run of the same file writes nothing either
    real = await svc.import_file(broken, uow_factory(), PLANNER, dry_run=False,
                                 effective_from=JULY)
    assert not real.applied and real.errors
    assert await _count(catalog_db, catalog_items) == 1  # the calendar only

    # 2. the fixed file: the dry run plans 51 creations, the import writes them at once
    plan = await svc.import_file(workbook, uow_factory(), PLANNER, dry_run=True,
                                 effective_from=JULY)
    assert plan.errors == [] and not plan.applied
    assert plan.count("create") == 51 and plan.count("revise") == 0
    assert await _count(catalog_db, catalog_items) == 1
    done = await svc.import_file(workbook, uow_factory(), PLANNER, dry_run=False,
                                 effective_from=JULY)
    assert done.applied and done.errors == [] and done.indicator_set_id
    assert await _count(catalog_db, catalog_items) == 52
    iset = await svc.get_item("indicator_set", "HP2081", None, uow_factory(), CLERK)
    assert iset.item.id == done.indicator_set_id and len(iset.ver.payload.items) == 28
    assert iset.ver.effective_from == JULY
    # importing it again changes nothing
    again = await svc.import_file(workbook, uow_factory(), PLANNER, dry_run=True,
                                  effective_from=JULY)
    assert again.count("unchanged") == 51 and again.count("create") == 0

    # 3. edit one indicator's aggregation rule effective next month: both versions visible
    before = await svc.get_item("indicator", "HP2081.XIII.15", None, uow_factory(), CLERK)
    assert before.ver.payload.spatial_aggregation is SpatialAggregation.SUM
    edited = replace(before.ver.payload, spatial_aggregation=SpatialAggregation.MAX)
    after = await svc.revise_item(
        svc.ReviseItem("indicator", before.item.id, svc.Given(edited),
                       expected_version=before.item.version, effective_from=AUGUST,
                       reason="Lấy số lớn nhất của các thôn"),
        uow_factory(), PLANNER)
    assert after.item.version == 2
    july = await svc.get_item("indicator", "HP2081.XIII.15", date(2026, 7, 20), uow_factory(), CLERK)
    august = await svc.get_item("indicator", "HP2081.XIII.15", date(2026, 8, 20), uow_factory(), CLERK)
    assert july.ver.payload.spatial_aggregation is SpatialAggregation.SUM and july.ver.number == 1
    assert august.ver.payload.spatial_aggregation is SpatialAggregation.MAX and august.ver.number == 2
    assert july.ver.effective_to == AUGUST
    history = (await svc.list_revisions(before.item.id, uow_factory(), CLERK)).history()
    assert [c.action for c in history] == ["created", "revised"]
    assert history[1].fields == {"spatial_aggregation": (SpatialAggregation.SUM, SpatialAggregation.MAX)}
    assert history[1].author == "ke_hoach" and history[1].reason == "Lấy số lớn nhất của các thôn"
    changes, _, total = await svc.list_changes(uow_factory(), CLERK, aggregate_id=before.item.id)
    assert total == 2
    assert changes[1].before == {"spatial_aggregation": "sum"}
    assert changes[1].after == {"spatial_aggregation": "max", "effective_from": "2026-08-01"}

    # a stale version is refused, and the revision rows are untouched
    with pytest.raises(PreconditionFailed):
        await svc.revise_item(
            svc.ReviseItem("indicator", before.item.id, svc.Given(replace(edited, decimals=2)),
                           expected_version=1, effective_from=AUGUST),
            uow_factory(), PLANNER)
    assert await _count(catalog_db, catalog_item_versions,
                        catalog_item_versions.c.item_id == before.item.id) == 2

    types = await _event_types(catalog_db)
    assert types.count("ktxh.catalog.v1.IndicatorCreated") == 50
    assert types.count("ktxh.catalog.v1.IndicatorSetCreated") == 1
    assert types.count("ktxh.catalog.v1.CalendarCreated") == 1
    assert types[-1] == "ktxh.catalog.v1.IndicatorUpdated"


async def _seeded(uow_factory) -> int:
    return await svc.load_demo_catalog(uow_factory())


async def test_demo_seed_loads_once(catalog_db, uow_factory):
    assert await _seeded(uow_factory) == 70
    assert await _seeded(uow_factory) == 0
    assert await _count(catalog_db, catalog_items) == 70
    assert await _count(catalog_db, outbox) == 70
    iset = await svc.get_item("indicator_set", "HP2081", None, uow_factory(), CLERK)
    assert iset.ver.payload.applies_to_kinds == ("commune",)
    assert {m.responsible_office for m in iset.ver.payload.items} == {"PKT", "PVHXH", "TTHCC"}
    with pytest.raises(Exception):  # noqa: B017 - before the decision there is nothing
        await svc.get_item("indicator_set", "HP2081", date(2026, 6, 2), uow_factory(), CLERK)


async def test_search_ignores_diacritics_and_case(catalog_db, uow_factory):
    await _seeded(uow_factory)
    found, _, total = await svc.list_items("indicator", uow_factory(), CLERK, query="ho ngheo",
                                           as_of=AUGUST)
    names = [v.ver.payload.name for v in found]
    assert "Tỷ lệ hộ nghèo theo chuẩn đa chiều" in names and total == len(names) == 2
    found, _, _ = await svc.list_items("indicator", uow_factory(), CLERK, query="TỶ LỆ HỘ NGHÈO",
                                       as_of=AUGUST)
    assert [v.ver.payload.code for v in found] == ["HP2081.XIII.11"]
    # filters and paging
    page, token, total = await svc.list_items(
        "indicator", uow_factory(), CLERK, as_of=AUGUST, page_size=10,
        filters=svc.ListFilter(indicator_set="HP2081"))
    assert total == 28 and len(page) == 10 and token
    rest, token2, _ = await svc.list_items(
        "indicator", uow_factory(), CLERK, as_of=AUGUST, page_size=25, page_token=token,
        filters=svc.ListFilter(indicator_set="HP2081"))
    assert len(rest) == 18 and token2 == ""
    monthly, _, _ = await svc.list_items(
        "indicator", uow_factory(), CLERK, as_of=AUGUST,
        filters=svc.ListFilter(indicator_set="HP2081", frequency=Frequency.MONTH))
    assert {v.item.code for v in monthly} == {"HP2081.XIII.12", "HP2081.XIII.22",
                                              "HP2081.XIII.23", "HP2081.D.01", "HP2081.D.02",
                                              "HP2081.D.03"}
    tasks, _, _ = await svc.list_items("key_task", uow_factory(), CLERK, query="thu thap tong hop",
                                       as_of=AUGUST)
    assert "NV.HATAY.2026.01" in {v.item.code for v in tasks}


def _ratio(**changes) -> Indicator:
    base = Indicator(
        code="HP.TL_TEST", name="Tỷ lệ thử nghiệm", unit_of_measure="%", value_type=ValueType.PERCENT,
        frequencies=(Frequency.YEAR,), spatial_aggregation=SpatialAggregation.RATIO,
        time_aggregation=TimeAggregation.RATE, numerator_code="HP2081.TP.HO_NGHEO",
        denominator_code="HP2081.TP.SO_HO", scale=None,
    )
    return replace(base, **changes)


async def test_invalid_definitions_are_refused_naming_the_field(catalog_db, uow_factory):
    await _seeded(uow_factory)
    stored = await _count(catalog_db, catalog_items)

    with pytest.raises(InvalidArgument) as err:  # ratio without numerator_code and denominator_code
        await svc.create_item(
            svc.CreateItem("indicator", svc.Given(_ratio(numerator_code=None, denominator_code=None,
                                                         scale=Decimal(100))),
                           effective_from=AUGUST),
            uow_factory(), PLANNER)
    assert {v.field for v in err.value.violations} == {"numerator_code", "denominator_code"}

    with pytest.raises(InvalidArgument) as err:  # reference to an indicator that does not exist
        await svc.create_item(
            svc.CreateItem("indicator", svc.Given(_ratio(scale=Decimal(100),
                                                         numerator_code="HP.KHONG_CO")),
                           effective_from=AUGUST),
            uow_factory(), PLANNER)
    assert [v.field for v in err.value.violations] == ["numerator_code"]

    formula = Indicator(
        code="HP.TT_TEST", name="Tăng trưởng thử", unit_of_measure="%", value_type=ValueType.PERCENT,
        frequencies=(Frequency.YEAR,), spatial_aggregation=SpatialAggregation.RECOMPUTE,
        time_aggregation=TimeAggregation.RATE, formula="growth(HP.KHONG_CO) + 1",
    )
    with pytest.raises(InvalidArgument) as err:  # formula naming an unknown code
        await svc.create_item(svc.CreateItem("indicator", svc.Given(formula),
                                             effective_from=AUGUST), uow_factory(), PLANNER)
    assert [v.field for v in err.value.violations] == ["formula"]
    assert "HP.KHONG_CO" in err.value.violations[0].message

    # an indicator created later is not there yet on an earlier effective date
    later = _ratio(code="HP.TL_LATER", scale=Decimal(100))
    await svc.create_item(svc.CreateItem("indicator", svc.Given(later),
                                         effective_from=date(2026, 9, 1)),
                          uow_factory(), PLANNER)
    with pytest.raises(InvalidArgument) as err:
        await svc.create_item(
            svc.CreateItem("indicator", svc.Given(_ratio(scale=Decimal(100),
                                                         numerator_code="HP.TL_LATER")),
                           effective_from=AUGUST),
            uow_factory(), PLANNER)
    assert [v.field for v in err.value.violations] == ["numerator_code"]

    with pytest.raises(Conflict) as dup:  # duplicate code
        await svc.create_item(
            svc.CreateItem("indicator", svc.Given(_ratio(code="HP2081.XIII.11",
                                                         scale=Decimal(100))),
                           effective_from=AUGUST),
            uow_factory(), PLANNER)
    assert [v.field for v in dup.value.violations] == ["code"]

    feb31 = Calendar(code="LICH.SAI", name="Lịch sai",
                     rules=(DeadlineRule(Frequency.YEAR, RelativeDate(-10, 31)),))
    with pytest.raises(InvalidArgument) as err:  # a deadline on 31 February
        await svc.create_item(svc.CreateItem("calendar", svc.Given(feb31),
                                             effective_from=AUGUST), uow_factory(), PLANNER)
    assert [v.field for v in err.value.violations] == ["rules[0].due.day"]
    assert "31/02" in err.value.violations[0].message

    # a revision that breaks the items referring to it is refused too
    poor = await svc.get_item("indicator", "HP2081.TP.HO_NGHEO", None, uow_factory(), CLERK)
    with pytest.raises(InvalidArgument) as err:
        await svc.revise_item(
            svc.ReviseItem("indicator", poor.item.id,
                           svc.Given(replace(poor.ver.payload, frequencies=(Frequency.YEAR,))),
                           effective_from=AUGUST),
            uow_factory(), PLANNER)
    assert any(v.field.startswith("indicators[HP2081.XIII.11].") for v in err.value.violations)

    with pytest.raises(PermissionDenied):
        await svc.create_item(svc.CreateItem("indicator", svc.Given(later)), uow_factory(),
                              CLERK)
    assert await _count(catalog_db, catalog_items) == stored + 1  # only HP.TL_LATER


async def test_retire_keeps_history_and_earlier_reads(catalog_db, uow_factory):
    await _seeded(uow_factory)
    task = KeyTask(code="NV.TEST.01", title="Số hoá hồ sơ một cửa", year=2026,
                   indicator_codes=("HP2081.XIII.23",))
    created = await svc.create_item(svc.CreateItem("key_task", svc.Given(task),
                                                   effective_from=JULY), uow_factory(), PLANNER)
    retired = await svc.retire_item(
        svc.RetireItem("key_task", created.item.id, expected_version=1,
                       valid_to=date(2026, 9, 30), reason="Đã hoàn thành"),
        uow_factory("ke_hoach"), PLANNER)
    assert retired.ver.retired and retired.item.version == 2
    assert await _count(catalog_db, catalog_item_versions,
                        catalog_item_versions.c.item_id == created.item.id) == 2
    september = await svc.get_item("key_task", "NV.TEST.01", date(2026, 9, 30), uow_factory(), CLERK)
    assert not september.ver.retired and september.ver.payload == task
    october = await svc.get_item("key_task", "NV.TEST.01", date(2026, 10, 1), uow_factory(), CLERK)
    assert october.ver.retired
    listed, _, _ = await svc.list_items("key_task", uow_factory(), CLERK, as_of=date(2026, 10, 1))
    assert "NV.TEST.01" not in {v.item.code for v in listed}
    listed, _, _ = await svc.list_items("key_task", uow_factory(), CLERK, as_of=date(2026, 10, 1),
                                        include_retired=True)
    assert "NV.TEST.01" in {v.item.code for v in listed}
    listed, _, _ = await svc.list_items("key_task", uow_factory(), CLERK, as_of=date(2026, 9, 1))
    assert "NV.TEST.01" in {v.item.code for v in listed}

    # an indicator still used by the set cannot be retired
    with pytest.raises(InvalidArgument) as err:
        await svc.retire_item(svc.RetireItem("indicator", "HP2081.XIII.23",
                                             valid_to=date(2026, 9, 30)), uow_factory(), PLANNER)
    assert any(v.field.startswith("indicator_sets[HP2081].items[") for v in
               err.value.violations)

    types = await _event_types(catalog_db)
    assert types[-2:] == ["ktxh.catalog.v1.KeyTaskCreated", "ktxh.catalog.v1.KeyTaskRetired"]
    async with catalog_db.engine.connect() as conn:
        payload = await conn.scalar(sa.select(outbox.c.payload).order_by(outbox.c.seq.desc()))
        key = await conn.scalar(sa.select(outbox.c.key).order_by(outbox.c.seq.desc()))
    envelope = envelope_pb2.EventEnvelope.FromString(payload)
    assert key == created.item.id and envelope.aggregate_version == 2
    assert envelope.aggregate_type == "key_task" and envelope.actor == "ke_hoach"


async def test_deadlines_from_the_seed_calendar(catalog_db, uow_factory):
    await _seeded(uow_factory)
    r = await svc.resolve_deadlines(uow_factory(), CLERK, indicator_set="HP2081",
                                    period=Period.month(2026, 11))
    s = r.schedule
    assert s.deadline == date(2026, 11, 19)  # "trước ngày 20"
    assert (s.cutoff.start, s.cutoff.end) == (date(2026, 10, 15), date(2026, 11, 14))
    assert [(d.step, d.due) for d in s.internal][:2] == [
        ("office_entry", date(2026, 11, 16)), ("consolidation", date(2026, 11, 18))]
    half = await svc.resolve_deadlines(uow_factory(), CLERK, calendar="LICH.HP2081",
                                       period=Period.half_year(2026, 1))
    assert half.schedule.deadline == date(2026, 6, 14)


async def test_json_catalog_round_trip_and_all_or_nothing(catalog_db, uow_factory):
    await _seeded(uow_factory)
    exported = await svc.export_catalog(uow_factory(), CLERK, as_of=AUGUST)
    doc = json.loads(exported.content)
    assert len(doc["indicators"]) == 59 and len(doc["indicator_sets"]) == 1
    same = await svc.import_file(exported.content, uow_factory(), PLANNER, fmt="json",
                                 dry_run=True, effective_from=AUGUST, indicator_set_only=False)
    assert same.errors == [] and same.count("unchanged") == 70
    # one good new task and one bad one: neither is written
    doc = {"format": "ktxh-catalog", "format_version": 1, "key_tasks": [
        {"code": "NV.MOI.01", "title": "Nhiệm vụ mới", "year": 2026},
        {"code": "NV.MOI.02", "title": "Nhiệm vụ sai", "year": 2026,
         "indicator_codes": ["HP.KHONG_CO"]},
    ]}
    outcome = await svc.import_file(json.dumps(doc).encode(), uow_factory(), PLANNER, fmt="json",
                                    dry_run=False, effective_from=AUGUST,
                                    indicator_set_only=False)
    assert not outcome.applied
    assert [e.field for e in outcome.errors] == ["key_tasks[NV.MOI.02].indicator_codes"]
    assert await _count(catalog_db, catalog_items) == 70
    xlsx = await svc.export_indicator_set("HP2081", uow_factory(), CLERK, as_of=AUGUST)
    assert xlsx.filename == "HP2081.xlsx" and xlsx.content[:2] == b"PK"
    set_json = await svc.export_indicator_set("HP2081", uow_factory(), CLERK, fmt="json", as_of=AUGUST)
    same_set = await svc.import_file(set_json.content, uow_factory(), PLANNER, dry_run=True,
                                     effective_from=AUGUST)
    assert same_set.errors == [] and same_set.count("unchanged") == 52  # set, calendar, 50
    assert same_set.indicator_set_id
