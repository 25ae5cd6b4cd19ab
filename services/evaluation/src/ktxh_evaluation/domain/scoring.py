"""Suggested scores and classification (chấm điểm gợi ý, xếp loại). Pure functions, no framework.

A criteria set (the catalog's ``CriteriaSet`` as this service reads it) lists criteria, each
with a maximum score and a scoring method; each method turns its evidence into a suggested
score and keeps the evidence it used, so a reader can trace every point:

- ``indicator_achievement``: every scored indicator gets an achievement ratio in [0, 1] from
  its accepted actual and its target, respecting the comparison (higher is better, lower is
  better, a range, equality); the criterion scores ``max × mean(ratio)``. With partial credit
  ``proportional`` a missed target earns the share achieved (actual/target when higher is
  better, target/actual when lower is better, the distance to the nearest bound of a range);
  with ``none`` a missed target earns nothing. An indicator with a target but no actual earns 0
  ("chưa có số liệu"); one without a target (or absent from the read model), or with a
  neutral polarity, is shown but not scored. With ``stepped`` a missed target earns the credit
  of the highest step (percent of the target achieved → percent credit) the share reaches.
- ``task_completion``: every assigned key task due by the evaluation date counts 1 when
  completed by its deadline, ``late_credit`` when completed late, 0 when not completed; a task
  not yet due and not completed, or whose progress nobody reported, is shown but not counted.
- ``timeliness``: every expected report counts 1 when sent on time, ``late_credit`` when sent
  late, 0 when missing; a report sent but incomplete (required figures left empty) counts
  ``incomplete_credit`` times that; a report whose deadline has not passed is not counted.
  With partial credit ``none`` a late (or incomplete) task or report earns 0.
- ``manual``: no suggestion; the unit and the managing unit score it by hand.

Scores are rounded to two decimals (half up). Classification takes the best level whose
threshold the total reaches, then applies the set's rules: a criterion marked ``mandatory``
scoring 0 caps the level at ``mandatory_zero_cap`` (by default "hoàn thành tốt": never
"xuất sắc").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")


def round_score(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    """A decimal as a Vietnamese reader writes it (comma for decimals, no trailing zeros)."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _pct(ratio: Decimal) -> str:
    return _fmt(round_score(ratio * 100)) + "%"


class ScoringMethod(StrEnum):
    INDICATOR_ACHIEVEMENT = "indicator_achievement"
    TASK_COMPLETION = "task_completion"
    TIMELINESS = "timeliness"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return {
            "indicator_achievement": "Theo kết quả thực hiện chỉ tiêu",
            "task_completion": "Theo tỷ lệ nhiệm vụ hoàn thành đúng hạn",
            "timeliness": "Theo tính kịp thời, đầy đủ của báo cáo",
            "manual": "Chấm điểm trực tiếp",
        }[self.value]


class PartialCredit(StrEnum):
    PROPORTIONAL = "proportional"  # a missed target earns the share achieved
    NONE = "none"  # a missed target (a late task or report) earns nothing
    STEPPED = "stepped"  # a missed target earns the credit of the highest step reached


@dataclass(frozen=True)
class CreditStep:
    """Reaching ``min_achievement`` percent of the target earns ``credit`` percent."""

    min_achievement: Decimal
    credit: Decimal


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


class Comparison(StrEnum):
    """How an actual is compared with its target (from the target, else the indicator's polarity)."""

    AT_LEAST = "at_least"  # higher is better
    AT_MOST = "at_most"  # lower is better
    EQUAL = "equal"
    RANGE = "range"  # between target_low and target_high
    NEUTRAL = "neutral"  # not scored


@dataclass(frozen=True)
class CriterionRule:
    code: str
    name: str
    max_score: Decimal
    method: ScoringMethod
    indicator_codes: tuple[str, ...] = ()  # resolved (an indicator set's members included)
    mandatory: bool = False
    partial_credit: PartialCredit = PartialCredit.PROPORTIONAL
    late_credit: Decimal = Decimal("0.5")  # tasks done late / reports sent late
    incomplete_credit: Decimal = Decimal("0.5")  # reports sent but incomplete
    ordinal: int = 0
    credit_steps: tuple[CreditStep, ...] = ()  # stepped only

    @property
    def late_share(self) -> Decimal:
        """What a late task or report earns."""
        return ZERO if self.partial_credit is PartialCredit.NONE else self.late_credit

    @property
    def incomplete_share(self) -> Decimal:
        return ZERO if self.partial_credit is PartialCredit.NONE else self.incomplete_credit


@dataclass(frozen=True)
class Threshold:
    level: CompletionLevel
    min_score: Decimal


@dataclass(frozen=True)
class ScoringRules:
    """A criteria set as the evaluation service scores with it."""

    code: str
    name: str
    criteria: tuple[CriterionRule, ...]
    thresholds: tuple[Threshold, ...]
    mandatory_zero_cap: CompletionLevel = CompletionLevel.GOOD
    version: int = 0

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_score for c in self.criteria), ZERO)

    def criterion(self, code: str) -> CriterionRule | None:
        return next((c for c in self.criteria if c.code == code), None)


# ------------------------------------------------------------------------------ evidence


@dataclass(frozen=True)
class IndicatorResult:
    """One (unit, period) figure of an indicator beside its target, from the reporting read model."""

    indicator_code: str
    indicator_name: str = ""
    figure_key: str = ""  # the FigureKey's canonical text; empty = the indicator's total
    actual: Decimal | None = None
    target: Decimal | None = None
    target_low: Decimal | None = None
    target_high: Decimal | None = None
    comparison: Comparison = Comparison.AT_LEAST
    unit: str = ""


@dataclass(frozen=True)
class TaskResult:
    key_task_code: str
    name: str
    deadline: date | None
    completed_on: date | None = None
    progress_known: bool = True  # False: no progress reported yet (shown, not counted)


class ReportState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"


@dataclass(frozen=True)
class ReportResult:
    submission_id: str  # empty for a missing report
    period_code: str
    state: ReportState
    days_late: int = 0
    complete: bool = True


@dataclass(frozen=True)
class Evidence:
    """What one suggestion came from: a figure, a task or a report, and what it earned."""

    kind: str  # "figure" | "task" | "report"
    ref: str  # indicator code / key task code / submission id or period
    label: str  # Vietnamese, e.g. "Thu ngân sách: 95 / 100 tỷ đồng (đạt 95%)"
    credit: Decimal | None  # ratio in [0, 1]; None = shown, not counted
    figure_key: str = ""
    actual: str = ""
    target: str = ""


@dataclass(frozen=True)
class Suggestion:
    criterion_code: str
    score: Decimal
    max_score: Decimal
    basis: str  # Vietnamese summary, e.g. "2/3 chỉ tiêu đạt; điểm = 10 × 83,33%"
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)


# ------------------------------------------------------------------------------ methods


def indicator_ratio(r: IndicatorResult, partial: PartialCredit,
                    steps: tuple[CreditStep, ...] = ()) -> tuple[Decimal | None, str]:
    """Achievement ratio in [0, 1] (None = not scored) and its Vietnamese explanation."""
    if r.comparison is Comparison.NEUTRAL:
        return None, "chỉ tiêu không xét hướng tốt/xấu, không chấm"
    if r.comparison is Comparison.RANGE:
        if r.target_low is None and r.target_high is None:
            return None, "chưa có chỉ tiêu giao"
    elif r.target is None:
        return None, "chưa có chỉ tiêu giao"
    if r.actual is None:
        return ZERO, "chưa có số liệu"
    a = r.actual
    achieved, share = _achievement(r, a)
    if achieved:
        return ONE, "đạt"
    if partial is PartialCredit.NONE:
        return ZERO, "không đạt"
    share = max(ZERO, min(share, ONE))
    if partial is PartialCredit.STEPPED:
        reached = [st for st in steps if share * 100 >= st.min_achievement]
        if not reached:
            return ZERO, f"không đạt, đạt {_pct(share)}, dưới bậc thấp nhất"
        best = max(reached, key=lambda st: st.min_achievement)
        return best.credit / 100, (f"không đạt, đạt {_pct(share)}, bậc ≥ {_fmt(best.min_achievement)}%: "
                                   f"{_fmt(best.credit)}% điểm")
    return share, f"không đạt, đạt {_pct(share)}"


def _achievement(r: IndicatorResult, a: Decimal) -> tuple[bool, Decimal]:
    t = r.target
    match r.comparison:
        case Comparison.AT_LEAST:
            assert t is not None
            if a >= t:
                return True, ONE
            return False, (a / t) if t > 0 else ZERO
        case Comparison.AT_MOST:
            assert t is not None
            if a <= t:
                return True, ONE
            return False, (t / a) if a > 0 and t > 0 else ZERO
        case Comparison.EQUAL:
            assert t is not None
            if a == t:
                return True, ONE
            if t == 0 or a < 0:
                return False, ZERO
            return False, (a / t) if a < t else (t / a)
        case _:  # RANGE
            low, high = r.target_low, r.target_high
            if (low is None or a >= low) and (high is None or a <= high):
                return True, ONE
            if low is not None and a < low:
                return False, (a / low) if low > 0 and a > 0 else ZERO
            assert high is not None
            return False, (high / a) if a > 0 and high > 0 else ZERO


def _target_text(r: IndicatorResult) -> str:
    if r.comparison is Comparison.RANGE:
        low = _fmt(r.target_low) if r.target_low is not None else "…"
        high = _fmt(r.target_high) if r.target_high is not None else "…"
        return f"{low}–{high}"
    if r.target is None:
        return ""
    prefix = {Comparison.AT_MOST: "≤ ", Comparison.AT_LEAST: "≥ "}.get(r.comparison, "")
    return prefix + _fmt(r.target)


def score_indicators(c: CriterionRule, results: list[IndicatorResult]) -> Suggestion:
    wanted = set(c.indicator_codes)
    evidence: list[Evidence] = []
    counted: list[Decimal] = []
    met = 0
    for r in results:
        if wanted and r.indicator_code not in wanted:
            continue
        ratio, why = indicator_ratio(r, c.partial_credit, c.credit_steps)
        actual = _fmt(r.actual) if r.actual is not None else ""
        target = _target_text(r)
        name = r.indicator_name or r.indicator_code
        unit = f" {r.unit}" if r.unit else ""
        label = f"{name}: thực hiện {actual or '—'}{unit}, chỉ tiêu {target or '—'}{unit} ({why})"
        evidence.append(Evidence("figure", r.indicator_code, label, ratio, r.figure_key, actual,
                                 target))
        if ratio is not None:
            counted.append(ratio)
            met += ratio == ONE
    reported = {r.indicator_code for r in results}
    for code in sorted(wanted - reported):  # no target given, nothing reported: not scored
        evidence.append(Evidence("figure", code, f"{code}: chưa có chỉ tiêu giao, không chấm", None))
    if not counted:
        return Suggestion(c.code, round_score(ZERO), c.max_score, "Chưa có chỉ tiêu nào để chấm", tuple(evidence))
    mean = sum(counted, ZERO) / len(counted)
    score = round_score(c.max_score * mean)
    basis = (f"{met}/{len(counted)} chỉ tiêu đạt; điểm = {_fmt(c.max_score)} × {_pct(mean)} "
             f"= {_fmt(score)}")
    return Suggestion(c.code, score, c.max_score, basis, tuple(evidence))


def score_tasks(c: CriterionRule, tasks: list[TaskResult], as_of: date) -> Suggestion:
    evidence: list[Evidence] = []
    counted: list[Decimal] = []
    on_time = late = 0
    for t in tasks:
        due = t.deadline.strftime("%d/%m/%Y") if t.deadline else "không có hạn"
        if not t.progress_known:
            credit, why = None, f"chưa có báo cáo tiến độ (hạn {due}), không chấm"
        elif t.completed_on is not None:
            done = t.completed_on.strftime("%d/%m/%Y")
            if t.deadline is None or t.completed_on <= t.deadline:
                credit, why = ONE, f"hoàn thành đúng hạn ({done}, hạn {due})"
                on_time += 1
            else:
                credit = c.late_share
                days = (t.completed_on - t.deadline).days
                why = f"hoàn thành trễ {days} ngày ({done}, hạn {due})"
                late += 1
        elif t.deadline is not None and t.deadline < as_of:
            credit, why = ZERO, f"chưa hoàn thành, quá hạn {due}"
        else:
            credit, why = None, f"đang thực hiện, chưa đến hạn ({due})"
        evidence.append(Evidence("task", t.key_task_code, f"{t.name}: {why}", credit))
        if credit is not None:
            counted.append(credit)
    if not counted:
        return Suggestion(c.code, round_score(ZERO), c.max_score, "Chưa có nhiệm vụ đến hạn để chấm",
                          tuple(evidence))
    mean = sum(counted, ZERO) / len(counted)
    score = round_score(c.max_score * mean)
    basis = (f"{on_time}/{len(counted)} nhiệm vụ hoàn thành đúng hạn, {late} trễ hạn; "
             f"điểm = {_fmt(c.max_score)} × {_pct(mean)} = {_fmt(score)}")
    return Suggestion(c.code, score, c.max_score, basis, tuple(evidence))


def score_reports(c: CriterionRule, reports: list[ReportResult]) -> Suggestion:
    evidence: list[Evidence] = []
    counted: list[Decimal] = []
    on_time = 0
    for r in reports:
        match r.state:
            case ReportState.ON_TIME:
                credit, why = ONE, "gửi đúng hạn"
                on_time += 1
            case ReportState.LATE:
                credit, why = c.late_share, f"gửi trễ {r.days_late} ngày"
            case ReportState.MISSING:
                credit, why = ZERO, "không gửi"
            case _:
                credit, why = None, "chưa đến hạn"
        if credit is not None and credit > 0 and not r.complete:
            credit = credit * c.incomplete_share
            why += ", thiếu số liệu bắt buộc"
        evidence.append(Evidence("report", r.submission_id or r.period_code,
                                 f"Báo cáo kỳ {r.period_code}: {why}", credit))
        if credit is not None:
            counted.append(credit)
    if not counted:
        return Suggestion(c.code, round_score(ZERO), c.max_score, "Chưa có báo cáo đến hạn để chấm",
                          tuple(evidence))
    mean = sum(counted, ZERO) / len(counted)
    score = round_score(c.max_score * mean)
    basis = (f"{on_time}/{len(counted)} báo cáo gửi đúng hạn, đầy đủ; "
             f"điểm = {_fmt(c.max_score)} × {_pct(mean)} = {_fmt(score)}")
    return Suggestion(c.code, score, c.max_score, basis, tuple(evidence))


@dataclass(frozen=True)
class ReportedFigure:
    """The unit's own total of an indicator in a report of the evaluated period, with the
    target the report showed beside it (submission events)."""

    indicator_code: str
    actual: Decimal | None
    target: Decimal | None = None
    target_low: Decimal | None = None
    target_high: Decimal | None = None


def with_reported_figures(results: list[IndicatorResult], figures: dict[str, ReportedFigure],
                          accepted: bool) -> list[IndicatorResult]:
    """The figures after a report of the evaluated period was accepted (its actuals count) or
    reopened / returned (its actuals no longer count: "chưa có số liệu"). The comparison (the
    indicator's polarity) stays as last read from the reporting service; an indicator not read
    before is left for the next full recompute."""
    out = []
    for r in results:
        f = figures.get(r.indicator_code)
        if f is None:
            out.append(r)
            continue
        target, low, high = r.target, r.target_low, r.target_high
        if r.comparison is Comparison.RANGE and (f.target_low is not None or f.target_high is not None):
            low, high = f.target_low, f.target_high
        elif r.comparison is not Comparison.RANGE and f.target is not None:
            target = f.target
        out.append(replace(r, actual=f.actual if accepted else None, target=target,
                           target_low=low, target_high=high))
    return out


@dataclass(frozen=True)
class ReportedTask:
    """A key task's progress in an accepted report (submission events)."""

    key_task_id: str
    done: bool
    period_start: date  # first day of the report's period


def with_reported_tasks(tasks: list[TaskResult], progress: dict[str, ReportedTask]) -> list[TaskResult]:
    """The tasks after an accepted report gave their progress. A task reported done in a report
    whose period began by its deadline counts as done on time (completed on the deadline: the
    report does not say the day, the benefit of the doubt goes to the unit, as with the
    reporting summary); in a report of a later period, late (completed on that period's first
    day). A task reported not done now has known progress. A task already completed stays
    completed (an older report does not undo it)."""
    out = []
    for t in tasks:
        p = progress.get(t.key_task_code)
        if p is None or t.completed_on is not None:
            out.append(t)
        elif p.done:
            on_time = t.deadline is None or p.period_start <= t.deadline
            out.append(replace(t, completed_on=(t.deadline or p.period_start) if on_time else p.period_start,
                               progress_known=True))
        else:
            out.append(replace(t, progress_known=True))
    return out


@dataclass(frozen=True)
class EvidenceBundle:
    """Everything known about one unit for one round."""

    indicators: list[IndicatorResult] = field(default_factory=list)
    tasks: list[TaskResult] = field(default_factory=list)
    reports: list[ReportResult] = field(default_factory=list)


def suggest(rules: ScoringRules, bundle: EvidenceBundle, as_of: date) -> dict[str, Suggestion]:
    """Suggested score of every automatically scored criterion (manual ones are left out)."""
    out: dict[str, Suggestion] = {}
    for c in rules.criteria:
        match c.method:
            case ScoringMethod.INDICATOR_ACHIEVEMENT:
                out[c.code] = score_indicators(c, bundle.indicators)
            case ScoringMethod.TASK_COMPLETION:
                out[c.code] = score_tasks(c, bundle.tasks, as_of)
            case ScoringMethod.TIMELINESS:
                out[c.code] = score_reports(c, bundle.reports)
            case _:
                pass
    return out


# ------------------------------------------------------------------------------ classification


@dataclass(frozen=True)
class Classification:
    total: Decimal
    level: CompletionLevel | None  # None while some criterion is not scored
    reason: str  # Vietnamese: which threshold, which rule capped it


def classify(rules: ScoringRules, scores: dict[str, Decimal | None]) -> Classification:
    """Total and level of a set of scores; ``None`` level until every criterion is scored."""
    total = round_score(sum((s for s in scores.values() if s is not None), ZERO))
    missing = [c.code for c in rules.criteria if scores.get(c.code) is None]
    if missing:
        return Classification(total, None, "Chưa chấm tiêu chí: " + ", ".join(missing))
    level = CompletionLevel.NOT_COMPLETED
    reached = None
    for t in sorted(rules.thresholds, key=lambda t: t.level.rank):
        if total >= t.min_score:
            level, reached = t.level, t
            break
    reason = (f"Tổng {_fmt(total)} điểm ≥ ngưỡng {_fmt(reached.min_score)}: {level.label}"
              if reached else f"Tổng {_fmt(total)} điểm: {level.label}")
    zeroed = [c for c in rules.criteria if c.mandatory and scores.get(c.code) == ZERO]
    cap = rules.mandatory_zero_cap
    if zeroed and level.rank < cap.rank:
        level = cap
        reason += (f"; tiêu chí bắt buộc {', '.join(c.code for c in zeroed)} bị 0 điểm nên "
                   f"xếp tối đa: {cap.label}")
    return Classification(total, level, reason)


def rank(totals: list[tuple[str, Decimal]]) -> list[tuple[int, str, Decimal]]:
    """Competition ranking (1, 2, 2, 4) from the highest total down; ties keep input order."""
    ordered = sorted(totals, key=lambda t: -t[1])
    out: list[tuple[int, str, Decimal]] = []
    for i, (key, total) in enumerate(ordered):
        position = out[-1][0] if out and out[-1][2] == total else i + 1
        out.append((position, key, total))
    return out
