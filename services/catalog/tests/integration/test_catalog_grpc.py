"""The catalog rpcs through a real ServiceRuntime (demo data loaded on start), on SQLite and
PostgreSQL: reads, a refused definition with its field violations, roles, an edit effective
later with both revisions readable, retirement, deadlines, history, import and export."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from ktxh.catalog.v1 import catalog_pb2 as pb
from ktxh.catalog.v1 import catalog_pb2_grpc
from ktxh.common.v1 import types_pb2
from ktxh_catalog.bootstrap import definition
from ktxh_platform.runtime import ServiceRuntime
from ktxh_platform.settings import settings_for
from ktxh_testing.servers import free_port

# gRPC metadata relaying a real access token (filled from the running test issuer).
PLANNER: list[tuple[str, str]] = []
CLERK: list[tuple[str, str]] = []


@pytest.fixture(autouse=True)
def _tokens(token_issuer) -> None:
    PLANNER[:] = token_issuer.metadata("ke_hoach")
    CLERK[:] = token_issuer.metadata("nhap_lieu")


@pytest.fixture(params=["sqlite", "postgresql"])
async def stub(request: pytest.FixtureRequest, tmp_path: Path, token_issuer
               ) -> AsyncIterator[catalog_pb2_grpc.CatalogServiceStub]:
    overrides: dict[str, object] = {"data_dir": tmp_path, "grpc_port": free_port(),
                                    "demo_data": True, "oidc_issuer": token_issuer.issuer}
    if request.param == "postgresql":
        overrides |= {"database_url": request.getfixturevalue("pg_database"),
                      "database_schema": "catalog"}
    runtime = ServiceRuntime(definition(), settings_for("catalog", **overrides))
    await runtime.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{runtime.port}") as channel:
            yield catalog_pb2_grpc.CatalogServiceStub(channel)
    finally:
        await runtime.stop()


def _violations(err: grpc.aio.AioRpcError) -> dict[str, str]:
    status = rpc_status.from_call(err)
    assert status is not None
    out = {}
    for detail in status.details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            out |= {v.field: v.description for v in bad.field_violations}
    return out


def _rate(**fields) -> pb.Indicator:
    base = dict(
        code="HP.TL_TEST", name="Tỷ lệ thử nghiệm", unit_of_measure="%",
        value_type=pb.VALUE_TYPE_PERCENT, frequencies=[types_pb2.PERIOD_KIND_YEAR],
        spatial_aggregation=pb.SPATIAL_AGGREGATION_RATIO, time_aggregation=pb.TIME_AGGREGATION_RATE,
        scale="100", valid_from="2026-08-01",
    )
    return pb.Indicator(**(base | fields))


async def test_catalog_rpcs(stub: catalog_pb2_grpc.CatalogServiceStub):
    # reads: search without diacritics, references by code and id
    found = await stub.ListIndicators(pb.ListIndicatorsRequest(query="ho ngheo",
                                                               as_of="2026-08-01"),
                                      metadata=PLANNER)
    rate = next(i for i in found.indicators if i.name == "Tỷ lệ hộ nghèo theo chuẩn đa chiều")
    assert rate.spatial_aggregation == pb.SPATIAL_AGGREGATION_RATIO
    assert rate.numerator_code == "HP2081.TP.HO_NGHEO" and rate.numerator_indicator_id
    assert rate.polarity == pb.POLARITY_LOWER_IS_BETTER and rate.revision == 1
    iset = await stub.GetIndicatorSet(pb.GetIndicatorSetRequest(id="HP2081"), metadata=CLERK)
    assert len(iset.items) == 28 and iset.calendar_code == "LICH.HP2081" and iset.calendar_id
    assert iset.applies_to_kinds == [pb.ORG_UNIT_KIND_COMMUNE]
    assert iset.legal_document.number == "2081/QĐ-UBND"
    assert {i.responsible_office for i in iset.items} == {"PKT", "PVHXH", "TTHCC"}
    assert all(i.indicator_id for i in iset.items)
    page = await stub.ListIndicators(pb.ListIndicatorsRequest(indicator_set_id=iset.id,
                                                              page_size=20), metadata=CLERK)
    assert page.total_size == 28 and len(page.indicators) == 20 and page.next_page_token

    # refused definitions name the message field
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.CreateIndicator(pb.CreateIndicatorRequest(indicator=_rate()),
                                   metadata=PLANNER)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(_violations(err.value)) == {"numerator_code", "denominator_code"}
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.CreateIndicator(pb.CreateIndicatorRequest(indicator=_rate(
            numerator_code="HP2081.TP.HO_NGHEO", denominator_code="HP.KHONG_CO")),
            metadata=PLANNER)
    assert set(_violations(err.value)) == {"denominator_code"}
    calendar = pb.Calendar(code="LICH.SAI", name="Lịch sai", rules=[pb.DeadlineRule(
        period_kind=types_pb2.PERIOD_KIND_YEAR, due=pb.RelativeDate(month_offset=-10, day=31))])
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.CreateCalendar(pb.CreateCalendarRequest(calendar=calendar), metadata=PLANNER)
    assert "31/02" in _violations(err.value)["rules[0].due.day"]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.CreateIndicator(pb.CreateIndicatorRequest(indicator=_rate(
            code="HP2081.XIII.11", numerator_code="HP2081.TP.HO_NGHEO",
            denominator_code="HP2081.TP.SO_HO")), metadata=PLANNER)
    assert err.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert set(_violations(err.value)) == {"code"}
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.CreateIndicator(pb.CreateIndicatorRequest(indicator=_rate()), metadata=CLERK)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ListIndicators(pb.ListIndicatorsRequest())
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED

    # create, then change the aggregation rule from September: both revisions readable
    created = await stub.CreateIndicator(pb.CreateIndicatorRequest(
        indicator=_rate(numerator_indicator_id=rate.numerator_indicator_id,
                        denominator_code="HP2081.TP.SO_HO"), idempotency_key="k-1"),
        metadata=PLANNER)
    assert created.numerator_code == "HP2081.TP.HO_NGHEO" and created.version == 1
    again = await stub.CreateIndicator(pb.CreateIndicatorRequest(
        indicator=_rate(numerator_indicator_id=rate.numerator_indicator_id,
                        denominator_code="HP2081.TP.SO_HO"), idempotency_key="k-1"),
        metadata=PLANNER)
    assert again.id == created.id
    update = pb.UpdateIndicatorRequest(
        indicator=pb.Indicator(id=created.id, spatial_aggregation=pb.SPATIAL_AGGREGATION_NONE,
                               time_aggregation=pb.TIME_AGGREGATION_STOCK, scale=""),
        update_mask={"paths": ["spatial_aggregation", "time_aggregation", "scale",
                               "numerator_code", "denominator_code"]},
        expected_version=1, effective_from="2026-09-01", reason="Không tổng hợp nữa")
    updated = await stub.UpdateIndicator(update, metadata=PLANNER)
    assert updated.version == 2 and updated.revision == 2 and updated.numerator_code == ""
    assert updated.valid_from == "2026-09-01"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.UpdateIndicator(update, metadata=PLANNER)
    assert err.value.code() == grpc.StatusCode.ABORTED
    august = await stub.GetIndicator(pb.GetIndicatorRequest(id=created.id, as_of="2026-08-15"),
                                     metadata=CLERK)
    assert august.spatial_aggregation == pb.SPATIAL_AGGREGATION_RATIO
    assert august.valid_to == "2026-08-31" and august.revision == 1 and august.version == 2
    revisions = await stub.ListRevisions(pb.ListRevisionsRequest(id=created.id), metadata=CLERK)
    assert [r.action for r in revisions.revisions] == ["created", "revised"]
    # one name everywhere: the revision's field names are the message's
    assert {"spatial_aggregation", "numerator_code"} <= set(revisions.revisions[1].changed_fields)
    assert json.loads(revisions.revisions[1].definition_json)["spatial_aggregation"] == "none"

    # retire: still readable before, marked retired after
    retired = await stub.RetireIndicator(pb.RetireIndicatorRequest(
        id=created.id, expected_version=2, valid_to="2026-12-31", reason="Thử xong"),
        metadata=PLANNER)
    assert retired.retired and retired.valid_to == "2026-12-31" and retired.version == 3
    before = await stub.GetIndicator(pb.GetIndicatorRequest(id="HP.TL_TEST",
                                                            as_of="2026-12-31"), metadata=CLERK)
    assert not before.retired and before.spatial_aggregation == pb.SPATIAL_AGGREGATION_NONE
    gone = await stub.ListIndicators(pb.ListIndicatorsRequest(query="thu nghiem",
                                                              as_of="2027-01-05"),
                                     metadata=CLERK)
    assert gone.total_size == 0
    changes = await stub.ListChanges(types_pb2.ListChangesRequest(
        aggregate_type="indicator", aggregate_id=created.id), metadata=CLERK)
    assert [c.action for c in changes.changes] == ["created", "revised", "retired"]
    assert changes.changes[0].actor == "ke_hoach"
    assert json.loads(changes.changes[1].after_json)["spatial_aggregation"] == "none"

    # deadlines of November 2026 under the set's calendar
    due = await stub.ResolveDeadlines(pb.ResolveDeadlinesRequest(
        indicator_set_id="HP2081",
        period=types_pb2.Period(kind=types_pb2.PERIOD_KIND_MONTH, year=2026, number=11)),
        metadata=CLERK)
    assert (due.due_date, due.cutoff_start, due.cutoff_end) == (
        "2026-11-19", "2026-10-15", "2026-11-14")
    assert due.period.code == "2026-M11"
    assert [(d.stage, d.due_date) for d in due.internal_deadlines][:2] == [
        (pb.CALENDAR_STAGE_OFFICE_INPUT, "2026-11-16"),
        (pb.CALENDAR_STAGE_CONSOLIDATION, "2026-11-18")]

    # export the set, import it back: nothing to change; the JSON catalog holds everything
    exported = await stub.ExportIndicatorSet(pb.ExportIndicatorSetRequest(id=iset.id),
                                             metadata=CLERK)
    assert exported.filename == "HP2081.xlsx" and exported.content[:2] == b"PK"
    dry = await stub.ImportIndicatorSet(pb.ImportIndicatorSetRequest(
        content=exported.content, format=pb.FILE_FORMAT_XLSX, dry_run=True), metadata=PLANNER)
    assert list(dry.errors) == [] and not dry.applied
    assert dry.unchanged_count == 51 and dry.created_count == 0
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ImportIndicatorSet(pb.ImportIndicatorSetRequest(
            content=exported.content, dry_run=True), metadata=CLERK)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    whole = await stub.ExportCatalog(pb.ExportCatalogRequest(as_of="2026-08-01"), metadata=CLERK)
    doc = json.loads(whole.content)
    assert len(doc["indicator_sets"]) == 1 and len(doc["calendars"]) == 1

    # other catalogs are served the same way
    plans = await stub.ListThematicPlans(pb.ListThematicPlansRequest(year=2026), metadata=CLERK)
    assert plans.total_size == 1 and len(plans.thematic_plans[0].key_task_codes) == 3
    criteria = await stub.ListCriteriaSets(pb.ListCriteriaSetsRequest(
        applies_to_kind=pb.ORG_UNIT_KIND_COMMUNE), metadata=CLERK)
    assert criteria.total_size == 1 and criteria.criteria_sets[0].max_total_score == "100"
    targets = await stub.ListPeriodTargets(pb.ListPeriodTargetsRequest(
        indicator_id="HP2081.XIII.11"), metadata=CLERK)
    assert [t.target_value for t in targets.period_targets] == ["1.0"]
    templates = await stub.ListReportTemplates(pb.ListReportTemplatesRequest(
        indicator_set_id="HP2081"), metadata=CLERK)
    assert templates.total_size == 1 and templates.report_templates[0].sections[0].rows
    tasks = await stub.ListKeyTasks(pb.ListKeyTasksRequest(lead_office="VP"), metadata=CLERK)
    assert "NV.HATAY.2026.01" in {t.code for t in tasks.key_tasks}
    calendars = await stub.ListCalendars(pb.ListCalendarsRequest(query="lich 2081"),
                                         metadata=CLERK)
    assert [c.code for c in calendars.calendars] == ["LICH.HP2081"]
    assert calendars.calendars[0].lead_times[0].days_before == 3
