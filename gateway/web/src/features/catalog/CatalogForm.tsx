// Create / edit a catalog item: Ant Design controls per field, tables in the Tabulator grid,
// an effective date (valid_from on create, effective_from + reason on edit), field errors from
// the service's problem details next to the field they name. An expired session does not lose
// what was typed: the request is retried after the session is renewed (SessionBanner).
import { Alert, Button, Card, DatePicker, Input, Spin } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { EditableGridHandle, GridState } from '../../components/EditableGrid';
import { request } from '../../lib/api';
import { ApiError, fieldMessages, problemText } from '../../lib/problem';
import { formatDate, parseNumberText, todayIso } from '../../lib/vn';
import { href, navigate } from '../../app/route';
import { useToast } from '../../app/toast';
import { fieldsOf, type CatalogDef, type FieldSpec } from './catalogs';
import { invalidate, type Item } from './data';
import { FieldInput, initialValue, stripComputed, TableInput, unflattenRows, type Ctx } from './fields';

const splitCodes = (text: unknown) => String(text ?? '').split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
const blank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length);

class FieldProblem extends Error {}

/** The value to send for a field, from the form state (throws FieldProblem with a Vietnamese message). */
function toValue(field: FieldSpec, state: unknown): unknown {
  switch (field.type) {
    case 'refs':
    case 'codes':
      return splitCodes(state);
    case 'dimensions':
    case 'sections':
    case 'json': {
      const text = String(state ?? '').trim();
      if (!text) return [];
      try {
        return JSON.parse(text);
      } catch {
        throw new FieldProblem('JSON không hợp lệ: kiểm tra dấu ngoặc và dấu phẩy.');
      }
    }
    case 'int': {
      const text = String(state ?? '').trim();
      if (!text) return field.key === 'decimals' ? null : 0;
      if (!/^-?\d+$/.test(text)) throw new FieldProblem(`“${text}” phải là số nguyên.`);
      const n = Number.parseInt(text, 10);
      if (field.min !== undefined && n < field.min) throw new FieldProblem(`Không nhỏ hơn ${field.min}.`);
      if (field.max !== undefined && n > field.max) throw new FieldProblem(`Không lớn hơn ${field.max}.`);
      return n;
    }
    case 'decimal': {
      const r = parseNumberText(String(state ?? ''));
      if (!r.ok) throw new FieldProblem(r.message);
      return r.value ?? '';
    }
    case 'legal': {
      const v = (state ?? {}) as Record<string, string | null>;
      const out = { number: (v.number ?? '').trim(), issued_on: v.issued_on || null, issuer: (v.issuer ?? '').trim(), title: (v.title ?? '').trim() };
      return out.number || out.issued_on || out.issuer || out.title ? out : null;
    }
    case 'enum':
    case 'date':
      return state || null;
    case 'bool':
    case 'enums':
      return state;
    default:
      return String(state ?? '').trim();
  }
}

export default function CatalogForm({ catalog, code, ctx, crumbs }: { catalog: CatalogDef; code: string | null; ctx: Ctx; crumbs: ReactNode }) {
  const editing = Boolean(code);
  const toast = useToast();
  const fields = fieldsOf(catalog).filter((f) => !f.readOnly);
  const [item, setItem] = useState<Item | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [effective, setEffective] = useState(editing ? todayIso() : '');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<ReactNode>(null);
  const [busy, setBusy] = useState(false);
  const [gridStates, setGridStates] = useState<Record<string, GridState>>({});
  const grids = useRef<Record<string, EditableGridHandle | null>>({});
  const attempt = useRef<{ signature: string; key: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const init = (source: Record<string, unknown>) => setValues(Object.fromEntries(fields.map((f) => [f.key, initialValue(f, source[f.key])])));
    if (!code) {
      init(catalog.defaults ?? {});
      setItem({ code: '' });
      return;
    }
    request<Item>('GET', `/api/v1${catalog.path}/${encodeURIComponent(code)}`).then(({ data, response }) => {
      if (data.version === undefined || data.version === null) data.version = Number(/"([^"]*)"/.exec(response.headers.get('ETag') || '')?.[1]);
      setItem(data);
      init(data);
    }, setLoadError);
    // the form is keyed by catalog and code
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  if (loadError) return <Alert type="error" showIcon message={problemText(loadError, 'Không tải được dữ liệu')} />;
  if (!item) return <div className="view-center"><Spin /><p>Đang tải…</p></div>;

  const invalidCells = Object.values(gridStates).reduce((n, s) => n + s.problems.length, 0);

  const submit = async () => {
    const local: Record<string, string[]> = {};
    const out: Record<string, unknown> = {};
    setFormError(null);
    for (const f of fields) {
      if (f.type === 'table') {
        const g = grids.current[f.key];
        if (gridStates[f.key]?.problems.length) {
          local[f.key] = gridStates[f.key].problems.map((p) => `Dòng ${p.row}, cột ${p.title}: ${p.message}`);
          continue;
        }
        out[f.key] = g ? unflattenRows(f, g.values()) : (item[f.key] ?? []);
        continue;
      }
      try {
        out[f.key] = toValue(f, values[f.key]);
      } catch (err) {
        local[f.key] = [(err as Error).message];
        continue;
      }
      if (f.required && !(editing && f.createOnly) && blank(out[f.key])) local[f.key] = ['Vui lòng nhập thông tin này.'];
    }
    if (editing && !effective) local.effective_from = ['Vui lòng chọn ngày bắt đầu hiệu lực.'];
    setErrors(local);
    if (Object.keys(local).length) return;
    let body: Record<string, unknown>;
    if (editing) {
      body = {};
      for (const f of fields) {
        if (f.createOnly) continue;
        const before = item[f.key] ?? null;
        const v = out[f.key];
        const same = JSON.stringify(stripComputed(before) ?? null) === JSON.stringify(v ?? null) || (blank(before) && blank(v));
        if (!same) body[f.key] = v;
      }
      if (!Object.keys(body).length) {
        setFormError(<><strong>Chưa có thay đổi nào.</strong> Sửa ít nhất một thông tin rồi bấm “Lưu thay đổi”.</>);
        return;
      }
      body.effective_from = effective;
      if (reason.trim()) body.reason = reason.trim();
    } else {
      body = Object.fromEntries(Object.entries(out).filter(([, v]) => !blank(v)));
      if (effective) body.valid_from = effective;
    }
    const signature = JSON.stringify(body);
    if (attempt.current?.signature !== signature) attempt.current = { signature, key: crypto.randomUUID() };
    setBusy(true);
    try {
      const { data: saved } = editing
        ? await request<Item>('PATCH', `/api/v1${catalog.path}/${encodeURIComponent(item.code)}`, { body, headers: { 'If-Match': `"${item.version}"` } })
        : await request<Item>('POST', `/api/v1${catalog.path}`, { body, headers: { 'Idempotency-Key': attempt.current.key } });
      invalidate(catalog.key);
      const when = editing && effective > todayIso() ? ` Thay đổi có hiệu lực từ ${formatDate(effective)}.` : '';
      toast(editing ? `Đã lưu ${catalog.singular} “${saved.code}”.${when}` : `Đã thêm ${catalog.singular} “${saved.code}”.`);
      navigate(href(catalog.route, saved.code));
    } catch (err) {
      const { byField, other } = fieldMessages(err, [...fields.map((f) => f.key), 'effective_from', 'valid_from']);
      setErrors(byField);
      const title = err instanceof ApiError && err.status === 412
        ? `${catalog.singular[0].toUpperCase()}${catalog.singular.slice(1)} đã được người khác sửa. Tải lại trang để sửa trên phiên bản mới nhất.`
        : err instanceof ApiError ? err.title : 'Không lưu được';
      const detail = err instanceof ApiError && err.status === 422 && Object.keys(byField).length
        ? 'Vui lòng sửa các trường được đánh dấu bên dưới.' : err instanceof ApiError && err.status !== 412 ? err.detail : '';
      setFormError(<><strong>{title}</strong>{detail ? ` ${detail}` : ''}{other.length ? <ul>{other.map((m) => <li key={m}>{m}</li>)}</ul> : null}</>);
    } finally {
      setBusy(false);
    }
  };

  const fieldBlock = (f: FieldSpec) => {
    const id = `form-field-${f.key}`;
    const fixed = editing && Boolean(f.createOnly);
    const msgs = errors[f.key];
    const wide = f.wide || f.type === 'table' || f.type === 'sections' || f.type === 'dimensions';
    const labelled = ['enums', 'table', 'legal'].includes(f.type);
    return (
      <div key={f.key} className={`field${wide ? ' field-wide' : ''}${msgs ? ' has-error' : ''}`}>
        {labelled ? <span className="field-label" id={`${id}-label`}>{f.label}{f.required ? <span className="req" aria-hidden="true"> *</span> : null}</span>
          : <label htmlFor={id}>{f.label}{f.required ? <span className="req" aria-hidden="true"> *</span> : null}</label>}
        {f.type === 'table' ? (
          <TableInput field={f} value={item[f.key] ?? (catalog.defaults?.[f.key] as unknown) ?? []}
            gridRef={(h) => { grids.current[f.key] = h; }}
            onState={(s) => setGridStates((old) => ({ ...old, [f.key]: s }))} />
        ) : (
          <FieldInput field={f} value={values[f.key]} ctx={ctx} fixed={fixed} invalid={Boolean(msgs)} id={id}
            describedBy={`${id}-hint ${id}-error`} onChange={(v) => setValues((old) => ({ ...old, [f.key]: v }))} />
        )}
        {f.hint || fixed ? <span className="hint" id={`${id}-hint`}>{fixed ? 'Mã không đổi sau khi tạo' : f.hint}</span> : null}
        {f.type === 'dimensions' ? <span className="hint">JSON, ví dụ: [{'{'}"code": "price_basis", "name": "Loại giá", "members": [...]{'}'}]</span> : null}
        {f.type === 'table' && gridStates[f.key]?.problems.length ? (
          <ul className="grid-problems" data-testid={`grid-problems-${f.key}`}>
            {gridStates[f.key].problems.slice(0, 20).map((p) => <li key={`${p.row}-${p.field}`}>Dòng {p.row}, cột {p.title}: {p.message}</li>)}
          </ul>
        ) : null}
        {msgs ? <p className="field-error" id={`${id}-error`} data-testid={`catalog-field-error-${f.key}`}>{msgs.join(' ')}</p> : null}
      </div>
    );
  };

  const effKey = editing ? 'effective_from' : 'valid_from';
  return (
    <section className="view" aria-labelledby="page-title">
      {crumbs}
      <div className="page-head">
        <div>
          <h1 id="page-title">{editing ? `Sửa ${catalog.singular}` : `Thêm ${catalog.singular}`}</h1>
          {editing ? <p className="muted page-lead"><code className="code-chip">{item.code}</code> {String(item[catalog.nameField ?? 'name'] ?? '')}</p> : null}
        </div>
      </div>
      <form ref={formRef} className="catalog-form" data-testid="catalog-form" noValidate aria-busy={busy || undefined}
        onSubmit={(e) => { e.preventDefault(); submit(); }}
        onKeyDown={(e) => {
          // Enter confirms a date or a choice; only the button (or Ctrl+Enter) sends the form
          const t = e.target as HTMLElement;
          if (e.key === 'Enter' && t.tagName === 'INPUT') {
            e.preventDefault();
            if (e.ctrlKey) submit();
          }
        }}>
        {formError ? <Alert type="error" showIcon className="form-alert" data-testid="catalog-form-error" role="alert" message={formError} /> : null}
        {catalog.sections.map((s) => (
          <Card key={s.title} className="form-card" title={<h2 className="card-title">{s.title}</h2>}>
            <div className="form-grid form-grid-3">{s.fields.filter((f) => !f.readOnly).map(fieldBlock)}</div>
          </Card>
        ))}
        <Card className="form-card" title={<h2 className="card-title">Hiệu lực</h2>}>
          <div className="form-grid form-grid-3">
            <div className="field">
              <label htmlFor="form-effective">Hiệu lực từ ngày{editing ? <span className="req" aria-hidden="true"> *</span> : null}</label>
              <DatePicker id="form-effective" data-testid={editing ? 'form-effective-from' : 'form-valid-from'} value={effective ? dayjs(effective) : null}
                format={['DD/MM/YYYY', 'YYYY-MM-DD']} onChange={(d) => setEffective(d ? d.format('YYYY-MM-DD') : '')}
                aria-invalid={errors[effKey] ? true : undefined} status={errors[effKey] ? 'error' : undefined} placeholder={editing ? '' : 'Từ hôm nay'} />
              <span className="hint">{editing ? 'Các kỳ báo cáo trước ngày này vẫn dùng phiên bản cũ.' : 'Trống: từ hôm nay.'}</span>
              {errors[effKey] ? <p className="field-error" data-testid={`catalog-field-error-${effKey}`}>{errors[effKey].join(' ')}</p> : null}
            </div>
            {editing ? (
              <div className="field field-span-2">
                <label htmlFor="form-reason">Lý do thay đổi</label>
                <Input.TextArea id="form-reason" data-testid="form-reason" rows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
              </div>
            ) : null}
          </div>
        </Card>
        <div className="form-actions">
          {invalidCells ? <span className="field-error" role="status">Còn {invalidCells} ô chưa hợp lệ trong bảng: sửa xong mới lưu được.</span> : null}
          <Button href={editing ? href(catalog.route, item.code) : href(catalog.route)} data-testid="form-cancel">Hủy</Button>
          <Button type="primary" htmlType="submit" loading={busy} disabled={invalidCells > 0} data-testid="form-submit">
            {editing ? 'Lưu thay đổi' : `Thêm ${catalog.singular}`}
          </Button>
        </div>
      </form>
    </section>
  );
}
