import { describe, expect, it } from 'vitest';
import { fromText, toText, type GridColumn } from './grid-columns';

const dec: GridColumn = { field: 'v', title: 'Chỉ tiêu', kind: 'decimal' };
const int: GridColumn = { field: 'y', title: 'Năm', kind: 'int', min: 2000, max: 2100, required: true };
const freq: GridColumn = { field: 'f', title: 'Tần suất', kind: 'enums', options: { month: 'Tháng', year: 'Năm', half_year: '6 tháng' } };

describe('grid columns', () => {
  it('reads pasted Vietnamese and English decimals exactly', () => {
    expect(fromText(dec, '1.234,5')).toEqual({ ok: true, value: '1234.5' });
    expect(fromText(dec, '12,75')).toEqual({ ok: true, value: '12.75' });
    expect(fromText(dec, '')).toEqual({ ok: true, value: '' });
    expect(fromText(dec, 'abc')).toEqual({ ok: false, message: '“abc” không phải là số.' });
  });
  it('checks integers, bounds and required cells in Vietnamese', () => {
    expect(fromText(int, '2.030')).toMatchObject({ ok: false }); // ambiguous: refused
    expect(fromText(int, '2030')).toEqual({ ok: true, value: 2030 });
    expect(fromText(int, '2030,5')).toEqual({ ok: false, message: '“2030,5” phải là số nguyên.' });
    expect(fromText(int, '1999')).toEqual({ ok: false, message: '“1999” nhỏ hơn 2000.' });
    expect(fromText(int, ' ')).toEqual({ ok: false, message: 'Cột “Năm” không được để trống.' });
  });
  it('maps labels to values, without diacritics too', () => {
    expect(fromText(freq, '6 tháng / Nam')).toEqual({ ok: true, value: ['half_year', 'year'] });
    expect(fromText(freq, 'Quý')).toMatchObject({ ok: false, message: expect.stringContaining('không có trong danh sách') });
    expect(toText(freq, ['month', 'year'])).toBe('Tháng / Năm');
    expect(toText(dec, '1234.5')).toBe('1.234,5');
    expect(toText(int, 2026)).toBe('2026');
    expect(fromText(int, toText(int, 2026))).toEqual({ ok: true, value: 2026 });
  });
  it('reads a value or a range “from – to” for targets', () => {
    const range: GridColumn = { field: 'r', title: 'Chỉ tiêu', kind: 'range' };
    expect(fromText(range, '1.234,5')).toEqual({ ok: true, value: { value: '1234.5', max: '' } });
    expect(fromText(range, '10 – 12,5')).toEqual({ ok: true, value: { value: '10', max: '12.5' } });
    expect(fromText(range, '-3 - -1')).toEqual({ ok: true, value: { value: '-3', max: '-1' } });
    expect(fromText(range, '12 – 10')).toEqual({ ok: false, message: '“12 – 10”: số đầu khoảng phải không lớn hơn số cuối.' });
    expect(fromText(range, '10 – x')).toEqual({ ok: false, message: '“x” không phải là số.' });
    expect(fromText(range, '')).toEqual({ ok: true, value: { value: '', max: '' } });
    expect(toText(range, { value: '10', max: '12.5' })).toBe('10 – 12,5');
    expect(fromText(range, toText(range, { value: '1234', max: '' }))).toEqual({ ok: true, value: { value: '1234', max: '' } });
    expect(fromText(range, toText(range, { value: '123.456', max: '' }))).toEqual({ ok: true, value: { value: '123.456', max: '' } });
  });
});
