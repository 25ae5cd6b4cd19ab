// The figures beside the targets opened to the Front (its first screen): which targets belong to
// the chosen period's year, which unit/indicator pairs to ask the reporting read model for, and
// which of its rows is a target's figure (the unit's own total row, same figure key, actual).
import type { Assignment, RollupRow } from './api';

/** "2032-M10" for October 2032 (the reporting service's period code). */
export function monthCode(year: number, month: number): string {
  return `${year}-M${String(month).padStart(2, '0')}`;
}

const membersText = (members: Array<{ dimension_code?: string; member_code?: string }> | null | undefined) =>
  (members ?? []).map((m) => `${m.dimension_code}=${m.member_code}`).sort().join(',');

/** The unit codes to ask, each with the indicators of its targets. */
export function figureQueries(assignments: Assignment[], unitCode: (unitId: string) => string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of assignments) {
    const indicator = a.target?.key?.indicator_code;
    const code = unitCode(a.assignee_unit_id ?? '');
    if (!indicator || !code) continue;
    out.set(code, [...new Set([...(out.get(code) ?? []), indicator])]);
  }
  return out;
}

/** The row of a target's figure among its unit's rows, or null when the period has none. */
export function figureOf(a: Assignment, rows: RollupRow[] | undefined): RollupRow | null {
  const key = a.target?.key;
  if (!key || !rows) return null;
  const want = membersText(key.members);
  return rows.find((r) => r.is_total && (r.key.kind ?? 'actual') === 'actual' && r.key.indicator_code === key.indicator_code
    && membersText(r.key.members) === want && (r.value !== '' || Boolean(r.text_value))) ?? null;
}
