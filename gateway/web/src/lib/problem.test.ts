import { describe, expect, it } from 'vitest';
import { ApiError, fieldMessages, splitField } from './problem';

describe('problem details', () => {
  it('splits field paths of every shape', () => {
    expect(splitField('body.code')).toEqual({ field: 'code', at: '' });
    expect(splitField(['body', 'name'])).toEqual({ field: 'name', at: '' });
    expect(splitField('/parent_id')).toEqual({ field: 'parent_id', at: '' });
    expect(splitField('items[2].indicator_code')).toEqual({ field: 'items', at: '[2].indicator_code' });
  });
  it('puts field errors next to known fields and keeps the rest', () => {
    const err = new ApiError(422, {
      title: 'Dữ liệu không hợp lệ',
      errors: [
        { field: 'numerator_code', message: 'Cần chỉ số tử số.' },
        { field: 'items[1].indicator_code', message: 'Không có chỉ số này.' },
        { field: 'mystery', message: 'Lạ.' },
      ],
    });
    const { byField, other } = fieldMessages(err, ['numerator_code', 'items']);
    expect(byField.numerator_code).toEqual(['Cần chỉ số tử số.']);
    expect(byField.items).toEqual(['([1].indicator_code) Không có chỉ số này.']);
    expect(other).toEqual(['mystery: Lạ.']);
  });
  it('gives 412 one actionable message', () => {
    expect(new ApiError(412, { title: 'Precondition Failed' }).title).toMatch(/người khác sửa/);
  });
});
