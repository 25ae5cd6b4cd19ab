// Vietnamese text, dates and numbers: the one module every screen uses to show and read them.
//
// Numbers pasted from Excel arrive in either convention: "1.234,5" (Vietnamese: dot groups
// thousands, comma marks decimals) or "1,234.5" (English). The rule, in order:
//   1. spaces (also no-break and thin spaces) are digit grouping and are dropped;
//   2. with both "." and ",", the one that comes last is the decimal mark, the other groups
//      thousands (its groups must have three digits);
//   3. one kind of mark appearing several times groups thousands ("1.234.567", "1,234,567");
//   4. one mark once: a decimal mark ("12,5", "0,125", "3.14159")... unless it is followed by
//      exactly three digits after one to three digits not starting with 0 ("1.234", "12,500"):
//      that reads as a thousand in one convention and as a decimal in the other, so it is
//      refused with a message saying how to write it unambiguously. Nothing is ever guessed.

const MARKS = /\p{M}/gu;

/** Lower case, no diacritics, đ → d: "Phường Đông Hải" → "phuong dong hai". */
export function fold(text: unknown): string {
  return String(text ?? '')
    .normalize('NFD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(/đ/g, 'd');
}

/** Fold a search query and collapse white space. */
export function foldQuery(query: unknown): string {
  return fold(query).replace(/\s+/g, ' ').trim();
}

function foldWithMap(text: string): { folded: string; map: number[] } {
  let folded = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    for (let k = 0; k < f.length; k += 1) map.push(i);
    folded += f;
    i += ch.length;
  }
  return { folded, map };
}

/** Where `foldedQuery` occurs in `text` ignoring case and diacritics: [start, end) or null. */
export function findFolded(text: unknown, foldedQuery: string): [number, number] | null {
  if (!foldedQuery) return null;
  const source = String(text ?? '');
  const { folded, map } = foldWithMap(source);
  const at = folded.indexOf(foldedQuery);
  if (at < 0) return null;
  const start = map[at];
  const lastOriginal = map[at + foldedQuery.length - 1];
  let end = lastOriginal + String.fromCodePoint(source.codePointAt(lastOriginal) ?? 32).length;
  while (end < source.length && fold(source[end]) === '') end += 1;
  return [start, end];
}

/** The ranges to highlight: the whole phrase, else each word. */
export function highlightRanges(text: unknown, query: string): Array<[number, number]> {
  const q = foldQuery(query);
  if (!q) return [];
  const phrase = findFolded(text, q);
  const ranges = phrase ? [phrase] : q.split(' ').map((w) => findFolded(text, w)).filter((r): r is [number, number] => !!r);
  ranges.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  const source = String(text ?? '');
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] < last[1]) continue;
    // words next to each other are one mark: "Kinh tế", not "Kinh" + "tế"
    if (last && /^\s+$/.test(source.slice(last[1], r[0]))) last[1] = r[1];
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Whether every word of the folded query occurs in the folded text. */
export function matchesWords(text: string, foldedQuery: string): boolean {
  if (!foldedQuery) return true;
  const f = fold(text);
  return foldedQuery.split(' ').every((w) => f.includes(w));
}

// ------------------------------------------------------------------ dates

const TZ = 'Asia/Ho_Chi_Minh';
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const dateFormat = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: TZ });
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: TZ,
});

/** Today in Việt Nam as YYYY-MM-DD (the date the services use for "today"). */
export function todayIso(now: Date = new Date()): string {
  return isoDay.format(now);
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "2025-07-01" or an RFC 3339 time → "01/07/2025"; "" for missing values. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : dateFormat.format(d);
}

/** An RFC 3339 time as Việt Nam time, "dd/mm/yyyy hh:mm". */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : dateTimeFormat.format(d);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** "31/12/2026", "31-12-2026", "2026-12-31" → "2026-12-31"; a real calendar date only. */
export function parseDate(text: string): Parsed<string | null> {
  const t = text.trim();
  if (!t) return { ok: true, value: null };
  let y: number, m: number, d: number;
  let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (match) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return { ok: false, message: `“${t}” không phải ngày: hãy nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026.` };
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `Ngày ${t} không có trong lịch.` };
  }
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

// ------------------------------------------------------------------ numbers

export const numberFormat = new Intl.NumberFormat('vi-VN');

/** 1234.5 → "1.234,5" (at most `maxDecimals` decimals). */
export function formatNumber(value: number | string | null | undefined, maxDecimals = 6): string {
  if (value === null || value === undefined || value === '') return '';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: maxDecimals }).format(n);
}

const SPACES = /[\s\u00a0\u202f\u2009]/g;

function groupsValid(intPart: string, mark: string): boolean {
  const groups = intPart.split(mark);
  return /^\d{1,3}$/.test(groups[0]) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}

/**
 * Read a number typed or pasted by a person (see the rule at the top of this file).
 * Returns the number as a plain decimal string (exact, no float rounding): "1.234,5" → "1234.5".
 */
export function parseNumberText(text: string): Parsed<string | null> {
  const raw = String(text ?? '').trim();
  if (!raw) return { ok: true, value: null };
  let t = raw.replace(SPACES, '').replace(/^\u2212/, '-');
  let sign = '';
  if (/^[-+]/.test(t)) {
    sign = t[0] === '-' ? '-' : '';
    t = t.slice(1);
  }
  const bad: Parsed<string | null> = { ok: false, message: `“${raw}” không phải là số.` };
  if (!/^[\d.,]+$/.test(t) || !/\d/.test(t) || /^[.,]|[.,]$/.test(t)) return bad;
  const dots = (t.match(/\./g) ?? []).length;
  const commas = (t.match(/,/g) ?? []).length;
  let intPart = t;
  let frac = '';
  if (dots && commas) {
    const decimal = t.lastIndexOf('.') > t.lastIndexOf(',') ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    if ((decimal === '.' ? dots : commas) !== 1) return bad;
    [intPart, frac] = t.split(decimal);
    if (!groupsValid(intPart, group)) return { ok: false, message: `“${raw}”: nhóm hàng nghìn phải có đủ 3 chữ số.` };
    intPart = intPart.split(group).join('');
  } else if (dots + commas > 1) {
    const mark = dots ? '.' : ',';
    if (!groupsValid(t, mark)) return { ok: false, message: `“${raw}”: nhóm hàng nghìn phải có đủ 3 chữ số.` };
    intPart = t.split(mark).join('');
  } else if (dots + commas === 1) {
    const mark = dots ? '.' : ',';
    [intPart, frac] = t.split(mark);
    if (/^[1-9]\d{0,2}$/.test(intPart) && /^\d{3}$/.test(frac)) {
      const other = mark === '.' ? ',' : '.';
      return {
        ok: false,
        message: `“${raw}” không rõ nghĩa: có thể là ${intPart}${frac} hay ${intPart}${other}${frac}. `
          + `Hãy ghi không có dấu phân cách hàng nghìn (${intPart}${frac}) hoặc dùng dấu phẩy thập phân kèm thêm số 0 (${intPart},${frac}0).`,
      };
    }
  }
  intPart = intPart.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const value = `${sign}${intPart}${frac ? `.${frac}` : ''}`;
  return { ok: true, value: value === '-0' ? '0' : value };
}

/** Like parseNumberText, as a JavaScript number. */
export function parseNumber(text: string): Parsed<number | null> {
  const r = parseNumberText(text);
  return r.ok ? { ok: true, value: r.value === null ? null : Number(r.value) } : r;
}

/**
 * A number as text that parseNumberText reads back to the same value: Vietnamese format, and a
 * trailing 0 where the text would otherwise be ambiguous ("123,456" → "123,4560"), no grouping
 * dot in a whole number below a million (1234 → "1234", not the ambiguous "1.234").
 */
export function formatNumberForInput(value: number | string | null | undefined): string {
  const text = formatNumber(value, 20);
  if (/^-?[1-9]\d{0,2},\d{3}$/.test(text)) return `${text}0`;
  // one grouping dot alone ("1.234") reads as a decimal in English: write the digits ungrouped
  if (/^-?[1-9]\d{0,2}\.\d{3}$/.test(text)) return text.replace('.', '');
  return text;
}
