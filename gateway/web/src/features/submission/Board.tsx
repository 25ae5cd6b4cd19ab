// "Tình hình gửi báo cáo" (`#/tinh-hinh-gui-bao-cao`): for the upper level, every child unit
// expected to report for a period, with its report's status and timeliness (on time, late by
// N days, missing), from `GET /api/v1/submission-board` (contracts.md).
import { Alert, Button, Card, Input, Spin, Table } from 'antd';
import { useEffect, useState } from 'react';
import { href } from '../../app/route';
import { useSession } from '../../app/session';
import { problemText } from '../../lib/problem';
import { formatDate, formatDateTime } from '../../lib/vn';
import * as api from './api';
import { StatusTag, TimelinessTag } from './DataEntry';
import { PeriodPicker, DEFAULT_CALENDAR } from './ReportLists';

/** The board's counts: sent (on time / late), not sent yet, missing. */
export function boardCounts(units: api.BoardUnit[]): { sent: number; late: number; missing: number; pending: number } {
  const sent = units.filter((u) => u.sent_at).length;
  return {
    sent,
    late: units.filter((u) => u.timeliness.state === 'late').length,
    missing: units.filter((u) => u.timeliness.state === 'missing').length,
    pending: units.filter((u) => !u.sent_at && u.timeliness.state !== 'missing').length,
  };
}

export default function Board() {
  const { claims } = useSession();
  const [unit, setUnit] = useState('');
  useEffect(() => {
    api.reportingUnitCode(String(claims.org_unit ?? '')).then((c) => setUnit((old) => old || c), () => {});
  }, [claims.org_unit]);
  const [calendar, setCalendar] = useState(DEFAULT_CALENDAR);
  const [period, setPeriod] = useState('');
  const [board, setBoard] = useState<api.Board | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const show = async () => {
    setBusy(true);
    setError(null);
    try {
      setBoard(await api.submissionBoard({ period_code: period, calendar_code: calendar, org_unit_code: unit.trim() }));
    } catch (err) {
      setError(err);
      setBoard(null);
    } finally {
      setBusy(false);
    }
  };
  const counts = board ? boardCounts(board.units) : null;
  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title" data-testid="page-title">Tình hình gửi báo cáo</h1>
          <p className="muted page-lead">Các đơn vị trực thuộc phải báo cáo trong kỳ: đã gửi, gửi trễ hay chưa gửi.</p>
        </div>
      </div>
      <Card className="toolbar" role="search" aria-label="Chọn kỳ">
        <div className="toolbar-row">
          <div className="field">
            <label htmlFor="board-unit">Mã đơn vị cấp trên</label>
            <Input id="board-unit" data-testid="board-unit" value={unit} onChange={(e) => setUnit(e.target.value)} autoComplete="off" />
          </div>
          <PeriodPicker calendar={calendar} setCalendar={setCalendar} period={period} setPeriod={setPeriod} testid="board" />
          <div className="field">
            <Button type="primary" loading={busy} disabled={!period || !unit.trim()} data-testid="board-show" onClick={show}>Xem</Button>
          </div>
        </div>
      </Card>
      {error ? <Alert type="error" showIcon data-testid="board-error" message={problemText(error, 'Không tải được tình hình gửi báo cáo')} /> : null}
      {busy && !board ? <div className="tree-state"><Spin size="small" /> Đang tải…</div> : null}
      {board && counts ? (
        <Card title={`${board.period_label || board.period_code} · hạn gửi ${formatDate(board.deadline)}`}>
          <div className="plan-counts" data-testid="board-counts">
            <div className="plan-count"><span className="plan-number">{board.units.length}</span><span>đơn vị phải báo cáo</span></div>
            <div className="plan-count"><span className="plan-number">{counts.sent}</span><span>đã gửi</span></div>
            <div className="plan-count"><span className="plan-number">{counts.late}</span><span>gửi trễ</span></div>
            <div className="plan-count"><span className="plan-number">{counts.pending}</span><span>chưa gửi, còn hạn</span></div>
            <div className="plan-count"><span className="plan-number">{counts.missing}</span><span>quá hạn chưa gửi</span></div>
          </div>
          <Table<api.BoardUnit> rowKey="org_unit_code" dataSource={board.units} pagination={false} data-testid="board-table"
            columns={[
              { title: 'Đơn vị', dataIndex: 'org_unit_name', render: (v: string, u) => `${v || u.org_unit_code} (${u.org_unit_code})`, sorter: (a, b) => a.org_unit_name.localeCompare(b.org_unit_name, 'vi') },
              { title: 'Trạng thái', dataIndex: 'status', render: (v: string | null, u) => (u.submission_id && v ? <a href={href('bao-cao', u.submission_id)}><StatusTag status={v} /></a> : <span className="muted">Chưa mở báo cáo</span>) },
              { title: 'Thời hạn', render: (_: unknown, u) => <TimelinessTag t={u.timeliness} testid="board-timeliness" />, sorter: (a, b) => a.timeliness.days_late - b.timeliness.days_late },
              { title: 'Gửi lúc', dataIndex: 'sent_at', render: (v: string | null) => (v ? formatDateTime(v) : '') },
            ]} />
        </Card>
      ) : null}
    </section>
  );
}
