"""The catalogs other than org units and indicators: indicator sets (Bộ chỉ số), key tasks
(Nhiệm vụ trọng tâm), thematic plans (Kế hoạch chuyên đề), evaluation criteria sets (Tiêu
chí đánh giá), 5-year period targets (Chỉ tiêu giai đoạn 5 năm) and report templates (Khung
báo cáo). All are immutable values: the payloads of versioned items (``versioning``).

``validate()`` on each checks the item alone; ``CatalogSnapshot.validate()`` also checks the
references between items (a set member naming an unknown indicator, a frequency the
indicator does not allow, a calendar without a rule for that frequency...). Violations are
``FieldViolation``s with Vietnamese messages; paths inside a snapshot are
``<collection>[<code>].<field>``, e.g. ``indicator_sets[HP2081].items[3].frequencies``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ktxh_catalog.domain.calendars import Calendar
from ktxh_catalog.domain.errors import FieldViolation, Violations
from ktxh_catalog.domain.indicators import (
    Frequency,
    Indicator,
    canonical_frequencies,
    frequencies_label,
    validate_code,
    validate_indicators,
)

__all__ = [
    "UNIT_KINDS",
    "CatalogSnapshot",
    "CompletionLevel",
    "CompletionThreshold",
    "CriteriaSet",
    "Criterion",
    "EvaluationSubject",
    "IndicatorGroup",
    "IndicatorSet",
    "KeyTask",
    "LegalDocument",
    "PeriodTarget",
    "ReportColumn",
    "ReportMeasure",
    "ReportRow",
    "ReportSection",
    "ReportTemplate",
    "ScoringMethod",
    "SetMember",
    "ThematicPlan",
]

# Org-unit kinds (docs: DOMAIN.md glossary). Kept as strings so the catalog domain does not
# depend on the org-unit module; the lead's OrgUnitKind values must match these.
UNIT_KINDS: dict[str, str] = {
    "province": "Tỉnh, thành phố",
    "district": "Huyện, quận, thị xã",
    "commune": "Xã, phường, đặc khu",
    "agency": "Sở, ban, ngành",
    "office": "Phòng chuyên môn, văn phòng",
    "front": "Ủy ban MTTQ Việt Nam",
}
_OFFICE_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]{0,31}$")


def _check_unit_kinds(kinds: Iterable[str], field_name: str, v: Violations) -> None:
    for k in kinds:
        if k not in UNIT_KINDS:
            v.add(field_name, f"Loại đơn vị '{k}' không hợp lệ (hợp lệ: {', '.join(UNIT_KINDS)})")


def _check_unique(values: Iterable[str], field_name: str, what: str, v: Violations) -> None:
    seen: set[str] = set()
    for x in values:
        if x in seen:
            v.add(field_name, f"{what} '{x}' bị trùng")
        seen.add(x)


# ====================================================================== legal basis


@dataclass(frozen=True)
class LegalDocument:
    """The legal document behind a catalog item (Quyết định số 2081/QĐ-UBND ngày 03/6/2026
    của UBND thành phố Hải Phòng)."""

    number: str  # "2081/QĐ-UBND"
    issued_on: date
    issuer: str  # "UBND thành phố Hải Phòng"
    title: str = ""

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        if not self.number.strip():
            v.add("number", "Số văn bản không được để trống")
        if not self.issuer.strip():
            v.add("issuer", "Cơ quan ban hành không được để trống")
        if self.issued_on.year < 1945:
            v.add("issued_on", "Ngày ban hành không hợp lệ")
        return list(v)

    @property
    def citation(self) -> str:
        """``Quyết định số 2081/QĐ-UBND ngày 03/6/2026 của UBND thành phố Hải Phòng``."""
        kind = {"QĐ": "Quyết định", "KH": "Kế hoạch", "NQ": "Nghị quyết", "CT": "Chỉ thị",
                "NĐ": "Nghị định", "TT": "Thông tư"}
        prefix = next((name for k, name in kind.items() if f"/{k}-" in self.number), "Văn bản")
        d = self.issued_on
        return f"{prefix} số {self.number} ngày {d.day:02d}/{d.month}/{d.year} của {self.issuer}"


# ====================================================================== indicator sets


@dataclass(frozen=True)
class IndicatorGroup:
    code: str  # "XIII", "D"
    name: str
    ordinal: int = 0


@dataclass(frozen=True)
class SetMember:
    """One indicator in a set: how often, by whom and on which calendar it is reported.

    ``responsible_office`` is the *office code within the reporting unit* (``PKT``: Phòng
    Kinh tế of whichever commune reports), not one specific org unit."""

    indicator_code: str
    frequencies: tuple[Frequency, ...]
    responsible_office: str  # "PKT", "PVHXH", "TTHCC"
    responsible_kind: str = "office"
    calendar_code: str = ""  # empty: the set's default calendar
    group_code: str = ""  # "XIII" / "D"
    ordinal: int = 0  # STT
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequencies", canonical_frequencies(self.frequencies))


@dataclass(frozen=True)
class IndicatorSet:
    code: str
    name: str
    legal_document: LegalDocument | None
    applies_to_kinds: tuple[str, ...]  # unit kinds, e.g. ("commune",)
    items: tuple[SetMember, ...]
    groups: tuple[IndicatorGroup, ...] = ()
    calendar_code: str = ""  # default calendar of the members
    consolidating_office: str = ""  # "VP": Văn phòng HĐND và UBND
    description: str = ""

    def member(self, indicator_code: str) -> SetMember | None:
        return next((m for m in self.items if m.indicator_code == indicator_code), None)

    def calendar_for(self, member: SetMember) -> str:
        return member.calendar_code or self.calendar_code

    def ordered_items(self) -> list[SetMember]:
        return sorted(self.items, key=lambda m: m.ordinal)

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        v.extend(validate_code(self.code))
        if not self.name.strip():
            v.add("name", "Tên bộ chỉ số không được để trống")
        if self.legal_document is not None:
            v.extend_prefixed("legal_document", self.legal_document.validate())
        if not self.applies_to_kinds:
            v.add("applies_to_kinds", "Phải chọn ít nhất một loại đơn vị áp dụng")
        _check_unit_kinds(self.applies_to_kinds, "applies_to_kinds", v)
        if self.consolidating_office and not _OFFICE_CODE.match(self.consolidating_office):
            v.add("consolidating_office", "Mã đơn vị tổng hợp không hợp lệ")
        _check_unique([g.code for g in self.groups], "groups", "Mã nhóm", v)
        group_codes = {g.code for g in self.groups}
        if not self.items:
            v.add("items", "Bộ chỉ số phải có ít nhất một chỉ số")
        seen: dict[str, int] = {}
        orders: dict[int, int] = {}
        for i, m in enumerate(self.items):
            p = f"items[{i}]"
            if not m.indicator_code.strip():
                v.add(f"{p}.indicator_code", "Mã chỉ số không được để trống")
            elif m.indicator_code in seen:
                v.add(f"{p}.indicator_code",
                      f"Mã chỉ số '{m.indicator_code}' bị trùng trong bộ chỉ số "
                      f"(đã có ở dòng {seen[m.indicator_code] + 1})")
            else:
                seen[m.indicator_code] = i
            if not m.frequencies:
                v.add(f"{p}.frequencies", "Phải chọn ít nhất một tần suất")
            elif len(set(m.frequencies)) != len(m.frequencies):
                v.add(f"{p}.frequencies", "Tần suất bị lặp")
            if not m.responsible_office.strip():
                v.add(f"{p}.responsible_office", "Phải có đơn vị thực hiện")
            elif not _OFFICE_CODE.match(m.responsible_office):
                v.add(f"{p}.responsible_office",
                      f"Mã đơn vị thực hiện '{m.responsible_office}' không hợp lệ")
            _check_unit_kinds([m.responsible_kind], f"{p}.responsible_kind", v)
            if group_codes and m.group_code not in group_codes:
                v.add(f"{p}.group_code", f"Nhóm '{m.group_code}' không có trong bộ chỉ số")
            if m.ordinal <= 0:
                v.add(f"{p}.ordinal", "Số thứ tự phải lớn hơn 0")
            elif m.ordinal in orders:
                v.add(f"{p}.ordinal", f"Số thứ tự {m.ordinal} bị trùng")
            else:
                orders[m.ordinal] = i
            if not (m.calendar_code or self.calendar_code):
                v.add(f"{p}.calendar_code", "Chưa chọn lịch báo cáo (cho chỉ số hoặc cả bộ)")
        return list(v)

    def validate_against(
        self,
        indicators: Mapping[str, Indicator],
        calendars: Mapping[str, Calendar] | None = None,
    ) -> list[FieldViolation]:
        """References: members name known indicators, with frequencies they allow, on
        calendars that exist and have a rule for every frequency (calendars are not checked
        when ``calendars`` is ``None``)."""
        v = Violations()
        for i, m in enumerate(self.items):
            p = f"items[{i}]"
            ind = indicators.get(m.indicator_code)
            if ind is None:
                v.add(f"{p}.indicator_code",
                      f"Chỉ số '{m.indicator_code}' không tồn tại trong danh mục")
            else:
                bad = [f for f in m.frequencies if f not in ind.frequencies]
                if bad:
                    v.add(f"{p}.frequencies",
                          f"Tần suất {frequencies_label(bad)} không được phép cho chỉ số "
                          f"'{m.indicator_code}' (cho phép: {frequencies_label(ind.frequencies)})")
            cal_code = self.calendar_for(m)
            if cal_code and calendars is not None:
                cal = calendars.get(cal_code)
                if cal is None:
                    v.add(f"{p}.calendar_code", f"Lịch báo cáo '{cal_code}' không tồn tại")
                else:
                    missing = [f for f in m.frequencies if f not in cal.frequencies]
                    if missing:
                        v.add(f"{p}.calendar_code",
                              f"Lịch '{cal_code}' chưa có hạn báo cáo cho tần suất "
                              f"{frequencies_label(missing)}")
        return list(v)

    def required_indicators(self, indicators: Mapping[str, Indicator]) -> dict[str, SetMember]:
        """Every indicator a reporting unit must *enter* for this set: members that are
        not computed, and the parts (numerator_code, denominator_code, weight, formula inputs) of
        those that are, transitively. The value is the member that brings the indicator in
        (the first by order): its office is responsible for entering it."""
        out: dict[str, SetMember] = {}
        for m in self.ordered_items():
            stack = [m.indicator_code]
            visited: set[str] = set()
            while stack:
                code = stack.pop()
                if code in visited:
                    continue
                visited.add(code)
                ind = indicators.get(code)
                if ind is None:
                    continue
                if ind.is_derived:
                    stack.extend(sorted(ind.direct_dependencies(), reverse=True))
                else:
                    out.setdefault(code, m)
                    if ind.weight_indicator_code:
                        stack.append(ind.weight_indicator_code)
        return out


# ====================================================================== key tasks, plans


@dataclass(frozen=True)
class KeyTask:
    """Nhiệm vụ trọng tâm. Who does it is decided when it is assigned; ``lead_office`` and
    ``coordinating_offices`` are the catalog's default (office codes or unit codes)."""

    code: str
    title: str
    year: int
    deadline: date | None = None
    lead_office: str = ""
    coordinating_offices: tuple[str, ...] = ()
    field: str = ""
    indicator_codes: tuple[str, ...] = ()
    legal_document: LegalDocument | None = None
    description: str = ""

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        v.extend(validate_code(self.code))
        if not self.title.strip():
            v.add("title", "Tên nhiệm vụ không được để trống")
        if not 2000 <= self.year <= 2100:
            v.add("year", f"Năm {self.year} không hợp lệ")
        if self.deadline is not None and self.deadline.year < self.year:
            v.add("deadline", "Thời hạn hoàn thành không được trước năm của nhiệm vụ")
        if self.lead_office and self.lead_office in self.coordinating_offices:
            v.add("coordinating_offices", "Đơn vị chủ trì không được đồng thời là đơn vị phối hợp")
        _check_unique(self.coordinating_offices, "coordinating_offices", "Đơn vị phối hợp", v)
        _check_unique(self.indicator_codes, "indicator_codes", "Mã chỉ số", v)
        if self.legal_document is not None:
            v.extend_prefixed("legal_document", self.legal_document.validate())
        return list(v)


@dataclass(frozen=True)
class ThematicPlan:
    """Kế hoạch chuyên đề: a themed plan bundling key tasks and indicators."""

    code: str
    name: str
    start_date: date
    end_date: date
    legal_document: LegalDocument | None = None
    issuer: str = ""  # who issues the plan (UBND xã Hà Tây)
    key_task_codes: tuple[str, ...] = ()
    indicator_set_code: str = ""
    indicator_codes: tuple[str, ...] = ()
    field: str = ""
    description: str = ""

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        v.extend(validate_code(self.code))
        if not self.name.strip():
            v.add("name", "Tên kế hoạch không được để trống")
        if self.end_date < self.start_date:
            v.add("end_date", "Ngày kết thúc phải sau ngày bắt đầu")
        _check_unique(self.key_task_codes, "key_task_codes", "Mã nhiệm vụ", v)
        _check_unique(self.indicator_codes, "indicator_codes", "Mã chỉ số", v)
        if self.legal_document is not None:
            v.extend_prefixed("legal_document", self.legal_document.validate())
        return list(v)


# ====================================================================== evaluation criteria


class EvaluationSubject(StrEnum):
    AGENCY = "agency"  # cấp phòng ban / sở, ban, ngành
    COMMUNE = "commune"  # cấp xã

    @property
    def label(self) -> str:
        return {"agency": "Cơ quan, phòng ban", "commune": "Xã, phường, đặc khu"}[self.value]


class ScoringMethod(StrEnum):
    INDICATOR_ACHIEVEMENT = "indicator_achievement"
    TASK_COMPLETION = "task_completion"  # share of key tasks completed on time
    TIMELINESS = "timeliness"  # reports on time and complete
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return {
            "indicator_achievement": "Theo kết quả thực hiện chỉ tiêu",
            "task_completion": "Theo tỷ lệ nhiệm vụ hoàn thành đúng hạn",
            "timeliness": "Theo tính kịp thời, đầy đủ của báo cáo",
            "manual": "Chấm điểm trực tiếp",
        }[self.value]


class CompletionLevel(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"

    @property
    def label(self) -> str:
        return {
            "excellent": "Hoàn thành xuất sắc nhiệm vụ",
            "good": "Hoàn thành tốt nhiệm vụ",
            "completed": "Hoàn thành nhiệm vụ",
            "not_completed": "Không hoàn thành nhiệm vụ",
        }[self.value]

    @property
    def rank(self) -> int:
        return list(CompletionLevel).index(self)  # 0 = best


class PartialCredit(StrEnum):
    """What a missed target (or a late task or report) earns."""

    PROPORTIONAL = "proportional"  # the share achieved; late tasks and reports: half
    NONE = "none"  # nothing
    STEPPED = "stepped"  # the credit of the highest step reached (indicator achievement only)

    @property
    def label(self) -> str:
        return {
            "proportional": "Theo tỷ lệ đạt được",
            "none": "Không tính điểm khi không đạt",
            "stepped": "Theo bậc",
        }[self.value]


@dataclass(frozen=True)
class CreditStep:
    """Reaching ``min_achievement`` percent of the target earns ``credit`` percent."""

    min_achievement: Decimal
    credit: Decimal


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_score: Decimal
    scoring_method: ScoringMethod
    ordinal: int = 0
    indicator_set_code: str = ""  # indicator_achievement: score against this set...
    indicator_codes: tuple[str, ...] = ()  # ...or these indicators
    guidance: str = ""  # cách chấm
    mandatory: bool = False  # a zero score caps the level (never "xuất sắc")
    partial_credit: PartialCredit = PartialCredit.PROPORTIONAL
    credit_steps: tuple[CreditStep, ...] = ()  # stepped only


@dataclass(frozen=True)
class CompletionThreshold:
    """A unit reaching ``min_score`` (inclusive) gets ``level`` (if no better level applies)."""

    level: CompletionLevel
    min_score: Decimal


@dataclass(frozen=True)
class CriteriaSet:
    code: str
    name: str
    applies_to_kinds: tuple[EvaluationSubject, ...]  # exactly one: agency or commune
    criteria: tuple[Criterion, ...]
    thresholds: tuple[CompletionThreshold, ...]
    year: int | None = None
    legal_document: LegalDocument | None = None
    description: str = ""

    @property
    def total_max_score(self) -> Decimal:
        return sum((c.max_score for c in self.criteria), Decimal(0))

    def classify(self, score: Decimal) -> CompletionLevel:
        """The best level whose threshold ``score`` reaches."""
        for t in sorted(self.thresholds, key=lambda t: t.level.rank):
            if score >= t.min_score:
                return t.level
        return CompletionLevel.NOT_COMPLETED

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        v.extend(validate_code(self.code))
        if not self.name.strip():
            v.add("name", "Tên bộ tiêu chí không được để trống")
        if len(self.applies_to_kinds) != 1:
            v.add("applies_to_kinds", "Bộ tiêu chí áp dụng cho đúng một loại đơn vị: cơ quan "
                  "hoặc xã")
        if not self.criteria:
            v.add("criteria", "Bộ tiêu chí phải có ít nhất một tiêu chí")
        codes: set[str] = set()
        for i, c in enumerate(self.criteria):
            p = f"criteria[{i}]"
            v.extend_prefixed(p, validate_code(c.code))
            if c.code in codes:
                v.add(f"{p}.code", f"Mã tiêu chí '{c.code}' bị trùng")
            codes.add(c.code)
            if not c.name.strip():
                v.add(f"{p}.name", "Tên tiêu chí không được để trống")
            if c.max_score <= 0:
                v.add(f"{p}.max_score", "Điểm tối đa phải lớn hơn 0")
            if c.scoring_method is ScoringMethod.INDICATOR_ACHIEVEMENT:
                if not (c.indicator_set_code or c.indicator_codes):
                    v.add(f"{p}.indicator_codes",
                          "Tiêu chí chấm theo kết quả thực hiện chỉ tiêu phải chọn bộ chỉ số "
                          "hoặc danh sách chỉ số")
            elif c.indicator_set_code or c.indicator_codes:
                v.add(f"{p}.indicator_codes",
                      "Chỉ tiêu chí chấm theo kết quả thực hiện chỉ tiêu mới gắn chỉ số")
            self._validate_credit(v, p, c)
        self._validate_thresholds(v)
        return list(v)

    @staticmethod
    def _validate_credit(v: Violations, p: str, c: Criterion) -> None:
        if c.partial_credit is not PartialCredit.STEPPED:
            if c.credit_steps:
                v.add(f"{p}.credit_steps", "Chỉ cách tính điểm theo bậc mới khai báo các bậc")
            return
        if c.scoring_method is not ScoringMethod.INDICATOR_ACHIEVEMENT:
            v.add(f"{p}.partial_credit", "Tính điểm theo bậc chỉ áp dụng cho tiêu chí chấm theo "
                  "kết quả thực hiện chỉ tiêu")
        if not c.credit_steps:
            v.add(f"{p}.credit_steps", "Cách tính điểm theo bậc phải có ít nhất một bậc")
        seen: set[Decimal] = set()
        for j, step in enumerate(c.credit_steps):
            q = f"{p}.credit_steps[{j}]"
            if not 0 < step.min_achievement < 100:
                v.add(f"{q}.min_achievement", "Tỷ lệ đạt của bậc phải lớn hơn 0 và nhỏ hơn 100 (%)")
            elif step.min_achievement in seen:
                v.add(f"{q}.min_achievement", f"Bậc {step.min_achievement}% bị trùng")
            seen.add(step.min_achievement)
            if not 0 <= step.credit <= 100:
                v.add(f"{q}.credit", "Điểm của bậc phải từ 0 đến 100 (%)")

    def _validate_thresholds(self, v: Violations) -> None:
        by_level: dict[CompletionLevel, CompletionThreshold] = {}
        for i, t in enumerate(self.thresholds):
            if t.level in by_level:
                v.add(f"thresholds[{i}].level", f"Mức '{t.level.label}' bị lặp")
            by_level[t.level] = t
            if t.min_score < 0:
                v.add(f"thresholds[{i}].min_score", "Điểm ngưỡng không được âm")
        missing = [lv for lv in CompletionLevel if lv not in by_level]
        if missing:
            v.add("thresholds", "Thiếu ngưỡng cho mức: " + ", ".join(m.label for m in missing))
            return
        index = {t.level: i for i, t in enumerate(self.thresholds)}
        if by_level[CompletionLevel.NOT_COMPLETED].min_score != 0:
            v.add(f"thresholds[{index[CompletionLevel.NOT_COMPLETED]}].min_score",
                  "Ngưỡng 'Không hoàn thành nhiệm vụ' phải bắt đầu từ 0 điểm")
        levels = list(CompletionLevel)
        for better, worse in itertools.pairwise(levels):
            if by_level[better].min_score <= by_level[worse].min_score:
                v.add(f"thresholds[{index[better]}].min_score",
                      f"Ngưỡng '{better.label}' ({by_level[better].min_score}) phải cao hơn "
                      f"ngưỡng '{worse.label}' ({by_level[worse].min_score})")
        total = self.total_max_score
        best = by_level[CompletionLevel.EXCELLENT]
        if self.criteria and best.min_score > total:
            v.add(f"thresholds[{index[CompletionLevel.EXCELLENT]}].min_score",
                  f"Ngưỡng '{best.level.label}' ({best.min_score}) vượt tổng điểm tối đa "
                  f"({total})")


# ====================================================================== period targets


@dataclass(frozen=True)
class PeriodTarget:
    """Chỉ tiêu giai đoạn 5 năm: the target of one indicator for a plan period
    (2021–2025, 2026–2030), for one unit (``org_unit_code``) or for every unit the
    indicator set applies to (empty)."""

    code: str
    indicator_code: str
    start_year: int
    end_year: int
    target_value: Decimal | None = None  # "đạt ..." (respecting the indicator's polarity)
    target_low: Decimal | None = None  # within_range targets
    target_high: Decimal | None = None
    target_text: str = ""  # qualitative targets
    org_unit_code: str = ""
    legal_document: LegalDocument | None = None
    note: str = ""

    @property
    def period_code(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        v.extend(validate_code(self.code))
        if not self.indicator_code.strip():
            v.add("indicator_code", "Phải chọn chỉ số")
        if self.end_year != self.start_year + 4:
            v.add("end_year", "Giai đoạn phải gồm đúng 5 năm (ví dụ 2026–2030)")
        if self.start_year % 5 != 1:
            v.add("start_year", "Giai đoạn kế hoạch 5 năm bắt đầu từ năm 2021, 2026, 2031...")
        has_range = self.target_low is not None or self.target_high is not None
        if has_range and (self.target_low is None or self.target_high is None):
            v.add("target_high", "Chỉ tiêu dạng khoảng phải có cả cận dưới và cận trên")
        if (self.target_low is not None and self.target_high is not None
                and self.target_low > self.target_high):
            v.add("target_high", "Cận trên phải lớn hơn hoặc bằng cận dưới")
        if self.target_value is None and not has_range and not self.target_text.strip():
            v.add("target_value", "Phải nhập giá trị chỉ tiêu")
        if self.target_value is not None and has_range:
            v.add("target_value", "Chỉ nhập giá trị chỉ tiêu hoặc khoảng, không cả hai")
        if self.legal_document is not None:
            v.extend_prefixed("legal_document", self.legal_document.validate())
        return list(v)


# ====================================================================== report templates


class ReportMeasure(StrEnum):
    """What a column of a report template shows for each row."""

    ACTUAL = "actual"  # thực hiện kỳ báo cáo
    ESTIMATE = "estimate"  # ước thực hiện
    TARGET = "target"  # kế hoạch (chỉ tiêu được giao)
    SAME_PERIOD_LAST_YEAR = "same_period_last_year"  # cùng kỳ năm trước
    YEAR_TO_DATE = "year_to_date"  # lũy kế từ đầu năm
    PERCENT_OF_SAME_PERIOD = "percent_of_same_period"  # so với cùng kỳ (%)
    PERCENT_OF_TARGET = "percent_of_target"  # so với kế hoạch (%)
    PERIOD_TARGET = "period_target"  # chỉ tiêu giai đoạn 5 năm
    NOTE = "note"  # thuyết minh

    @property
    def label(self) -> str:
        return {
            "actual": "Thực hiện",
            "estimate": "Ước thực hiện",
            "target": "Kế hoạch",
            "same_period_last_year": "Cùng kỳ năm trước",
            "year_to_date": "Lũy kế từ đầu năm",
            "percent_of_same_period": "So với cùng kỳ (%)",
            "percent_of_target": "So với kế hoạch (%)",
            "period_target": "Chỉ tiêu giai đoạn",
            "note": "Thuyết minh",
        }[self.value]


@dataclass(frozen=True)
class ReportColumn:
    code: str
    title: str
    measure: ReportMeasure


@dataclass(frozen=True)
class ReportRow:
    ordinal: int
    indicator_code: str = ""  # empty: a heading or text row
    label: str = ""  # overrides the indicator name; required for heading rows
    selector: tuple[tuple[str, str], ...] = ()  # one disaggregation, e.g. price_basis=current
    indent: int = 0


@dataclass(frozen=True)
class ReportSection:
    code: str
    title: str
    ordinal: int
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True)
class ReportTemplate:
    """Khung báo cáo chuẩn: sections with rows of indicators and the columns to show."""

    code: str
    name: str
    period_kinds: tuple[Frequency, ...]  # exactly one
    sections: tuple[ReportSection, ...]
    column_specs: tuple[ReportColumn, ...]
    indicator_set_code: str = ""
    description: str = ""

    def indicator_codes(self) -> list[str]:
        return [r.indicator_code for s in self.sections for r in s.rows if r.indicator_code]

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        v.extend(validate_code(self.code))
        if not self.name.strip():
            v.add("name", "Tên khung báo cáo không được để trống")
        if len(self.period_kinds) != 1:
            v.add("period_kinds", "Khung báo cáo dùng cho đúng một loại kỳ báo cáo")
        if not self.sections:
            v.add("sections", "Khung báo cáo phải có ít nhất một phần")
        if not self.column_specs:
            v.add("column_specs", "Khung báo cáo phải có ít nhất một cột")
        _check_unique([c.code for c in self.column_specs], "column_specs", "Mã cột", v)
        _check_unique([s.code for s in self.sections], "sections", "Mã phần", v)
        for i, s in enumerate(self.sections):
            p = f"sections[{i}]"
            if not s.title.strip():
                v.add(f"{p}.title", "Tên phần không được để trống")
            if not s.rows:
                v.add(f"{p}.rows", "Phần phải có ít nhất một dòng")
            orders: set[int] = set()
            for j, r in enumerate(s.rows):
                rp = f"{p}.rows[{j}]"
                if not r.indicator_code and not r.label.strip():
                    v.add(f"{rp}.label", "Dòng tiêu đề phải có nội dung")
                if r.ordinal in orders:
                    v.add(f"{rp}.ordinal", f"Số thứ tự {r.ordinal} bị trùng trong phần")
                orders.add(r.ordinal)
                if not 0 <= r.indent <= 5:
                    v.add(f"{rp}.indent", "Mức thụt lề phải từ 0 đến 5")
                if r.selector and not r.indicator_code:
                    v.add(f"{rp}.selector", "Chỉ dòng chỉ số mới có phân tổ")
        return list(v)

    def validate_against(self, indicators: Mapping[str, Indicator]) -> list[FieldViolation]:
        v = Violations()
        for i, s in enumerate(self.sections):
            for j, r in enumerate(s.rows):
                if not r.indicator_code:
                    continue
                rp = f"sections[{i}].rows[{j}]"
                ind = indicators.get(r.indicator_code)
                if ind is None:
                    v.add(f"{rp}.indicator_code",
                          f"Chỉ số '{r.indicator_code}' không tồn tại trong danh mục")
                    continue
                for dim_code, member_code in r.selector:
                    dim = ind.dimension(dim_code)
                    if dim is None or dim.member(member_code) is None:
                        v.add(f"{rp}.selector",
                              f"Chỉ số '{r.indicator_code}' không có phân tổ "
                              f"{dim_code}={member_code}")
        return list(v)


# ====================================================================== the whole catalog


@dataclass
class CatalogSnapshot:
    """Every catalog item in force at one date, keyed by code. Used to validate references
    across catalogs (and by the seed and the JSON import/export)."""

    indicators: dict[str, Indicator] = field(default_factory=dict)
    indicator_sets: dict[str, IndicatorSet] = field(default_factory=dict)
    calendars: dict[str, Calendar] = field(default_factory=dict)
    key_tasks: dict[str, KeyTask] = field(default_factory=dict)
    thematic_plans: dict[str, ThematicPlan] = field(default_factory=dict)
    criteria_sets: dict[str, CriteriaSet] = field(default_factory=dict)
    period_targets: dict[str, PeriodTarget] = field(default_factory=dict)
    report_templates: dict[str, ReportTemplate] = field(default_factory=dict)

    COLLECTIONS = (
        "indicators",
        "indicator_sets",
        "calendars",
        "key_tasks",
        "thematic_plans",
        "criteria_sets",
        "period_targets",
        "report_templates",
    )

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        for code, item in self.indicators.items():
            if item.code != code:
                v.add(f"indicators[{code}].code", "Mã không khớp với khóa")
        v.extend(validate_indicators(self.indicators.values()))
        inds, cals = self.indicators, self.calendars

        def refs(path: str, codes: Iterable[str], pool: Mapping[str, object], what: str) -> None:
            for c in codes:
                if c and c not in pool:
                    v.add(path, f"{what} '{c}' không tồn tại trong danh mục")

        for name in self.COLLECTIONS[1:]:
            for code, item in getattr(self, name).items():
                p = f"{name}[{code}]"
                if item.code != code:
                    v.add(f"{p}.code", "Mã không khớp với khóa")
                v.extend_prefixed(p, item.validate())
        for code, s in self.indicator_sets.items():
            v.extend_prefixed(f"indicator_sets[{code}]", s.validate_against(inds, cals))
        for code, t in self.key_tasks.items():
            refs(f"key_tasks[{code}].indicator_codes", t.indicator_codes, inds, "Chỉ số")
        for code, tp in self.thematic_plans.items():
            p = f"thematic_plans[{code}]"
            refs(f"{p}.key_task_codes", tp.key_task_codes, self.key_tasks, "Nhiệm vụ")
            refs(f"{p}.indicator_codes", tp.indicator_codes, inds, "Chỉ số")
            refs(f"{p}.indicator_set_code", [tp.indicator_set_code], self.indicator_sets,
                 "Bộ chỉ số")
        for code, cs in self.criteria_sets.items():
            for i, c in enumerate(cs.criteria):
                p = f"criteria_sets[{code}].criteria[{i}]"
                refs(f"{p}.indicator_codes", c.indicator_codes, inds, "Chỉ số")
                refs(f"{p}.indicator_set_code", [c.indicator_set_code], self.indicator_sets,
                     "Bộ chỉ số")
        for code, pt in self.period_targets.items():
            refs(f"period_targets[{code}].indicator_code", [pt.indicator_code], inds, "Chỉ số")
        for code, rt in self.report_templates.items():
            p = f"report_templates[{code}]"
            v.extend_prefixed(p, rt.validate_against(inds))
            refs(f"{p}.indicator_set_code", [rt.indicator_set_code], self.indicator_sets,
                 "Bộ chỉ số")
        return list(v)


# kind (event aggregate name, ``VersionedItem.kind``) -> collection (CatalogSnapshot, JSON files)
KIND_COLLECTIONS: dict[str, str] = {
    "indicator": "indicators",
    "indicator_set": "indicator_sets",
    "key_task": "key_tasks",
    "thematic_plan": "thematic_plans",
    "criteria_set": "criteria_sets",
    "period_target": "period_targets",
    "report_template": "report_templates",
    "calendar": "calendars",
}
COLLECTION_KINDS = {v: k for k, v in KIND_COLLECTIONS.items()}
ITEM_KINDS = tuple(KIND_COLLECTIONS)
KIND_LABELS = {
    "indicator": "Chỉ số", "indicator_set": "Bộ chỉ số", "key_task": "Nhiệm vụ trọng tâm",
    "thematic_plan": "Kế hoạch chuyên đề", "criteria_set": "Bộ tiêu chí",
    "period_target": "Chỉ tiêu giai đoạn", "report_template": "Khung báo cáo",
    "calendar": "Lịch báo cáo",
}


def snapshot_of(payloads: Mapping[str, Mapping[str, object]]) -> CatalogSnapshot:
    """A CatalogSnapshot from ``{kind: {code: payload}}``."""
    snap = CatalogSnapshot()
    for kind, items in payloads.items():
        getattr(snap, KIND_COLLECTIONS[kind]).update(items)
    return snap


def copy_snapshot(snap: CatalogSnapshot) -> CatalogSnapshot:
    return CatalogSnapshot(**{name: dict(getattr(snap, name)) for name in CatalogSnapshot.COLLECTIONS})
