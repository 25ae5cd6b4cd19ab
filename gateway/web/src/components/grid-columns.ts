// Columns of the editable grid: how a value shows as text in a cell and how the text a person
// typed or pasted (from Excel) is read back, with a Vietnamese message when it cannot be.
import type { Labels } from '../lib/labels';
import { fold, formatDate, formatNumberForInput, parseDate, parseNumberText, type Parsed } from '../lib/vn';

export type CellKind = 'text' | 'int' | 'decimal' | 'range' | 'enum' | 'enums' | 'bool' | 'date';

/** A value or a range of values ("10 – 12"), as exact decimal strings; `max` is "" for a single value. */
export interface DecimalRange {
  value: string;
  max: string;
}

/** The separator of a range: an en or em dash, or a hyphen with spaces around it ("10 - 12"). */
const RANGE_SEPARATOR = /\s*[–—]\s*|\s+-\s+|\s*\.\.\s*/;

export interface GridColumn {
  field: string;
  title: string;
  kind: CellKind;
  options?: Labels;
  required?: boolean;
  readOnly?: boolean;
  width?: number;
  /** stays in view when the grid scrolls sideways */
  frozen?: boolean;
  min?: number;
  max?: number;
}

/** A stored value as cell text. */
export function toText(col: GridColumn, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (col.kind) {
    case 'int':
      return String(value); // years and counts: no grouping ("2026", never "2.026")
    case 'decimal':
      return formatNumberForInput(value as string | number);
    case 'range': {
      const r = value as DecimalRange;
      if (!r.value) return '';
      return r.max ? `${formatNumberForInput(r.value)} – ${formatNumberForInput(r.max)}` : formatNumberForInput(r.value);
    }
    case 'enum':
      return col.options?.[String(value)] ?? String(value);
    case 'enums':
      return (value as unknown[]).map((v) => col.options?.[String(v)] ?? String(v)).join(' / ');
    case 'bool':
      return value ? 'Có' : 'Không';
    case 'date':
      return formatDate(String(value));
    default:
      return String(value);
  }
}

function option(col: GridColumn, text: string): string | null {
  const t = fold(text.trim());
  for (const [value, label] of Object.entries(col.options ?? {})) {
    if (fold(label) === t || fold(value) === t) return value;
  }
  return null;
}

const choices = (col: GridColumn) => Object.values(col.options ?? {}).map((l) => `“${l}”`).join(', ');

/** Cell text as the value to send; an empty cell is "" (text, decimals), null, [] or false. */
export function fromText(col: GridColumn, text: unknown): Parsed<unknown> {
  const t = String(text ?? '').trim();
  if (!t) {
    if (col.required) return { ok: false, message: `Cột “${col.title}” không được để trống.` };
    // decimals travel as strings in the API, where "" clears a value
    if (col.kind === 'decimal' || col.kind === 'text') return { ok: true, value: '' };
    if (col.kind === 'range') return { ok: true, value: { value: '', max: '' } };
    return { ok: true, value: col.kind === 'enums' ? [] : col.kind === 'bool' ? false : null };
  }
  switch (col.kind) {
    case 'int': {
      const r = parseNumberText(t);
      if (!r.ok) return r;
      if (!/^-?\d+$/.test(r.value ?? '')) return { ok: false, message: `“${t}” phải là số nguyên.` };
      const n = Number(r.value);
      if (col.min !== undefined && n < col.min) return { ok: false, message: `“${t}” nhỏ hơn ${col.min}.` };
      if (col.max !== undefined && n > col.max) return { ok: false, message: `“${t}” lớn hơn ${col.max}.` };
      return { ok: true, value: n };
    }
    case 'decimal':
      return parseNumberText(t);
    case 'range': {
      const parts = t.split(RANGE_SEPARATOR);
      if (parts.length > 2) return { ok: false, message: `“${t}”: hãy ghi một số hoặc một khoảng “từ – đến”, ví dụ 10 – 12.` };
      const low = parseNumberText(parts[0]);
      if (!low.ok) return low;
      if (parts.length === 1) return { ok: true, value: { value: low.value ?? '', max: '' } };
      const high = parseNumberText(parts[1]);
      if (!high.ok) return high;
      if (Number(high.value) < Number(low.value)) return { ok: false, message: `“${t}”: số đầu khoảng phải không lớn hơn số cuối.` };
      return { ok: true, value: { value: low.value ?? '', max: high.value ?? '' } };
    }
    case 'enum': {
      const v = option(col, t);
      return v === null ? { ok: false, message: `“${t}” không có trong danh sách: ${choices(col)}.` } : { ok: true, value: v };
    }
    case 'enums': {
      const values: string[] = [];
      for (const part of t.split(/[/,;]/).map((p) => p.trim()).filter(Boolean)) {
        const v = option(col, part);
        if (v === null) return { ok: false, message: `“${part}” không có trong danh sách: ${choices(col)}.` };
        values.push(v);
      }
      return { ok: true, value: values };
    }
    case 'bool': {
      const f = fold(t);
      if (['co', 'x', '1', 'true', 'yes'].includes(f)) return { ok: true, value: true };
      if (['khong', '0', 'false', 'no'].includes(f)) return { ok: true, value: false };
      return { ok: false, message: `“${t}”: hãy ghi “Có” hoặc “Không”.` };
    }
    case 'date':
      return parseDate(t);
    default:
      return { ok: true, value: t };
  }
}

export interface CellProblem {
  row: number;
  field: string;
  title: string;
  message: string;
}
