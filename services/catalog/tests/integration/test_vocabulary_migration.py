"""Migration ``catalog_0003`` (one vocabulary) on SQLite and PostgreSQL: revisions stored in
the old shape (``unit``, ``unit_aggregation: "ratio_of_sums"``, ``sector``...) read back under
the proto / REST names after the upgrade, their history keeps its changed fields under the new
names, and the downgrade restores the old shape."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from ktxh_catalog.adapters import tables
from ktxh_catalog.adapters.unit_of_work import SqlCatalogUnitOfWork
from ktxh_catalog.adapters.events import translate_event
from ktxh_catalog.domain.calendars import RelativeDate
from ktxh_catalog.domain.indicators import Frequency, Polarity, SpatialAggregation, TimeAggregation
from ktxh_catalog.domain.periods import Period
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)

OLD_RATIO: dict[str, Any] = {
    "code": "HP.OLD.TL", "name": "Tỷ lệ hộ nghèo", "unit": "%", "value_type": "percent",
    "frequencies": ["year", "five_year"], "unit_aggregation": "ratio_of_sums",
    "time_aggregation": "recompute", "polarity": "lower_better", "weight_indicator": None,
    "numerator": "HP.OLD.NGHEO", "denominator": "HP.OLD.HO", "scale": "100",
    "lower_bound": None, "upper_bound": None, "dimensions": [], "formula": None,
    "sector": "Xã hội", "group": "XIII", "decimals": 2, "description": "",
}
OLD_COUNT: dict[str, Any] = {
    "code": "HP.OLD.HTX", "name": "Hợp tác xã", "unit": "HTX", "value_type": "integer",
    "frequencies": ["year"], "unit_aggregation": "sum", "time_aggregation": "last",
    "polarity": "higher_better", "weight_indicator": None, "numerator": None,
    "denominator": None, "scale": None, "lower_bound": None, "upper_bound": None,
    "dimensions": [{"code": "status", "name": "Tình trạng", "members": [
        {"code": "active", "name": "Đang hoạt động", "unit": None, "value_type": None,
         "time_aggregation": "last"},
        {"code": "capital", "name": "Vốn điều lệ", "unit": "triệu đồng", "value_type": "money",
         "time_aggregation": "sum"}]}],
    "formula": None, "sector": "", "group": "", "decimals": None, "description": "",
}


LEGAL = {"number": "2081/QĐ-UBND", "issued_on": "2026-06-03", "issuer": "UBND thành phố Hải Phòng"}
OLD_OTHERS: dict[str, dict[str, Any]] = {  # kind -> an item as stored before
    "indicator_set": {
        "code": "HP.OLD.SET", "name": "Bộ chỉ số", "legal_basis": LEGAL, "applies_to": ["commune"],
        "members": [{"indicator_code": "HP.OLD.TL", "frequencies": ["year"],
                     "responsible_office": "PKT", "group": "XIII", "order": 1}],
        "groups": [{"code": "XIII", "name": "Nhóm XIII", "order": 1}], "calendar_code": "LICH"},
    "key_task": {"code": "NV.OLD", "title": "Nhiệm vụ", "year": 2026, "due_date": "2026-12-31",
                 "sector": "Kinh tế", "legal_basis": LEGAL},
    "thematic_plan": {"code": "KH.OLD", "name": "Kế hoạch", "start": "2026-06-01",
                      "end": "2026-12-31", "task_codes": ["NV.OLD"], "sector": "Kinh tế"},
    "criteria_set": {
        "code": "TC.OLD", "name": "Tiêu chí", "subject": "commune", "legal_basis": LEGAL,
        "criteria": [{"code": "C1", "name": "Nhiệm vụ", "max_score": "60",
                      "method": "on_time_task_completion", "order": 1},
                     {"code": "C2", "name": "Báo cáo", "max_score": "40",
                      "method": "report_timeliness", "order": 2}],
        "thresholds": [{"level": "excellent", "min_score": "90"}]},
    "period_target": {"code": "MT.OLD", "indicator_code": "HP.OLD.TL", "start_year": 2026,
                      "end_year": 2030, "target_value": "1", "legal_basis": LEGAL},
    "calendar": {
        "code": "LICH.OLD", "name": "Lịch", "legal_basis": "Kế hoạch", "description": "",
        "deadline_rules": [
            {"frequency": "month", "day": 20, "month_offset": 0, "before": True,
             "description": "trước ngày 20"},
            {"frequency": "five_year", "day": 10, "month_offset": 0, "before": False,
             "description": ""}],
        "cutoff_rules": [
            {"frequency": "month", "start_day": 15, "start_month_offset": -1, "end_day": 14,
             "end_month_offset": 0, "description": "từ 15 tháng trước"},
            {"frequency": "year", "start_day": 15, "start_month_offset": -12, "end_day": 14,
             "end_month_offset": 0, "description": ""}],
        "lead_times": [{"step": "office_entry", "name": "Phòng nhập", "days_before": 3,
                        "responsible": "office"}],
        "overrides": [{"period": "2026-M12", "deadline": "2026-12-25", "reason": "Tết"}]},
    "report_template": {
        "code": "BC.OLD", "name": "Báo cáo", "frequency": "five_year",
        "sections": [{"code": "I", "title": "I. Kinh tế", "order": 1,
                      "rows": [{"order": 1, "indicator_code": "HP.OLD.TL"}]}],
        "columns": [{"code": "KH", "title": "Kế hoạch", "measure": "plan"},
                    {"code": "SS", "title": "So với kế hoạch (%)", "measure": "vs_plan_pct"}]},
}


# the calendar's second revision: the monthly report is due before the 25th
CALENDAR_V2 = dict(OLD_OTHERS["calendar"], deadline_rules=[
    dict(OLD_OTHERS["calendar"]["deadline_rules"][0], day=25),
    OLD_OTHERS["calendar"]["deadline_rules"][1]])


@pytest.fixture(params=["sqlite", "postgresql"])
async def old_db(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="catalog")
    await _alembic(db, command.upgrade, "catalog_0002")
    yield db
    await db.dispose()


async def _alembic(db: Database, step: Any, target: str) -> None:
    def run(conn: sa.Connection) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes.update(connection=conn, target_metadata=tables.metadata, schema=db.schema)
        step(cfg, target)

    async with db.engine.begin() as conn:
        if db.schema and not db.is_sqlite:
            await conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{db.schema}"'))
        await conn.run_sync(run)


async def _write_old(db: Database) -> None:
    """Two indicators as the catalog stored them before (the ratio with a revision that
    changed its aggregation, sector and unit) and one item of every other renamed kind."""
    first = dict(OLD_RATIO, unit_aggregation="sum", sector="", unit="hộ",
                 time_aggregation="sum", numerator=None, denominator=None, scale=None,
                 value_type="integer")
    async with db.engine.begin() as conn:
        for item_id, kind, payload in (("id-ratio", "indicator", OLD_RATIO),
                                       ("id-count", "indicator", OLD_COUNT),
                                       *((f"id-{k}", k, x) for k, x in OLD_OTHERS.items())):
            await conn.execute(tables.catalog_items.insert().values(
                id=item_id, kind=kind, code=payload["code"], province_code="31",
                name=payload.get("name", payload["code"]),
                version=2 if item_id in ("id-ratio", "id-calendar") else 1, retired=False,
                search_text=payload["code"], created_at=NOW, updated_at=NOW))
        rows = [
            ("id-ratio", 1, "created", first, {}),
            ("id-ratio", 2, "revised", OLD_RATIO, {
                "unit_aggregation": ["sum", "ratio_of_sums"], "sector": ["", "Xã hội"],
                "unit": ["hộ", "%"], "time_aggregation": ["sum", "recompute"],
                "numerator": [None, "HP.OLD.NGHEO"]}),
            ("id-count", 1, "created", OLD_COUNT, {}),
            *((f"id-{k}", 1, "created", x, {}) for k, x in OLD_OTHERS.items()),
            ("id-calendar", 2, "revised", CALENDAR_V2, {
                "deadline_rules": [OLD_OTHERS["calendar"]["deadline_rules"],
                                   CALENDAR_V2["deadline_rules"]]}),
        ]
        for item_id, number, action, payload, changes in rows:
            await conn.execute(tables.catalog_item_versions.insert().values(
                item_id=item_id, number=number, action=action,
                effective_from=date(2026, number, 1), effective_to=None, retired=False,
                author="ke_hoach", recorded_at=NOW, reason="", payload=payload,
                changes=changes, search_text=payload["code"]))


async def _stored(db: Database, item_id: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    v = tables.catalog_item_versions
    async with db.engine.connect() as conn:
        rows = (await conn.execute(sa.select(v.c.payload, v.c.changes)
                                   .where(v.c.item_id == item_id).order_by(v.c.number))).all()
    return [(r.payload, r.changes) for r in rows]


async def test_old_revisions_read_under_the_one_vocabulary(old_db: Database):
    await _write_old(old_db)
    await _alembic(old_db, command.upgrade, "head")

    messaging = MessagingContext("catalog", "31", "", tables.outbox, translate_event)
    async with SqlCatalogUnitOfWork(old_db, messaging, "tester") as uow:
        ratio = (await uow.items.get("id-ratio")).versions[-1].payload
        count = (await uow.items.get("id-count")).versions[-1].payload
    assert ratio.unit_of_measure == "%" and ratio.field == "Xã hội" and ratio.group_code == "XIII"
    assert ratio.spatial_aggregation is SpatialAggregation.RATIO
    assert ratio.time_aggregation is TimeAggregation.RATE
    assert ratio.polarity is Polarity.LOWER_IS_BETTER
    assert (ratio.numerator_code, ratio.denominator_code) == ("HP.OLD.NGHEO", "HP.OLD.HO")
    assert ratio.frequencies == (Frequency.YEAR, Frequency.PLAN_PERIOD)
    assert count.time_aggregation is TimeAggregation.STOCK
    active, capital = count.dimensions[0].members
    assert active.time_aggregation is TimeAggregation.STOCK
    assert capital.unit_of_measure == "triệu đồng"
    assert capital.time_aggregation is TimeAggregation.FLOW

    async with SqlCatalogUnitOfWork(old_db, messaging, "tester") as uow:
        iset, task, plan, criteria, target, calendar, template = [
            (await uow.items.get(f"id-{k}")).latest.payload for k in OLD_OTHERS]
    assert iset.applies_to_kinds == ("commune",) and iset.legal_document.number == "2081/QĐ-UBND"
    (item,) = iset.items
    assert (item.group_code, item.ordinal, iset.groups[0].ordinal) == ("XIII", 1, 1)
    assert task.deadline == date(2026, 12, 31) and task.field == "Kinh tế"
    assert task.legal_document.issuer == "UBND thành phố Hải Phòng"
    assert (plan.start_date, plan.end_date) == (date(2026, 6, 1), date(2026, 12, 31))
    assert plan.key_task_codes == ("NV.OLD",) and plan.field == "Kinh tế"
    assert [k.value for k in criteria.applies_to_kinds] == ["commune"]
    assert [(c.scoring_method.value, c.ordinal) for c in criteria.criteria] == [
        ("task_completion", 1), ("timeliness", 2)]
    assert target.legal_document.number == "2081/QĐ-UBND"
    month, plan_period, year = calendar.rules
    assert (month.period_kind, month.due, month.before) == (
        Frequency.MONTH, RelativeDate(0, 25), True)
    assert (month.cutoff_start, month.cutoff_end) == (RelativeDate(-1, 15), RelativeDate(0, 14))
    assert (month.description, month.cutoff_description) == ("trước ngày 20", "từ 15 tháng trước")
    assert (plan_period.period_kind, plan_period.before, plan_period.cutoff_start) == (
        Frequency.PLAN_PERIOD, False, None)
    assert (year.period_kind, year.due, year.cutoff_start) == (
        Frequency.YEAR, None, RelativeDate(-12, 15))
    assert calendar.overrides[0].period_code == "2026-M12"
    (first_rules, _), (second_rules, calendar_changes) = await _stored(old_db, "id-calendar")
    assert set(calendar_changes) == {"rules"}
    assert calendar_changes["rules"] == [first_rules["rules"], second_rules["rules"]]
    assert calendar_changes["rules"][0][0]["due"] == {"month_offset": 0, "day": 20}
    assert calendar.deadline(Period.parse("2026-M12")) == date(2026, 12, 25)
    assert calendar.deadline(Period.parse("2026-M11")) == date(2026, 11, 24)
    assert template.period_kinds == (Frequency.PLAN_PERIOD,)
    assert [c.measure.value for c in template.column_specs] == ["target", "percent_of_target"]
    assert template.sections[0].ordinal == 1 and template.sections[0].rows[0].ordinal == 1

    (first, _), (second, changes) = await _stored(old_db, "id-ratio")
    assert first["spatial_aggregation"] == "sum" and first["time_aggregation"] == "flow"
    assert "unit" not in second and second["unit_of_measure"] == "%"
    assert changes == {
        "spatial_aggregation": ["sum", "ratio"], "field": ["", "Xã hội"],
        "unit_of_measure": ["hộ", "%"], "time_aggregation": ["flow", "rate"],
        "numerator_code": [None, "HP.OLD.NGHEO"]}


async def test_downgrade_restores_the_old_shape(old_db: Database):
    await _write_old(old_db)
    ids = ["id-ratio", "id-count", *(f"id-{k}" for k in OLD_OTHERS)]
    before = [await _stored(old_db, i) for i in ids]
    await _alembic(old_db, command.upgrade, "head")
    assert [await _stored(old_db, i) for i in ids] != before
    await _alembic(old_db, command.downgrade, "catalog_0002")
    assert [await _stored(old_db, i) for i in ids] == before
