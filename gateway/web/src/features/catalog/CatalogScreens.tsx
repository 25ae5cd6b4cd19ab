// The catalog screens (loaded when first opened): browse, detail with the history of versions,
// create / edit, retire, indicator-set import and export, deadlines of a calendar, and the
// grid of 5-year period targets.
import { Alert, Breadcrumb, Button, Card, Checkbox, DatePicker, Input, Modal, Result, Select, Spin, Tag } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { download, request } from '../../lib/api';
import { PERIOD_KINDS } from '../../lib/labels';
import { ApiError, problemText } from '../../lib/problem';
import { chartFormat } from '../../components/chart-format';
import { addDays, formatDate, formatDateTime, numberFormat, todayIso } from '../../lib/vn';
import { href, navigate, type Route } from '../../app/route';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { Highlighted } from '../units/UnitsPage';
import { BY_KEY, changedFieldLabel, changedFieldValue, type CatalogDef, type FilterSpec } from './catalogs';
import { catalogOptions, invalidate, useIndicators, type Item, type Page } from './data';
import { legalText, ValueView, type Ctx } from './fields';

const CatalogForm = lazy(() => import('./CatalogForm'));
const ImportPage = lazy(() => import('./ImportPage'));
const PeriodTargetsGrid = lazy(() => import('./PeriodTargetsGrid'));
const Chart = lazy(() => import('../../components/Chart'));

const PAGE_SIZE = 50;
const cap = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}`;

export function itemStatus(item: Item, { today = todayIso(), nextRetired = null as boolean | null } = {}) {
  if (item.retired) return { key: 'retired', label: 'Ngừng sử dụng', color: 'default' };
  if (item.valid_from && item.valid_from > today) return { key: 'upcoming', label: 'Sắp có hiệu lực', color: 'gold' };
  if (item.valid_to && item.valid_to < today) return { key: 'ended', label: 'Hết hiệu lực', color: 'default' };
  if (item.valid_to && nextRetired) return { key: 'ending', label: `Hiệu lực đến ${formatDate(item.valid_to)}`, color: 'orange' };
  if (item.valid_to) return { key: 'active', label: 'Đang hiệu lực', color: 'green', next: `Thay đổi từ ${formatDate(addDays(item.valid_to, 1))}` };
  return { key: 'active', label: 'Đang hiệu lực', color: 'green' };
}

function StatusBadge({ item, testid, nextRetired = null }: { item: Item; testid?: string; nextRetired?: boolean | null }) {
  const s = itemStatus(item, { nextRetired });
  return (
    <span className="status-wrap" data-testid={testid}>
      <Tag className={`status status-${s.key}`}>{s.label}</Tag>
      {s.next ? <Tag className="status status-upcoming">{s.next}</Tag> : null}
    </span>
  );
}

function useCtx(): Ctx {
  const indicators = useIndicators();
  const [opts, setOpts] = useState<Record<string, Array<{ code: string; name: string }>>>({});
  const asked = useRef(new Set<string>());
  return useMemo(() => ({
    indicatorName: (code: string) => (indicators.get(code)?.name as string | undefined) ?? null,
    options: (key: string) => {
      if (!asked.current.has(key)) {
        asked.current.add(key);
        catalogOptions(key).then((list) => setOpts((o) => ({ ...o, [key]: list })), () => {});
      }
      return opts[key] ?? [];
    },
  }), [indicators, opts]);
}

function Crumbs({ catalog, code, extra }: { catalog: CatalogDef; code?: string | null; extra?: string }) {
  const items: Array<{ title: ReactNode }> = [{ title: <a href={href(catalog.route)}>{catalog.title}</a> }];
  if (code) items.push({ title: <a href={href(catalog.route, code)}>{code}</a> });
  if (extra) items.push({ title: <span aria-current="page">{extra}</span> });
  return <nav aria-label="Vị trí"><Breadcrumb className="breadcrumb" items={items} /></nav>;
}

// ------------------------------------------------------------------ list

const listState = new Map<string, { q: string; filters: Record<string, string>; asOf: string; includeRetired: boolean }>();

function FilterInput({ f, value, onChange }: { f: FilterSpec; value: string; onChange: (v: string) => void }) {
  const [options, setOptions] = useState<Array<{ code: string; name: string }>>([]);
  useEffect(() => {
    if (f.type === 'catalog') catalogOptions(f.catalog!).then(setOptions, () => {});
  }, [f]);
  const id = `filter-${f.key}`;
  if (f.type === 'enum' || f.type === 'catalog') {
    const opts = f.type === 'enum' ? Object.entries(f.options!).map(([v, l]) => ({ value: v, label: l })) : options.map((o) => ({ value: o.code, label: o.code }));
    return <Select id={id} data-testid={id} value={value} onChange={onChange} popupMatchSelectWidth={false} className="filter-select"
      options={[{ value: '', label: 'Tất cả' }, ...opts]} />;
  }
  return <Input id={id} data-testid={id} value={value} placeholder={f.placeholder} className="input-narrow" inputMode={f.type === 'int' ? 'numeric' : undefined}
    autoComplete="off" onChange={(e) => onChange(e.target.value)} />;
}

function CatalogList({ catalog, ctx }: { catalog: CatalogDef; ctx: Ctx }) {
  const { can } = useSession();
  if (!listState.has(catalog.key)) listState.set(catalog.key, { q: '', filters: {}, asOf: '', includeRetired: false });
  const saved = listState.get(catalog.key)!;
  const [q, setQ] = useState(saved.q);
  const [filters, setFilters] = useState(saved.filters);
  const [asOf, setAsOf] = useState(saved.asOf);
  const [includeRetired, setIncludeRetired] = useState(saved.includeRetired);
  const [debouncedQ, setDebouncedQ] = useState(saved.q);
  const [items, setItems] = useState<Item[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [token, setToken] = useState('');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);

  useEffect(() => {
    listState.set(catalog.key, { q, filters, asOf, includeRetired });
  }, [catalog.key, q, filters, asOf, includeRetired]);
  useEffect(() => {
    const t = window.setTimeout(() => setDebouncedQ(q), 250);
    return () => window.clearTimeout(t);
  }, [q]);

  const load = useCallback(async (append: string) => {
    const mine = (seq.current += 1);
    setLoading(true);
    setError(null);
    try {
      const { data } = await request<Page>('GET', `/api/v1${catalog.path}`, {
        query: {
          q: debouncedQ, as_of: asOf, include_retired: includeRetired ? 'true' : '', page_size: PAGE_SIZE, page_token: append,
          ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)),
        },
      });
      if (mine !== seq.current) return;
      setItems((old) => (append ? [...old, ...data.items] : data.items));
      setTotal(data.total ?? null);
      setToken(data.next_page_token ?? '');
    } catch (err) {
      if (mine === seq.current) setError(err);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [catalog.path, debouncedQ, asOf, includeRetired, filters]);
  useEffect(() => {
    load('');
  }, [load]);

  const filtered = Boolean(debouncedQ || Object.values(filters).some(Boolean));
  const shown = items.length;
  const count = total ?? shown;
  const summary = total === null && !shown ? '' : count === 0
    ? (filtered ? `Không tìm thấy ${catalog.singular} nào phù hợp.` : '')
    : `${filtered ? 'Tìm thấy' : 'Có'} ${numberFormat.format(count)} ${catalog.singular}${shown < count ? ` (đang hiển thị ${numberFormat.format(shown)}).` : '.'}`;

  const cell = (c: CatalogDef['columns'][number], item: Item): ReactNode => {
    const v = item[c.key];
    const link = href(catalog.route, item.code, undefined, asOf);
    if (c.main) {
      const text = c.type === 'ref' ? `${v} ${ctx.indicatorName(String(v)) ?? ''}`.trim() : String(v ?? '');
      return <a href={link} className="row-link" data-testid={`catalog-link-${item.code}`}><Highlighted text={text} query={debouncedQ} /></a>;
    }
    if (c.key === 'code') return <code><Highlighted text={String(v)} query={debouncedQ} /></code>;
    if (c.type === 'count') return numberFormat.format(((v as unknown[]) ?? []).length);
    if (c.type === 'range') return v ? `${v}–${item[c.to!]}` : '';
    if (c.type === 'date') return formatDate(v as string);
    if (c.type === 'enum') return v ? c.options![String(v)] ?? String(v) : '';
    if (c.type === 'enums') return ((v as string[]) ?? []).map((x) => c.options![x] ?? x).join(' / ');
    return v === null || v === undefined ? '' : String(v);
  };

  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title" data-testid="catalog-title">{catalog.title}</h1>
          <p className="muted page-lead">{catalog.lead}</p>
        </div>
        <div className="page-actions">
          {catalog.key === 'period-targets' ? <Button href={href(catalog.route, 'bang')} data-testid="catalog-grid">{can.editCatalogs ? 'Sửa dạng bảng' : 'Xem dạng bảng'}</Button> : null}
          {can.editCatalogs && catalog.importable ? <Button href={href(catalog.route, 'nhap')} data-testid="catalog-import">Nhập từ Excel</Button> : null}
          {can.editCatalogs ? <Button type="primary" href={href(catalog.route, 'moi')} data-testid="catalog-add">+ Thêm {catalog.singular}</Button> : null}
        </div>
      </div>
      <Card className="toolbar" role="search" aria-label={`Tìm và lọc ${catalog.title.toLowerCase()}`}>
        <div className="toolbar-row">
          <div className="field field-grow">
            <label htmlFor="catalog-search">Tìm {catalog.singular}</label>
            <Input id="catalog-search" type="search" data-testid="catalog-search" value={q} autoFocus autoComplete="off" spellCheck={false}
              placeholder={catalog.searchHint ?? 'Tên hoặc mã, không cần dấu'} aria-describedby="catalog-summary"
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setQ('');
                if (e.key === 'Enter') document.querySelector<HTMLAnchorElement>('a.row-link')?.focus();
              }} />
          </div>
          {catalog.filters.map((f) => (
            <div className="field" key={f.key}>
              <label htmlFor={`filter-${f.key}`}>{f.label}</label>
              <FilterInput f={f} value={filters[f.key] ?? ''} onChange={(v) => setFilters((old) => ({ ...old, [f.key]: v.trim() }))} />
            </div>
          ))}
          <div className="field">
            <label htmlFor="catalog-as-of">Thời điểm</label>
            <DatePicker id="catalog-as-of" data-testid="catalog-as-of" value={asOf ? dayjs(asOf) : null} format={['DD/MM/YYYY', 'YYYY-MM-DD']}
              placeholder="Hiện hành" onChange={(d) => setAsOf(d ? d.format('YYYY-MM-DD') : '')} />
          </div>
          <div className="field field-check">
            <Checkbox id="catalog-retired" data-testid="catalog-include-retired" checked={includeRetired} onChange={(e) => setIncludeRetired(e.target.checked)}>
              Gồm cả mục ngừng sử dụng
            </Checkbox>
          </div>
        </div>
      </Card>
      <Card className="list-card">
        <p className={`search-summary${count === 0 ? ' is-empty' : ''}`} id="catalog-summary" data-testid="catalog-summary" aria-live="polite">{summary}</p>
        {error ? <Alert type="error" showIcon data-testid="catalog-list-error" message={problemText(error, 'Không tải được danh sách')}
          action={<Button size="small" onClick={() => load('')}>Thử lại</Button>} /> : null}
        <div className="table-wrap">
          <table className="data-table" data-testid="catalog-table" aria-busy={loading || undefined} aria-labelledby="page-title">
            <thead><tr>
              {catalog.columns.map((c) => <th key={c.key} scope="col" className={c.main ? 'col-main' : undefined}>{c.label}</th>)}
              <th scope="col">Hiệu lực từ</th><th scope="col">Trạng thái</th>
            </tr></thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.code} data-testid={`catalog-row-${item.code}`} className={item.retired ? 'is-retired' : undefined}
                  onClick={(e) => { if (!(e.target as HTMLElement).closest('a')) navigate(href(catalog.route, item.code, undefined, asOf)); }}>
                  {catalog.columns.map((c) => <td key={c.key} className={c.main ? 'col-main' : 'nowrap'}>{cell(c, item)}</td>)}
                  <td className="nowrap">{formatDate(item.valid_from)}</td>
                  <td><StatusBadge item={item} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {loading ? <div className="tree-state"><Spin size="small" /> Đang tải…</div> : null}
        {!loading && count === 0 ? (
          <div className="empty-state" data-testid="catalog-empty">
            <p>{filtered ? 'Không có kết quả. Thử bỏ bớt bộ lọc hoặc tìm bằng từ khác.' : `Chưa có ${catalog.singular} nào.`}</p>
          </div>
        ) : null}
        {token ? <div className="list-foot"><Button data-testid="catalog-more" onClick={() => load(token)}>Xem thêm</Button></div> : null}
      </Card>
    </section>
  );
}

// ------------------------------------------------------------------ detail

interface Revision {
  number: number;
  action: string;
  valid_from: string;
  valid_to?: string | null;
  superseded?: boolean;
  retired?: boolean;
  reason?: string;
  author?: string;
  recorded_at?: string;
  changed_fields?: string[];
  definition?: Record<string, unknown>;
}

function HistoryPanel({ catalog, code, history, shown, asOf }: {
  catalog: CatalogDef; code: string; history: { revisions: Revision[]; error?: unknown }; shown: Item; asOf: string;
}) {
  const revisions = history.revisions ?? [];
  const today = todayIso();
  return (
    <Card className="side-card" data-testid="history" title={<h2 className="card-title" id="history-title">Lịch sử thay đổi</h2>}>
      {history.error ? <p className="field-error">{problemText(history.error, 'Không tải được lịch sử')}</p>
        : !revisions.length ? <p className="muted">Chưa có lịch sử.</p> : (
          <ol className="timeline" aria-labelledby="history-title">
            {revisions.slice().reverse().map((rev) => {
              const index = revisions.indexOf(rev);
              const previous = index > 0 ? revisions[index - 1] : null;
              let state: { key: string; label: string; color: string };
              if (rev.superseded) state = { key: 'superseded', label: 'Bị thay thế', color: 'default' };
              else if (rev.valid_from > today) state = { key: 'upcoming', label: 'Sắp có hiệu lực', color: 'gold' };
              else if (!rev.valid_to || rev.valid_to >= today) state = rev.retired ? { key: 'retired', label: 'Ngừng sử dụng', color: 'default' } : { key: 'active', label: 'Đang hiệu lực', color: 'green' };
              else state = { key: 'ended', label: 'Đã hết hiệu lực', color: 'default' };
              const action = ({ created: 'Tạo mới', revised: 'Sửa đổi', retired: 'Ngừng sử dụng', reinstated: 'Dùng lại' } as Record<string, string>)[rev.action] ?? rev.action;
              const viewing = shown.revision === rev.number;
              const range = rev.superseded ? 'Chưa từng có hiệu lực'
                : `Hiệu lực từ ${formatDate(rev.valid_from)}${rev.valid_to ? ` đến ${formatDate(rev.valid_to)}` : ''}`;
              return (
                <li key={rev.number} className={`timeline-item timeline-${state.key}${viewing ? ' is-viewing' : ''}`} data-testid={`history-item-${rev.number}`}>
                  <div className="timeline-head"><strong>Phiên bản {rev.number}</strong> · {action} <Tag className={`status status-${state.key}`}>{state.label}</Tag></div>
                  <p className="timeline-range" data-testid={`history-range-${rev.number}`}>{range}</p>
                  <p className="muted timeline-meta">{[rev.author, formatDateTime(rev.recorded_at)].filter(Boolean).join(' · ')}</p>
                  {rev.reason ? <p className="timeline-reason">Lý do: {rev.reason}</p> : null}
                  {previous && rev.action !== 'retired' && rev.changed_fields?.length ? (
                    <ul className="change-list">
                      {rev.changed_fields.map((f) => (
                        <li key={f} data-testid={`history-change-${rev.number}-${f}`}>
                          <span className="change-field">{changedFieldLabel(catalog, f)}</span>: <span className="change-before">{changedFieldValue(catalog, f, previous.definition?.[f])}</span>
                          {' → '}<span className="change-after">{changedFieldValue(catalog, f, rev.definition?.[f])}</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {!rev.superseded && !viewing ? (
                    <a className="timeline-view" data-testid={`history-view-${rev.number}`} href={href(catalog.route, code, undefined, rev.valid_from)}>Xem phiên bản này</a>
                  ) : viewing ? <span className="muted timeline-view">{asOf ? 'Đang xem' : 'Đang hiển thị'}</span> : null}
                </li>
              );
            })}
          </ol>
        )}
    </Card>
  );
}

function DeadlinePanel({ calendar }: { calendar: Item }) {
  const now = new Date();
  const [kind, setKind] = useState('M');
  const [number, setNumber] = useState(String(now.getMonth() + 1));
  const [year, setYear] = useState(String(now.getFullYear()));
  const [result, setResult] = useState<ReactNode>(null);
  const max = ({ M: 12, Q: 4, H: 2, Y: 1 } as Record<string, number>)[kind];
  const periodCode = () => {
    const n = Math.min(Number(number) || 1, max);
    if (kind === 'M') return `${year}-M${String(n).padStart(2, '0')}`;
    if (kind === 'Q') return `${year}-Q${n}`;
    if (kind === 'H') return `${year}-H${n}`;
    return `${year}`;
  };
  const compute = async () => {
    setResult(<span className="muted">Đang tính…</span>);
    try {
      const { data: r } = await request<{
        period_label?: string; due_date: string; cutoff_start?: string; cutoff_end?: string;
        internal_deadlines?: Array<{ name?: string; step: string; responsible?: string; due_date: string }>;
      }>('GET', `/api/v1/calendars/${encodeURIComponent(calendar.code)}/deadlines`, { query: { period: periodCode() } });
      setResult(
        <>
          <p className="deadline-period">{r.period_label || periodCode()}</p>
          <dl className="deadline-list">
            <div className="deadline-row deadline-main"><dt>Hạn báo cáo</dt><dd data-testid="deadline-due">{formatDate(r.due_date)}</dd></div>
            {r.cutoff_start ? <div className="deadline-row"><dt>Thời gian chốt số liệu</dt><dd data-testid="deadline-cutoff">{formatDate(r.cutoff_start)} – {formatDate(r.cutoff_end)}</dd></div> : null}
            {(r.internal_deadlines ?? []).map((d) => (
              <div className="deadline-row" key={d.step}><dt>{d.name || d.step}{d.responsible ? <span className="muted"> ({d.responsible})</span> : null}</dt><dd>{formatDate(d.due_date)}</dd></div>
            ))}
          </dl>
        </>,
      );
    } catch (err) {
      setResult(<p className="field-error">{problemText(err, 'Không tính được hạn')} {err instanceof ApiError ? err.fieldErrors.map((e) => e.message).join(' ') : ''}</p>);
    }
  };
  useEffect(() => {
    compute();
    // first computation for the current month only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <Card className="side-card" data-testid="deadline-panel" title={<h2 className="card-title">Tính hạn báo cáo</h2>}>
      <div className="inline deadline-form">
        <Select data-testid="deadline-kind" aria-label="Loại kỳ" value={kind} onChange={setKind} className="deadline-kind"
          options={[{ value: 'M', label: 'Tháng' }, { value: 'Q', label: 'Quý' }, { value: 'H', label: '6 tháng' }, { value: 'Y', label: 'Năm' }]} />
        <Input data-testid="deadline-number" aria-label="Số kỳ" className="input-tiny" inputMode="numeric" disabled={kind === 'Y'} value={number} onChange={(e) => setNumber(e.target.value)} />
        <Input data-testid="deadline-year" aria-label="Năm" className="input-year" inputMode="numeric" value={year} onChange={(e) => setYear(e.target.value)} />
        <Button data-testid="deadline-compute" onClick={compute}>Tính</Button>
      </div>
      <div className="deadline-result" data-testid="deadline-result" aria-live="polite">{result}</div>
    </Card>
  );
}

function SetsOfIndicator({ item }: { item: Item }) {
  const [sets, setSets] = useState<Item[]>([]);
  useEffect(() => {
    request<Page>('GET', '/api/v1/indicator-sets', { query: { page_size: 100 } })
      .then(({ data }) => setSets(data.items.filter((s) => ((s.items as Array<{ indicator_code: string }>) ?? []).some((i) => i.indicator_code === item.code))), () => {});
  }, [item.code]);
  if (!sets.length) return null;
  return (
    <Card className="side-card" data-testid="indicator-sets-of" title={<h2 className="card-title">Thuộc bộ chỉ số</h2>}>
      <ul className="plain-list">
        {sets.map((s) => {
          const m = (s.items as Array<{ indicator_code: string; ordinal?: string; responsible_office?: string; frequencies?: string[] }>).find((i) => i.indicator_code === item.code)!;
          return (
            <li key={s.code}>
              <a href={href('bo-chi-so', s.code)} className="ref-link"><code>{s.code}</code></a>{' '}
              <span className="muted">{[m.ordinal && `STT ${m.ordinal}`, m.responsible_office, (m.frequencies ?? []).map((f) => PERIOD_KINDS[f] ?? f).join(' / ')].filter(Boolean).join(' · ')}</span>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

/** Members of an indicator set per responsible office (a bar chart, loaded when shown). */
function MembersChart({ set }: { set: Item }) {
  const members = (set.items as Array<{ responsible_office?: string }>) ?? [];
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.responsible_office || '—', (counts.get(m.responsible_office || '—') ?? 0) + 1);
  const offices = [...counts.keys()].sort();
  const option = useMemo(() => ({
    grid: { left: 80, right: 40, top: 10, bottom: 20 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: chartFormat.number } },
    yAxis: { type: 'category', data: offices, inverse: true },
    series: [{ type: 'bar', data: offices.map((o) => counts.get(o)), itemStyle: { color: '#0b5cab' },
      label: { show: true, position: 'right', formatter: (p: { value: number }) => chartFormat.number(p.value) } }],
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [set.code, members.length]);
  if (!members.length) return null;
  const label = `Số chỉ số theo đơn vị thực hiện: ${offices.map((o) => `${o} ${numberFormat.format(counts.get(o)!)}`).join(', ')}`;
  return (
    <Card className="side-card" title={<h2 className="card-title">Chỉ số theo đơn vị thực hiện</h2>}>
      <Suspense fallback={<p className="muted">Đang tải biểu đồ…</p>}>
        <Chart option={option} label={label} height={Math.max(120, offices.length * 34)} testid="members-chart" />
      </Suspense>
    </Card>
  );
}

function RetireDialog({ catalog, item, onClose, onDone }: { catalog: CatalogDef; item: Item; onClose: () => void; onDone: () => void }) {
  const [validTo, setValidTo] = useState(todayIso());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await request('POST', `/api/v1${catalog.path}/${encodeURIComponent(item.code)}/retire`, {
        body: { valid_to: validTo || null, reason: reason.trim() }, headers: { 'If-Match': `"${item.version}"` },
      });
      invalidate(catalog.key);
      toast(`Đã ngừng sử dụng ${catalog.singular} “${item.code}”.`);
      onDone();
    } catch (err) {
      setError([problemText(err, 'Không thực hiện được'), ...(err instanceof ApiError ? err.fieldErrors.map((f) => f.message) : [])].join(' '));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`Ngừng sử dụng ${catalog.singular}`} onCancel={onClose} destroyOnHidden
      modalRender={(node) => <div data-testid="retire-dialog">{node}</div>}
      footer={[
        <Button key="c" onClick={onClose}>Hủy</Button>,
        <Button key="ok" danger type="primary" loading={busy} data-testid="retire-confirm" onClick={confirm}>Ngừng sử dụng</Button>,
      ]}>
      <p><code className="code-chip">{item.code}</code> {String(item[catalog.nameField ?? 'name'] ?? '')}</p>
      <p className="muted">Mục danh mục không bị xóa: số liệu đã báo cáo vẫn giữ nguyên định nghĩa. Từ ngày sau ngày cuối hiệu lực, mục không còn được dùng cho kỳ báo cáo mới.</p>
      {error ? <Alert type="error" showIcon data-testid="retire-error" message={error} /> : null}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="retire-valid-to">Ngày cuối còn hiệu lực</label>
          <DatePicker id="retire-valid-to" data-testid="retire-valid-to" autoFocus value={validTo ? dayjs(validTo) : null} format={['DD/MM/YYYY', 'YYYY-MM-DD']}
            onChange={(d) => setValidTo(d ? d.format('YYYY-MM-DD') : '')} />
        </div>
        <div className="field field-wide">
          <label htmlFor="retire-reason">Lý do</label>
          <Input.TextArea id="retire-reason" data-testid="retire-reason" rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      </div>
    </Modal>
  );
}

function CatalogDetail({ catalog, code, asOf, ctx }: { catalog: CatalogDef; code: string; asOf: string; ctx: Ctx }) {
  const { can } = useSession();
  const toast = useToast();
  const [state, setState] = useState<{ item: Item; history: { revisions: Revision[]; error?: unknown } } | { error: unknown } | null>(null);
  const [retiring, setRetiring] = useState(false);
  const [exporting, setExporting] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const [{ data: item, response }, history] = await Promise.all([
        request<Item>('GET', `/api/v1${catalog.path}/${encodeURIComponent(code)}`, { query: { as_of: asOf } }),
        request<{ revisions: Revision[] }>('GET', `/api/v1${catalog.path}/${encodeURIComponent(code)}/history`)
          .then((r) => r.data, (error) => ({ revisions: [], error })),
      ]);
      if (item.version === undefined || item.version === null) item.version = Number(/"([^"]*)"/.exec(response.headers.get('ETag') || '')?.[1]);
      setState({ item, history });
    } catch (error) {
      setState({ error });
    }
  }, [catalog.path, code, asOf]);
  useEffect(() => {
    setState(null);
    load();
  }, [load]);

  if (!state) return <div className="view-center"><Spin /><p>Đang tải…</p></div>;
  if ('error' in state) {
    const notFound = state.error instanceof ApiError && state.error.status === 404;
    return (
      <section className="view">
        <Crumbs catalog={catalog} code={code} />
        <Result status={notFound ? '404' : 'warning'} data-testid="catalog-error"
          title={<h1 className="result-title">{notFound ? `Không tìm thấy ${catalog.singular}` : problemText(state.error, 'Đã có lỗi xảy ra')}</h1>}
          subTitle={notFound ? `Không có ${catalog.singular} mã “${code}”.` : ''}
          extra={[<Button key="b" href={href(catalog.route)}>Về danh sách {catalog.title.toLowerCase()}</Button>,
            notFound ? null : <Button key="r" type="primary" onClick={load}>Thử lại</Button>]} />
      </section>
    );
  }
  const { item, history } = state;
  const nameKey = catalog.nameField ?? 'name';
  const title = nameKey === 'indicator_code' ? `${item.indicator_code} ${ctx.indicatorName(String(item.indicator_code)) ?? ''}`.trim() : String(item[nameKey] ?? '');
  const revisions = history.revisions ?? [];
  const last = revisions[revisions.length - 1];
  const retiredFrom = last?.retired ? last.valid_from : null;
  const doExport = async (format: string) => {
    setExporting(format);
    try {
      const name = await download(`/api/v1/indicator-sets/${encodeURIComponent(item.code)}/export`, { format, as_of: asOf });
      toast(`Đã xuất “${name}”.`);
    } catch (err) {
      toast(problemText(err, 'Không xuất được tệp'));
    } finally {
      setExporting(null);
    }
  };
  const sections = catalog.sections.map((section) => {
    const shown = section.fields.filter((f) => f.required || f.type === 'table' || !(item[f.key] === null || item[f.key] === undefined || item[f.key] === ''
      || (Array.isArray(item[f.key]) && !(item[f.key] as unknown[]).length)
      || (typeof item[f.key] === 'object' && !Array.isArray(item[f.key]) && Object.values(item[f.key] as object).every((x) => !x))));
    if (!shown.length) return null;
    return (
      <Card key={section.title} className="detail-card" title={<h2 className="card-title">{section.title}</h2>}>
        <dl className="field-list">
          {shown.map((f) => (
            <div key={f.key} className={`field-item${f.wide || f.type === 'table' || f.type === 'sections' ? ' field-item-wide' : ''}`}>
              <dt className={f.type === 'table' && shown.length === 1 ? 'visually-hidden' : undefined}>{f.label}</dt>
              <dd data-testid={`value-${f.key}`}><ValueView field={f} value={item[f.key]} ctx={ctx} /></dd>
            </div>
          ))}
        </dl>
      </Card>
    );
  });
  const nextRetired = revisions.find((r) => r.number > (item.revision ?? 0) && !r.superseded)?.retired ?? null;
  return (
    <section className="view" aria-labelledby="page-title">
      <Crumbs catalog={catalog} extra={item.code} />
      <div className="page-head detail-head">
        <div className="detail-title-wrap">
          <div className="detail-kicker"><code className="code-chip" data-testid="item-code">{item.code}</code><StatusBadge item={item} testid="item-status" nextRetired={nextRetired} /></div>
          <h1 id="page-title" data-testid="item-title">{title}</h1>
          {catalog.key === 'indicator-sets' && legalText(item.legal_document as never) ? <p className="muted page-lead">Căn cứ: {legalText(item.legal_document as never)}</p> : null}
        </div>
        <div className="page-actions">
          {catalog.key === 'indicator-sets' ? (
            <>
              <Button data-testid="export-xlsx" loading={exporting === 'xlsx'} onClick={() => doExport('xlsx')}>Xuất Excel</Button>
              <Button data-testid="export-json" loading={exporting === 'json'} onClick={() => doExport('json')}>Xuất JSON</Button>
            </>
          ) : null}
          {can.editCatalogs && !asOf && !retiredFrom ? (
            <>
              <Button type="primary" href={href(catalog.route, code, 'sua')} data-testid="edit-button">Sửa</Button>
              <Button danger data-testid="retire-button" onClick={() => setRetiring(true)}>Ngừng sử dụng</Button>
            </>
          ) : null}
        </div>
      </div>
      {asOf ? (
        <Alert type="info" showIcon data-testid="as-of-banner" className="banner-inline" message={`Đang xem phiên bản có hiệu lực tại ngày ${formatDate(asOf)}.`}
          action={<Button size="small" href={href(catalog.route, code)}>Xem phiên bản hiện hành</Button>} />
      ) : null}
      {retiredFrom ? (
        <Alert type="warning" showIcon data-testid="retired-banner" className="banner-inline"
          message={`${cap(catalog.singular)} này ${retiredFrom > todayIso() ? 'sẽ' : 'đã'} ngừng sử dụng từ ngày ${formatDate(retiredFrom)}.`}
          description={last.reason ? `Lý do: ${last.reason}` : undefined} />
      ) : null}
      <div className="detail-layout">
        <div className="detail-main">
          {sections}
          <Card className="detail-card" title={<h2 className="card-title">Hiệu lực</h2>}>
            <dl className="field-list">
              {[
                ['valid-from', 'Hiệu lực từ ngày', formatDate(item.valid_from) || '—'],
                ['valid-to', 'Hiệu lực đến ngày', item.valid_to ? formatDate(item.valid_to) : 'Chưa xác định'],
                ['revision', 'Phiên bản đang xem', item.revision ? String(item.revision) : '—'],
                ['updated', 'Cập nhật', item.audit?.updated_at ? `${formatDateTime(item.audit.updated_at)}${item.audit.updated_by ? ` bởi ${item.audit.updated_by}` : ''}` : '—'],
              ].map(([k, l, v]) => <div key={k} className="field-item"><dt>{l}</dt><dd data-testid={`value-${k}`}>{v}</dd></div>)}
            </dl>
          </Card>
        </div>
        <aside className="detail-aside" aria-label="Thông tin thêm">
          {catalog.key === 'indicators' ? <SetsOfIndicator item={item} /> : null}
          {catalog.key === 'calendars' ? <DeadlinePanel calendar={item} /> : null}
          {catalog.key === 'indicator-sets' ? <MembersChart set={item} /> : null}
          <HistoryPanel catalog={catalog} code={code} history={history} shown={item} asOf={asOf} />
        </aside>
      </div>
      {retiring ? <RetireDialog catalog={catalog} item={item} onClose={() => setRetiring(false)} onDone={() => { setRetiring(false); load(); }} /> : null}
    </section>
  );
}

// ------------------------------------------------------------------ router

export default function CatalogScreens({ route, catalog }: { route: Route; catalog: CatalogDef }) {
  const ctx = useCtx();
  const indicators = useIndicators();
  const fallback = <div className="view-center"><Spin /><p>Đang tải…</p></div>;
  let screen: ReactNode;
  if (route.action === 'import') screen = <ImportPage ctx={ctx} />;
  else if (route.action === 'grid') screen = <PeriodTargetsGrid ctx={ctx} />;
  else if (route.action === 'new' || route.action === 'edit') {
    screen = <CatalogForm key={`${catalog.key}/${route.code ?? ''}`} catalog={catalog} code={route.code} ctx={ctx} crumbs={<Crumbs catalog={catalog} code={route.code} extra={route.code ? 'Sửa' : 'Thêm mới'} />} />;
  } else if (route.code) screen = <CatalogDetail key={`${catalog.key}/${route.code}`} catalog={catalog} code={route.code} asOf={route.asOf} ctx={ctx} />;
  else screen = <CatalogList key={catalog.key} catalog={catalog} ctx={ctx} />;
  return (
    <>
      <datalist id="indicator-codes">
        {[...indicators.values()].map((i) => <option key={i.code} value={i.code}>{String(i.name ?? '')}</option>)}
      </datalist>
      <Suspense fallback={fallback}>{screen}</Suspense>
    </>
  );
}

export { BY_KEY, Crumbs };
