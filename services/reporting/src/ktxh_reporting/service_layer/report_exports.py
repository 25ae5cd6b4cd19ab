"""Use cases: a report table built from the roll-ups (RenderReport), published editions
(PublishReport, GetPublishedReport, ListPublishedReports).

A report is the roll-up of `service_layer.rollups` laid out by `domain.report_table`: the
exports show exactly the numbers of GET /rollups and the dashboards. Publishing stores the
table as it is at that moment (frozen); later corrections of figures change the live report,
never an edition.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from ktxh_platform.access import Action, Resource, authorize
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument, NotFound

from ktxh_reporting.domain.report_table import (
    Edition,
    IndicatorLine,
    MatrixLine,
    ReportKind,
    ReportTable,
    UnitColumn,
    appendix_matrix,
    indicator_report,
    period_label,
)
from ktxh_reporting.service_layer.ports import ReadModel
from ktxh_reporting.service_layer.report_kinds import KINDS, KindReads, build_kind_table
from ktxh_reporting.service_layer.rollups import GetRollup, RollupLine, RollupResult, get_rollup

__all__ = [
    "BuildReport",
    "EditionStore",
    "PublishReport",
    "ReportingUnitOfWork",
    "build_report",
    "get_edition",
    "list_editions",
    "publish_report",
    "table_from_rollup",
]


@dataclass(frozen=True)
class BuildReport:
    org_unit_code: str
    period_code: str
    kind: ReportKind = ReportKind.INDICATORS
    indicator_codes: tuple[str, ...] = ()
    use_estimates: bool = False


@dataclass(frozen=True)
class PublishReport:
    report: BuildReport
    document_id: str = ""


class EditionStore(Protocol):
    async def last_revision(self, province: str, unit_code: str, period_code: str,
                            kind: ReportKind) -> int: ...

    async def add(self, edition: Edition) -> None: ...

    async def get(self, province: str, edition_id: str) -> Edition | None: ...

    async def list(self, province: str, *, unit_codes: list[str] | None, period_code: str,
                   year: int, limit: int, offset: int) -> tuple[list[Edition], int]: ...


class ReportingUnitOfWork(Protocol):
    read_model: ReadModel
    kind_reads: KindReads
    editions: EditionStore

    async def __aenter__(self) -> ReportingUnitOfWork: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def commit(self) -> None: ...


def _name(line: RollupLine) -> str:
    name = line.rule.name or line.key.indicator_code
    if line.key.members:
        return f"{name} ({', '.join(m for _, m in line.key.members)})"
    return name


DERIVED_TARGET_NOTE = ("(*) Kế hoạch của đơn vị không được giao trực tiếp: bằng tổng kế hoạch giao cho "
                       "các đơn vị trực thuộc (hoặc theo quy tắc tổng hợp của chỉ tiêu).")


def table_from_rollup(result: RollupResult, kind: ReportKind) -> ReportTable:
    table = _table_from_rollup(result, kind)
    if any(line.is_total and line.target is not None and line.target.derived for line in result.lines):
        table = ReportTable(**{**table.__dict__, "notes": (*table.notes, DERIVED_TARGET_NOTE)})
    return table


def _name_of(line: RollupLine) -> str:
    derived = line.target is not None and line.target.derived
    return f"{_name(line)} (*)" if derived else _name(line)


def _table_from_rollup(result: RollupResult, kind: ReportKind) -> ReportTable:
    code, label = result.period.code, period_label(result.period.code)
    totals = [line for line in result.lines if line.is_total]
    if kind == ReportKind.MATRIX:
        children: list[UnitColumn] = []
        values: dict[str, dict[str, object]] = {}
        for line in result.lines:
            if line.is_total:
                continue
            if all(u.code != line.unit.code for u in children):
                children.append(UnitColumn(line.unit.code, line.unit.name))
            values.setdefault(line.key.text, {})[line.unit.code] = line.value
        return appendix_matrix(
            org_unit_code=result.unit.code, org_unit_name=result.unit.name, period_code=code,
            period_label=label, units=sorted(children, key=lambda u: u.code), as_of=result.as_of,
            lines=[
                MatrixLine(
                    indicator_code=t.key.indicator_code, name=_name_of(t), unit=t.rule.unit_for(t.key),
                    target_value=t.target.value if t.target else None, total=t.value,
                    by_unit=values.get(t.key.text, {}), figure_key=t.key.text,
                    level=1 if t.key.members else 0,
                )
                for t in totals
            ],
        )
    return indicator_report(
        org_unit_code=result.unit.code, org_unit_name=result.unit.name, period_code=code,
        period_label=label, as_of=result.as_of,
        lines=[
            IndicatorLine(
                indicator_code=t.key.indicator_code, name=_name_of(t), unit=t.rule.unit_for(t.key),
                value=t.value, target_value=t.target.value if t.target else None,
                plan_percent=t.plan_percent, previous_year_value=t.previous_year,
                growth_percent=t.growth_percent, figure_key=t.key.text,
                level=1 if t.key.members else 0,
            )
            for t in totals
        ],
    )


async def build_report(q: BuildReport, rm: ReadModel, principal: Principal,
                       today: date, kind_reads: KindReads | None = None) -> ReportTable:
    if not q.org_unit_code.strip():
        raise InvalidArgument.single("org_unit_code", "Chưa chọn đơn vị")
    if q.kind in KINDS:  # key tasks, target fulfilment (service_layer/report_kinds.py)
        if kind_reads is None:
            raise InvalidArgument.single("kind", "Loại báo cáo không được hỗ trợ ở đây")
        return await build_kind_table(q.kind, org_unit_code=q.org_unit_code.strip(),
                                      period_code=q.period_code, rm=rm, reads=kind_reads,
                                      principal=principal, today=today)
    result = await get_rollup(
        GetRollup(period_code=q.period_code, org_unit_code=q.org_unit_code,
                  indicator_codes=q.indicator_codes,
                  include_children=q.kind == ReportKind.MATRIX, use_estimates=q.use_estimates),
        rm, principal, today,
    )
    return table_from_rollup(result, q.kind)


async def publish_report(cmd: PublishReport, uow: ReportingUnitOfWork, principal: Principal,
                         now: datetime) -> Edition:
    scope = authorize(principal, Resource.REPORT, Action.WRITE)
    async with uow:
        table = await build_report(cmd.report, uow.read_model, principal, now.date(), uow.kind_reads)
        previous = await uow.editions.last_revision(scope.province, table.org_unit_code,
                                                    table.period_code, table.kind)
        edition = Edition.publish(
            id=str(uuid.uuid4()), province_code=scope.province, table=table,
            previous_revision=previous, published_by=principal.username, published_at=now,
            document_id=cmd.document_id,
        )
        await uow.editions.add(edition)
        await uow.commit()
    return edition


async def get_edition(edition_id: str, uow: ReportingUnitOfWork, principal: Principal) -> Edition:
    scope = authorize(principal, Resource.REPORT, Action.READ)
    async with uow:
        edition = await uow.editions.get(scope.province, edition_id)
        # outside the caller's units, an edition does not exist for them
        if edition is None or edition.table is None or await uow.read_model.unit(
            scope, code=edition.table.org_unit_code
        ) is None:
            raise NotFound(f"Không tìm thấy báo cáo đã công bố {edition_id}")
    return edition


async def list_editions(
    uow: ReportingUnitOfWork, principal: Principal, *, org_unit_code: str = "",
    period_code: str = "", year: int = 0, limit: int = 50, offset: int = 0,
) -> tuple[list[Edition], int]:
    scope = authorize(principal, Resource.REPORT, Action.READ)
    async with uow:
        if org_unit_code:
            unit = await uow.read_model.unit(scope, code=org_unit_code)
            if unit is None:
                raise NotFound(f"Không tìm thấy đơn vị {org_unit_code}")
            codes: list[str] | None = [org_unit_code]
        elif scope.unit_code is None:
            codes = None  # the whole province
        else:
            home = await uow.read_model.unit(scope, code=scope.unit_code)
            codes = [scope.unit_code] if home is not None else []
        return await uow.editions.list(scope.province, unit_codes=codes, period_code=period_code,
                                       year=year, limit=limit, offset=offset)
