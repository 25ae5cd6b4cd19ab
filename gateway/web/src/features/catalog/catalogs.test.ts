import { describe, expect, it } from 'vitest';
import { FIELD_LABELS } from '../../lib/field-labels';
import { BY_ITEM_KIND, BY_KEY, changedFieldLabel, changedFieldValue, fieldsOf } from './catalogs';
import { flattenRows, parseSteps, unflattenRows } from './fields';

const field = (catalog: string, key: string) => fieldsOf(BY_KEY[catalog]).find((f) => f.key === key);

describe('catalog definitions', () => {
  it('take form labels from the one vocabulary (FIELD_LABELS, generated from OpenAPI x-label)', () => {
    expect(field('indicators', 'unit_of_measure')?.label).toBe('Đơn vị tính');
    expect(field('indicators', 'code')?.label).toBe(FIELD_LABELS.Indicator.code);
    expect(field('indicator-sets', 'code')?.label).toBe('Mã bộ chỉ số');
    // shared field specs get the label of the message they are used in
    expect(field('indicators', 'description')?.label).toBe('Mô tả chỉ số');
    expect(field('key-tasks', 'description')?.label).toBe('Mô tả');
  });

  it('label table columns by the message of the rows', () => {
    const items = field('indicator-sets', 'items');
    expect(items?.columns?.find((c) => c.key === 'ordinal')?.label).toBe(FIELD_LABELS.IndicatorSetItem.ordinal);
    const groups = field('indicator-sets', 'groups');
    expect(groups?.columns?.find((c) => c.key === 'ordinal')?.label).toBe('Thứ tự');
  });

  it('keep a list column header shorter than the field label where one is given', () => {
    const code = BY_KEY.indicators.columns.find((c) => c.key === 'code');
    expect(code?.label).toBe('Mã');
  });

  it('label every field and column', () => {
    for (const catalog of Object.values(BY_KEY)) {
      for (const f of fieldsOf(catalog)) {
        expect(f.label, `${catalog.key}.${f.key}`).toBeTruthy();
        for (const c of f.columns ?? []) expect(c.label, `${catalog.key}.${f.key}.${c.key}`).toBeTruthy();
      }
      for (const c of catalog.columns) expect(c.label).toBeTruthy();
      for (const c of catalog.filters) expect(c.label).toBeTruthy();
    }
  });
});

describe('revision history', () => {
  // definitions and changed fields carry the REST field names: no translation table
  it('labels a changed field by the catalog field of the same name', () => {
    expect(changedFieldLabel(BY_ITEM_KIND.indicator, 'spatial_aggregation')).toBe(FIELD_LABELS.Indicator.spatial_aggregation);
    expect(changedFieldLabel(BY_ITEM_KIND.indicator_set, 'items')).toBe(field('indicator-sets', 'items')?.label);
    expect(changedFieldLabel(BY_ITEM_KIND.calendar, 'rules')).toBe(field('calendars', 'rules')?.label);
  });

  it('shows enum values with the labels of the form', () => {
    const indicator = BY_ITEM_KIND.indicator;
    expect(changedFieldValue(indicator, 'spatial_aggregation', 'ratio')).toBe('Tỷ lệ của tổng (tử số / mẫu số)');
    expect(changedFieldValue(indicator, 'time_aggregation', 'stock')).toBe('Số cuối kỳ');
    expect(changedFieldValue(indicator, 'polarity', 'lower_is_better')).toBe('Thấp hơn là tốt');
    expect(changedFieldValue(indicator, 'frequencies', ['year', 'plan_period'])).toBe('Năm, 5 năm');
    expect(changedFieldValue(BY_ITEM_KIND.key_task, 'legal_document', { number: '2081/QĐ-UBND', issued_on: '2026-06-03' }))
      .toBe('2081/QĐ-UBND ngày 2026-06-03');
    expect(changedFieldValue(indicator, 'numerator_code', null)).toBe('—');
  });
});

describe('credit steps of a criterion', () => {
  it('are one cell of text in the grid and a list again when saved', () => {
    const criteria = field('criteria-sets', 'criteria')!;
    expect(criteria.columns?.find((c) => c.key === 'credit_steps')?.label).toBe('Các bậc');
    const rows = [{ code: 'C1', partial_credit: 'stepped', credit_steps: [{ min_achievement: '90', credit: '75' }, { min_achievement: '70', credit: '50' }] }];
    const flat = flattenRows(criteria, rows);
    expect(flat[0].credit_steps).toBe('90:75; 70:50');
    expect(unflattenRows(criteria, [{ ...flat[0], credit_steps: '90 : 75 ; 70,5:50' }])[0].credit_steps).toEqual([
      { min_achievement: '90', credit: '75' }, { min_achievement: '70.5', credit: '50' }]);
    expect(unflattenRows(criteria, [{ ...flat[0], credit_steps: '' }])[0].credit_steps).toEqual([]);
    // text that does not parse goes as typed: the server names the field
    expect(parseSteps('90=75')).toBe('90=75');
  });
});
