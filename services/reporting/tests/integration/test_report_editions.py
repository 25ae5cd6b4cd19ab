"""Exports and published editions over the real read model (fed by events, SQLite and
PostgreSQL): the province's October report as XLSX/PDF shows the roll-ups (a sum, a rate as a
ratio of sums, a stock as its last value); the appendix matrix has one column per commune; an
edition keeps its numbers after a figure is corrected, a new revision shows the new ones, both
stay readable, and each publication leaves one ReportPublished event in the outbox."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from ktxh.common.v1 import envelope_pb2
from ktxh.reporting.v1 import events_pb2
from ktxh_platform.domain import NotFound
from ktxh_platform.messaging import MessagingContext
from ktxh_reporting.adapters import tables
from ktxh_reporting.adapters.edition_store import SqlReportingUnitOfWork, translate_event
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.adapters.renderers import render
from ktxh_reporting.domain.report_table import ReportKind
from ktxh_reporting.service_layer.report_exports import (
    BuildReport,
    PublishReport,
    build_report,
    get_edition,
    list_editions,
    publish_report,
)
from reporting_support import accepted, indicator, leader, org_unit, planner, submission, target

TODAY = date(2026, 11, 30)


def world():
    return [
        org_unit("p", "31", "Thành phố Hải Phòng", "province", None),
        org_unit("b", "B", "Xã Bình", "commune", "p"),
        org_unit("c", "C", "Xã Cát", "commune", "p"),
        indicator("THU", unit="tỷ đồng", name="Thu ngân sách"),
        indicator("HN", time="STOCK", name="Số hộ nghèo", unit="hộ"),
        indicator("HO", time="STOCK", name="Tổng số hộ", unit="hộ"),
        indicator("TLHN", spatial="RATIO", time="RATE", numerator="HN", denominator="HO",
                  scale="100", polarity="LOWER_IS_BETTER", unit="%", name="Tỷ lệ hộ nghèo"),
        indicator("TRUONG", time="STOCK", name="Số trường đạt chuẩn", unit="trường"),
        accepted(submission("s-b-2510", "b", "B", "2025-M10", 2, {"THU": "20"})),
        accepted(submission("s-c-2510", "c", "C", "2025-M10", 2, {"THU": "5"})),
        accepted(submission("s-b-2609", "b", "B", "2026-M09", 2, {"TRUONG": "4"})),
        accepted(submission("s-b-2610", "b", "B", "2026-M10", 2,
                            {"THU": "33", "HN": "50", "HO": "1000", "TRUONG": "5"})),
        accepted(submission("s-c-2610", "c", "C", "2026-M10", 2,
                            {"THU": "7", "HN": "30", "HO": "500"})),
        target("t-thu", "p", "THU", "500"),
        target("t-tlhn", "p", "TLHN", "6"),
    ]


def uow(db, actor="ke_hoach"):
    messaging = MessagingContext("reporting", "31", "", tables.outbox, translate_event)
    return SqlReportingUnitOfWork(db, messaging, actor)


async def report(db, who, unit="31", period="2026-M10", kind=ReportKind.INDICATORS):
    async with db.sessions() as session:
        return await build_report(BuildReport(unit, period, kind), ReadModel(session), who, TODAY)


def xlsx_values(content: bytes) -> dict[str, dict[str, object]]:
    """Rows of the sheet by indicator name → {header: value} (header rows 6 and 7)."""
    ws = load_workbook(io.BytesIO(content)).active
    heads = {}
    for c in range(1, ws.max_column + 1):
        heads[c] = ws.cell(7, c).value or ws.cell(6, c).value
    out = {}
    for r in range(8, ws.max_row + 1):
        cells = {heads[c]: ws.cell(r, c).value for c in range(1, ws.max_column + 1)}
        if cells.get("Chỉ tiêu"):
            out[cells["Chỉ tiêu"]] = cells
    return out


async def test_the_province_october_report_as_xlsx_and_pdf(reporting_db, feeder):
    await feeder.feed(*world())
    table = await report(reporting_db, planner())
    content, media_type, name = render(table, "xlsx")
    assert name == "bao-cao-indicators-31-2026-M10.xlsx" and "spreadsheetml" in media_type
    rows = xlsx_values(content)
    done = "Thực hiện Tháng 10/2026"
    assert rows["Thu ngân sách"][done] == 40  # sum of the communes
    assert rows["Thu ngân sách"]["Kế hoạch năm 2026"] == 500
    assert rows["Thu ngân sách"]["Cùng kỳ năm 2025"] == 25
    assert rows["Thu ngân sách"]["So với kế hoạch"] == pytest.approx(8)
    assert rows["Thu ngân sách"]["So với cùng kỳ"] == pytest.approx(60)
    assert rows["Thu ngân sách"]["Đơn vị tính"] == "tỷ đồng"
    # a rate is the ratio of the sums (80 / 1,500), not the mean of 5 % and 6 %
    assert rows["Tỷ lệ hộ nghèo"][done] == pytest.approx(5.3333, abs=1e-3)
    assert rows["Số trường đạt chuẩn"][done] == 5  # a stock: its last value

    pdf = PdfReader(io.BytesIO(render(table, "pdf")[0]))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Tỷ lệ hộ nghèo" in text and "Thu ngân sách" in text and "5,33" in text
    assert "THÀNH PHỐ HẢI PHÒNG" in text and "Tháng 10/2026" in text


async def test_the_appendix_matrix_has_a_column_per_commune(reporting_db, feeder):
    await feeder.feed(*world())
    table = await report(reporting_db, planner(), kind=ReportKind.MATRIX)
    rows = xlsx_values(render(table, "xlsx")[0])
    thu = rows["Thu ngân sách"]
    assert (thu["Xã Bình"], thu["Xã Cát"], thu["Toàn Thành phố Hải Phòng"]) == (33, 7, 40)
    assert rows["Số trường đạt chuẩn"]["Xã Cát"] is None  # no figure: empty, not 0
    data = json.loads(render(table, "json")[0])
    assert data["kind"] == "matrix" and data["period_label"] == "Tháng 10/2026"


async def test_an_edition_is_frozen_and_a_new_revision_shows_the_correction(
    reporting_db, feeder
):
    await feeder.feed(*world())
    build = BuildReport("31", "2026-M10", ReportKind.INDICATORS, ("THU", "TLHN"))
    first = await publish_report(PublishReport(build), uow(reporting_db), planner(),
                                 datetime(2026, 11, 5, 9, 0, tzinfo=UTC))
    assert first.revision == 1

    # Xã Cát corrects its October revenue from 7 to 17 (report version 3)
    await feeder.feed(accepted(submission("s-c-2610", "c", "C", "2026-M10", 3,
                                          {"THU": "17", "HN": "30", "HO": "500"})))
    live = await report(reporting_db, planner())
    assert xlsx_values(render(live, "xlsx")[0])["Thu ngân sách"]["Thực hiện Tháng 10/2026"] == 50

    again = await get_edition(first.id, uow(reporting_db), planner())
    frozen = xlsx_values(render(again.table, "xlsx")[0])
    assert frozen["Thu ngân sách"]["Thực hiện Tháng 10/2026"] == 40  # never changes
    assert set(frozen) == {"Thu ngân sách", "Tỷ lệ hộ nghèo"}

    second = await publish_report(PublishReport(build), uow(reporting_db), planner(),
                                  datetime(2026, 11, 6, 9, 0, tzinfo=UTC))
    assert second.revision == 2
    newer = xlsx_values(render((await get_edition(second.id, uow(reporting_db), planner())).table,
                               "xlsx")[0])
    assert newer["Thu ngân sách"]["Thực hiện Tháng 10/2026"] == 50
    editions, total = await list_editions(uow(reporting_db), planner(), org_unit_code="31")
    assert total == 2 and [e.revision for e in editions] == [2, 1]
    assert "Bản công bố lần 1" in again.table.notes[-1]

    async with reporting_db.sessions() as session:
        payloads = (await session.execute(sa.select(tables.outbox.c.payload).where(
            tables.outbox.c.event_type == "ktxh.reporting.v1.ReportPublished"))).scalars().all()
    published = []
    for raw in payloads:
        env = envelope_pb2.EventEnvelope.FromString(raw)
        msg = events_pb2.ReportPublished()
        env.payload.Unpack(msg)
        published.append((msg.report.id, msg.report.revision, msg.report.org_unit_code))
    assert sorted(published) == sorted([(first.id, 1, "31"), (second.id, 2, "31")])


async def test_editions_are_read_within_the_caller_scope(reporting_db, feeder):
    await feeder.feed(*world())
    edition = await publish_report(PublishReport(BuildReport("31", "2026-M10")),
                                   uow(reporting_db), planner(), datetime.now(UTC))
    with pytest.raises(NotFound):  # a commune's leader does not see the province's edition
        await get_edition(edition.id, uow(reporting_db), leader("B"))
    assert (await list_editions(uow(reporting_db), leader("B")))[1] == 0
    assert (await get_edition(edition.id, uow(reporting_db), planner())).table.rows
