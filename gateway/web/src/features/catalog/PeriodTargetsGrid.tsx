// "Chỉ tiêu giai đoạn 5 năm" as a grid: one row per target (indicator × unit), the years and
// the target values editable like a spreadsheet (paste a block from Excel, Vietnamese or
// English number formats). Nothing is saved while a cell is invalid; "Lưu" sends one PATCH per
// changed row (If-Match, effective from the chosen date) and reports each row's outcome.
import { Alert, Button, Card, DatePicker, Input, Select, Spin } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { EditableGridHandle, GridState } from '../../components/EditableGrid';
import type { GridColumn } from '../../components/grid-columns';
import { request, type Schemas } from '../../lib/api';
import { ApiError, problemText } from '../../lib/problem';
import { formatDate, numberFormat, todayIso } from '../../lib/vn';
import { href } from '../../app/route';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { BY_KEY } from './catalogs';
import { invalidate, type Item, type Page } from './data';
import type { Ctx } from './fields';

const EditableGrid = lazy(() => import('../../components/EditableGrid'));

type Target = Schemas['PeriodTarget'];
type Patch = Schemas['PeriodTargetPatchBody'];

/** Grid columns: field names are the REST fields (a rename in the API is a type error here). */
const COLUMNS: Array<GridColumn & { field: keyof Target | 'indicator_name' }> = [
  { field: 'code', title: 'Mã', kind: 'text', readOnly: true, width: 150 },
  { field: 'indicator_name', title: 'Chỉ số', kind: 'text', readOnly: true, width: 260 },
  { field: 'org_unit_code', title: 'Đơn vị', kind: 'text', readOnly: true, width: 90 },
  { field: 'start_year', title: 'Từ năm', kind: 'int', min: 2000, max: 2100, required: true, width: 80 },
  { field: 'end_year', title: 'Đến năm', kind: 'int', min: 2000, max: 2100, required: true, width: 80 },
  { field: 'target_value', title: 'Chỉ tiêu', kind: 'decimal', width: 110 },
  { field: 'target_low', title: 'Cận dưới', kind: 'decimal', width: 110 },
  { field: 'target_high', title: 'Cận trên', kind: 'decimal', width: 110 },
  { field: 'note', title: 'Ghi chú', kind: 'text' },
];

export default function PeriodTargetsGrid({ ctx }: { ctx: Ctx }) {
  const { can } = useSession();
  const toast = useToast();
  const catalog = BY_KEY['period-targets'];
  const [startYear, setStartYear] = useState('');
  const [unit, setUnit] = useState('');
  const [q, setQ] = useState('');
  const [debouncedQ, setDebouncedQ] = useState('');
  useEffect(() => {
    const t = window.setTimeout(() => setDebouncedQ(q.trim()), 300);
    return () => window.clearTimeout(t);
  }, [q]);
  const [rows, setRows] = useState<Item[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [state, setState] = useState<GridState>({ problems: [], dirtyCells: 0, rows: 0 });
  const [effective, setEffective] = useState(todayIso());
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ saved: number; failed: string[] } | null>(null);
  const [generation, setGeneration] = useState(0);
  const grid = useRef<EditableGridHandle | null>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    (async () => {
      const all: Item[] = [];
      let token = '';
      for (let guard = 0; guard < 20; guard += 1) {
        const { data } = await request<Page>('GET', `/api/v1${catalog.path}`, {
          query: { page_size: 500, page_token: token, start_year: startYear, org_unit_code: unit, q: debouncedQ },
        });
        all.push(...data.items);
        token = data.next_page_token ?? '';
        if (!token) break;
      }
      return all;
    })().then((all) => {
      if (!live) return;
      setRows(all.map((t) => ({ ...t, indicator_name: `${t.indicator_code} ${ctx.indicatorName(String(t.indicator_code)) ?? ''}`.trim() })));
      setGeneration((g) => g + 1);
    }, (err) => live && setLoadError(err));
    return () => {
      live = false;
    };
    // names are filled in once when the rows load
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalog.path, startYear, unit, debouncedQ]);

  const save = async () => {
    if (!grid.current || state.problems.length) return;
    let changes: ReturnType<EditableGridHandle['changed']>;
    try {
      changes = grid.current.changed();
    } catch (err) {
      setOutcome({ saved: 0, failed: [(err as Error).message] });
      return;
    }
    setSaving(true);
    const failed: string[] = [];
    let saved = 0;
    for (const { before, after } of changes) {
      const body: Patch = { ...(after as Partial<Patch>), effective_from: effective, reason: reason.trim() || 'Sửa chỉ tiêu trên bảng' };
      try {
        await request('PATCH', `/api/v1${catalog.path}/${encodeURIComponent(String(before.code))}`, {
          body, headers: { 'If-Match': `"${before.version}"` },
        });
        saved += 1;
      } catch (err) {
        const fields = err instanceof ApiError ? err.fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ') : '';
        failed.push(`${before.code}: ${problemText(err, 'Không lưu được')}${fields ? ` (${fields})` : ''}`);
      }
    }
    setSaving(false);
    setOutcome({ saved, failed });
    invalidate('period-targets');
    if (!failed.length) {
      grid.current.markSaved();
      toast(`Đã lưu ${numberFormat.format(saved)} chỉ tiêu${effective > todayIso() ? `, có hiệu lực từ ${formatDate(effective)}` : ''}.`);
    }
  };

  return (
    <section className="view" aria-labelledby="page-title">
      <nav aria-label="Vị trí" className="breadcrumb"><a href={href(catalog.route)}>{catalog.title}</a> › <span aria-current="page">Sửa dạng bảng</span></nav>
      <div className="page-head"><div>
        <h1 id="page-title" data-testid="catalog-title">Chỉ tiêu giai đoạn 5 năm theo đơn vị</h1>
        <p className="muted page-lead">Sửa như trên Excel: chọn ô, gõ hoặc dán cả khối ô đã sao chép (Ctrl+V); số viết kiểu Việt Nam (1.234,5) hay kiểu Anh (1,234.5) đều được. Ô sai được đánh dấu đỏ kèm lý do; chỉ lưu được khi không còn ô sai.</p>
      </div></div>
      <Card className="toolbar" role="search" aria-label="Lọc chỉ tiêu">
        <div className="toolbar-row">
          <div className="field field-grow">
            <label htmlFor="grid-search">Tìm theo mã hoặc chỉ số</label>
            <Input id="grid-search" type="search" data-testid="grid-search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Không cần dấu" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="grid-start-year">Năm bắt đầu giai đoạn</label>
            <Select id="grid-start-year" data-testid="grid-start-year" value={startYear} onChange={setStartYear} className="filter-select"
              options={[{ value: '', label: 'Tất cả' }, { value: '2021', label: '2021–2025' }, { value: '2026', label: '2026–2030' }]} />
          </div>
          <div className="field">
            <label htmlFor="grid-unit">Mã đơn vị</label>
            <Input id="grid-unit" data-testid="grid-unit" className="input-narrow" value={unit} onChange={(e) => setUnit(e.target.value.trim())} />
          </div>
        </div>
      </Card>
      {loadError ? <Alert type="error" showIcon message={problemText(loadError, 'Không tải được chỉ tiêu')} /> : null}
      <Card className="grid-card">
        {!rows ? <div className="tree-state"><Spin size="small" /> Đang tải…</div> : (
          <Suspense fallback={<p className="muted">Đang tải bảng…</p>}>
            <EditableGrid key={generation} ref={grid} columns={COLUMNS} rows={rows} label="Bảng chỉ tiêu giai đoạn" testid="targets-grid"
              readOnly={!can.editCatalogs} onState={setState} height={480} />
          </Suspense>
        )}
        <p className="hint">Phím mũi tên để di chuyển, Shift+mũi tên để chọn vùng, gõ để sửa, Enter để xác nhận, Esc để hủy, Delete để xoá vùng đã chọn, Ctrl+C / Ctrl+V để sao chép và dán.</p>
        <div className="grid-status" aria-live="polite" data-testid="grid-status">
          {state.dirtyCells ? `Đã sửa ${numberFormat.format(state.dirtyCells)} ô chưa lưu. ` : 'Chưa có thay đổi. '}
          {state.problems.length ? `Còn ${numberFormat.format(state.problems.length)} ô chưa hợp lệ.` : ''}
        </div>
        {state.problems.length ? (
          <ul className="grid-problems" data-testid="grid-problems">
            {state.problems.slice(0, 50).map((p) => <li key={`${p.row}-${p.field}`}>Dòng {p.row}, cột {p.title}: {p.message}</li>)}
          </ul>
        ) : null}
        {outcome ? (
          outcome.failed.length
            ? <Alert type="error" showIcon data-testid="grid-save-error" message={`Đã lưu ${outcome.saved} dòng; ${outcome.failed.length} dòng không lưu được.`} description={<ul>{outcome.failed.map((f) => <li key={f}>{f}</li>)}</ul>} />
            : <Alert type="success" showIcon data-testid="grid-saved" message={`Đã lưu ${numberFormat.format(outcome.saved)} chỉ tiêu.`} />
        ) : null}
        {can.editCatalogs ? (
          <div className="form-actions form-actions-left">
            <div className="field">
              <label htmlFor="grid-effective">Hiệu lực từ ngày</label>
              <DatePicker id="grid-effective" data-testid="grid-effective-from" value={dayjs(effective)} allowClear={false} format={['DD/MM/YYYY', 'YYYY-MM-DD']}
                onChange={(d) => setEffective(d ? d.format('YYYY-MM-DD') : todayIso())} />
            </div>
            <div className="field field-grow">
              <label htmlFor="grid-reason">Lý do thay đổi</label>
              <Input id="grid-reason" data-testid="grid-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Ví dụ: Theo Nghị quyết điều chỉnh chỉ tiêu" />
            </div>
            <Button type="primary" data-testid="grid-save" loading={saving} disabled={!state.dirtyCells || state.problems.length > 0} onClick={save}>Lưu</Button>
          </div>
        ) : null}
      </Card>
    </section>
  );
}
