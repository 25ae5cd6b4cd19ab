// Assignment decisions (quyết định giao) and assignments as the REST API sends them (proto field
// names, enums as short lower-case names), their Vietnamese labels, and the mapping between the
// units × indicators target grid and the list of indicator-target assignments it stands for.
import { fromText, type DecimalRange, type GridColumn } from '../../components/grid-columns';
import type { Schemas } from '../../lib/api';
import type { Labels } from '../../lib/labels';

export type DecisionStatus = 'draft' | 'issued' | 'revoked';
export type AssignmentKind = 'indicator_target' | 'key_task' | 'thematic_plan' | 'criteria_set';
export type AssignmentStatus = 'draft' | 'issued' | 'acknowledged' | 'cancelled' | 'superseded';

export interface DimensionChoice {
  dimension_code: string;
  member_code: string;
}

/** Which figure a target is for (the template issue's figure key). */
export interface FigureKey {
  indicator_code: string;
  members?: DimensionChoice[];
  kind?: string;
}

export interface IndicatorTarget {
  key: FigureKey;
  period?: { kind?: string; year?: number; end_year?: number } | null;
  target_value: string;
  target_value_max?: string;
  unit_of_measure?: string;
  comparison?: string;
  target_text?: string;
}

export interface Milestone {
  name: string;
  due_date: string;
}

export interface TaskAssignment {
  key_task_id: string;
  deadline?: string;
  expected_output?: string;
  coordinating_unit_ids?: string[];
  requirements?: string;
  milestones?: Milestone[];
}

export interface ThematicPlanAssignment {
  thematic_plan_id: string;
  responsibilities?: string;
  deadline?: string;
}

export interface CriteriaSetAssignment {
  criteria_set_id: string;
  note?: string;
}

export interface Acknowledgement {
  acknowledged_by?: string;
  acknowledged_at?: string | null;
  note?: string;
}

export interface Assignment {
  id?: string;
  decision_id?: string;
  kind: AssignmentKind;
  assignee_unit_id: string;
  role?: string;
  assigner_unit_id?: string;
  target?: IndicatorTarget | null;
  task?: TaskAssignment | null;
  plan?: ThematicPlanAssignment | null;
  criteria?: CriteriaSetAssignment | null;
  year?: number;
  plan_period?: string;
  front_unit_ids?: string[];
  status?: AssignmentStatus;
  acknowledgement?: Acknowledgement | null;
  version?: number;
  effective_from?: string;
  /** in history rows */
  decision_number?: string;
  issued_on?: string;
}

export interface Decision {
  id?: string;
  number: string;
  title: string;
  issued_on?: string | null;
  effective_from?: string | null;
  issuer_unit_id?: string;
  signer?: string;
  legal_basis?: string;
  year?: number;
  plan_period?: string;
  adjusts_decision_id?: string;
  document_id?: string;
  status?: DecisionStatus;
  assignments?: Assignment[];
  issued_at?: string | null;
  revoke_reason?: string;
  version?: number;
}

export interface CascadeRow {
  key: FigureKey;
  unit_of_measure?: string;
  aggregation: 'sum' | 'compared' | string;
  own_target: string;
  sub_total: string;
  sub_targets: Array<{ assignee_unit_id: string; target_value: string }>;
  shortfall: string;
  warning: string;
}

export const DECISION_STATUS: Labels = { draft: 'Dự thảo', issued: 'Đã ban hành', revoked: 'Đã thu hồi' };
/** The status tag classes (app/styles.css, AA contrast). */
export const DECISION_STATUS_CLASS: Labels = { draft: 'status-upcoming', issued: 'status-active', revoked: 'status-retired' };
export const ASSIGNMENT_STATUS: Labels = {
  draft: 'Dự thảo', issued: 'Chưa nhận', acknowledged: 'Đã nhận', cancelled: 'Đã hủy', superseded: 'Đã được điều chỉnh',
};
export const ASSIGNMENT_STATUS_CLASS: Labels = {
  draft: 'status-upcoming', issued: 'status-ending', acknowledged: 'status-active', cancelled: 'status-retired', superseded: 'status-superseded',
};
export const ASSIGNMENT_KINDS: Labels = {
  indicator_target: 'Chỉ tiêu', key_task: 'Nhiệm vụ trọng tâm', thematic_plan: 'Kế hoạch chuyên đề', criteria_set: 'Bộ tiêu chí đánh giá',
};
/** Signature statuses, for when the document service sent no `status_label` (no verification yet). */
export const SIGNATURE_STATUS: Labels = {
  unsigned: 'Chưa ký số',
  valid: 'Chữ ký hợp lệ',
  modified: 'Văn bản đã bị sửa sau khi ký',
  invalid: 'Chữ ký không hợp lệ',
  untrusted: 'Chứng thư không thuộc nơi cấp tin cậy',
  certificate_invalid: 'Chứng thư số không còn hiệu lực khi ký',
};

// ------------------------------------------------------------------ figure keys

/** One string per figure key: "HP2081.XIII.11" or "HP2081.XIII.11[gioi_tinh=nu]". */
export function figureKeyId(key: FigureKey): string {
  const members = [...(key.members ?? [])].sort((a, b) => a.dimension_code.localeCompare(b.dimension_code));
  return members.length ? `${key.indicator_code}[${members.map((m) => `${m.dimension_code}=${m.member_code}`).join(',')}]` : key.indicator_code;
}

export interface IndicatorInfo {
  name?: string;
  unit_of_measure?: string;
  dimensions?: unknown;
}

/** The Vietnamese names of a figure key's chosen members ("giá so sánh"), the code where the
 * catalog gives none. */
export function memberNames(indicator: IndicatorInfo | undefined, members: FigureKey['members'] = []): string {
  const dims = (Array.isArray(indicator?.dimensions) ? indicator.dimensions : []) as { code: string; members?: { code: string; name?: string }[] }[];
  return (members ?? [])
    .map((m) => dims.find((d) => d.code === m.dimension_code)?.members?.find((x) => x.code === m.member_code)?.name || m.member_code)
    .join(', ');
}

/** A column of the target grid: one figure key. */
export interface TargetColumn extends GridColumn {
  key: FigureKey;
  unit_of_measure: string;
}

export function targetColumns(keys: FigureKey[], info: (code: string) => IndicatorInfo | undefined): TargetColumn[] {
  return keys.map((key, i) => {
    const ind = info(key.indicator_code);
    const members = memberNames(ind, key.members);
    const uom = ind?.unit_of_measure ?? '';
    return {
      field: `c${i}`,
      title: `${ind?.name ?? key.indicator_code}${members ? ` – ${members}` : ''}${uom ? ` (${uom})` : ''}`,
      kind: 'range',
      width: 200,
      key,
      unit_of_measure: uom,
    };
  });
}

export interface UnitRow {
  id: string;
  name: string;
}

/** Grid rows (one per receiving unit) holding the targets the assignments give. */
export function matrixFromAssignments(units: UnitRow[], columns: TargetColumn[], assignments: Assignment[]): Array<Record<string, unknown>> {
  const byCell = new Map<string, IndicatorTarget>();
  for (const a of assignments) {
    if (a.kind === 'indicator_target' && a.target) byCell.set(`${a.assignee_unit_id}|${figureKeyId(a.target.key)}`, a.target);
  }
  return units.map((u) => {
    const row: Record<string, unknown> = { unit_id: u.id, unit_name: u.name };
    for (const c of columns) {
      const t = byCell.get(`${u.id}|${figureKeyId(c.key)}`);
      row[c.field] = t ? { value: t.target_value ?? '', max: t.target_value_max ?? '' } : { value: '', max: '' };
    }
    return row;
  });
}

/** Units (first-seen order) and figure keys (code order) of the indicator-target assignments. */
export function axesOfAssignments(assignments: Assignment[]): { unitIds: string[]; keys: FigureKey[] } {
  const unitIds: string[] = [];
  const keys: FigureKey[] = [];
  const seenKeys = new Set<string>();
  for (const a of assignments) {
    if (a.kind !== 'indicator_target' || !a.target) continue;
    if (!unitIds.includes(a.assignee_unit_id)) unitIds.push(a.assignee_unit_id);
    const id = figureKeyId(a.target.key);
    if (!seenKeys.has(id)) {
      seenKeys.add(id);
      keys.push({ indicator_code: a.target.key.indicator_code, members: a.target.key.members ?? [] });
    }
  }
  // columns in code order, whatever order the service listed the assignments in
  keys.sort((a, b) => figureKeyId(a).localeCompare(figureKeyId(b), 'vi', { numeric: true }));
  return { unitIds, keys };
}

export interface MatrixProblem {
  unitName: string;
  column: string;
  message: string;
}

export interface FrontChoice {
  /** the Front committee asked to oversee */
  frontUnitId: string;
  /** figure keys (figureKeyId) opened to the Front for every unit */
  keys: string[];
  /** units whose every target is opened to the Front */
  unitIds: string[];
}

/**
 * The indicator-target assignments a grid stands for: one per non-empty cell. Cells may hold
 * parsed values ({value, max}) or text as pasted; text that cannot be read is a problem naming
 * the unit and the indicator, and no assignment is returned for it.
 */
export function targetsFromMatrix(
  rows: Array<Record<string, unknown>>,
  columns: TargetColumn[],
  opts: { year?: number; front?: FrontChoice | null } = {},
): { assignments: Assignment[]; problems: MatrixProblem[] } {
  const assignments: Assignment[] = [];
  const problems: MatrixProblem[] = [];
  const front = opts.front?.frontUnitId ? opts.front : null;
  for (const row of rows) {
    const unitId = String(row.unit_id ?? '');
    for (const c of columns) {
      const cell = row[c.field];
      let range: DecimalRange;
      if (cell && typeof cell === 'object') range = cell as DecimalRange;
      else {
        const r = fromText(c, cell);
        if (!r.ok) {
          problems.push({ unitName: String(row.unit_name ?? unitId), column: c.title, message: r.message });
          continue;
        }
        range = r.value as DecimalRange;
      }
      if (!range.value) continue;
      const opened = front && (front.keys.includes(figureKeyId(c.key)) || front.unitIds.includes(unitId));
      assignments.push({
        kind: 'indicator_target',
        assignee_unit_id: unitId,
        role: 'lead',
        target: {
          key: { indicator_code: c.key.indicator_code, members: c.key.members ?? [], kind: 'target' },
          ...(opts.year ? { period: { kind: 'year', year: opts.year } } : {}),
          target_value: range.value,
          target_value_max: range.max,
          comparison: range.max ? 'range' : 'at_least',
        },
        front_unit_ids: opened ? [front.frontUnitId] : [],
      });
    }
  }
  return { assignments, problems };
}

/** The Front choice a saved decision implies (to show it again when the decision is opened). */
export function frontChoiceOf(assignments: Assignment[], columns: TargetColumn[], unitIds: string[]): FrontChoice {
  const targets = assignments.filter((a) => a.kind === 'indicator_target' && a.target);
  const frontUnitId = targets.flatMap((a) => a.front_unit_ids ?? [])[0] ?? '';
  if (!frontUnitId) return { frontUnitId: '', keys: [], unitIds: [] };
  const opened = (a: Assignment) => (a.front_unit_ids ?? []).includes(frontUnitId);
  const keys = columns.map((c) => figureKeyId(c.key)).filter((k) => {
    const cells = targets.filter((a) => figureKeyId(a.target!.key) === k);
    return cells.length > 0 && cells.every(opened);
  });
  const units = unitIds.filter((u) => {
    const cells = targets.filter((a) => a.assignee_unit_id === u && !keys.includes(figureKeyId(a.target!.key)));
    return cells.length > 0 && cells.every(opened);
  });
  return { frontUnitId, keys, unitIds: units };
}

// ------------------------------------------------------------------ milestones ("Quý I: 31/03/2026; Hoàn thành: 30/11/2026")

export function milestonesText(milestones: Milestone[] | undefined): string {
  return (milestones ?? []).map((m) => `${m.name}: ${m.due_date ? m.due_date.split('-').reverse().join('/') : ''}`).join('; ');
}

export function parseMilestones(text: string): { ok: true; value: Milestone[] } | { ok: false; message: string } {
  const out: Milestone[] = [];
  for (const part of String(text ?? '').split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*:\s*(\S+)$/.exec(part);
    if (!m) return { ok: false, message: `“${part}”: hãy ghi mốc theo dạng “tên mốc: ngày/tháng/năm”, các mốc cách nhau bằng dấu chấm phẩy.` };
    const d = fromText({ field: 'd', title: 'Ngày', kind: 'date' }, m[2]);
    if (!d.ok) return d;
    out.push({ name: m[1], due_date: String(d.value) });
  }
  return { ok: true, value: out };
}

/** A target as short text: "1.234,5" or "10 – 12", with its unit of measure. */
export function targetText(t: IndicatorTarget | null | undefined, format: (v: string) => string): string {
  if (!t) return '';
  if (t.target_text) return t.target_text;
  const v = t.target_value_max ? `${format(t.target_value)} – ${format(t.target_value_max)}` : format(t.target_value);
  return `${v}${t.unit_of_measure ? ` ${t.unit_of_measure}` : ''}`;
}

// ------------------------------------------------------------------ request bodies (generated REST types)

export type AssignmentInput = Schemas['AssignmentInput'];
export type DecisionInput = Schemas['DecisionInput'];

/** An assignment as the API accepts it: only input fields (the service fills the rest). */
export function assignmentInput(a: Assignment): AssignmentInput {
  const t = a.target;
  return {
    kind: a.kind,
    assignee_unit_id: a.assignee_unit_id,
    role: (a.role as AssignmentInput['role']) || 'lead',
    front_unit_ids: a.front_unit_ids ?? [],
    ...(t ? {
      target: {
        key: { indicator_code: t.key.indicator_code, members: t.key.members ?? [], kind: 'target' },
        // only the parts of the period that are set (an empty as_of is not a date)
        ...(t.period?.year ? {
          period: { kind: (t.period.kind as Schemas['PeriodKind']) || 'year', year: t.period.year, ...(t.period.end_year ? { end_year: t.period.end_year } : {}) } as Schemas['PeriodInput'],
        } : {}),
        target_value: t.target_value ?? '',
        target_value_max: t.target_value_max ?? '',
        comparison: (t.comparison as Schemas['TargetComparison']) || (t.target_value_max ? 'range' : 'at_least'),
        target_text: t.target_text ?? '',
      },
    } : {}),
    ...(a.task ? {
      task: {
        key_task_id: a.task.key_task_id, deadline: a.task.deadline ?? '', expected_output: a.task.expected_output ?? '',
        coordinating_unit_ids: a.task.coordinating_unit_ids ?? [], requirements: a.task.requirements ?? '',
        milestones: (a.task.milestones ?? []).map((m) => ({ name: m.name, due_date: m.due_date })),
      },
    } : {}),
    ...(a.plan ? { plan: { thematic_plan_id: a.plan.thematic_plan_id, responsibilities: a.plan.responsibilities ?? '', deadline: a.plan.deadline ?? '' } } : {}),
    ...(a.criteria ? { criteria: { criteria_set_id: a.criteria.criteria_set_id, note: a.criteria.note ?? '' } } : {}),
  };
}

const HEADER_KEYS = ['number', 'title', 'issued_on', 'effective_from', 'signer', 'legal_basis', 'year', 'plan_period', 'adjusts_decision_id', 'issuer_unit_id', 'document_id'] as const;

/** A decision header as the API accepts it; empty dates and ids are left out (the service's defaults apply). */
export function decisionHeaderInput(d: Partial<Decision>): Partial<DecisionInput> {
  const out: Record<string, unknown> = {};
  for (const k of HEADER_KEYS) {
    const v = d[k];
    if (v === null || v === undefined) continue;
    if (v === '' && ['issued_on', 'effective_from', 'adjusts_decision_id', 'issuer_unit_id', 'document_id'].includes(k)) continue;
    out[k] = v;
  }
  return out as Partial<DecisionInput>;
}
