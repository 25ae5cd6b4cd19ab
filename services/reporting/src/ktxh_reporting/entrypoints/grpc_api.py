from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import grpc
from google.protobuf import timestamp_pb2

from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from ktxh_reporting.adapters.org_unit_projection import OrgUnitReadModel
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.domain.periods import Period, PeriodKind
from ktxh_reporting.domain.rollups import FigureRef
from ktxh_reporting.service_layer import reads, rollups
from ktxh_reporting.entrypoints.grpc_kinds import KindsServicer
from ktxh_reporting.entrypoints.grpc_outputs import ReportOutputsServicer
from ktxh_platform.access import Action, Resource, authorize
from ktxh_platform.domain import InvalidArgument, NotFound
from ktxh_platform.rpc import principal_from
from ktxh_platform.runtime import ServiceContext

ORG_UNITS_GROUP = "reporting.org_units"

_ACHIEVEMENT = {
    "achieved": reporting_pb2.ACHIEVEMENT_STATUS_ACHIEVED,
    "on_track": reporting_pb2.ACHIEVEMENT_STATUS_ON_TRACK,
    "at_risk": reporting_pb2.ACHIEVEMENT_STATUS_AT_RISK,
    "missed": reporting_pb2.ACHIEVEMENT_STATUS_MISSED,
}


def decimal_text(value: Decimal | None, places: int = 6) -> str:
    """A decimal string without exponent, at most `places` decimals, no trailing zeros."""
    if value is None:
        return ""
    q = value.quantize(Decimal(1).scaleb(-places)) if value.as_tuple().exponent < -places else value
    text = format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def period_pb(p: Period) -> types_pb2.Period:
    return types_pb2.Period(
        kind=types_pb2.PeriodKind.Value(f"PERIOD_KIND_{p.kind.value.upper()}"), year=p.year,
        number=p.number, end_year=p.end_year if p.kind is PeriodKind.PLAN_PERIOD else 0,
        as_of=p.as_of.isoformat() if p.as_of else "",
        code=p.code,
    )


def period_code_of(p: types_pb2.Period) -> str:
    """The period's code from its fields (or its code when only that is given)."""
    kind = types_pb2.PeriodKind.Name(p.kind).removeprefix("PERIOD_KIND_")
    match kind:
        case "MONTH":
            return f"{p.year}-M{p.number:02d}"
        case "QUARTER":
            return f"{p.year}-Q{p.number}"
        case "HALF_YEAR":
            return f"{p.year}-H{p.number}"
        case "NINE_MONTHS":
            return f"{p.year}-9M"
        case "YEAR":
            return str(p.year)
        case "PLAN_PERIOD":
            return f"{p.year}-{p.end_year}"
        case "POINT_IN_TIME":
            return f"@{p.as_of}"
    return p.code


def key_pb(key) -> figure_pb2.FigureKey:
    return figure_pb2.FigureKey(
        indicator_code=key.indicator_code,
        members=[figure_pb2.DimensionChoice(dimension_code=d, member_code=m) for d, m in key.members],
        kind=figure_pb2.FigureKind.Value(f"FIGURE_KIND_{key.kind.upper()}"),
    )


def row_pb(line: rollups.RollupLine) -> reporting_pb2.RollupRow:
    t = line.target
    return reporting_pb2.RollupRow(
        org_unit_id=line.unit.id, org_unit_code=line.unit.code, org_unit_name=line.unit.name,
        key=key_pb(line.key), value=decimal_text(line.value),
        numerator=decimal_text(line.numerator), denominator=decimal_text(line.denominator),
        text_value=line.text_value,
        target_value=decimal_text(t.value) if t else "",
        target_value_max=decimal_text(t.value_max) if t else "",
        target_from_children=bool(t and t.derived),
        year_to_date=decimal_text(line.year_to_date),
        same_period_last_year=decimal_text(line.previous_year),
        percent_of_target=decimal_text(line.plan_percent, 2),
        percent_of_same_period=decimal_text(line.percent_of_previous_year, 2),
        growth_percent=decimal_text(line.growth_percent, 2),
        achievement=_ACHIEVEMENT.get(line.achievement, reporting_pb2.ACHIEVEMENT_STATUS_UNSPECIFIED),
        estimated=line.estimated, contributing_unit_count=line.reporting_units,
        missing_unit_count=max(line.expected_units - line.reporting_units, 0),
        expected_unit_count=line.expected_units, is_total=line.is_total,
        indicator_name=line.rule.name, unit_of_measure=line.rule.unit_for(line.key),
        aggregation=line.rule.spatial, time_aggregation=line.rule.time_for(line.key),
        polarity=line.rule.polarity,
    )


def _ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value if value.tzinfo else value.replace(tzinfo=UTC))
    return ts


def key_of(k: figure_pb2.FigureKey) -> FigureRef:
    kind = figure_pb2.FigureKind.Name(k.kind).removeprefix("FIGURE_KIND_").lower()
    return FigureRef.of(k.indicator_code, {m.dimension_code: m.member_code for m in k.members},
                        "actual" if kind in ("unspecified", "target") else kind)


class ReadServicer:
    """GetIndicatorSeries, GetSubmissionProgress, ListFigures (mixed into the servicer)."""

    ctx: ServiceContext

    async def GetIndicatorSeries(self, request, context):  # noqa: N802
        kind = types_pb2.PeriodKind.Name(request.period_kind).removeprefix("PERIOD_KIND_").lower()
        if kind == "unspecified":
            kind = "month"
        try:
            period_kind = PeriodKind(kind)
        except ValueError:
            raise InvalidArgument.single("kind", "Loại kỳ không hợp lệ") from None
        query = reads.GetSeries(key_of(request.key), period_kind, request.from_year, request.to_year,
                                org_unit_id=request.org_unit_id, org_unit_code=request.org_unit_code)
        async with self.ctx.db.sessions() as session:
            points = await reads.get_series(query, ReadModel(session), principal_from(context),
                                            datetime.now(UTC).date())
        return reporting_pb2.GetIndicatorSeriesResponse(points=[
            reporting_pb2.SeriesPoint(
                period=period_pb(p.period), value=decimal_text(p.value),
                target_value=decimal_text(p.target.value) if p.target else "", estimated=p.estimated)
            for p in points])

    async def GetSubmissionProgress(self, request, context):  # noqa: N802
        async with self.ctx.db.sessions() as session:
            progress = await reads.get_progress(
                period_code_of(request.period), ReadModel(session), principal_from(context),
                org_unit_id=request.org_unit_id, org_unit_code=request.org_unit_code)
        units = []
        for u in progress.units:
            row = reporting_pb2.UnitSubmissionProgress(
                org_unit_id=u.unit.id, org_unit_code=u.unit.code, org_unit_name=u.unit.name,
                submission_id=u.submission_id, status=u.status, due_date=u.deadline,
                late=u.timeliness == "late", timeliness=u.timeliness, days_late=u.days_late)
            if u.sent_at is not None:
                row.submitted_at.CopyFrom(_ts(u.sent_at))
            if u.accepted_at is not None:
                row.accepted_at.CopyFrom(_ts(u.accepted_at))
            units.append(row)
        return reporting_pb2.GetSubmissionProgressResponse(
            units=units, count_by_status=progress.count_by_status(), expected_count=len(units),
            accepted_count=sum(u.status == "accepted" for u in progress.units),
            late_count=sum(u.timeliness == "late" for u in progress.units))

    async def ListFigures(self, request, context):  # noqa: N802
        query = reads.ListFigures(
            indicator_code=request.indicator_code, org_unit_code=request.org_unit_code,
            period_code=request.period_code,
            updated_since=request.updated_since.ToDatetime(tzinfo=UTC) if request.HasField("updated_since") else None,
            page_size=request.page_size, page_token=request.page_token)
        async with self.ctx.db.sessions() as session:
            rows, token = await reads.list_figures(query, ReadModel(session), principal_from(context))
        return reporting_pb2.ListFiguresResponse(figures=[
            reporting_pb2.AcceptedFigure(
                org_unit_id=unit.id, org_unit_code=unit.code, key=key_pb(f.key), period_code=f.period_code,
                value=decimal_text(f.value, 12), text_value=f.text_value, updated_at=_ts(f.updated_at))
            for unit, f in rows], next_page_token=token)


class ReportingServicer(ReadServicer, KindsServicer, ReportOutputsServicer,
                        reporting_pb2_grpc.ReportingServiceServicer):
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def GetOrgUnitStats(self, request, context):  # noqa: N802
        scope = authorize(principal_from(context), Resource.REPORT, Action.READ)
        province = request.province_code or scope.province
        if province != scope.province:  # another province's figures do not exist for this caller
            raise NotFound(f"Không tìm thấy tỉnh/thành phố {province}")
        async with self.ctx.db.sessions() as session:
            by_kind, applied = await OrgUnitReadModel(session).stats(province, ORG_UNITS_GROUP, date.today())
        return reporting_pb2.OrgUnitStats(
            province_code=province, unit_count=sum(by_kind.values()), events_applied=applied,
            count_by_kind=by_kind,
        )

    async def GetRollup(self, request, context):  # noqa: N802
        query = rollups.GetRollup(
            period_code=period_code_of(request.period),
            org_unit_id=request.org_unit_id, org_unit_code=request.org_unit_code,
            indicator_codes=tuple(c for c in (*request.indicator_ids, *request.indicator_codes) if c),
            include_children=request.include_children, use_estimates=request.use_estimates,
        )
        async with self.ctx.db.sessions() as session:
            result = await rollups.get_rollup(query, ReadModel(session), principal_from(context),
                                              datetime.now(UTC).date())
        response = reporting_pb2.GetRollupResponse(
            period=period_pb(result.period), rows=[row_pb(line) for line in result.lines])
        if result.as_of is not None:
            as_of = result.as_of if result.as_of.tzinfo else result.as_of.replace(tzinfo=UTC)
            response.as_of.CopyFrom(timestamp_pb2.Timestamp(seconds=int(as_of.timestamp())))
        return response


def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
    reporting_pb2_grpc.add_ReportingServiceServicer_to_server(ReportingServicer(ctx), server)
