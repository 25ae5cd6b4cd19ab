import { describe, expect, it } from 'vitest';
import {
  fold, findFolded, formatDate, formatDateTime, formatNumber, highlightRanges, parseDate, parseNumber,
  parseNumberText, todayIso,
} from './vn';

const ok = (text: string) => {
  const r = parseNumberText(text);
  if (!r.ok) throw new Error(`refused ${text}: ${r.message}`);
  return r.value;
};
const refused = (text: string) => {
  const r = parseNumberText(text);
  if (r.ok) throw new Error(`accepted ${text} as ${r.value}`);
  return r.message;
};

describe('parseNumberText', () => {
  it('reads the Vietnamese convention', () => {
    expect(ok('1.234,5')).toBe('1234.5');
    expect(ok('1.234.567,89')).toBe('1234567.89');
    expect(ok('12,5')).toBe('12.5');
    expect(ok('0,125')).toBe('0.125');
    expect(ok('-3,75')).toBe('-3.75');
    expect(ok('1.234.567')).toBe('1234567');
  });
  it('reads the English convention', () => {
    expect(ok('1,234.5')).toBe('1234.5');
    expect(ok('1,234,567.89')).toBe('1234567.89');
    expect(ok('3.14159')).toBe('3.14159');
    expect(ok('1,234,567')).toBe('1234567');
    expect(ok('0.5')).toBe('0.5');
  });
  it('takes plain numbers, spaces as grouping, signs', () => {
    expect(ok('1234')).toBe('1234');
    expect(ok(' 1 234 567 ')).toBe('1234567');
    expect(ok('1\u00a0234,5')).toBe('1234.5');
    expect(ok('+7')).toBe('7');
    expect(ok('\u22122,5')).toBe('-2.5');
    expect(ok('007,50')).toBe('7.5');
    expect(ok('')).toBeNull();
    expect(ok('   ')).toBeNull();
  });
  it('refuses ambiguous input instead of guessing, in Vietnamese', () => {
    expect(refused('1.234')).toMatch(/không rõ nghĩa/);
    expect(refused('1.234')).toContain('1234');
    expect(refused('12,500')).toMatch(/không rõ nghĩa/);
    expect(refused('-999.000')).toMatch(/không rõ nghĩa/);
  });
  it('is not ambiguous when the digits rule out grouping', () => {
    expect(ok('0,123')).toBe('0.123'); // a group never starts with 0
    expect(ok('1234,567')).toBe('1234.567'); // four digits before the mark
    expect(ok('1,23')).toBe('1.23');
    expect(ok('1.2345')).toBe('1.2345');
  });
  it('refuses malformed numbers with a Vietnamese message', () => {
    expect(refused('abc')).toBe('“abc” không phải là số.');
    expect(refused('12,5x')).toMatch(/không phải là số/);
    expect(refused('1.234.56')).toMatch(/3 chữ số/);
    expect(refused('1,23,456.7')).toMatch(/3 chữ số/);
    expect(refused('1.234,5,6')).toMatch(/không phải là số/);
    expect(refused(',5')).toMatch(/không phải là số/);
    expect(refused('5.')).toMatch(/không phải là số/);
    expect(refused('--5')).toMatch(/không phải là số/);
  });
  it('parseNumber gives a JavaScript number', () => {
    expect(parseNumber('1.234,5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseNumber('x').ok).toBe(false);
  });
});

describe('formatting', () => {
  it('formats numbers the Vietnamese way', () => {
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(formatNumber('1234567')).toBe('1.234.567');
    expect(formatNumber(null)).toBe('');
  });
  it('formats dates and times in Việt Nam', () => {
    expect(formatDate('2026-06-03')).toBe('03/06/2026');
    expect(formatDate('')).toBe('');
    // 23:30 UTC is already the next day in Việt Nam (UTC+7)
    expect(formatDateTime('2026-06-03T23:30:00Z')).toMatch(/04\/06\/2026/);
    expect(todayIso(new Date('2026-06-03T18:00:00Z'))).toBe('2026-06-04');
  });
  it('parses dates typed as day/month/year', () => {
    expect(parseDate('31/12/2026')).toEqual({ ok: true, value: '2026-12-31' });
    expect(parseDate('1-7-2025')).toEqual({ ok: true, value: '2025-07-01' });
    expect(parseDate('2026-02-28')).toEqual({ ok: true, value: '2026-02-28' });
    expect(parseDate('30/02/2026')).toEqual({ ok: false, message: 'Ngày 30/02/2026 không có trong lịch.' });
    expect(parseDate('mai').ok).toBe(false);
  });
});

describe('diacritic-insensitive text', () => {
  it('folds Vietnamese', () => {
    expect(fold('Phường ĐÔNG Hải, Thủy Nguyên')).toBe('phuong dong hai, thuy nguyen');
  });
  it('finds the original range of a folded match', () => {
    expect(findFolded('Xã Hà Tây', 'ha tay')).toEqual([3, 9]);
    expect(highlightRanges('Phòng Kinh tế xã Hà Tây', 'kinh te ha tay')).toEqual([[6, 13], [17, 23]]);
  });
});

describe('formatNumberForInput', () => {
  it('round-trips through parseNumberText, never producing ambiguous text', async () => {
    const { formatNumberForInput } = await import('./vn');
    for (const v of ['123.456', '1234.5', '0.125', '42', '-999.5', '1234567.891', '1234', '-9800', '1000', '1234567']) {
      const text = formatNumberForInput(v);
      expect(parseNumberText(text)).toEqual({ ok: true, value: v });
    }
    expect(formatNumberForInput('123.456')).toBe('123,4560');
    // a whole number of four to six digits is written without grouping ("1.234" would be ambiguous)
    expect(formatNumberForInput(1234)).toBe('1234');
    expect(formatNumberForInput('1234567')).toBe('1.234.567');
  });
});
