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

/** The last day of a period code, ISO (`2026-M10` → `2026-10-31`, `@2026-10-31` as is,
 * `2026-Q3` → `2026-09-30`, `2026-H1` → `2026-06-30`, `2026-9M` → `2026-09-30`, a year → its
 * 31 December), never after `today`: the point in time of the key-task summary. */
export function periodEnd(code: string, today = new Date()): string {
  const iso = (y: number, m: number) => {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return `${y}-${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
  };
  let end = '';
  const at = /^@(\d{4}-\d{2}-\d{2})$/.exec(code);
  const month = /^(\d{4})-M(\d{2})$/.exec(code);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(code);
  const half = /^(\d{4})-H([12])$/.exec(code);
  const nine = /^(\d{4})-9M$/.exec(code);
  const year = /^(\d{4})/.exec(code);
  if (at) end = at[1];
  else if (month) end = iso(Number(month[1]), Number(month[2]));
  else if (quarter) end = iso(Number(quarter[1]), Number(quarter[2]) * 3);
  else if (half) end = iso(Number(half[1]), Number(half[2]) * 6);
  else if (nine) end = iso(Number(nine[1]), 9);
  else if (year) end = iso(Number(year[1]), 12);
  const now = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  return !end || end > now ? now : end;
}

export const TASK_STATUS: Record<string, [string, string]> = {
  not_started: ['Chưa triển khai', 'default'], in_progress: ['Đang thực hiện', 'blue'], done: ['Đã hoàn thành', 'green'],
  overdue: ['Chậm tiến độ', 'orange'], stopped: ['Tạm dừng', 'default'], not_reported: ['Chưa báo cáo', 'default'],
};
