"""Upward connectors: pushing accepted figures to a national (or city IOC) endpoint.

A `Connector` names the receiving system, its endpoint, the secret that holds its credentials
and how our codes map to theirs (indicator figure keys → their indicator codes with a scale
factor, our unit codes → theirs). When a unit's report is accepted, its mapped figures become
one `Transmission` (the delivery log's entry): the records to send, frozen at that moment,
each with an idempotency key per figure version, so a receiver that keeps the keys it has seen
counts every figure exactly once however often it is resent. A transmission that fails is
retried with exponential back-off (capped, with jitter) until it is acknowledged; a resend puts
it back in the queue with the same keys.

Pure: standard library only.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from ktxh_platform.domain import FieldViolation, InvalidArgument

__all__ = [
    "AcceptedFigure",
    "Backoff",
    "Connector",
    "ConnectorKind",
    "DeliveryError",
    "DeliveryStatus",
    "IndicatorMapping",
    "OutgoingRecord",
    "Transmission",
    "figure_idempotency_key",
    "map_figures",
    "parse_scale",
]


class DeliveryError(Exception):
    """The receiver did not acknowledge (unreachable, timeout, non-2xx)."""


class ConnectorKind(StrEnum):
    NATIONAL_REPORTING = "national_reporting"  # Hệ thống thông tin báo cáo Chính phủ
    IOC = "ioc"  # Trung tâm điều hành thông minh
    GENERIC = "generic"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SUCCEEDED = "succeeded"  # acknowledged by the receiver
    FAILED = "failed"  # gave up after the maximum number of attempts (a resend revives it)


@dataclass(frozen=True)
class IndicatorMapping:
    figure_key: str  # our FigureKey text, e.g. "HP.HONGHEO/actual"
    external_code: str  # their indicator code
    external_unit: str = ""  # their unit of measure
    scale_factor: Decimal = Decimal(1)  # applied before sending (tỷ đồng → triệu đồng: 1000)


@dataclass
class Connector:
    id: str
    code: str
    name: str
    kind: ConnectorKind
    endpoint: str
    credentials_secret: str = ""  # name of the secret (env var) holding the bearer token
    external_unit_code: str = ""  # the province's code in the receiving system
    mappings: tuple[IndicatorMapping, ...] = ()
    unit_mappings: Mapping[str, str] = field(default_factory=dict)  # our unit code → theirs
    enabled: bool = True
    version: int = 1

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Every invalid field at once (InvalidArgument with one violation per field)."""
        bad: list[FieldViolation] = []
        if not self.code.strip():
            bad.append(FieldViolation("code", "Mã kết nối không được để trống"))
        if not self.name.strip():
            bad.append(FieldViolation("name", "Tên kết nối không được để trống"))
        if not self.endpoint.startswith(("https://", "http://")):
            bad.append(FieldViolation("endpoint", "Địa chỉ nhận phải là một URL http(s)://"))
        seen: set[str] = set()
        for i, m in enumerate(self.mappings):
            if not m.figure_key.strip() or not m.external_code.strip():
                bad.append(FieldViolation(
                    f"mappings[{i}]", "Ánh xạ chỉ tiêu phải có khóa số liệu và mã bên nhận"))
            elif m.figure_key in seen:
                bad.append(FieldViolation(
                    f"mappings[{i}].figure_key",
                    f"Khóa số liệu {m.figure_key} được ánh xạ hai lần"))
            if m.scale_factor <= 0:
                bad.append(FieldViolation(f"mappings[{i}].scale_factor",
                                          "Hệ số quy đổi phải lớn hơn 0"))
            seen.add(m.figure_key)
        for ours, theirs in self.unit_mappings.items():
            if not ours.strip() or not theirs.strip():
                bad.append(FieldViolation(
                    "unit_mappings", "Ánh xạ đơn vị phải có mã đơn vị của ta và của bên nhận"))
                break
        if bad:
            raise InvalidArgument(bad)

    def external_unit(self, org_unit_code: str) -> str | None:
        """Their code for one of our units; unmapped units are not sent."""
        return self.unit_mappings.get(org_unit_code) or None

    def mapping(self, figure_key: str) -> IndicatorMapping | None:
        return next((m for m in self.mappings if m.figure_key == figure_key), None)


def parse_scale(text: str, field_name: str) -> Decimal:
    if not text.strip():
        return Decimal(1)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidArgument.single(field_name, "Hệ số quy đổi phải là một số") from None
    if not value.is_finite() or value <= 0:
        raise InvalidArgument.single(field_name, "Hệ số quy đổi phải lớn hơn 0")
    return value


@dataclass(frozen=True)
class AcceptedFigure:
    """One figure of an accepted report, as the submission event carries it."""

    figure_key: str
    value: Decimal
    version: int


@dataclass(frozen=True)
class OutgoingRecord:
    idempotency_key: str
    indicator_code: str  # theirs
    unit_code: str  # theirs
    period: str  # our canonical period code (2026-M10, 2026-Q3, 2026, ...)
    value: str  # decimal string after scaling
    unit_of_measure: str
    figure_key: str  # ours, for the delivery log
    figure_version: int

    def payload(self) -> dict[str, str]:
        return {
            "idempotency_key": self.idempotency_key,
            "indicator_code": self.indicator_code,
            "unit_code": self.unit_code,
            "period": self.period,
            "value": self.value,
            "unit_of_measure": self.unit_of_measure,
        }


def figure_idempotency_key(
    connector_code: str, org_unit_code: str, period_code: str, figure_key: str, version: int
) -> str:
    """The same figure version always gets the same key; a corrected figure (new version) a new
    one."""
    raw = "|".join((connector_code, org_unit_code, period_code, figure_key, str(version)))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def map_figures(
    connector: Connector, org_unit_code: str, period_code: str,
    figures: Iterable[AcceptedFigure],
) -> list[OutgoingRecord]:
    """The records a connector sends for one unit's accepted figures: only mapped units and
    mapped figure keys, values scaled, in their codes."""
    unit = connector.external_unit(org_unit_code)
    if unit is None:
        return []
    records = []
    for f in figures:
        m = connector.mapping(f.figure_key)
        if m is None:
            continue
        value = f.value * m.scale_factor
        text = format(value.normalize(), "f") if value != value.to_integral_value() else str(
            value.quantize(Decimal(1)))
        records.append(
            OutgoingRecord(
                idempotency_key=figure_idempotency_key(
                    connector.code, org_unit_code, period_code, f.figure_key, f.version
                ),
                indicator_code=m.external_code,
                unit_code=unit,
                period=period_code,
                value=text,
                unit_of_measure=m.external_unit,
                figure_key=f.figure_key,
                figure_version=f.version,
            )
        )
    return sorted(records, key=lambda r: (r.indicator_code, r.figure_key))


@dataclass(frozen=True)
class Backoff:
    """Delay before attempt n+1 after n failed attempts: base · 2^(n-1), capped, ± jitter."""

    base: timedelta = timedelta(seconds=2)
    cap: timedelta = timedelta(minutes=30)
    jitter: float = 0.2  # ± fraction
    max_attempts: int = 20

    def delay(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        raw = min(self.base * (2 ** max(attempts - 1, 0)), self.cap)
        spread = (rng or random).uniform(-self.jitter, self.jitter)
        return raw * (1 + spread)


@dataclass
class Transmission:
    """One sending of records to a connector's endpoint: an entry of the delivery log."""

    id: str
    connector_id: str
    org_unit_code: str
    period_code: str
    records: Sequence[OutgoingRecord]
    requested_by: str
    requested_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    error: str = ""
    external_reference: str = ""
    acknowledged_at: datetime | None = None
    source: str = ""  # what caused it (the accepted report's id, or "resend")

    @property
    def batch_key(self) -> str:
        """Idempotency-Key header of the request: the same records give the same key."""
        digest = hashlib.sha256("|".join(r.idempotency_key for r in self.records).encode())
        return digest.hexdigest()[:32]

    def succeeded(self, now: datetime, reference: str) -> None:
        self.attempts += 1
        self.status = DeliveryStatus.SUCCEEDED
        self.acknowledged_at = now
        self.external_reference = reference
        self.error = ""
        self.next_attempt_at = None

    def failed(self, now: datetime, error: str, backoff: Backoff,
               rng: random.Random | None = None) -> None:
        self.attempts += 1
        self.error = error[:500]
        if self.attempts >= backoff.max_attempts:
            self.status = DeliveryStatus.FAILED
            self.next_attempt_at = None
        else:
            self.status = DeliveryStatus.PENDING
            self.next_attempt_at = now + backoff.delay(self.attempts, rng)

    def resend(self, now: datetime) -> None:
        """Back into the queue at once, with the same idempotency keys."""
        self.status = DeliveryStatus.PENDING
        self.next_attempt_at = now
        self.error = ""
