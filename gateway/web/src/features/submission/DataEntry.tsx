// "Nhập số liệu báo cáo" (`#/bao-cao/{id}`): the report's form on the editable grid, one row
// per figure key. Typing (or pasting a block from Excel) saves as you type: each change goes
// into the browser's queue (entry-queue.ts) and is sent shortly after, with the version of the
// figure it was typed over. Offline, the queue waits (and survives a reload: the last report
// read is kept too) and is sent when the connection returns. A figure someone else changed
// meanwhile is shown with both values; the user keeps theirs or takes the server's. Below the
// grid: the workflow steps the user may take now, and the report's history.
import { Alert, Button, Card, Input, Modal, Select, Spin, Table, Tabs, Tag, Upload } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { href } from '../../app/route';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { EditableGrid, type CellEdit, type EditableGridHandle, type GridColumn } from '../../components/EditableGrid';
import { rememberAssets } from '../../lib/offline-shell';
import { ApiError, problemText } from '../../lib/problem';
import { REPORT_COLUMNS } from '../../lib/labels';
import { formatDate, formatDateTime, formatNumber, formatNumberForInput } from '../../lib/vn';
import * as api from './api';
import { AttachmentsPanel } from './AttachmentsPanel';
import { ReportNotePanel } from './ReportNotePanel';
import { TaskProgressPanel } from './TaskProgressPanel';
import { EntryQueue, flush, type Pending } from './entry-queue';
import {
  availableActions, canEditRow, entryRows, figureOfCell, figureValue, keyText, mergeReport, SECTION_STATUS, STEP_ACTIONS, SUBMISSION_STATUS,
  SUBMISSION_STATUS_CLASS, TIMELINESS_CLASS, type ActionName, type EntryRow, type History, type ReportWithContext, type Viewer,
} from './model';

const SAVE_DELAY_MS = 700;
const RETRY_MS = 8000;

type Sync = 'saved' | 'saving' | 'offline' | 'refused';

export function StatusTag({ status, testid }: { status: string; testid?: string }) {
  return <Tag className={`status ${SUBMISSION_STATUS_CLASS[status] ?? ''}`} data-testid={testid}>{SUBMISSION_STATUS[status] ?? status}</Tag>;
}

export function TimelinessTag({ t, testid }: { t?: { state: string; label: string } | null; testid?: string }) {
  if (!t?.label) return null;
  return <Tag className={`status ${TIMELINESS_CLASS[t.state] ?? ''}`} data-testid={testid}>{t.label}</Tag>;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** Names beside codes: dimension members (from the catalog) and offices (from the unit tree). */
function useNames(sub: ReportWithContext | null, online: boolean) {
  const [dims, setDims] = useState<Map<string, api.IndicatorDims> | null>(null);
  const [offices, setOffices] = useState<Record<string, string>>({});
  const officeCodes = useMemo(() => (sub ? [...new Set([sub.org_unit_code, ...sub.lines.map((l) => l.office_code)])].sort().join(' ') : ''), [sub]);
  useEffect(() => {
    if (online) api.loadIndicatorDims().then(setDims, () => setDims((d) => d ?? new Map()));
    else setDims((d) => d ?? new Map()); // offline: codes until the connection returns
  }, [online]);
  useEffect(() => {
    let live = true;
    const codes = officeCodes ? officeCodes.split(' ') : [];
    Promise.all(codes.map(async (c) => [c, await api.unitName(c)] as const)).then((pairs) => live && setOffices(Object.fromEntries(pairs)));
    return () => {
      live = false;
    };
  }, [officeCodes, online]);
  return useMemo(() => ({
    /** changes once the names arrived (the grid is drawn again with them) */
    version: `${dims?.size ?? -1}-${Object.values(offices).join('|')}`,
    member: (indicator: string, dimension: string, member: string) =>
      dims?.get(indicator)?.dimensions?.find((d) => d.code === dimension)?.members?.find((m) => m.code === member)?.name || member,
    office: (code: string) => offices[code] || code,
    unitOfMeasure: (indicator: string) => dims?.get(indicator)?.unit_of_measure ?? '',
  }), [dims, offices]);
}

function pendingView(rows: EntryRow[], queue: EntryQueue): EntryRow[] {
  return rows.map((r) => {
    const p = queue.get(r.keyText);
    const e = r.estimateKeyText ? queue.get(r.estimateKeyText) : undefined;
    return { ...r, ...(p ? { value: p.value, note: p.note } : {}), ...(e ? { estimate: e.value } : {}) };
  });
}

export default function DataEntry({ id }: { id: string }) {
  const session = useSession();
  const toast = useToast();
  const online = useOnline();
  const viewer: Viewer = useMemo(() => ({ roles: session.roles, unit: String(session.claims.org_unit ?? '') }), [session.roles, session.claims.org_unit]);
  const queue = useMemo(() => new EntryQueue(id), [id]);
  const [sub, setSub] = useState<ReportWithContext | null>(null);
  const [fromCache, setFromCache] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const [, setTick] = useState(0);
  const [sync, setSync] = useState<Sync>('saved');
  const [syncMessage, setSyncMessage] = useState('');
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [actionError, setActionError] = useState<unknown>(null);
  const grid = useRef<EditableGridHandle>(null);
  const subRef = useRef<ReportWithContext | null>(null);
  subRef.current = sub;
  const names = useNames(sub, online);
  const rerender = () => setTick((t) => t + 1);

  // ------------------------------------------------------------------ loading
  const load = useCallback(async (remount: boolean) => {
    setLoadError(null);
    try {
      const s = await api.getSubmission(id);
      queue.setSnapshot(s);
      setSub(s);
      setFromCache(false);
      if (remount) setGeneration((g) => g + 1);
    } catch (err) {
      const cached = queue.snapshot() as ReportWithContext | null;
      if (err instanceof ApiError && err.status === 0 && cached) {
        setSub(cached);
        setFromCache(true);
        setSync('offline');
        if (remount) setGeneration((g) => g + 1);
      } else setLoadError(err);
    }
  }, [id, queue]);
  useEffect(() => {
    load(true);
    rememberAssets(); // this screen's code, kept for a reload without network
  }, [load]);

  const rows = useMemo(() => (sub ? entryRows(sub, names) : []), [sub, names]);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // ------------------------------------------------------------------ saving as you type
  const timer = useRef<number>(undefined);
  const running = useRef(false);
  const again = useRef(false);

  /** The server's report arrived: show its figures where nothing waits to be sent. */
  const apply = useCallback((answer: ReportWithContext) => {
    const s = mergeReport(answer, subRef.current);
    setSub(s);
    setFromCache(false);
    const figures = new Map(s.figures.map((f) => [keyText(f.key), f]));
    for (const r of rowsRef.current) {
      const f = figures.get(r.keyText);
      const server = { value: figureValue(f), note: f?.note ?? '', version: f?.version ?? 0, updated_by: f?.updated_by ?? '', return_comment: f?.return_comment ?? '' };
      const p = queue.get(r.keyText);
      const ef = r.estimateKeyText ? figures.get(r.estimateKeyText) : undefined;
      const e = r.estimateKeyText ? queue.get(r.estimateKeyText) : undefined;
      grid.current?.setCells((src) => src.keyText === r.keyText, { ...server, ...(r.estimateKeyText ? { estimate: figureValue(ef) } : {}) }, true);
      if (p || e) grid.current?.setCells((src) => src.keyText === r.keyText, { ...(p ? { value: p.value, note: p.note } : {}), ...(e ? { estimate: e.value } : {}) }, false);
    }
    grid.current?.refresh();
  }, [queue]);

  const run = useCallback(async () => {
    window.clearTimeout(timer.current);
    if (running.current) {
      again.current = true;
      return;
    }
    if (!navigator.onLine) {
      setSync('offline');
      rerender();
      return;
    }
    running.current = true;
    setSync('saving');
    try {
      const r = await flush(queue, {
        save: (entries) => api.saveFigures(id, entries),
        load: () => api.getSubmission(id),
      });
      if (r.state === 'offline') {
        setSync('offline');
        timer.current = window.setTimeout(() => void run(), RETRY_MS);
      } else if (r.state === 'refused') {
        setSync('refused');
        setSyncMessage(r.message);
      } else if (r.state === 'retry') {
        setSync('refused');
        setSyncMessage(r.message);
        timer.current = window.setTimeout(() => void run(), RETRY_MS);
      } else {
        setSync('saved');
        setSyncMessage('');
        if (r.submission) apply(r.submission);
      }
    } finally {
      running.current = false;
      rerender();
      grid.current?.refresh();
      if (again.current) {
        again.current = false;
        timer.current = window.setTimeout(() => void run(), 0);
      }
    }
  }, [apply, id, queue]);

  const schedule = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void run(), SAVE_DELAY_MS);
  }, [run]);

  useEffect(() => {
    if (online && sub) void run(); // the connection is back (or the page opened with edits kept)
    return () => window.clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [online, sub !== null]);

  const onEdit = useCallback((edits: CellEdit[]) => {
    const s = subRef.current;
    if (!s) return;
    const figures = new Map(s.figures.map((f) => [keyText(f.key), f]));
    let queued = false;
    for (const e of edits) {
      if (!e.parsed.ok) continue;
      const row = e.source as unknown as EntryRow;
      const fig = figureOfCell(row, e.field);
      if (!fig) continue;
      const p = queue.get(fig.keyText);
      const f = figures.get(fig.keyText);
      const base = { version: f?.version ?? 0, value: figureValue(f), note: f?.note ?? '' };
      const current = { value: p?.value ?? base.value, note: p?.note ?? base.note };
      const text = String(e.parsed.value ?? '');
      if (e.field === 'note') current.note = text;
      else current.value = text;
      queue.edit(fig.key, current.value, current.note, base);
      setServerErrors((old) => {
        if (!old[fig.keyText]) return old;
        const { [fig.keyText]: _gone, ...rest } = old;
        return rest;
      });
      queued = true;
    }
    if (queued) {
      rerender();
      schedule();
    }
  }, [queue, schedule]);

  // ------------------------------------------------------------------ the grid
  const hasContext = Boolean(sub?.context?.length);
  const hasEstimates = rows.some((r) => r.estimateKey);
  const columns: GridColumn[] = useMemo(() => [
    { field: 'stt', title: 'Mục', kind: 'text', readOnly: true, width: 56, frozen: true },
    { field: 'indicator', title: 'Chỉ tiêu', kind: 'text', readOnly: true, width: 260, frozen: true },
    { field: 'members', title: 'Chi tiết', kind: 'text', readOnly: true, width: 110 },
    { field: 'unit', title: 'Đơn vị tính', kind: 'text', readOnly: true, width: 80 },
    { field: 'office', title: 'Phòng nhập', kind: 'text', readOnly: true, width: 120 },
    ...(hasContext ? [
      { field: 'target', title: REPORT_COLUMNS.target, kind: 'text', readOnly: true, width: 90 },
      { field: 'previous_year', title: REPORT_COLUMNS.same_period_last_year, kind: 'decimal', readOnly: true, width: 100 },
      { field: 'year_to_date', title: REPORT_COLUMNS.year_to_date, kind: 'decimal', readOnly: true, width: 100 },
    ] as GridColumn[] : []),
    { field: 'value', title: REPORT_COLUMNS.actual, kind: 'decimal', width: 110 },
    ...(hasEstimates ? [{ field: 'estimate', title: REPORT_COLUMNS.estimate, kind: 'decimal', width: 110 } as GridColumn] : []),
    { field: 'note', title: REPORT_COLUMNS.note, kind: 'text', width: 200 },
  ], [hasContext, hasEstimates]);

  const cellColumn = useCallback((source: Record<string, unknown>, col: GridColumn): GridColumn => {
    const s = subRef.current;
    if (col.field !== 'value' && col.field !== 'note' && col.field !== 'estimate') return col;
    const row = source as unknown as EntryRow;
    const editable = Boolean(s) && Boolean(figureOfCell(row, col.field)) && canEditRow(s!, row, viewer);
    const kind = col.field !== 'note' && row.value_type === 'text' ? 'text' : col.kind;
    const bounds = col.field !== 'note' && row.value_type === 'percent' ? { min: 0, max: 100 } : {};
    return { ...col, ...bounds, kind, readOnly: !editable };
  }, [viewer]);

  const serverErrorsRef = useRef(serverErrors);
  serverErrorsRef.current = serverErrors;
  const cellState = useCallback((source: Record<string, unknown>, field: string) => {
    const row = source as unknown as EntryRow;
    const fig = figureOfCell(row, field);
    if (!fig) return undefined;
    const p = queue.get(fig.keyText);
    if (p?.conflict) return { className: 'cell-mark-conflict', message: `Xung đột: trên máy chủ là ${p.conflict.value || '(trống)'}` };
    if (p?.error) return { className: 'cell-mark-error', message: p.error };
    const err = serverErrorsRef.current[fig.keyText];
    if (err && field !== 'note') return { className: 'cell-mark-error', message: err };
    if (p) return { className: 'cell-mark-pending', message: 'Đang chờ gửi' };
    if (field === 'value' && row.return_comment) return { className: 'cell-mark-returned', message: `Văn phòng trả lại: ${row.return_comment}` };
    return undefined;
  }, [queue]);

  useEffect(() => {
    grid.current?.refresh();
  }, [serverErrors, sub?.status]);

  // ------------------------------------------------------------------ conflicts
  const settle = (p: Pending, keep: boolean) => {
    if (keep) queue.keepMine(p.keyText);
    else {
      queue.takeTheirs(p.keyText);
      const c = p.conflict!;
      const estimate = p.key.kind === 'estimate';
      grid.current?.setCells((src) => (estimate ? src.estimateKeyText : src.keyText) === p.keyText,
        estimate ? { estimate: c.value } : { value: c.value, note: c.note, version: c.version }, true);
    }
    rerender();
    grid.current?.refresh();
    if (keep) schedule();
  };

  // ------------------------------------------------------------------ workflow
  const [dialog, setDialog] = useState<ActionName | null>(null);
  const [busy, setBusy] = useState(false);
  const doStep = async (action: ActionName, body: Parameters<typeof api.step>[2] = {}) => {
    if (!sub) return;
    setBusy(true);
    setActionError(null);
    try {
      const s = mergeReport(await api.step(sub.id, action, { version: sub.version, ...body }), sub);
      queue.setSnapshot(s);
      setSub(s);
      setServerErrors({});
      setDialog(null);
      grid.current?.refresh();
      toast(`${ACTION_LABELS[action]}: xong. Báo cáo ${SUBMISSION_STATUS[s.status]?.toLowerCase() ?? s.status}.`);
    } catch (err) {
      setActionError(err);
      if (err instanceof ApiError) {
        const byKey: Record<string, string> = {};
        for (const fe of err.fieldErrors) {
          if (fe.field !== 'figures' || !fe.at.startsWith('[')) continue;
          const k = fe.at.slice(1, fe.at.lastIndexOf(']'));
          byKey[k] = byKey[k] ? `${byKey[k]}; ${fe.message}` : fe.message;
        }
        setServerErrors(byKey);
      }
    } finally {
      setBusy(false);
    }
  };

  /** A panel saved part of the report (key-task progress, attachments): show the new report. */
  const panelSaved = (answer: ReportWithContext, attachments = false) => {
    const s = mergeReport(answer, subRef.current);
    const next = attachments ? { ...s, attachments: answer.attachments ?? [] } : s;
    queue.setSnapshot(next);
    setSub(next);
  };

  if (loadError) {
    return (
      <section className="view" aria-labelledby="page-title">
        <h1 id="page-title" data-testid="page-title">Báo cáo kỳ</h1>
        <Alert type="error" showIcon data-testid="entry-load-error" message={problemText(loadError, 'Không tải được báo cáo')} />
      </section>
    );
  }
  if (!sub) return <div className="view-center"><Spin /><p>Đang tải…</p></div>;

  const pending = queue.all();
  const waiting = pending.filter((p) => !p.conflict && !p.error).length;
  const conflicts = queue.conflicts();
  const refusedValues = pending.filter((p) => p.error);
  const actions = availableActions(sub, viewer);
  const offline = !online || sync === 'offline';
  const label = (k: string) => {
    const r = rows.find((x) => x.keyText === k || x.estimateKeyText === k);
    const kind = r && r.estimateKeyText === k ? ` (${REPORT_COLUMNS.estimate.toLowerCase()})` : '';
    return r ? `${r.stt}. ${r.indicator}${r.members && r.members !== 'Tổng số' ? ` – ${r.members}` : ''}${kind}` : k;
  };
  const number = (v: string) => (v ? (/^-?\d+(\.\d+)?$/.test(v) ? formatNumber(v, 10) : v) : '(trống)');

  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <p className="muted"><a href={href('bao-cao')}>Báo cáo kỳ</a></p>
          <h1 id="page-title" data-testid="page-title">Báo cáo {sub.period_label} – {names.office(sub.org_unit_code)}</h1>
          <p className="muted page-lead">
            Hạn gửi {formatDate(sub.deadline)} · <StatusTag status={sub.status} testid="entry-status" /> <TimelinessTag t={sub.timeliness} testid="entry-timeliness" />
          </p>
        </div>
        <div className="sync-box" data-testid="sync-box">
          <span role="status" aria-live="polite" data-testid="sync-status" className={`sync-state sync-${offline ? 'offline' : conflicts.length ? 'conflict' : waiting ? 'pending' : sync}`}>
            {offline ? 'Mất kết nối' : sync === 'saving' ? 'Đang lưu…' : conflicts.length ? `Xung đột (${conflicts.length})` : waiting ? 'Chưa lưu' : sync === 'refused' ? 'Chưa lưu được' : 'Đã lưu'}
          </span>
          {waiting ? <span className="sync-pending" data-testid="sync-pending">Đang chờ gửi ({waiting})</span> : null}
          {fromCache ? <span className="muted" data-testid="sync-cached">Đang xem bản lưu trong máy</span> : null}
        </div>
      </div>

      {sync === 'refused' && syncMessage ? <Alert type="error" showIcon data-testid="sync-error" message="Chưa lưu được số liệu" description={syncMessage} /> : null}
      {conflicts.length ? (
        <Alert type="warning" showIcon data-testid="conflicts" role="alert" message="Số liệu vừa được người khác sửa" description={(
          <ul className="conflict-list">
            {conflicts.map((p) => (
              <li key={p.keyText} data-testid="conflict">
                <strong>{label(p.keyText)}</strong>: trên máy chủ là <strong data-testid="conflict-theirs">{number(p.conflict!.value)}</strong>
                {p.conflict!.updatedBy ? ` (do ${p.conflict!.updatedBy} lưu)` : ''}, bạn nhập <strong data-testid="conflict-mine">{number(p.value)}</strong>.{' '}
                <Button size="small" data-testid="conflict-keep-mine" onClick={() => settle(p, true)}>Giữ số của tôi</Button>{' '}
                <Button size="small" data-testid="conflict-take-theirs" onClick={() => settle(p, false)}>Lấy số trên máy chủ</Button>
              </li>
            ))}
          </ul>
        )} />
      ) : null}

      <Tabs items={[
        {
          key: 'form', label: 'Số liệu', children: (
            <>
              <div className="section-tags" data-testid="sections">
                {sub.sections.map((x) => (
                  <Tag key={x.office_code} className={`status ${x.status === 'delivered' ? 'status-active' : x.status === 'returned' ? 'status-danger' : 'status-upcoming'}`} data-testid={`section-${x.office_code}`}>
                    {names.office(x.office_code)}: {SECTION_STATUS[x.status] ?? x.status}
                  </Tag>
                ))}
              </div>
              <Card className="grid-card">
                <EditableGrid key={`${id}-${generation}-${names.version}`} ref={grid} label="Số liệu báo cáo" testid="entry-grid" columns={columns}
                  rows={pendingView(rows, queue) as unknown as Array<Record<string, unknown>>}
                  cellColumn={cellColumn} cellState={cellState} onEdit={onEdit} height="60vh" />
                <p className="muted hint">Chọn ô rồi gõ số (Enter hoặc F2 để sửa, Esc để hủy); dán một khối từ Excel bằng Ctrl+V. Số viết <code>1234,5</code> hoặc <code>1.234,5</code>. Ô vàng đang chờ gửi, ô cam bị xung đột, ô đỏ có lỗi; ô xám là của phòng khác hoặc báo cáo không còn sửa được.</p>
                {refusedValues.length || Object.keys(serverErrors).length ? (
                  <ul className="grid-problems" data-testid="entry-errors">
                    {refusedValues.map((p) => <li key={p.keyText}><span className="error-where">{label(p.keyText)}</span>: {p.error}</li>)}
                    {Object.entries(serverErrors).map(([k, m]) => <li key={k}><span className="error-where">{label(k)}</span>: {m}</li>)}
                  </ul>
                ) : null}
              </Card>
              <ReportNotePanel sub={sub} viewer={viewer} onSaved={(a) => panelSaved(a)} />
              <TaskProgressPanel sub={sub} viewer={viewer} office={names.office} onSaved={(a) => panelSaved(a)} />
              <AttachmentsPanel sub={sub} viewer={viewer} disabled={offline} onSaved={(a) => panelSaved(a, true)} />
              <Actions sub={sub} actions={actions} viewer={viewer} rows={rows} busy={busy} blocked={pending.length > 0 || offline}
                dialog={dialog} setDialog={setDialog} onStep={doStep} names={names} />
              {actionError ? <Alert className="form-alert" type="error" showIcon data-testid="action-error" message={problemText(actionError, 'Không thực hiện được')} /> : null}
              <BulkButtons sub={sub} disabled={pending.length > 0 || offline} onImported={() => load(true)} />
            </>
          ),
        },
        { key: 'history', label: 'Lịch sử', children: <HistoryView id={sub.id} version={sub.version} label={label} /> },
      ]} />
    </section>
  );
}

const ACTION_LABELS: Record<ActionName, string> = {
  deliver: 'Chuyển phần số liệu cho Văn phòng',
  return_figure: 'Trả lại một số liệu',
  consolidate: 'Tổng hợp',
  approve: 'Duyệt',
  send: 'Gửi cấp trên',
  accept: 'Tiếp nhận',
  return: 'Trả lại báo cáo',
  reopen: 'Mở lại báo cáo',
};

function Actions({ sub, actions, viewer, rows, busy, blocked, dialog, setDialog, onStep, names }: {
  sub: ReportWithContext; actions: ActionName[]; viewer: Viewer; rows: EntryRow[]; busy: boolean; blocked: boolean;
  dialog: ActionName | null; setDialog: (a: ActionName | null) => void;
  onStep: (a: ActionName, body?: Parameters<typeof api.step>[2]) => Promise<void>;
  names: { office: (c: string) => string };
}) {
  const [text, setText] = useState('');
  const [figure, setFigure] = useState<string>('');
  const [office, setOffice] = useState<string>('');
  const consolidator = viewer.roles.includes('consolidator');
  const openSections = sub.sections.filter((x) => x.status !== 'delivered');
  useEffect(() => {
    setText('');
    setFigure('');
    setOffice(consolidator ? openSections[0]?.office_code ?? '' : viewer.unit);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dialog]);
  if (!actions.length) return null;
  const needsDialog = (a: ActionName) => a === 'return_figure' || a === 'return' || a === 'reopen' || (a === 'deliver' && consolidator);
  const click = (a: ActionName) => {
    if (needsDialog(a)) setDialog(a);
    else if (a === 'deliver') void onStep(a, { office_code: viewer.unit });
    else void onStep(a);
  };
  const ok = () => {
    if (dialog === 'return_figure') {
      const row = rows.find((r) => r.keyText === figure);
      if (row) void onStep('return_figure', { key: row.key, comment: text.trim() });
    } else if (dialog === 'deliver') void onStep('deliver', { office_code: office });
    else if (dialog) void onStep(dialog, { reason: text.trim() });
  };
  const needsText = dialog === 'return_figure' || dialog === 'return' || dialog === 'reopen';
  return (
    <Card className="entry-actions" title="Bước tiếp theo">
      {blocked ? <p className="muted" data-testid="actions-blocked">Còn số liệu chưa gửi lên máy chủ hoặc đang mất kết nối: các bước dưới đây chờ đến khi mọi số liệu đã được lưu.</p> : null}
      <div className="form-actions form-actions-left">
        {actions.map((a) => (
          <Button key={a} type={a === 'return_figure' || a === 'return' || a === 'reopen' ? 'default' : 'primary'} danger={a === 'return' || a === 'reopen'}
            disabled={blocked || busy} data-testid={`action-${a}`} onClick={() => click(a)}>{ACTION_LABELS[a]}</Button>
        ))}
      </div>
      <Modal open={dialog !== null} title={dialog ? ACTION_LABELS[dialog] : ''} okText={dialog ? ACTION_LABELS[dialog] : 'Đồng ý'} cancelText="Hủy"
        confirmLoading={busy} onOk={ok} onCancel={() => setDialog(null)}
        okButtonProps={{ 'data-testid': 'action-confirm', disabled: (needsText && !text.trim()) || (dialog === 'return_figure' && !figure) || (dialog === 'deliver' && !office) } as never}>
        {dialog === 'return_figure' ? (
          <div className="field">
            <label htmlFor="return-figure-key">Số liệu trả lại</label>
            <Select id="return-figure-key" data-testid="return-figure-key" showSearch optionFilterProp="label" value={figure || undefined} onChange={setFigure} style={{ width: '100%' }}
              options={rows.map((r) => ({ value: r.keyText, label: `${r.stt}. ${r.indicator}${r.members && r.members !== 'Tổng số' ? ` – ${r.members}` : ''} (${r.office})` }))} />
          </div>
        ) : null}
        {dialog === 'deliver' ? (
          <div className="field">
            <label htmlFor="deliver-office">Phần số liệu của phòng</label>
            <Select id="deliver-office" data-testid="deliver-office" value={office || undefined} onChange={setOffice} style={{ width: '100%' }}
              options={openSections.map((x) => ({ value: x.office_code, label: names.office(x.office_code) }))} />
          </div>
        ) : null}
        {needsText ? (
          <div className="field">
            <label htmlFor="action-text">{dialog === 'return_figure' ? 'Ý kiến gửi phòng nhập' : 'Lý do'}</label>
            <Input.TextArea id="action-text" data-testid="action-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
        ) : null}
      </Modal>
    </Card>
  );
}

function BulkButtons({ sub, disabled, onImported }: { sub: ReportWithContext; disabled: boolean; onImported: () => void }) {
  const [summary, setSummary] = useState<{ dry: boolean; result: api.ImportSummary; file: File } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const editable = sub.status === 'draft' || sub.status === 'returned';
  const run = async (file: File, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.importXlsx(sub.id, file, dryRun);
      setSummary({ dry: dryRun, result, file });
      if (!dryRun) onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="entry-bulk" title="Nhập, xuất tệp Excel">
      <div className="form-actions form-actions-left">
        <Button data-testid="xlsx-export" onClick={() => api.exportXlsx(sub.id).catch(setError)}>Tải biểu mẫu Excel</Button>
        {editable ? (
          <Upload accept=".xlsx" showUploadList={false} disabled={disabled || busy} beforeUpload={(file) => { void run(file, true); return false; }}>
            <Button disabled={disabled || busy} data-testid="xlsx-import">Nhập từ tệp Excel (kiểm tra trước)…</Button>
          </Upload>
        ) : null}
      </div>
      {summary ? (
        <div className="import-summary" data-testid="xlsx-summary">
          <p>{summary.dry ? 'Kết quả kiểm tra (chưa lưu): ' : 'Đã nhập: '}
            {summary.result.imported} số liệu mới, {summary.result.updated} số liệu sửa, {summary.result.ignored} không đổi, {summary.result.refused.length} dòng bị từ chối.</p>
          {summary.result.refused.length ? (
            <ul className="grid-problems">
              {summary.result.refused.map((r) => <li key={`${r.row}-${r.field}`}>Dòng {r.row}{r.field ? ` (${r.field})` : ''}: {r.reason}</li>)}
            </ul>
          ) : null}
          {summary.dry ? <Button type="primary" loading={busy} data-testid="xlsx-import-confirm" onClick={() => run(summary.file, false)}>Lưu các số liệu hợp lệ</Button> : null}
        </div>
      ) : null}
      {error ? <Alert className="form-alert" type="error" showIcon data-testid="xlsx-error" message={problemText(error, 'Không nhập, xuất được tệp')} /> : null}
    </Card>
  );
}

function HistoryView({ id, version, label }: { id: string; version: number; label: (k: string) => string }) {
  const [h, setH] = useState<History | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.history(id).then(setH, setError);
  }, [id, version]);
  if (error) return <Alert type="error" showIcon message={problemText(error, 'Không tải được lịch sử')} />;
  if (!h) return <div className="tree-state"><Spin size="small" /> Đang tải…</div>;
  const value = (v: string) => (/^-?\d+(\.\d+)?$/.test(v) ? formatNumberForInput(v) : v);
  return (
    <>
      <Card title="Các bước" className="history-card">
        <Table rowKey="id" size="small" pagination={false} dataSource={h.steps} data-testid="history-steps"
          columns={[
            { title: 'Thời điểm', dataIndex: 'occurred_at', render: (v: string) => formatDateTime(v) },
            { title: 'Bước', dataIndex: 'action', render: (v: string) => STEP_ACTIONS[v] ?? v },
            { title: 'Trạng thái', render: (_: unknown, s) => `${SUBMISSION_STATUS[s.from_status] ?? ''} → ${SUBMISSION_STATUS[s.to_status] ?? s.to_status}` },
            { title: 'Người thực hiện', dataIndex: 'actor' },
            { title: 'Ý kiến, lý do', render: (_: unknown, s) => [s.figure_key ? label(keyText(s.figure_key)) : s.office_code, s.comment].filter(Boolean).join(': ') },
          ]} />
      </Card>
      <Card title="Các lần sửa số liệu" className="history-card">
        <Table rowKey={(c) => `${keyText(c.key)}-${c.figure_version}`} size="small" pagination={{ pageSize: 50, hideOnSinglePage: true }} dataSource={[...h.changes].reverse()} data-testid="history-changes"
          columns={[
            { title: 'Thời điểm', dataIndex: 'occurred_at', render: (v: string) => formatDateTime(v) },
            { title: 'Chỉ tiêu', render: (_: unknown, c) => label(keyText(c.key)) },
            { title: 'Trước', dataIndex: 'before', render: value },
            { title: 'Sau', dataIndex: 'after', render: value },
            { title: 'Người sửa', dataIndex: 'actor' },
            { title: 'Lý do', dataIndex: 'reason' },
          ]} />
      </Card>
      {h.note_changes?.length ? (
        <Card title="Các lần sửa thuyết minh chung" className="history-card">
          <Table rowKey="version" size="small" pagination={{ pageSize: 20, hideOnSinglePage: true }} dataSource={[...h.note_changes].reverse()} data-testid="history-note-changes"
            columns={[
              { title: 'Thời điểm', dataIndex: 'occurred_at', render: (v: string) => formatDateTime(v) },
              { title: 'Trước', dataIndex: 'before', render: (v: string) => <span className="prewrap">{v}</span> },
              { title: 'Sau', dataIndex: 'after', render: (v: string) => <span className="prewrap">{v}</span> },
              { title: 'Người sửa', dataIndex: 'actor' },
            ]} />
        </Card>
      ) : null}
    </>
  );
}
