// "Quyết định giao": the decisions a user may see, filtered by year and status, newest first.
import { Alert, Button, Card, Input, Select, Spin, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { href } from '../../app/route';
import { useSession } from '../../app/session';
import { problemText } from '../../lib/problem';
import { formatDate } from '../../lib/vn';
import { listDecisions, loadUnits, type UnitIndex } from './api';
import { DECISION_STATUS, DECISION_STATUS_CLASS, type Decision } from './model';

const YEARS = Array.from({ length: 8 }, (_, i) => String(2024 + i));

export function DecisionStatusTag({ status, testid }: { status?: string; testid?: string }) {
  const s = status ?? 'draft';
  return <Tag className={`status ${DECISION_STATUS_CLASS[s] ?? ''}`} data-testid={testid}>{DECISION_STATUS[s] ?? s}</Tag>;
}

export default function DecisionList() {
  const { can } = useSession();
  const [year, setYear] = useState('');
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Decision[] | null>(null);
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [index, setIndex] = useState<UnitIndex | null>(null);

  useEffect(() => {
    loadUnits().then(setIndex, () => {});
  }, []);

  const load = async (append: string) => {
    setError(null);
    try {
      const page = await listDecisions({ year, status, q: q.trim(), page_size: 50, page_token: append });
      setItems((old) => (append && old ? [...old, ...page.items] : page.items));
      setToken(page.next_page_token ?? '');
    } catch (err) {
      setError(err);
      setItems((old) => old ?? []);
    }
  };
  useEffect(() => {
    const t = window.setTimeout(() => load(''), q ? 250 : 0);
    return () => window.clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [year, status, q]);

  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title" data-testid="page-title">Quyết định giao</h1>
          <p className="muted page-lead">Quyết định giao chỉ tiêu, nhiệm vụ trọng tâm, kế hoạch chuyên đề và bộ tiêu chí đánh giá cho các đơn vị, kèm văn bản đã ký số.</p>
        </div>
        {can.manageAssignments ? <Button type="primary" href={href('quyet-dinh-giao', null, 'moi')} data-testid="decision-new">Soạn quyết định giao</Button> : null}
      </div>
      <Card className="toolbar" role="search" aria-label="Lọc quyết định">
        <div className="toolbar-row">
          <div className="field field-grow">
            <label htmlFor="decision-q">Tìm theo số hiệu hoặc trích yếu</label>
            <Input id="decision-q" type="search" data-testid="decision-q" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="decision-year">Năm</label>
            <Select id="decision-year" data-testid="decision-year" value={year} onChange={setYear} className="filter-select"
              options={[{ value: '', label: 'Tất cả' }, ...YEARS.map((y) => ({ value: y, label: y }))]} />
          </div>
          <div className="field">
            <label htmlFor="decision-status">Trạng thái</label>
            <Select id="decision-status" data-testid="decision-status" value={status} onChange={setStatus} className="filter-select"
              options={[{ value: '', label: 'Tất cả' }, ...Object.entries(DECISION_STATUS).map(([value, label]) => ({ value, label }))]} />
          </div>
        </div>
      </Card>
      {error ? <Alert type="error" showIcon data-testid="decision-list-error" message={problemText(error, 'Không tải được danh sách quyết định')} /> : null}
      <Card>
        {!items ? <div className="tree-state"><Spin size="small" /> Đang tải…</div> : (
          <Table<Decision> rowKey={(d) => d.id ?? ''} dataSource={items} pagination={false} data-testid="decision-table"
            locale={{ emptyText: <span className="muted" data-testid="decision-empty">Chưa có quyết định nào.</span> }}
            columns={[
              { title: 'Số hiệu', dataIndex: 'number', render: (v: string, d) => <a href={href('quyet-dinh-giao', d.id)} data-testid="decision-link">{v || '(chưa có số)'}</a> },
              { title: 'Trích yếu', dataIndex: 'title' },
              { title: 'Đơn vị ban hành', dataIndex: 'issuer_unit_id', render: (v: string) => index?.byId.get(v)?.name ?? '' },
              { title: 'Năm / giai đoạn', render: (_: unknown, d) => d.plan_period || (d.year ? String(d.year) : '') },
              { title: 'Ngày ký', dataIndex: 'issued_on', render: (v: string) => formatDate(v) },
              { title: 'Trạng thái', dataIndex: 'status', render: (v: string) => <DecisionStatusTag status={v} testid="decision-status-tag" /> },
            ]} />
        )}
        {token ? <Button onClick={() => load(token)} data-testid="decision-more">Xem thêm</Button> : null}
      </Card>
    </section>
  );
}
