// "Báo cáo kỳ" (`#/bao-cao`): the reports the user may see, by period, with status, deadline and
// timeliness, and "Mở báo cáo" for a period (consolidating office, leader, upper level).
// "Chờ duyệt" (`#/cho-duyet`): the reports waiting for the user's step (the consolidating
// office: every office handed over, or returned by the upper level; the leader: to approve and
// send; the upper level: sent, to accept or return).
import { Alert, Button, Card, Input, Select, Spin, Table } from 'antd';
import { useEffect, useState } from 'react';
import { href, navigate } from '../../app/route';
import { useSession } from '../../app/session';
import { PERIOD_KINDS } from '../../lib/labels';
import { problemText } from '../../lib/problem';
import { formatDate } from '../../lib/vn';
import * as api from './api';
import { StatusTag, TimelinessTag } from './DataEntry';
import { queueStatuses, SUBMISSION_STATUS, UPPER_LEVEL_ROLES, waitsFor, type Period, type Submission } from './model';

export const DEFAULT_CALENDAR = 'LICH.HP2081';
const YEARS = Array.from({ length: 8 }, (_, i) => 2024 + i);

function UnitNameCell({ code }: { code: string }) {
  const [name, setName] = useState(code);
  useEffect(() => {
    api.unitName(code).then(setName, () => {});
  }, [code]);
  return <span>{name}</span>;
}

function ReportTable({ items, testid }: { items: Submission[] | null; testid: string }) {
  if (!items) return <div className="tree-state"><Spin size="small" /> Đang tải…</div>;
  return (
    <Table<Submission> rowKey="id" dataSource={items} pagination={false} data-testid={testid}
      locale={{ emptyText: <span className="muted" data-testid={`${testid}-empty`}>Không có báo cáo nào.</span> }}
      columns={[
        { title: 'Đơn vị', dataIndex: 'org_unit_code', render: (v: string) => <UnitNameCell code={v} /> },
        { title: 'Kỳ báo cáo', dataIndex: 'period_label', render: (v: string, s) => <a href={href('bao-cao', s.id)} data-testid="report-link">{v}</a> },
        { title: 'Hạn gửi', dataIndex: 'deadline', render: (v: string) => formatDate(v) },
        { title: 'Trạng thái', dataIndex: 'status', render: (v: string) => <StatusTag status={v} testid="report-status" /> },
        { title: 'Thời hạn', render: (_: unknown, s) => <TimelinessTag t={s.timeliness} testid="report-timeliness" /> },
        { title: 'Lần bị trả lại', dataIndex: 'return_count' },
      ]} />
  );
}

/** The periods of a calendar and year, for "Mở báo cáo" and the board. */
export function PeriodPicker({ calendar, setCalendar, period, setPeriod, testid }: {
  calendar: string; setCalendar: (c: string) => void; period: string; setPeriod: (p: string) => void; testid: string;
}) {
  const [calendars, setCalendars] = useState<Array<{ code: string; name: string }>>([]);
  const [kind, setKind] = useState('month');
  const [year, setYear] = useState(new Date().getFullYear());
  const [periods, setPeriods] = useState<Period[]>([]);
  useEffect(() => {
    api.listCalendars().then(setCalendars, () => {});
  }, []);
  useEffect(() => {
    let live = true;
    api.listPeriods(calendar, kind, year).then((p) => live && setPeriods(p), () => live && setPeriods([]));
    return () => {
      live = false;
    };
  }, [calendar, kind, year]);
  return (
    <>
      <div className="field">
        <label htmlFor={`${testid}-calendar`}>Lịch báo cáo</label>
        <Select id={`${testid}-calendar`} data-testid={`${testid}-calendar`} value={calendar} onChange={setCalendar} className="filter-select-wide"
          options={(calendars.length ? calendars : [{ code: calendar, name: calendar }]).map((c) => ({ value: c.code, label: c.name }))} />
      </div>
      <div className="field">
        <label htmlFor={`${testid}-kind`}>Loại kỳ</label>
        <Select id={`${testid}-kind`} data-testid={`${testid}-kind`} value={kind} onChange={setKind} className="filter-select"
          options={Object.entries(PERIOD_KINDS).filter(([k]) => k !== 'point_in_time').map(([value, label]) => ({ value, label }))} />
      </div>
      <div className="field">
        <label htmlFor={`${testid}-year`}>Năm</label>
        <Select id={`${testid}-year`} data-testid={`${testid}-year`} value={year} onChange={setYear} className="filter-select"
          options={YEARS.map((y) => ({ value: y, label: String(y) }))} />
      </div>
      <div className="field">
        <label htmlFor={`${testid}-period`}>Kỳ</label>
        <Select id={`${testid}-period`} data-testid={`${testid}-period`} value={period || undefined} onChange={setPeriod} className="filter-select-wide"
          showSearch optionFilterProp="label"
          placeholder="Chọn kỳ" options={periods.map((p) => ({ value: p.code, label: `${p.label} (hạn ${formatDate(p.deadline)})` }))} />
      </div>
    </>
  );
}

function OpenReport() {
  const { claims, roles } = useSession();
  const upper = roles.some((r) => UPPER_LEVEL_ROLES.includes(r));
  const [unit, setUnit] = useState('');
  useEffect(() => {
    api.reportingUnitCode(String(claims.org_unit ?? '')).then((c) => setUnit((old) => old || c), () => {});
  }, [claims.org_unit]);
  const [calendar, setCalendar] = useState(DEFAULT_CALENDAR);
  const [period, setPeriod] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const s = await api.openSubmission({ org_unit_code: unit.trim(), period_code: period, calendar_code: calendar });
      navigate(href('bao-cao', s.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="toolbar" title="Mở báo cáo cho một kỳ">
      <div className="toolbar-row">
        <div className="field">
          <label htmlFor="open-unit">Mã đơn vị báo cáo</label>
          <Input id="open-unit" data-testid="open-unit" value={unit} onChange={(e) => setUnit(e.target.value)} readOnly={!upper} autoComplete="off" />
        </div>
        <PeriodPicker calendar={calendar} setCalendar={setCalendar} period={period} setPeriod={setPeriod} testid="open" />
        <div className="field">
          <Button type="primary" loading={busy} disabled={!unit.trim() || !period} data-testid="open-report" onClick={open}>Mở báo cáo</Button>
        </div>
      </div>
      {error ? <Alert className="form-alert" type="error" showIcon data-testid="open-error" message={problemText(error, 'Không mở được báo cáo')} /> : null}
    </Card>
  );
}

async function allPages(query: Parameters<typeof api.listSubmissions>[0]): Promise<Submission[]> {
  const out: Submission[] = [];
  let token = '';
  for (let guard = 0; guard < 20; guard += 1) {
    const page = await api.listSubmissions({ page_size: 200, ...query, page_token: token });
    out.push(...page.items);
    token = page.next_page_token;
    if (!token) break;
  }
  return out;
}

export function ReportList() {
  const { can } = useSession();
  const [status, setStatus] = useState('');
  const [period, setPeriod] = useState('');
  const [items, setItems] = useState<Submission[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    const t = window.setTimeout(() => {
      allPages({ status: status ? [status] : undefined, period_code: period.trim() })
        .then((x) => live && setItems(x.sort((a, b) => b.period_code.localeCompare(a.period_code) || a.org_unit_code.localeCompare(b.org_unit_code))),
          (err) => live && (setError(err), setItems([])));
    }, period ? 250 : 0);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [status, period]);
  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title" data-testid="page-title">Báo cáo kỳ</h1>
          <p className="muted page-lead">Báo cáo của đơn vị theo từng kỳ: trạng thái, hạn gửi và tình hình gửi đúng hạn. Mở một báo cáo để nhập số liệu, tổng hợp, duyệt hoặc xem lịch sử.</p>
        </div>
      </div>
      {can.openReports ? <OpenReport /> : null}
      <Card className="toolbar" role="search" aria-label="Lọc báo cáo">
        <div className="toolbar-row">
          <div className="field">
            <label htmlFor="report-period">Mã kỳ (vd. 2026-M10)</label>
            <Input id="report-period" data-testid="report-period" value={period} onChange={(e) => setPeriod(e.target.value)} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="report-status-filter">Trạng thái</label>
            <Select id="report-status-filter" data-testid="report-status-filter" value={status} onChange={setStatus} className="filter-select"
              options={[{ value: '', label: 'Tất cả' }, ...Object.entries(SUBMISSION_STATUS).map(([value, label]) => ({ value, label }))]} />
          </div>
        </div>
      </Card>
      {error ? <Alert type="error" showIcon data-testid="report-list-error" message={problemText(error, 'Không tải được danh sách báo cáo')} /> : null}
      <Card><ReportTable items={items} testid="report-table" /></Card>
    </section>
  );
}

export function ApprovalQueue() {
  const { roles } = useSession();
  const [items, setItems] = useState<Submission[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const statuses = queueStatuses(roles);
    if (!statuses.length) {
      setItems([]);
      return;
    }
    allPages({ status: statuses }).then((x) => setItems(x.filter((s) => waitsFor(s, roles)).sort((a, b) => a.deadline.localeCompare(b.deadline))),
      (err) => (setError(err), setItems([])));
  }, [roles]);
  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title" data-testid="page-title">Chờ duyệt</h1>
          <p className="muted page-lead">Các báo cáo đang chờ bạn: Văn phòng tổng hợp khi mọi phòng đã chuyển số liệu hoặc khi cấp trên trả lại; lãnh đạo đơn vị để duyệt và gửi; cấp trên để tiếp nhận hoặc trả lại.</p>
        </div>
      </div>
      {error ? <Alert type="error" showIcon message={problemText(error, 'Không tải được danh sách chờ duyệt')} /> : null}
      <Card><ReportTable items={items} testid="queue-table" /></Card>
    </section>
  );
}
