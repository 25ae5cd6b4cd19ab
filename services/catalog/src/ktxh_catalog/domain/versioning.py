"""Versioned catalog items ("danh mục động").

Every catalog item (indicator, indicator set, calendar, key task, ...) is a
``VersionedItem``: a stable ``id`` and ``code`` and a list of ``Version``s. Each version
carries the whole payload (an immutable dataclass such as ``Indicator``), the date it takes
effect (``effective_from``), the date the next version takes over (``effective_to``,
**exclusive**, ``None`` = open), a ``retired`` flag, a ``number`` (1, 2, ...), the author and
when it was recorded.

Rules:

* ``as_of(d)`` returns the version in force on ``d`` (possibly a retired one; check
  ``.retired``) or ``None`` before the item existed. ``active_as_of(d)`` returns the payload
  only when the item is in force and not retired.
* A revision effective in the future leaves the current version in force until then.
* A revision may not take effect before the latest version's ``effective_from``; one on the
  same day supersedes it (the superseded version stays in the history with an empty
  interval, so nothing is ever lost).
* Retiring adds a version with ``retired=True`` (and the last payload): nothing is deleted,
  figures reported against earlier versions keep their definition. A later revision
  reinstates the item.
* Every change records an event on the aggregate (``self.events``) and bumps ``version``
  (optimistic locking: pass ``expected_version`` to refuse a stale edit).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from ktxh_platform.domain import Aggregate, DomainEvent

from ktxh_catalog.domain.errors import InvalidArgument, PreconditionFailed, raise_if_any

__all__ = [
    "Change",
    "ItemCreated",
    "ItemRetired",
    "ItemRevised",
    "Version",
    "VersionedItem",
    "diff",
]

P = TypeVar("P")


def _now() -> datetime:
    return datetime.now(UTC)


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Version(Generic[P]):
    number: int
    payload: P
    effective_from: date
    effective_to: date | None  # exclusive; None = open
    retired: bool
    author: str
    recorded_at: datetime
    reason: str = ""

    def in_force(self, d: date) -> bool:
        return self.effective_from <= d and (self.effective_to is None or d < self.effective_to)

    @property
    def superseded(self) -> bool:
        """Replaced before it ever took effect (same-day revision)."""
        return self.effective_to is not None and self.effective_to <= self.effective_from


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class ItemEvent(DomainEvent):
    kind: str  # "indicator", "indicator_set", "calendar", ...
    item_id: str
    code: str
    version: int
    effective_from: date
    author: str
    occurred_at: datetime
    # the aggregate that recorded the event: its wire form shows the revision ``version``
    # (and, for a revision, the one before) as the item stands at commit
    item: VersionedItem[Any] | None = field(default=None, kw_only=True, compare=False,
                                            repr=False)


@dataclass(frozen=True)
class ItemCreated(ItemEvent):
    pass


@dataclass(frozen=True)
class ItemRevised(ItemEvent):
    changed_fields: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class ItemRetired(ItemEvent):
    reason: str = ""


# ---------------------------------------------------------------- history


@dataclass(frozen=True)
class Change:
    """One entry of an item's history: what the version changed, before and after."""

    number: int
    action: str  # "created", "revised", "retired", "reinstated"
    effective_from: date
    effective_to: date | None
    author: str
    recorded_at: datetime
    reason: str
    before: Any  # previous payload (None for the first version)
    after: Any
    fields: dict[str, tuple[Any, Any]]  # field -> (before, after)


def diff(before: Any, after: Any) -> dict[str, tuple[Any, Any]]:
    """Changed top-level fields of two payload dataclasses (field -> (before, after))."""
    if before is None:
        return {}
    if dataclasses.is_dataclass(before) and dataclasses.is_dataclass(after):
        out = {}
        for f in dataclasses.fields(before):
            a, b = getattr(before, f.name), getattr(after, f.name, None)
            if a != b:
                out[f.name] = (a, b)
        return out
    return {} if before == after else {"payload": (before, after)}


# ---------------------------------------------------------------- the aggregate


@dataclass
class VersionedItem(Aggregate, Generic[P]):
    kind: str
    code: str
    id: str
    versions: list[Version[P]] = field(default_factory=list)

    # ------------------------------------------------------------ creation

    @classmethod
    def create(
        cls,
        kind: str,
        payload: P,
        effective_from: date,
        author: str,
        *,
        code: str | None = None,
        id: str | None = None,
        reason: str = "",
        now: datetime | None = None,
    ) -> VersionedItem[P]:
        code = code if code is not None else getattr(payload, "code", None)
        if not code:
            raise InvalidArgument.single("code", "Mã không được để trống")
        if not author:
            raise InvalidArgument.single("author", "Phải ghi nhận người thực hiện")
        validate = getattr(payload, "validate", None)
        if callable(validate):
            raise_if_any(validate())
        now = now or _now()
        item: VersionedItem[P] = cls(kind=kind, code=code, id=id or str(uuid.uuid4()))
        item.versions.append(Version(1, payload, effective_from, None, False, author, now, reason))
        item.version = 1
        item.record(ItemCreated(kind, item.id, code, 1, effective_from, author, now, item=item))
        return item

    # ------------------------------------------------------------ reading

    @property
    def latest(self) -> Version[P]:
        return self.versions[-1]

    @property
    def first_effective(self) -> date:
        return self.versions[0].effective_from

    def as_of(self, d: date) -> Version[P] | None:
        """The version in force on ``d`` (may be retired), or ``None`` before the item
        existed."""
        for ver in reversed(self.versions):
            if ver.in_force(d):
                return ver
        return None

    def active_as_of(self, d: date) -> P | None:
        ver = self.as_of(d)
        return None if ver is None or ver.retired else ver.payload

    def is_retired(self, d: date) -> bool:
        ver = self.as_of(d)
        return ver is not None and ver.retired

    def get_version(self, number: int) -> Version[P]:
        if not 1 <= number <= len(self.versions):
            raise InvalidArgument.single("version", f"Phiên bản {number} không tồn tại")
        return self.versions[number - 1]

    def history(self) -> list[Change]:
        out: list[Change] = []
        prev: Version[P] | None = None
        for ver in self.versions:
            if prev is None:
                action = "created"
            elif ver.retired:
                action = "retired"
            elif prev.retired:
                action = "reinstated"
            else:
                action = "revised"
            before = prev.payload if prev else None
            out.append(Change(ver.number, action, ver.effective_from, ver.effective_to,
                              ver.author, ver.recorded_at, ver.reason, before, ver.payload,
                              diff(before, ver.payload)))
            prev = ver
        return out

    # ------------------------------------------------------------ changing

    def _check(self, effective_from: date, author: str, expected_version: int | None) -> None:
        if expected_version is not None and expected_version != self.version:
            raise PreconditionFailed(
                f"Danh mục '{self.code}' đã được người khác sửa (phiên bản hiện tại "
                f"{self.version}, bạn đang sửa phiên bản {expected_version}); hãy tải lại"
            )
        if not author:
            raise InvalidArgument.single("author", "Phải ghi nhận người thực hiện")
        if effective_from < self.latest.effective_from:
            raise InvalidArgument.single(
                "effective_from",
                f"Ngày hiệu lực {_fmt(effective_from)} không được trước ngày hiệu lực của "
                f"phiên bản mới nhất ({_fmt(self.latest.effective_from)})",
            )

    def _append(self, payload: P, effective_from: date, retired: bool, author: str,
                reason: str, now: datetime) -> Version[P]:
        last = self.latest
        self.versions[-1] = dataclasses.replace(last, effective_to=effective_from)
        ver = Version(last.number + 1, payload, effective_from, None, retired, author, now, reason)
        self.versions.append(ver)
        self.version = ver.number
        return ver

    def revise(
        self,
        payload: P,
        effective_from: date,
        author: str,
        *,
        reason: str = "",
        expected_version: int | None = None,
        now: datetime | None = None,
    ) -> Version[P]:
        """Add a version effective from ``effective_from`` (today or later for a normal edit;
        an earlier date is allowed only back to the latest version's start)."""
        self._check(effective_from, author, expected_version)
        code = getattr(payload, "code", self.code)
        if code != self.code:
            raise InvalidArgument.single(
                "code", f"Không được đổi mã '{self.code}' thành '{code}': mã là định danh ổn định"
            )
        last = self.latest
        if payload == last.payload and not last.retired:
            raise InvalidArgument.single("payload", "Không có thay đổi so với phiên bản trước")
        validate = getattr(payload, "validate", None)
        if callable(validate):
            raise_if_any(validate())
        now = now or _now()
        changed = tuple(diff(last.payload, payload))
        ver = self._append(payload, effective_from, False, author, reason, now)
        self.record(ItemRevised(self.kind, self.id, self.code, ver.number, effective_from,
                                author, now, changed, reason, item=self))
        return ver

    def retire(
        self,
        effective_from: date,
        author: str,
        *,
        reason: str = "",
        expected_version: int | None = None,
        now: datetime | None = None,
    ) -> Version[P]:
        """Stop using the item from ``effective_from``. Nothing is deleted."""
        self._check(effective_from, author, expected_version)
        if self.latest.retired:
            raise InvalidArgument.single("retired", f"Danh mục '{self.code}' đã ngừng sử dụng")
        now = now or _now()
        ver = self._append(self.latest.payload, effective_from, True, author, reason, now)
        self.record(ItemRetired(self.kind, self.id, self.code, ver.number, effective_from,
                                author, now, reason, item=self))
        return ver


@dataclass(frozen=True)
class ChangeEntry:
    """One change of any catalog aggregate (item or org unit) in the catalog's change feed:
    who, when, before and after (the changed fields, or the whole definition on create)."""

    aggregate_type: str
    aggregate_id: str
    version: int
    action: str
    actor: str
    occurred_at: datetime
    before: Any
    after: Any
    reason: str
