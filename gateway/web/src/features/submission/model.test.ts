import { describe, expect, it } from 'vitest';
import { boardCounts } from './Board';
import { availableActions, canEditRow, entryRows, figureOfCell, keyText, sameValue, waitsFor, type Submission } from './model';

const PKT = '10846.PKT';
const PVHXH = '10846.PVHXH';

function report(status: string, sections: Array<[string, string]> = [[PKT, 'open'], [PVHXH, 'open']]): Submission {
  return {
    id: 's1', org_unit_code: '10846', status, version: 3,
    sections: sections.map(([office_code, s]) => ({ office_code, status: s, delivered_at: null, return_comment: '' })),
    lines: [
      { indicator_code: 'HP2081.XIII.01', name: 'Tổng giá trị sản xuất', office_code: PKT, value_type: 'number', unit: '', minimum: '', maximum: '', required: true, part_of: '',
        dimensions: [{ code: 'price_basis', members: ['comparative', 'current'], additive: false }] },
      { indicator_code: 'HP2081.XIII.13', name: 'Số trường đạt chuẩn', office_code: PVHXH, value_type: 'integer', unit: 'trường', minimum: '', maximum: '', required: true, part_of: '',
        dimensions: [{ code: 'school_level', members: ['primary', 'lower_secondary'], additive: true }] },
      { indicator_code: 'HP2081.XIII.16', name: 'Tỷ lệ tham gia BHYT', office_code: PVHXH, value_type: 'percent', unit: '%', minimum: '', maximum: '', required: true, part_of: '', dimensions: [] },
    ],
    figures: [{ key: { indicator_code: 'HP2081.XIII.16', members: [], kind: 'actual' }, value: '91.5', text_value: '', note: 'đối chiếu', version: 2,
      office_code: PVHXH, updated_by: 'nhap_lieu_vhxh', updated_at: null, return_comment: 'Chưa khớp BHXH' }],
  } as unknown as Submission;
}

const names = { member: (_i: string, _d: string, m: string) => ({ comparative: 'Giá so sánh', current: 'Giá hiện hành' }[m] ?? m), office: (c: string) => c };
const officer = { roles: ['data_entry'], unit: PKT };
const consolidator = { roles: ['consolidator'], unit: '10846' };
const leader = { roles: ['unit_leader'], unit: '10846' };
const province = { roles: ['planning_officer'], unit: '31' };

describe('the rows of the form', () => {
  it('has one row per figure key: members of a dimension, the total too where members add up, with the stored figure', () => {
    const rows = entryRows(report('draft'), names);
    expect(rows.map((r) => [r.stt, r.keyText, r.members])).toEqual([
      ['1', 'HP2081.XIII.01[price_basis=comparative]/actual', 'Giá so sánh'],
      ['1', 'HP2081.XIII.01[price_basis=current]/actual', 'Giá hiện hành'],
      ['2', 'HP2081.XIII.13/actual', 'Tổng số'],
      ['2', 'HP2081.XIII.13[school_level=primary]/actual', 'primary'],
      ['2', 'HP2081.XIII.13[school_level=lower_secondary]/actual', 'lower_secondary'],
      ['3', 'HP2081.XIII.16/actual', ''],
    ]);
    expect(rows[5]).toMatchObject({ value: '91.5', note: 'đối chiếu', version: 2, return_comment: 'Chưa khớp BHXH', unit: '%' });
  });

  it("takes the form builder's keys and the target, last year and year to date beside them", () => {
    const s = { ...report('draft'), context: [
      { key: { indicator_code: 'HP2081.XIII.16', members: [], kind: 'actual' as const }, target_value: '95', target_low: '', target_high: '', target_text: '', previous_year_value: '90.2', year_to_date_value: '' },
    ] };
    const row = entryRows(s, names).find((r) => r.keyText === 'HP2081.XIII.16/actual');
    expect(row).toMatchObject({ target: '95', previous_year: '90.2', year_to_date: '' });
  });

  it('puts the full-year estimate beside the actual figure of the same indicator and members', () => {
    const key = (kind: 'actual' | 'estimate', m?: string) => ({ indicator_code: 'HP2081.XIII.01', members: m ? [{ dimension_code: 'price_basis', member_code: m }] : [], kind });
    const ctx = (k: ReturnType<typeof key>) => ({ key: k, target_value: '', target_low: '', target_high: '', target_text: '', previous_year_value: '', year_to_date_value: '' });
    const s = { ...report('draft'), lines: report('draft').lines.slice(0, 1),
      context: [ctx(key('actual')), ctx(key('actual', 'comparative')), ctx(key('estimate')), ctx(key('estimate', 'comparative'))],
      figures: [{ key: key('estimate', 'comparative'), value: '5000', text_value: '', note: '', version: 1, office_code: PKT, updated_by: 'nhap_lieu', updated_at: null, return_comment: '' }] };
    const rows = entryRows(s as Submission, names);
    expect(rows.map((r) => [r.keyText, r.estimateKeyText, r.estimate])).toEqual([
      ['HP2081.XIII.01/actual', 'HP2081.XIII.01/estimate', ''],
      ['HP2081.XIII.01[price_basis=comparative]/actual', 'HP2081.XIII.01[price_basis=comparative]/estimate', '5000'],
    ]);
    expect(figureOfCell(rows[1], 'estimate')?.keyText).toBe('HP2081.XIII.01[price_basis=comparative]/estimate');
    expect(figureOfCell(rows[1], 'note')?.keyText).toBe('HP2081.XIII.01[price_basis=comparative]/actual');
    expect(figureOfCell({ ...rows[1], estimateKey: null }, 'estimate')).toBeNull();
  });

  it('compares decimals as numbers', () => {
    expect(sameValue('92', '92.0')).toBe(true);
    expect(sameValue('7.50', '7.5')).toBe(true);
    expect(sameValue('7.5', '75')).toBe(false);
    expect(keyText({ indicator_code: 'X', members: [{ dimension_code: 'd', member_code: 'm' }], kind: 'actual' })).toBe('X[d=m]/actual');
  });
});

describe('who may do what', () => {
  it('an office edits only its own rows, while its section is open and the report a draft', () => {
    const s = report('draft', [[PKT, 'open'], [PVHXH, 'delivered']]);
    expect(canEditRow(s, { office_code: PKT }, officer)).toBe(true);
    expect(canEditRow(s, { office_code: PVHXH }, officer)).toBe(false);
    expect(canEditRow(s, { office_code: PVHXH }, { roles: ['data_entry'], unit: PVHXH })).toBe(false); // delivered
    expect(canEditRow(s, { office_code: PVHXH }, consolidator)).toBe(true);
    expect(canEditRow(report('consolidated'), { office_code: PKT }, consolidator)).toBe(false);
    expect(canEditRow(s, { office_code: PKT }, leader)).toBe(false);
  });

  it('offers the steps of the chain by role and status', () => {
    expect(availableActions(report('draft'), officer)).toEqual(['deliver']);
    expect(availableActions(report('draft', [[PKT, 'delivered']]), officer)).toEqual([]);
    expect(availableActions(report('draft', [[PKT, 'delivered'], [PVHXH, 'delivered']]), consolidator)).toEqual(['return_figure', 'consolidate']);
    expect(availableActions(report('consolidated'), leader)).toEqual(['approve']);
    expect(availableActions(report('approved'), leader)).toEqual(['send']);
    expect(availableActions(report('sent'), province)).toEqual(['accept', 'return']);
    expect(availableActions(report('accepted'), province)).toEqual(['reopen']);
    expect(availableActions(report('sent'), leader)).toEqual([]);
  });

  it('"Chờ duyệt" holds a draft for the consolidating office only once every office handed over', () => {
    expect(waitsFor(report('draft'), ['consolidator'])).toBe(false);
    expect(waitsFor(report('draft', [[PKT, 'delivered'], [PVHXH, 'delivered']]), ['consolidator'])).toBe(true);
    expect(waitsFor(report('consolidated'), ['unit_leader'])).toBe(true);
    expect(waitsFor(report('sent'), ['planning_officer'])).toBe(true);
    expect(waitsFor(report('sent'), ['unit_leader'])).toBe(false);
  });

  it('the board counts sent, late, still pending and missing units', () => {
    const u = (sent_at: string | null, state: string) => ({ org_unit_code: state, org_unit_name: '', submission_id: '', status: null, sent_at, timeliness: { state, days_late: 0, label: '' } });
    expect(boardCounts([u('2026-10-18', 'on_time'), u('2026-10-22', 'late'), u(null, 'missing'), u(null, 'pending')]))
      .toEqual({ sent: 2, late: 1, missing: 1, pending: 1 });
  });
});
