// Columns of the editable grid: how a value shows as text in a cell and how the text a person
// typed or pasted (from Excel) is read back, with a Vietnamese message when it cannot be.
import type { Labels } from '../lib/labels';
import { fold, formatDate, formatNumberForInput, parseDate, parseNumberText, type Parsed } from '../lib/vn';

export type CellKind = 'text' | 'int' | 'decimal' | 'enum' | 'enums' | 'bool' | 'date';

export interface GridColumn {
  field: string;
  title: string;
  kind: CellKind;
  options?: Labels;
  required?: boolean;
  readOnly?: boolean;
  width?: number;
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
