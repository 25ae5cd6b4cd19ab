// The dashboard's second and third tabs: the key tasks of the unit and its units at the end of
// the period (GET /key-task-summary: status, percent done, overdue, counts by lead unit and
// sector) and how each unit under it met its targets for the period's year
// (GET /target-fulfilment); the same numbers as the key_tasks / target_fulfilment files.
import { Alert, Button, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { problemText } from '../../lib/problem';
import { formatNumber } from '../../lib/vn';
import { downloadReport, getFulfilment, getKeyTaskSummary, type Fulfilment, type FulfilmentRow, type KeyTaskRow, type KeyTaskSummary } from './api';
import { periodEnd, periodYear, TASK_STATUS } from './model';

function vnDate(iso: string): string {
  return iso.length === 10 ? `${iso.slice(8)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
}

export function KeyTasksPanel({ unit, period }: { unit: string; period: string }) {
  const asOf = periodEnd(period);
  const [summary, setSummary] = useState<KeyTaskSummary | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    getKeyTaskSummary(unit, asOf).then((s) => { setSummary(s); setError(''); })
      .catch((err) => { setSummary(null); setError(problemText(err, 'Không tải được tổng hợp nhiệm vụ trọng tâm.')); });
  }, [unit, asOf]);
  const file = (format: 'xlsx' | 'pdf') => () => downloadReport(unit, `@${asOf}`, format, 'key_tasks')
    .catch((err) => setError(problemText(err, 'Không tải được tệp báo cáo.')));
  return (
    <div data-testid="dashboard-key-tasks">
      <Space wrap style={{ marginBottom: 8 }}>
        <span>Tình hình đến ngày <strong>{vnDate(asOf)}</strong></span>
        {summary ? <span>· {summary.tasks.length} nhiệm vụ, quá hạn: <strong>{summary.overdue_count}</strong></span> : null}
        <Button onClick={file('xlsx')} data-testid="key-tasks-xlsx">Tải XLSX</Button>
        <Button onClick={file('pdf')}>Tải PDF</Button>
      </Space>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {summary ? (
        <>
          <Table<KeyTaskRow>
            size="small" pagination={false} rowKey="assignment_id" dataSource={summary.tasks} data-testid="key-task-table"
            locale={{ emptyText: 'Chưa có nhiệm vụ trọng tâm được giao trong năm' }}
            columns={[
              { title: 'Nhiệm vụ', key: 'title', render: (_, t) => <>{t.title} <small>({t.key_task_code})</small></> },
              { title: 'Lĩnh vực', dataIndex: 'field' },
              { title: 'Đơn vị chủ trì', dataIndex: 'lead_unit_name' },
              { title: 'Thời hạn', key: 'deadline', render: (_, t) => vnDate(t.deadline) },
              { title: 'Tình trạng', key: 'status', render: (_, t) => <Tag color={TASK_STATUS[t.status]?.[1]}>{TASK_STATUS[t.status]?.[0] ?? t.status}</Tag> },
              { title: 'Tiến độ (%)', key: 'percent', align: 'right', render: (_, t) => (t.status === 'not_reported' ? '' : t.percent_done) },
              { title: 'Quá hạn', key: 'overdue', render: (_, t) => (t.overdue ? <Tag color="red">Quá hạn</Tag> : null) },
            ]}
          />
          {summary.by_lead_unit.length ? (
            <>
              <h2>Theo đơn vị chủ trì</h2>
              <Table size="small" pagination={false} rowKey="key" dataSource={summary.by_lead_unit}
                columns={[{ title: 'Đơn vị', dataIndex: 'label' }, { title: 'Số nhiệm vụ', dataIndex: 'total', align: 'right' },
                  { title: 'Đã hoàn thành', dataIndex: 'done', align: 'right' }, { title: 'Quá hạn', dataIndex: 'overdue', align: 'right' }]} />
              <h2>Theo lĩnh vực</h2>
              <Table size="small" pagination={false} rowKey="key" dataSource={summary.by_field}
                columns={[{ title: 'Lĩnh vực', dataIndex: 'label' }, { title: 'Số nhiệm vụ', dataIndex: 'total', align: 'right' },
                  { title: 'Đã hoàn thành', dataIndex: 'done', align: 'right' }, { title: 'Quá hạn', dataIndex: 'overdue', align: 'right' }]} />
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function FulfilmentPanel({ unit, period }: { unit: string; period: string }) {
  const year = String(periodYear(period));
  const [data, setData] = useState<Fulfilment | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    getFulfilment(unit, year).then((f) => { setData(f); setError(''); })
      .catch((err) => { setData(null); setError(problemText(err, 'Không tải được mức độ hoàn thành chỉ tiêu.')); });
  }, [unit, year]);
  const file = (format: 'xlsx' | 'pdf') => () => downloadReport(unit, year, format, 'target_fulfilment')
    .catch((err) => setError(problemText(err, 'Không tải được tệp báo cáo.')));
  return (
    <div data-testid="dashboard-fulfilment">
      <Space wrap style={{ marginBottom: 8 }}>
        <span>Chỉ tiêu được giao năm <strong>{year}</strong></span>
        <Button onClick={file('xlsx')} data-testid="fulfilment-xlsx">Tải XLSX</Button>
        <Button onClick={file('pdf')}>Tải PDF</Button>
      </Space>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {data ? (
        <Table<FulfilmentRow>
          size="small" pagination={false} rowKey="org_unit_code" dataSource={data.rows} data-testid="fulfilment-table"
          rowClassName={(r) => (r.is_total ? 'is-total' : '')}
          columns={[
            { title: 'Cơ quan, địa phương', key: 'unit', render: (_, r) => (r.is_total ? <strong>Toàn {r.org_unit_name}</strong> : r.org_unit_name) },
            { title: 'Được giao', dataIndex: 'assigned', align: 'right' },
            { title: 'Đạt', dataIndex: 'achieved', align: 'right' },
            { title: 'Có nguy cơ không đạt', dataIndex: 'at_risk', align: 'right' },
            { title: 'Không đạt', dataIndex: 'missed', align: 'right' },
            { title: 'Chưa có số liệu', dataIndex: 'no_data', align: 'right' },
            { title: 'Tỷ lệ đạt (%)', key: 'pct', align: 'right', render: (_, r) => formatNumber(r.achieved_percent, 1) },
          ]}
        />
      ) : null}
    </div>
  );
}
