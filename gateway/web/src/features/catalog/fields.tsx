// Catalog fields: how a value reads on the detail screen (ValueView) and the Ant Design control
// that edits it (FieldInput). Tables of rows are edited in the Tabulator grid (EditableGrid).
import { Checkbox, DatePicker, Input, Select } from 'antd';
import dayjs from 'dayjs';
import { Fragment, lazy, Suspense, type ReactNode } from 'react';
import type { GridColumn } from '../../components/grid-columns';
import type { EditableGridHandle, GridState } from '../../components/EditableGrid';
import { label } from '../../lib/labels';
import { formatDate, formatNumberForInput } from '../../lib/vn';
import { href } from '../../app/route';
import { BY_KEY, type ColumnSpec, type FieldSpec } from './catalogs';

const EditableGrid = lazy(() => import('../../components/EditableGrid'));

export interface Ctx {
  indicatorName: (code: string) => string | null;
  options: (catalog: string) => Array<{ code: string; name: string }>;
}

// Fields of nested rows that the server computes (ids resolved from codes, group names).
const COMPUTED = new Set(['indicator_id', 'indicator_ids', 'group_name']);

export function stripComputed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripComputed);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !COMPUTED.has(k)).map(([k, v]) => [k, stripComputed(v)]));
  }
  return value;
}

type Legal = { number?: string; issued_on?: string | null; issuer?: string; title?: string } | null | undefined;
const emptyLegal = (v: Legal) => !v || !(v.number || v.issued_on || v.issuer || v.title);

/** "2081/QĐ-UBND ngày 03/06/2026 của UBND thành phố Hải Phòng" */
export function legalText(v: Legal): string {
  if (!v || emptyLegal(v)) return '';
  const parts = [v.number || 'Văn bản'];
  if (v.issued_on) parts.push(`ngày ${formatDate(v.issued_on)}`);
  if (v.issuer) parts.push(`của ${v.issuer}`);
  return parts.join(' ');
}

/** {month_offset: -1, day: 15} → "ngày 15 tháng trước tháng cuối kỳ". */
export function relDateText(v: { month_offset?: number; day?: number } | null | undefined): string {
  if (!v || !v.day) return '—';
  const off = Number(v.month_offset || 0);
  let month: string;
  if (off === 0) month = 'tháng cuối kỳ';
  else if (off === -1) month = 'tháng trước tháng cuối kỳ';
  else if (off === 1) month = 'tháng sau tháng cuối kỳ';
  else month = off < 0 ? `${-off} tháng trước tháng cuối kỳ` : `${off} tháng sau tháng cuối kỳ`;
  return `ngày ${v.day} ${month}`;
}

export const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)
  || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => !x));

export function RefLink({ code, ctx }: { code: string; ctx: Ctx }) {
  const name = ctx.indicatorName(code);
  return <a href={href('chi-so', code)} className="ref-link"><code>{code}</code>{name ? <span> {name}</span> : null}</a>;
}

export function CatalogLink({ catalog, code }: { catalog: string; code: string }) {
  const c = BY_KEY[catalog];
  return c ? <a href={href(c.route, code)} className="ref-link"><code>{code}</code></a> : <>{code}</>;
}

function cellView(col: ColumnSpec, value: unknown, ctx: Ctx): ReactNode {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return '';
  switch (col.type) {
    case 'enum': return label(col.options ?? {}, value);
    case 'enums': return (value as unknown[]).map((v) => label(col.options ?? {}, v)).join(' / ');
    case 'bool': return value ? '✓' : '';
    case 'date': return formatDate(String(value));
    case 'reldate': return relDateText(value as never);
    case 'steps': return (value as CreditStep[]).map((st) => `≥ ${st.min_achievement}%: ${st.credit}%`).join(' · ');
    case 'ref': return <RefLink code={String(value)} ctx={ctx} />;
    default: return String(value);
  }
}

type Section = { code?: string; title?: string; rows?: Array<{ indicator_code?: string; label?: string; indent?: number }> };

export function ValueView({ field, value, ctx }: { field: FieldSpec; value: unknown; ctx: Ctx }): ReactNode {
  if (isEmpty(value) && field.type !== 'table') return <span className="muted">—</span>;
  switch (field.type) {
    case 'code': return <code className="code-chip">{String(value)}</code>;
    case 'enum': return label(field.options ?? {}, value);
    case 'enums': return <span className="chips">{(value as unknown[]).map((v) => <span key={String(v)} className="chip">{label(field.options ?? {}, v)}</span>)}</span>;
    case 'date': return formatDate(String(value));
    case 'bool': return value ? 'Có' : 'Không';
    case 'ref': return <RefLink code={String(value)} ctx={ctx} />;
    case 'refs': return <ul className="ref-list">{(value as string[]).map((c) => <li key={c}><RefLink code={c} ctx={ctx} /></li>)}</ul>;
    case 'catalogref': return <CatalogLink catalog={field.catalog!} code={String(value)} />;
    case 'codes': return <span className="chips">{(value as string[]).map((c) => field.catalog ? <CatalogLink key={c} catalog={field.catalog} code={c} /> : <code key={c} className="chip chip-code">{c}</code>)}</span>;
    case 'legal': {
      const v = value as Legal;
      return <span>{legalText(v)}{v?.title ? <span className="muted legal-title"> — {v.title}</span> : null}</span>;
    }
    case 'table': {
      const rows = (value as Array<Record<string, unknown>>) ?? [];
      return (
        <div className="table-wrap">
          <table className="data-table data-table-compact" data-testid={field.testid ?? `table-${field.key}`}>
            <thead><tr>{field.columns!.map((c) => <th key={c.key} scope="col">{c.label}</th>)}</tr></thead>
            <tbody>{rows.map((row, i) => <tr key={i}>{field.columns!.map((c) => <td key={c.key}>{cellView(c, row[c.key], ctx)}</td>)}</tr>)}</tbody>
          </table>
        </div>
      );
    }
    case 'dimensions':
      return <ul className="dim-list">{(value as Array<{ code: string; name?: string; members?: Array<{ code: string; name?: string }> }>).map((d) => (
        <li key={d.code}><strong>{d.name || d.code}</strong>: {(d.members ?? []).map((m) => m.name || m.code).join(', ')}</li>))}</ul>;
    case 'sections':
      return <div className="sections-view">{(value as Section[]).map((s, i) => (
        <section key={i} className="section-view"><h3 className="section-title">{s.title || s.code}</h3>
          <ol className="section-rows">{(s.rows ?? []).map((r, j) => (
            <li key={j} style={{ paddingLeft: `${(r.indent || 0) * 1.2}em` }}>
              {r.indicator_code && r.label ? <Fragment>{r.label} <a href={href('chi-so', r.indicator_code)} className="ref-link" title={ctx.indicatorName(r.indicator_code) ?? ''}><code>{r.indicator_code}</code></a></Fragment>
                : r.indicator_code ? <RefLink code={r.indicator_code} ctx={ctx} /> : <strong>{r.label}</strong>}
            </li>))}</ol></section>))}</div>;
    case 'textarea': return <span className="prewrap">{String(value)}</span>;
    default: return String(value);
  }
}

// ------------------------------------------------------------------ editing

/** The grid columns of a table field (a relative date becomes two numeric columns). */
export function gridColumns(field: FieldSpec): GridColumn[] {
  return field.columns!.flatMap((c): GridColumn[] => {
    switch (c.type) {
      case 'reldate':
        return [
          { field: `${c.key}.month_offset`, title: `${c.label}: tháng (0 = cuối kỳ)`, kind: 'int', min: -24, max: 24 },
          { field: `${c.key}.day`, title: `${c.label}: ngày`, kind: 'int', min: 1, max: 31 },
        ];
      case 'int': return [{ field: c.key, title: c.label, kind: 'int' }];
      case 'decimal': return [{ field: c.key, title: c.label, kind: 'decimal' }];
      case 'enum': return [{ field: c.key, title: c.label, kind: 'enum', options: c.options }];
      case 'enums': return [{ field: c.key, title: c.label, kind: 'enums', options: c.options }];
      case 'bool': return [{ field: c.key, title: c.label, kind: 'bool' }];
      case 'date': return [{ field: c.key, title: c.label, kind: 'date' }];
      default: return [{ field: c.key, title: c.label, kind: 'text' }];
    }
  });
}

interface CreditStep { min_achievement: string; credit: string }

/** Credit steps as one cell's text: "90:75; 70:50" (≥ 90% of the target earns 75%). */
export function stepsText(steps: CreditStep[] | null | undefined): string {
  return (steps ?? []).map((st) => `${st.min_achievement}:${st.credit}`).join('; ');
}

/** The cell's text back to steps; text that does not parse is sent as typed, so the server
 * names the field in its answer. */
export function parseSteps(text: unknown): CreditStep[] | unknown {
  const raw = String(text ?? '').trim();
  if (!raw) return [];
  const parts = raw.split(';').map((p) => p.trim()).filter(Boolean).map((p) => p.split(':').map((x) => x.trim().replace(',', '.')));
  const ok = parts.every((p) => p.length === 2 && p.every((x) => /^\d+(\.\d+)?$/.test(x)));
  return ok ? parts.map(([min_achievement, credit]) => ({ min_achievement, credit })) : raw;
}

/** Rows of a table field flattened for the grid ("due.day"), and back. */
export function flattenRows(field: FieldSpec, rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const rel = field.columns!.filter((c) => c.type === 'reldate').map((c) => c.key);
  const steps = field.columns!.filter((c) => c.type === 'steps').map((c) => c.key);
  return rows.map((r) => {
    const out: Record<string, unknown> = { ...(stripComputed(r) as Record<string, unknown>) };
    for (const k of steps) out[k] = stepsText(r[k] as CreditStep[]);
    for (const k of rel) {
      const v = r[k] as { month_offset?: number; day?: number } | null;
      out[`${k}.month_offset`] = v ? v.month_offset ?? 0 : null;
      out[`${k}.day`] = v?.day ?? null;
      delete out[k];
    }
    return out;
  });
}

export function unflattenRows(field: FieldSpec, rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const rel = field.columns!.filter((c) => c.type === 'reldate').map((c) => c.key);
  const ints = new Set(field.columns!.filter((c) => c.type === 'int').map((c) => c.key));
  const steps = field.columns!.filter((c) => c.type === 'steps').map((c) => c.key);
  return rows.map((r) => {
    const out: Record<string, unknown> = { ...r };
    for (const k of ints) if (out[k] === null) out[k] = 0;
    for (const k of steps) out[k] = parseSteps(out[k]);
    for (const k of rel) {
      const day = r[`${k}.day`];
      out[k] = day === null || day === undefined ? null : { month_offset: Number(r[`${k}.month_offset`] ?? 0), day: Number(day) };
      delete out[`${k}.month_offset`];
      delete out[`${k}.day`];
    }
    for (const [k, v] of Object.entries(out)) if (typeof v === 'string') out[k] = v;
    return out;
  });
}

export function TableInput({ field, value, gridRef, onState }: {
  field: FieldSpec; value: unknown; gridRef: (h: EditableGridHandle | null) => void; onState: (s: GridState) => void;
}) {
  return (
    <Suspense fallback={<p className="muted">Đang tải bảng…</p>}>
      <EditableGrid ref={gridRef} columns={gridColumns(field)} rows={flattenRows(field, (value as Array<Record<string, unknown>>) ?? [])}
        label={field.label} testid={`form-${field.key}`} onState={onState} addable />
    </Suspense>
  );
}

interface InputProps {
  field: FieldSpec;
  value: unknown;
  onChange: (v: unknown) => void;
  ctx: Ctx;
  fixed: boolean;
  invalid: boolean;
  id: string;
  describedBy: string;
}

/** The control of one (non-table) field; values are kept as the user's text where it matters. */
export function FieldInput({ field, value, onChange, ctx, fixed, invalid, id, describedBy }: InputProps): ReactNode {
  const common = { id, 'data-testid': `form-${field.key}`, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy, status: invalid ? ('error' as const) : undefined };
  switch (field.type) {
    case 'textarea':
    case 'refs':
    case 'codes':
    case 'dimensions':
    case 'sections':
    case 'json':
      return <Input.TextArea {...common} autoSize={{ minRows: field.type === 'textarea' ? 3 : 2, maxRows: 16 }} value={String(value ?? '')}
        className={field.type === 'textarea' ? undefined : 'input-mono'} spellCheck={field.type === 'textarea'} onChange={(e) => onChange(e.target.value)} />;
    case 'date':
      return <DatePicker {...common} value={value ? dayjs(String(value)) : null} format={['DD/MM/YYYY', 'YYYY-MM-DD']}
        onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : null)} />;
    case 'bool':
      return <Checkbox {...common} checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)}>Có</Checkbox>;
    case 'enum':
      return <Select {...common} value={(value as string) || undefined} allowClear={!field.required} placeholder={field.required ? '— Chọn —' : '— Không —'}
        onChange={(v) => onChange(v ?? null)} options={Object.entries(field.options!).map(([v, l]) => ({ value: v, label: l }))} />;
    case 'catalogref': {
      const opts = ctx.options(field.catalog!);
      const list = opts.some((o) => o.code === value) || !value ? opts : [...opts, { code: String(value), name: '' }];
      return <Select {...common} value={(value as string) || undefined} allowClear placeholder="— Không —" showSearch optionFilterProp="label"
        onChange={(v) => onChange(v ?? '')} options={list.map((o) => ({ value: o.code, label: o.name ? `${o.code} — ${o.name}` : o.code }))} />;
    }
    case 'enums': {
      const selected = new Set((value as string[]) ?? []);
      return (
        <div className="check-group" role="group" id={id} data-testid={`form-${field.key}`} aria-labelledby={`${id}-label`} aria-describedby={describedBy}>
          {Object.entries(field.options!).map(([v, l]) => (
            <Checkbox key={v} data-testid={`form-${field.key}-${v}`} checked={selected.has(v)}
              onChange={(e) => {
                const next = new Set(selected);
                if (e.target.checked) next.add(v); else next.delete(v);
                onChange(Object.keys(field.options!).filter((k) => next.has(k)));
              }}>{l}</Checkbox>
          ))}
        </div>
      );
    }
    case 'legal': {
      const v = (value ?? {}) as Record<string, string | null>;
      const set = (k: string, x: string | null) => onChange({ ...v, [k]: x });
      return (
        <div className="legal-grid" id={id} data-testid={`form-${field.key}`} role="group" aria-labelledby={`${id}-label`}>
          <Input aria-label="Số hiệu văn bản" placeholder="Số hiệu, ví dụ 2081/QĐ-UBND" data-testid={`form-${field.key}-number`} value={v.number ?? ''} onChange={(e) => set('number', e.target.value)} />
          <DatePicker aria-label="Ngày ban hành" placeholder="Ngày ban hành" data-testid={`form-${field.key}-issued_on`} value={v.issued_on ? dayjs(v.issued_on) : null} format={['DD/MM/YYYY', 'YYYY-MM-DD']} onChange={(d) => set('issued_on', d ? d.format('YYYY-MM-DD') : null)} />
          <Input aria-label="Cơ quan ban hành" placeholder="Cơ quan ban hành" data-testid={`form-${field.key}-issuer`} value={v.issuer ?? ''} onChange={(e) => set('issuer', e.target.value)} />
          <Input aria-label="Trích yếu" placeholder="Trích yếu" data-testid={`form-${field.key}-title`} value={v.title ?? ''} onChange={(e) => set('title', e.target.value)} />
        </div>
      );
    }
    case 'ref': {
      const name = ctx.indicatorName(String(value ?? '').trim());
      return (
        <div className="ref-input">
          <Input {...common} className="input-mono" list="indicator-codes" autoComplete="off" spellCheck={false}
            value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
          <span className="ref-name muted">{name ?? ''}</span>
        </div>
      );
    }
    default:
      return <Input {...common} className={field.type === 'code' || field.mono ? 'input-mono' : undefined} readOnly={fixed}
        autoComplete="off" spellCheck={field.type === 'code' ? false : undefined}
        inputMode={field.type === 'decimal' ? 'decimal' : field.type === 'int' ? 'numeric' : undefined}
        value={value === null || value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />;
  }
}

/** Form state of a field from an item's value (text where the person types text). */
export function initialValue(field: FieldSpec, value: unknown): unknown {
  switch (field.type) {
    case 'refs':
    case 'codes':
      return ((value as string[]) ?? []).join(', ');
    case 'dimensions':
    case 'sections':
    case 'json':
      return value && (value as unknown[]).length ? JSON.stringify(stripComputed(value), null, 2) : '';
    case 'decimal':
      return value === null || value === undefined || value === '' ? '' : formatNumberForInput(value as string);
    default:
      return value ?? (field.type === 'enums' ? [] : field.type === 'bool' ? false : '');
  }
}

export class FieldInputError extends Error {}
