"""Bulk import of figures (issue 11, point 8): the `data-values` machine API and the XLSX form
read back, one path for both (`domain/bulk.py` decides each row). One unit of work per
request: every valid row of every report named is written in one transaction, refused rows
are reported with their row, field and reason; a dry run answers the same summary and writes
nothing. An `Idempotency-Key` answers a repeated request with the first one's summary.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass

from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import Conflict, FieldViolation, InvalidArgument, NotFound

from ktxh_submission.domain.bulk import (
    DataValue,
    ImportSummary,
    RefusedRow,
    import_into,
    unreadable,
)
from ktxh_submission.domain.periods import Period
from ktxh_submission.domain.submissions import Submission
from ktxh_submission.service_layer import policy
from ktxh_submission.service_layer.submissions import Settings, _writable_offices
from ktxh_submission.service_layer.unit_of_work import SubmissionUnitOfWork

MAX_ROWS = 200_000  # one request; the gateway's body limit keeps JSON/CSV below this
IMPORT_REASON = "Nhập hàng loạt"


@dataclass(frozen=True)
class ImportDataValues:
    rows: tuple[DataValue, ...]
    refused: tuple[RefusedRow, ...] = ()  # rows the wire format could not read (CSV)
    dry_run: bool = False
    idempotency_key: str = ""
    reason: str = ""
    operation: str = "data_values"  # the Idempotency-Key's namespace (data_values, xlsx)


def _hash(cmd: ImportDataValues) -> str:
    data = json.dumps([[asdict(r) for r in cmd.rows], [asdict(r) for r in cmd.refused],
                       cmd.reason.strip()], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def summary_to_json(s: ImportSummary) -> dict:
    return {"dry_run": s.dry_run, "imported": s.imported, "updated": s.updated,
            "ignored": s.ignored, "refused": [asdict(r) for r in s.refused]}


def summary_from_json(d: dict) -> ImportSummary:
    return ImportSummary(d["dry_run"], d["imported"], d["updated"], d["ignored"],
                         [RefusedRow(**r) for r in d["refused"]])


async def import_data_values(
    cmd: ImportDataValues, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> ImportSummary:
    """Figures of one or many reports named by unit and period in each row."""
    policy.write_scope(principal)
    _check(cmd)
    async with uow:
        return await _import(cmd, uow, principal, settings)


@dataclass(frozen=True)
class ImportSubmissionFile:
    submission_id: str
    content: bytes
    dry_run: bool = False
    idempotency_key: str = ""
    reason: str = ""


# Reads a file of one report into rows (an adapter: the XLSX form), refusing it as a whole
# with InvalidArgument when it is not a file of that report.
FileReader = Callable[[bytes, Submission], tuple[list[DataValue], list[RefusedRow]]]


async def import_submission_file(
    cmd: ImportSubmissionFile, uow: SubmissionUnitOfWork, principal: Principal,
    settings: Settings, read: FileReader,
) -> ImportSummary:
    """A filled-in file of one report, read back through the same path as data-values; the
    report is looked up in the caller's scope first (404 outside it, before the file is read)."""
    policy.write_scope(principal)
    async with uow:
        sub = await uow.submissions.get(cmd.submission_id, policy.read_scope(principal)) \
            if cmd.submission_id else None
        if sub is None:
            raise NotFound(f"Không tìm thấy báo cáo {cmd.submission_id}")
        rows, refused = read(cmd.content, sub)
        inner = ImportDataValues(tuple(rows), tuple(refused), cmd.dry_run, cmd.idempotency_key,
                                 cmd.reason, operation=f"file:{sub.id}")
        _check(inner)
        return await _import(inner, uow, principal, settings)


def _check(cmd: ImportDataValues) -> None:
    if len(cmd.rows) > MAX_ROWS:
        raise InvalidArgument.single(
            "data_values", f"Mỗi lần nhập tối đa {MAX_ROWS:,} dòng".replace(",", "."))
    if len(cmd.reason) > 2000:
        raise InvalidArgument.single("reason", "Lý do dài quá 2000 ký tự")


async def _import(
    cmd: ImportDataValues, uow: SubmissionUnitOfWork, principal: Principal, settings: Settings
) -> ImportSummary:
    """Inside the caller's unit of work: decide every row, write the valid ones, commit once."""
    write = policy.write_scope(principal)  # a data-entry officer's: their own office
    read = policy.read_scope(principal)
    summary = ImportSummary(dry_run=cmd.dry_run, refused=list(cmd.refused))
    key = cmd.idempotency_key.strip()
    request_hash = _hash(cmd) if key and not cmd.dry_run else ""
    if request_hash:
        prior = await uow.idempotency.result(key, principal.subject, operation=cmd.operation)
        if prior is not None:
            if prior[0] != request_hash:
                raise Conflict(
                    "Idempotency-Key đã được dùng cho một yêu cầu khác",
                    [FieldViolation("idempotency_key", "Khoá đã dùng với nội dung khác")],
                )
            return summary_from_json(prior[1])
    groups: dict[tuple[str, str], list[DataValue]] = defaultdict(list)
    periods: dict[str, str | InvalidArgument] = {}  # a payload names a few periods, many times
    for r in cmd.rows:
        bad = unreadable(r)
        if bad is not None:
            summary.refused.append(bad)
            continue
        unit = r.org_unit_code.strip()
        if not unit:
            summary.refuse(r.row, "org_unit_code", "Thiếu mã đơn vị")
            continue
        period = periods.get(r.period_code)
        if period is None:
            try:
                period = Period.parse(r.period_code.strip(), "period_code").code
            except InvalidArgument as err:
                period = err
            periods[r.period_code] = period
        if isinstance(period, InvalidArgument):
            summary.refuse(r.row, "period_code", period.violations[0].message[:300])
            continue
        groups[(unit, period)].append(r)
    units = sorted({u for u, _ in groups})
    reachable = await uow.units.codes_in_scope(read, units)
    reports = {
        (s.org_unit_code, s.period.code): s
        for s in await uow.bulk.lock_reports(
            [u for u in units if u in reachable], sorted({p for _, p in groups}), read)
    }
    at = settings.clock()
    reason = cmd.reason.strip() or IMPORT_REASON
    touched = []
    for (unit, period_code), rows in groups.items():
        if unit not in reachable:  # unknown or outside the scope: the same answer
            for r in rows:
                summary.refuse(r.row, "org_unit_code",
                               f"Không tìm thấy đơn vị {unit[:40]} trong phạm vi của bạn")
            continue
        sub = reports.get((unit, period_code))
        if sub is None:
            label = Period.parse(period_code).label
            for r in rows:
                summary.refuse(r.row, "period_code", f"Đơn vị {unit} chưa mở báo cáo {label}")
            continue
        loaded = sub.version
        offices = await _writable_offices(uow, sub, write, principal)
        if import_into(sub, rows, offices=offices, summary=summary,
                       actor=principal.username, at=at, reason=reason):
            touched.append((sub, loaded))
    summary.sort()
    if cmd.dry_run:
        return summary
    for sub, loaded in touched:
        await uow.bulk.write_import(sub, loaded)
    if request_hash:
        await uow.idempotency.remember(key, principal.subject, request_hash,
                                       summary_to_json(summary), operation=cmd.operation)
    if touched or request_hash:
        await uow.commit()
    return summary
