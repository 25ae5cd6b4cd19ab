import { describe, expect, it } from 'vitest';
import { childrenOf, keyText, lastMonth, num, periodEnd, periodYear, rankWithValues, totals } from './model';
import type { RollupRow } from './api';

const row = (unit: string, total: boolean, code: string, value: string, members: Array<[string, string]> = []) => ({
  org_unit_code: unit, org_unit_name: unit === 'B' ? 'Xã Bình' : 'Xã An', is_total: total,
  key: { indicator_code: code, members: members.map(([d, m]) => ({ dimension_code: d, member_code: m })), kind: 'actual' },
  value,
}) as unknown as RollupRow;

describe('dashboard model', () => {
  it('names a figure key with its members', () => {
    expect(keyText(row('31', true, 'GTSX', '1', [['price_basis', 'comparative']]))).toBe('GTSX[price_basis=comparative]');
  });
  it('splits the unit\'s rows from its children\'s, children by Vietnamese name', () => {
    const rows = [row('31', true, 'THU', '40'), row('B', false, 'THU', '33'), row('A', false, 'THU', '7'), row('B', false, 'HN', '1')];
    expect(totals(rows).map((r) => r.value)).toEqual(['40']);
    expect(childrenOf(rows, 'THU').map((r) => r.org_unit_name)).toEqual(['Xã An', 'Xã Bình']);
  });
  it('ranks the units with a figure, highest first', () => {
    const rows = [row('A', false, 'THU', '7'), row('B', false, 'THU', ''), row('C', false, 'THU', '33')];
    expect(rankWithValues(rows, 5).map((r) => r.value)).toEqual(['33', '7']);
    expect(rankWithValues(rows, 1)).toHaveLength(1);
  });
  it('reads numbers and periods', () => {
    expect(num('')).toBeNull();
    expect(num('5.3333')).toBeCloseTo(5.3333);
    expect(lastMonth(new Date(2026, 10, 30))).toBe('2026-M10');
    expect(lastMonth(new Date(2027, 0, 5))).toBe('2026-M12');
    expect(periodYear('@2026-10-31')).toBe(2026);
  });
});

describe('periodEnd', () => {
  const today = new Date(2026, 10, 30);
  it('is the last day of the period, never after today', () => {
    expect(periodEnd('2026-M10', today)).toBe('2026-10-31');
    expect(periodEnd('2026-Q1', today)).toBe('2026-03-31');
    expect(periodEnd('2026-H1', today)).toBe('2026-06-30');
    expect(periodEnd('2025', today)).toBe('2025-12-31');
    expect(periodEnd('@2026-02-28', today)).toBe('2026-02-28');
    expect(periodEnd('2026', today)).toBe('2026-11-30');
  });
});
