import { describe, expect, it } from 'vitest';
import {
  axesOfAssignments, figureKeyId, frontChoiceOf, memberNames, matrixFromAssignments, milestonesText, parseMilestones, targetColumns, targetsFromMatrix,
  type Assignment,
} from './model';

const info = (code: string) => ({
  'HP.01': { name: 'Tổng sản phẩm', unit_of_measure: 'tỷ đồng' },
  'HP.02': { name: 'Tỷ lệ hộ nghèo', unit_of_measure: '%' },
}[code]);
const units = [{ id: 'u-hatay', name: 'Xã Hà Tây' }, { id: 'u-tn', name: 'Phường Thuỷ Nguyên' }, { id: 'u-3', name: 'Xã Thứ Ba' }];
const columns = targetColumns([{ indicator_code: 'HP.01' }, { indicator_code: 'HP.02', members: [{ dimension_code: 'khu_vuc', member_code: 'nong_thon' }] }], info);

describe('target grid ↔ assignments', () => {
  it('titles columns with the indicator name, member and unit of measure, fields safe for the grid', () => {
    expect(columns.map((c) => [c.field, c.title])).toEqual([
      ['c0', 'Tổng sản phẩm (tỷ đồng)'],
      ['c1', 'Tỷ lệ hộ nghèo – nong_thon (%)'],
    ]);
    expect(figureKeyId(columns[1].key)).toBe('HP.02[khu_vuc=nong_thon]');
  });

  it('turns pasted Vietnamese text into one assignment per filled cell, ranges included', () => {
    const rows = [
      { unit_id: 'u-hatay', unit_name: 'Xã Hà Tây', c0: '1.234,5', c1: '2,5 – 3' },
      { unit_id: 'u-tn', unit_name: 'Phường Thuỷ Nguyên', c0: '980', c1: '' },
      { unit_id: 'u-3', unit_name: 'Xã Thứ Ba', c0: '', c1: '' },
    ];
    const { assignments, problems } = targetsFromMatrix(rows, columns, { year: 2026 });
    expect(problems).toEqual([]);
    expect(assignments).toHaveLength(3);
    expect(assignments[0]).toMatchObject({
      kind: 'indicator_target', assignee_unit_id: 'u-hatay', front_unit_ids: [],
      target: { key: { indicator_code: 'HP.01', members: [], kind: 'target' }, target_value: '1234.5', target_value_max: '', period: { kind: 'year', year: 2026 } },
    });
    expect(assignments[1].target).toMatchObject({ key: { indicator_code: 'HP.02', members: [{ dimension_code: 'khu_vuc', member_code: 'nong_thon' }] }, target_value: '2.5', target_value_max: '3', comparison: 'range' });
    expect(assignments[2]).toMatchObject({ assignee_unit_id: 'u-tn', target: { target_value: '980' } });
  });

  it('names the unit and indicator of every cell that cannot be read, and drops only those cells', () => {
    const rows = [{ unit_id: 'u-hatay', unit_name: 'Xã Hà Tây', c0: '1.234', c1: 'nhiều' }, { unit_id: 'u-tn', unit_name: 'Phường Thuỷ Nguyên', c0: '12', c1: '5 – 3' }];
    const { assignments, problems } = targetsFromMatrix(rows, columns);
    expect(assignments.map((a) => [a.assignee_unit_id, a.target?.target_value])).toEqual([['u-tn', '12']]);
    expect(problems).toEqual([
      { unitName: 'Xã Hà Tây', column: 'Tổng sản phẩm (tỷ đồng)', message: expect.stringContaining('“1.234” không rõ nghĩa') },
      { unitName: 'Xã Hà Tây', column: 'Tỷ lệ hộ nghèo – nong_thon (%)', message: '“nhiều” không phải là số.' },
      { unitName: 'Phường Thuỷ Nguyên', column: 'Tỷ lệ hộ nghèo – nong_thon (%)', message: '“5 – 3”: số đầu khoảng phải không lớn hơn số cuối.' },
    ]);
  });

  it('reads saved assignments back into the same grid (round trip) and finds its axes', () => {
    const { assignments } = targetsFromMatrix([
      { unit_id: 'u-tn', unit_name: 'x', c0: '', c1: '7' },
      { unit_id: 'u-hatay', unit_name: 'y', c0: '10 – 12', c1: '' },
    ], columns, { year: 2026 });
    const withTask: Assignment[] = [...assignments, { kind: 'key_task', assignee_unit_id: 'u-3', task: { key_task_id: 'NV.01' } }];
    const axes = axesOfAssignments(withTask);
    expect(axes.unitIds).toEqual(['u-tn', 'u-hatay']);
    expect(axes.keys.map(figureKeyId)).toEqual(['HP.01', 'HP.02[khu_vuc=nong_thon]']);
    const rows = matrixFromAssignments(units.slice(0, 2), columns, withTask);
    expect(rows).toEqual([
      { unit_id: 'u-hatay', unit_name: 'Xã Hà Tây', c0: { value: '10', max: '12' }, c1: { value: '', max: '' } },
      { unit_id: 'u-tn', unit_name: 'Phường Thuỷ Nguyên', c0: { value: '', max: '' }, c1: { value: '7', max: '' } },
    ]);
    expect(targetsFromMatrix(rows, columns, { year: 2026 }).assignments).toEqual(
      [...assignments].sort((a, b) => a.assignee_unit_id.localeCompare(b.assignee_unit_id)),
    );
  });

  it('opens a column or a row to the Front committee, and finds that choice again', () => {
    const rows = [
      { unit_id: 'u-hatay', unit_name: 'Xã Hà Tây', c0: '1', c1: '2' },
      { unit_id: 'u-tn', unit_name: 'Phường Thuỷ Nguyên', c0: '3', c1: '4' },
      { unit_id: 'u-3', unit_name: 'Xã Thứ Ba', c0: '5', c1: '' },
    ];
    const front = { frontUnitId: 'mttq', keys: ['HP.01'], unitIds: ['u-tn'] };
    const { assignments } = targetsFromMatrix(rows, columns, { front });
    expect(assignments.map((a) => `${a.assignee_unit_id}/${a.target!.key.indicator_code}:${(a.front_unit_ids ?? []).join()}`)).toEqual([
      'u-hatay/HP.01:mttq', 'u-hatay/HP.02:', 'u-tn/HP.01:mttq', 'u-tn/HP.02:mttq', 'u-3/HP.01:mttq',
    ]);
    expect(frontChoiceOf(assignments, columns, ['u-hatay', 'u-tn', 'u-3'])).toEqual(front);
    expect(targetsFromMatrix(rows, columns, { front: { frontUnitId: '', keys: ['HP.01'], unitIds: [] } }).assignments.every((a) => a.front_unit_ids!.length === 0)).toBe(true);
  });
});

describe('task milestones', () => {
  it('reads “name: date; …” and writes it back', () => {
    const r = parseMilestones('Quý I: 31/03/2026; Hoàn thành: 2026-11-30');
    expect(r).toEqual({ ok: true, value: [{ name: 'Quý I', due_date: '2026-03-31' }, { name: 'Hoàn thành', due_date: '2026-11-30' }] });
    expect(milestonesText(r.ok ? r.value : [])).toBe('Quý I: 31/03/2026; Hoàn thành: 30/11/2026');
    expect(parseMilestones('Quý I 31/03/2026')).toMatchObject({ ok: false, message: expect.stringContaining('tên mốc: ngày/tháng/năm') });
    expect(parseMilestones('Quý I: 31/02/2026')).toEqual({ ok: false, message: 'Ngày 31/02/2026 không có trong lịch.' });
    expect(parseMilestones('')).toEqual({ ok: true, value: [] });
  });
});

describe('memberNames', () => {
  it('names the chosen members from the catalog, the code where it has no name', () => {
    const indicator = { dimensions: [{ code: 'price_basis', members: [{ code: 'comparative', name: 'Giá so sánh' }] }] };
    expect(memberNames(indicator, [{ dimension_code: 'price_basis', member_code: 'comparative' }])).toBe('Giá so sánh');
    expect(memberNames(indicator, [{ dimension_code: 'khu_vuc', member_code: 'nong_thon' }])).toBe('nong_thon');
    expect(memberNames(undefined, [])).toBe('');
  });
});
