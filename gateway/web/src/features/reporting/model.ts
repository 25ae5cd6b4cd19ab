// Pure helpers of the dashboards: which rows are the unit's own, a figure key as text, the
// previous month, numbers for charts. No React here (tested on their own).
import type { RollupRow } from './api';

export function keyText(row: Pick<RollupRow, 'key'>): string {
  const dims = (row.key.members ?? []).map((m) => `${m.dimension_code}=${m.member_code}`).join(',');
  return `${row.key.indicator_code}${dims ? `[${dims}]` : ''}`;
}

export function membersParam(row: Pick<RollupRow, 'key'>): string {
  return (row.key.members ?? []).map((m) => `${m.dimension_code}=${m.member_code}`).join(',');
}

export function totals(rows: RollupRow[]): RollupRow[] {
  return rows.filter((r) => r.is_total);
}

/** The children's rows of one figure key, by unit name (comparison across communes). */
export function childrenOf(rows: RollupRow[], key: string): RollupRow[] {
  return rows.filter((r) => !r.is_total && keyText(r) === key)
    .sort((a, b) => a.org_unit_name.localeCompare(b.org_unit_name, 'vi'));
}

export function num(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** "2026-M10" for the month before `today` (the last month with reports due). */
export function lastMonth(today = new Date()): string {
  const y = today.getMonth() === 0 ? today.getFullYear() - 1 : today.getFullYear();
  const m = today.getMonth() === 0 ? 12 : today.getMonth();
  return `${y}-M${String(m).padStart(2, '0')}`;
}

export function periodYear(code: string): number {
  const m = /^@?(\d{4})/.exec(code);
  return m ? Number(m[1]) : new Date().getFullYear();
}

/** The rows with a value, highest first, at most `limit` (a chart stays readable). */
export function rankWithValues(rows: RollupRow[], limit: number): RollupRow[] {
  return rows.filter((r) => num(r.value) !== null)
    .sort((a, b) => (num(b.value) ?? 0) - (num(a.value) ?? 0))
    .slice(0, limit);
}
