// The report (báo cáo kỳ) as the data-entry screen sees it: REST shapes, the rows of the form
// (one per figure key), who may edit which row, the workflow actions a user may take, and the
// Vietnamese labels of statuses and steps (declared once, here).
import type { Schemas } from '../../lib/api';
import type { Labels } from '../../lib/labels';

export type Submission = Schemas['Submission'];
export type FormLine = Schemas['FormLine'];
export type Figure = Schemas['Figure'];
export type FigureKey = Schemas['ReportFigureKey'];
export type Period = Schemas['PeriodSchedule'];
export type History = Schemas['SubmissionHistory'];
export type TaskProgress = Schemas['ReportTaskProgress'];
export type TaskStatus = TaskProgress['status'];
export type Attachment = Schemas['ReportAttachment'];

/** Beside a figure: target, same period last year, year to date (decimal strings, "" = none). */
export type FigureContext = Schemas['ReportFigureContext'];

/** The report (with `context`, `task_progress`, `attachments` when the form builder sent them). */
export type ReportWithContext = Submission;

export const SUBMISSION_STATUS: Labels = {
  draft: 'Đang nhập',
  consolidated: 'Đã tổng hợp',
  approved: 'Đã duyệt',
  sent: 'Đã gửi cấp trên',
  accepted: 'Đã tiếp nhận',
  returned: 'Bị trả lại',
};

export const SUBMISSION_STATUS_CLASS: Labels = {
  draft: 'status-upcoming', consolidated: 'status-ending', approved: 'status-ending', sent: 'status-ending',
  accepted: 'status-active', returned: 'status-danger',
};

/** Statuses of a key task's progress (REST `ReportTaskStatus`). */
export const TASK_STATUS: Labels = {
  not_started: 'Chưa thực hiện',
  in_progress: 'Đang thực hiện',
  done: 'Đã hoàn thành',
  overdue: 'Chậm tiến độ',
  stopped: 'Dừng thực hiện',
};

export const SECTION_STATUS: Labels = { open: 'Đang nhập', delivered: 'Đã chuyển Văn phòng', returned: 'Bị trả lại' };

export const TIMELINESS_CLASS: Labels = { on_time: 'status-active', late: 'status-danger', missing: 'status-danger', pending: 'status-upcoming' };

/** The steps of the history (REST `WorkflowStep.action`). */
export const STEP_ACTIONS: Labels = {
  opened: 'Mở báo cáo',
  section_delivered: 'Chuyển phần số liệu',
  figure_returned: 'Trả lại số liệu cho phòng',
  consolidated: 'Tổng hợp',
  approved: 'Duyệt',
  sent: 'Gửi cấp trên',
  accepted: 'Tiếp nhận',
  returned: 'Trả lại báo cáo',
  reopened: 'Mở lại báo cáo',
};

/** A report as a step or a save answers it, with what only the full read carries (`context`,
 *  `task_progress`, `attachments`) kept from the report read before. */
export function mergeReport(next: Submission, prev: Submission | null | undefined): Submission {
  if (!prev || prev.id !== next.id) return next;
  return {
    ...next,
    context: next.context?.length ? next.context : prev.context,
    task_progress: next.task_progress?.length ? next.task_progress : prev.task_progress,
    attachments: next.attachments?.length ? next.attachments : prev.attachments,
  };
}

/** "HP2081.XIII.01[price_basis=comparative]/actual": the service's FigureKey.text. */
export function keyText(key: FigureKey): string {
  const dims = (key.members ?? []).map((m) => `${m.dimension_code}=${m.member_code}`).join(',');
  return `${key.indicator_code}${dims ? `[${dims}]` : ''}/${key.kind ?? 'actual'}`;
}

/** Decimal strings compared as numbers ("92" = "92.0"), other text as is. */
export function sameValue(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = String(a ?? '').trim();
  const y = String(b ?? '').trim();
  if (x === y) return true;
  const num = /^-?\d+(\.\d+)?$/;
  if (num.test(x) && num.test(y)) {
    const norm = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s).replace(/^(-?)0+(?=\d)/, '$1');
    return norm(x) === norm(y);
  }
  return false;
}

/** The value of a stored figure as the form shows it (a number, or the text of a text indicator). */
export function figureValue(f: Pick<Figure, 'value' | 'text_value'> | undefined): string {
  if (!f) return '';
  return f.value || f.text_value || '';
}

/** The figure keys of a line: the context's when the form builder sent them, else the total
 *  (no dimension), or one per member of its first dimension (and the total when its members add up). */
export function lineKeys(line: FormLine, context: FigureContext[] | undefined): FigureKey[] {
  const fromContext = (context ?? []).filter((c) => c.key.indicator_code === line.indicator_code).map((c) => c.key);
  if (fromContext.length) return fromContext;
  const dims = line.dimensions ?? [];
  if (!dims.length) return [{ indicator_code: line.indicator_code, members: [], kind: 'actual' }];
  const d = dims[0];
  const members = d.members.map((m) => ({ indicator_code: line.indicator_code, members: [{ dimension_code: d.code, member_code: m }], kind: 'actual' as const }));
  return d.additive ? [{ indicator_code: line.indicator_code, members: [], kind: 'actual' }, ...members] : members;
}

export interface EntryRow {
  [field: string]: unknown;
  keyText: string;
  key: FigureKey;
  stt: string;
  indicator: string;
  members: string;
  unit: string;
  office: string;
  office_code: string;
  value_type: string;
  target: string;
  previous_year: string;
  year_to_date: string;
  value: string;
  note: string;
  version: number;
  updated_by: string;
  return_comment: string;
  /** the full-year estimate of the same indicator and members, where the form has one */
  estimateKeyText: string;
  estimateKey: FigureKey | null;
  estimate: string;
}

/** The figure a cell of the grid holds: Thực hiện and Thuyết minh the actual figure, Ước thực hiện the estimate. */
export function figureOfCell(row: Pick<EntryRow, 'keyText' | 'key' | 'estimateKeyText' | 'estimateKey'>, field: string): { keyText: string; key: FigureKey } | null {
  if (field === 'value' || field === 'note') return { keyText: row.keyText, key: row.key };
  if (field === 'estimate' && row.estimateKey) return { keyText: row.estimateKeyText, key: row.estimateKey };
  return null;
}

function contextText(c: FigureContext | undefined): { target: string; previous_year: string; year_to_date: string } {
  if (!c) return { target: '', previous_year: '', year_to_date: '' };
  const range = c.target_low && c.target_high ? `${c.target_low} – ${c.target_high}` : '';
  return { target: c.target_text || c.target_value || range, previous_year: c.previous_year_value ?? '', year_to_date: c.year_to_date_value ?? '' };
}

/** One row per figure key of the form, in the form's order, with the stored figure. */
export function entryRows(
  s: ReportWithContext,
  names: { member: (indicator: string, dimension: string, member: string) => string; office: (code: string) => string; unitOfMeasure?: (indicator: string) => string },
): EntryRow[] {
  const figures = new Map(s.figures.map((f) => [keyText(f.key), f]));
  const context = new Map((s.context ?? []).map((c) => [keyText(c.key), c]));
  const rows: EntryRow[] = [];
  s.lines.forEach((line, i) => {
    const keys = lineKeys(line, s.context);
    const base = (k: FigureKey) => keyText({ ...k, kind: 'actual' });
    const estimates = new Map(keys.filter((k) => k.kind === 'estimate').map((k) => [base(k), k]));
    const actuals = keys.filter((k) => k.kind !== 'estimate');
    // an estimate with no actual figure beside it keeps a row of its own
    const lone = [...estimates.values()].filter((e) => !actuals.some((a) => base(a) === base(e)));
    [...actuals, ...lone].forEach((key) => {
      const text = keyText(key);
      const f = figures.get(text);
      const estimateKey = key.kind === 'estimate' ? null : estimates.get(base(key)) ?? null;
      const estimateText = estimateKey ? keyText(estimateKey) : '';
      rows.push({
        keyText: text,
        key,
        stt: String(i + 1),
        indicator: line.name,
        members: (key.members ?? []).map((m) => names.member(line.indicator_code, m.dimension_code, m.member_code)).join(', ') || (line.dimensions?.length ? 'Tổng số' : ''),
        unit: line.unit || names.unitOfMeasure?.(line.indicator_code) || '',
        office: names.office(line.office_code),
        office_code: line.office_code,
        value_type: line.value_type ?? 'number',
        ...contextText(context.get(text)),
        value: figureValue(f),
        note: f?.note ?? '',
        version: f?.version ?? 0,
        updated_by: f?.updated_by ?? '',
        return_comment: f?.return_comment ?? '',
        estimateKeyText: estimateText,
        estimateKey,
        estimate: estimateKey ? figureValue(figures.get(estimateText)) : '',
      });
    });
  });
  return rows;
}

export type Role = string;

const has = (roles: Role[], ...wanted: Role[]) => roles.some((r) => wanted.includes(r));
export const UPPER_LEVEL_ROLES = ['province_admin', 'planning_officer', 'system_admin'];
const EDITABLE = new Set(['draft', 'returned']);

export interface Viewer {
  roles: Role[];
  /** the user's home unit code (an office "10846.PKT" for data entry, the commune for the others) */
  unit: string;
}

/** Whether the viewer may change this row's figure now (the service decides again). */
export function canEditRow(s: Submission, row: Pick<EntryRow, 'office_code'>, v: Viewer): boolean {
  if (!EDITABLE.has(s.status)) return false;
  if (has(v.roles, 'consolidator')) return true;
  if (!has(v.roles, 'data_entry') || v.unit !== row.office_code) return false;
  const section = s.sections.find((x) => x.office_code === row.office_code);
  return !section || section.status !== 'delivered';
}

/** Whether the viewer may report this key task's progress now: its lead office's data entry,
 *  or the consolidating office (every row), while the report is editable (the service decides again). */
export function canEditTask(s: Submission, task: Pick<TaskProgress, 'office_code'>, v: Viewer): boolean {
  if (!EDITABLE.has(s.status)) return false;
  if (has(v.roles, 'consolidator')) return true;
  return has(v.roles, 'data_entry') && Boolean(task.office_code) && v.unit === task.office_code;
}

/** Whether the viewer may write the whole report's explanatory note now: the consolidating
 *  office or the unit leader, while the report is editable (the service decides again). */
export function canEditNote(s: Submission, v: Viewer): boolean {
  return EDITABLE.has(s.status) && has(v.roles, 'consolidator', 'unit_leader');
}

/** Whether the viewer may attach and remove documents now (a writer of the unit, report editable). */
export function canEditAttachments(s: Submission, v: Viewer): boolean {
  return EDITABLE.has(s.status) && has(v.roles, 'data_entry', 'consolidator');
}

/** What a progress row holds that the unit reports (what a save sends and a conflict compares). */
export interface TaskValues {
  status: TaskStatus;
  percent_done: number;
  results: string;
  difficulties: string;
  proposals: string;
}

export function taskValues(t: TaskValues): TaskValues {
  return { status: t.status, percent_done: t.percent_done, results: t.results ?? '', difficulties: t.difficulties ?? '', proposals: t.proposals ?? '' };
}

export function sameTaskValues(a: TaskValues, b: TaskValues): boolean {
  const x = taskValues(a);
  const y = taskValues(b);
  return x.status === y.status && x.percent_done === y.percent_done && x.results.trim() === y.results.trim()
    && x.difficulties.trim() === y.difficulties.trim() && x.proposals.trim() === y.proposals.trim();
}

/** "Đang thực hiện, 30%": a row's state in a line (a conflict shows both). */
export function taskSummary(t: Pick<TaskValues, 'status' | 'percent_done'>): string {
  return `${TASK_STATUS[t.status] ?? t.status}, ${t.percent_done}%`;
}

export type ActionName = 'deliver' | 'return_figure' | 'consolidate' | 'approve' | 'send' | 'accept' | 'return' | 'reopen';

/** The workflow steps this viewer may take on the report in its present state. */
export function availableActions(s: Submission, v: Viewer): ActionName[] {
  const out: ActionName[] = [];
  const consolidator = has(v.roles, 'consolidator');
  const upper = has(v.roles, ...UPPER_LEVEL_ROLES);
  if (EDITABLE.has(s.status)) {
    const own = s.sections.find((x) => x.office_code === v.unit);
    if ((has(v.roles, 'data_entry') && own && own.status !== 'delivered') || (consolidator && s.sections.some((x) => x.status !== 'delivered'))) out.push('deliver');
  }
  if (s.status === 'draft' && consolidator) out.push('return_figure', 'consolidate');
  if (s.status === 'returned' && consolidator) out.push('return_figure', 'consolidate');
  if (s.status === 'consolidated' && has(v.roles, 'unit_leader')) out.push('approve');
  if (s.status === 'consolidated' && consolidator) out.push('return_figure');
  if (s.status === 'approved' && has(v.roles, 'unit_leader', 'consolidator')) out.push('send');
  if (s.status === 'sent' && upper) out.push('accept', 'return');
  if (s.status === 'accepted' && upper) out.push('reopen');
  return out;
}

/** Which statuses wait for this viewer ("Chờ duyệt"). */
export function queueStatuses(roles: Role[]): string[] {
  const out = new Set<string>();
  if (has(roles, 'consolidator')) ['draft', 'returned', 'approved'].forEach((x) => out.add(x));
  if (has(roles, 'unit_leader')) ['consolidated', 'approved'].forEach((x) => out.add(x));
  if (has(roles, ...UPPER_LEVEL_ROLES)) out.add('sent');
  return [...out];
}

/** Whether a report in the queue actually waits for this viewer (a draft waits for the
 *  consolidating office only once every office has handed over its section). */
export function waitsFor(s: Submission, roles: Role[]): boolean {
  if (has(roles, 'consolidator') && (s.status === 'returned' || (s.status === 'draft' && s.sections.every((x) => x.status === 'delivered')))) return true;
  if (has(roles, 'unit_leader') && (s.status === 'consolidated' || s.status === 'approved')) return true;
  if (has(roles, 'consolidator') && s.status === 'approved') return true;
  return has(roles, ...UPPER_LEVEL_ROLES) && s.status === 'sent';
}
