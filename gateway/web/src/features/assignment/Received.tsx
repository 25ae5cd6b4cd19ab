// "Được giao" (`#/duoc-giao`): what the signed-in user's unit received, grouped by decision, with
// its status (chưa nhận / đã nhận), acknowledge with an optional note, and "in force on date";
// the Front's users see the items opened to their committee, read-only. `#/duoc-giao/{id}`: one
// item with its history across decisions.
import { Alert, Button, Card, DatePicker, Input, Modal, Select, Spin, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { href, navigate } from '../../app/route';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { problemText } from '../../lib/problem';
import { formatDate, formatDateTime, formatNumber } from '../../lib/vn';
import { useIndicators } from '../../lib/catalog-data';
import {
  acknowledge, assignmentHistory, getAssignment, getDecision, listAssignments, loadUnits, governingUnit, type UnitIndex,
} from './api';
import { ASSIGNMENT_KINDS, ASSIGNMENT_STATUS, ASSIGNMENT_STATUS_CLASS, memberNames, targetText, type Assignment, type Decision, type IndicatorInfo } from './model';

const YEARS = Array.from({ length: 8 }, (_, i) => 2024 + i);

function useSubject() {
  const indicators = useIndicators();
  return (a: Assignment): { title: string; detail: string } => {
    if (a.target) {
      const indicator = indicators.get(a.target.key.indicator_code);
      const name = String(indicator?.name ?? a.target.key.indicator_code);
      const members = memberNames(indicator as IndicatorInfo | undefined, a.target.key.members);
      return { title: `${name}${members ? ` – ${members}` : ''}`, detail: targetText(a.target, (v) => formatNumber(v)) };
    }
    if (a.task) return { title: a.task.key_task_id, detail: [a.task.deadline ? `Thời hạn ${formatDate(a.task.deadline)}` : '', a.task.expected_output ?? ''].filter(Boolean).join(' · ') };
    if (a.plan) return { title: a.plan.thematic_plan_id, detail: [a.plan.responsibilities, a.plan.deadline ? `Thời hạn ${formatDate(a.plan.deadline)}` : ''].filter(Boolean).join(' · ') };
    if (a.criteria) return { title: a.criteria.criteria_set_id, detail: '' };
    return { title: '', detail: '' };
  };
}

export function AssignmentStatusTag({ status }: { status?: string }) {
  const s = status ?? 'issued';
  return <Tag className={`status ${ASSIGNMENT_STATUS_CLASS[s] ?? ''}`} data-testid="assignment-status">{ASSIGNMENT_STATUS[s] ?? s}</Tag>;
}

function AcknowledgeDialog({ item, onDone, onClose }: { item: Assignment | null; onDone: (a: Assignment) => void; onClose: () => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setNote('');
    setError(null);
  }, [item]);
  const ok = async () => {
    if (!item?.id) return;
    setBusy(true);
    try {
      onDone(await acknowledge(item.id, note.trim()));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={Boolean(item)} title="Xác nhận đã nhận" okText="Xác nhận đã nhận" cancelText="Hủy" confirmLoading={busy} onOk={ok} onCancel={onClose}
      okButtonProps={{ 'data-testid': 'ack-confirm' } as never}>
      <p>Đơn vị xác nhận đã nhận nội dung được giao; người xác nhận và thời điểm được lưu lại.</p>
      <label htmlFor="ack-note">Ghi chú (không bắt buộc)</label>
      <Input.TextArea id="ack-note" data-testid="ack-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
      {error ? <Alert className="form-alert" type="error" showIcon data-testid="ack-error" message={problemText(error, 'Không xác nhận được')} /> : null}
    </Modal>
  );
}

export function ReceivedList() {
  const { claims, can } = useSession();
  const toast = useToast();
  const subject = useSubject();
  const front = can.overseeAssignments && !can.receiveAssignments;
  const [index, setIndex] = useState<UnitIndex | null>(null);
  const [year, setYear] = useState(new Date().getFullYear());
  const [status, setStatus] = useState('');
  const [inForceOn, setInForceOn] = useState('');
  const [items, setItems] = useState<Assignment[] | null>(null);
  const [decisions, setDecisions] = useState<Record<string, Decision | null>>({});
  const [error, setError] = useState<unknown>(null);
  const [acking, setAcking] = useState<Assignment | null>(null);

  useEffect(() => {
    loadUnits().then(setIndex, setError);
  }, []);
  const mine = index?.byCode.get(claims.org_unit ?? '');
  const governing = index ? governingUnit(index, claims.org_unit) : undefined;
  // a unit user sees what their People's Committee received, or (choosing it) what their own office received
  const receivers = front ? [] : [governing, mine].filter((u, i, all): u is NonNullable<typeof u> => Boolean(u) && all.findIndex((x) => x?.id === u!.id) === i);
  const [receiverId, setReceiverId] = useState('');
  const own = front ? mine : receivers.find((u) => u.id === receiverId) ?? receivers[0];

  useEffect(() => {
    if (!index) return;
    let live = true;
    setItems(null);
    setError(null);
    const query: Record<string, unknown> = { year, status, in_force_on: inForceOn };
    if (front && own) query.front_unit_id = own.id;
    else if (own) query.assignee_unit_id = own.id;
    listAssignments(query).then((list) => {
      if (!live) return;
      setItems(list);
      const ids = [...new Set(list.map((a) => a.decision_id ?? ''))].filter(Boolean);
      Promise.all(ids.map((id) => getDecision(id).then((d) => [id, d] as const, () => [id, null] as const)))
        .then((pairs) => live && setDecisions(Object.fromEntries(pairs)));
    }, (err) => live && (setError(err), setItems([])));
    return () => {
      live = false;
    };
  }, [index, year, status, inForceOn, front, own?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const groups = useMemo(() => {
    const map = new Map<string, Assignment[]>();
    for (const a of items ?? []) {
      const k = a.decision_id ?? '';
      if (!map.has(k)) map.set(k, []);
      map.get(k)!.push(a);
    }
    return [...map.entries()];
  }, [items]);

  const unitName = (id: string) => index?.byId.get(id)?.name ?? id;
  const cascadeHref = (decisionId: string) => `${href('quyet-dinh-giao', null, 'moi')}?giao-tiep=${encodeURIComponent(decisionId)}&nam=${year}`;
  const pending = (items ?? []).filter((a) => a.status === 'issued').length;

  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title" data-testid="page-title">{front ? 'Giao – nhận được mở cho Mặt trận giám sát' : 'Được giao'}</h1>
          <p className="muted page-lead">
            {front
              ? 'Các chỉ tiêu, nhiệm vụ và kế hoạch Ủy ban MTTQ được góp ý, giám sát (chỉ xem).'
              : `Những gì ${own ? own.name : 'đơn vị'} được giao theo các quyết định đã ban hành. Xác nhận đã nhận từng nội dung; có thể giao tiếp cho các đơn vị trực thuộc.`}
          </p>
        </div>
      </div>
      <Card className="toolbar" role="search" aria-label="Lọc nội dung được giao">
        <div className="toolbar-row">
          {receivers.length > 1 ? (
            <div className="field">
              <label htmlFor="received-unit">Đơn vị nhận</label>
              <Select id="received-unit" data-testid="received-unit" className="filter-select" value={own?.id} onChange={setReceiverId} popupMatchSelectWidth={false}
                options={receivers.map((u) => ({ value: u.id, label: u.name }))} />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="received-year">Năm</label>
            <Select id="received-year" data-testid="received-year" className="filter-select" value={year} onChange={setYear} options={YEARS.map((y) => ({ value: y, label: String(y) }))} />
          </div>
          <div className="field">
            <label htmlFor="received-status">Trạng thái</label>
            <Select id="received-status" data-testid="received-status" className="filter-select" value={status} onChange={setStatus}
              options={[{ value: '', label: 'Tất cả' }, { value: 'issued', label: ASSIGNMENT_STATUS.issued }, { value: 'acknowledged', label: ASSIGNMENT_STATUS.acknowledged }]} />
          </div>
          <div className="field">
            <label htmlFor="received-in-force">Có hiệu lực vào ngày</label>
            <DatePicker id="received-in-force" data-testid="received-in-force" format={['DD/MM/YYYY', 'YYYY-MM-DD']} placeholder="Mọi thời điểm"
              value={inForceOn ? dayjs(inForceOn) : null} onChange={(d) => setInForceOn(d ? d.format('YYYY-MM-DD') : '')} />
          </div>
        </div>
      </Card>
      {error ? <Alert type="error" showIcon data-testid="received-error" message={problemText(error, 'Không tải được nội dung được giao')} /> : null}
      {!items ? <div className="tree-state"><Spin size="small" /> Đang tải…</div> : null}
      {items && !items.length && !error ? <Card><p className="empty-state" data-testid="received-empty">Không có nội dung nào được giao theo điều kiện đã chọn.</p></Card> : null}
      {items && pending && !front ? <Alert type="info" showIcon data-testid="received-pending" message={`Còn ${pending} nội dung chưa xác nhận đã nhận.`} /> : null}
      {groups.map(([decisionId, list]) => {
        const d = decisions[decisionId];
        const hasTargets = list.some((a) => a.kind === 'indicator_target');
        return (
          <Card key={decisionId} data-testid="received-group"
            title={<h2 className="card-title">{d ? `Quyết định ${d.number}${d.issued_on ? ` ngày ${formatDate(d.issued_on)}` : ''}` : 'Quyết định giao'}</h2>}
            extra={!front && can.manageAssignments && hasTargets ? (
              <Button data-testid="received-cascade" onClick={() => navigate(cascadeHref(decisionId))}>Giao tiếp cho đơn vị trực thuộc</Button>
            ) : null}>
            {d?.title ? <p className="muted">{d.title}</p> : null}
            <div className="table-wrap">
              <table className="data-table">
                <caption className="visually-hidden">Nội dung được giao theo quyết định {d?.number ?? ''}</caption>
                <thead><tr><th scope="col">Loại</th><th scope="col">Nội dung</th><th scope="col">Chỉ tiêu / yêu cầu</th><th scope="col">Đơn vị nhận</th><th scope="col">Trạng thái</th><th scope="col"><span className="visually-hidden">Thao tác</span></th></tr></thead>
                <tbody>
                  {list.map((a) => {
                    const s = subject(a);
                    return (
                      <tr key={a.id} data-testid="received-row" data-indicator={a.target?.key.indicator_code ?? ''}>
                        <td>{ASSIGNMENT_KINDS[a.kind] ?? a.kind}</td>
                        <td><a href={href('duoc-giao', a.id)} data-testid="received-link">{s.title}</a></td>
                        <td className="num" data-testid="received-value">{s.detail}</td>
                        <td>{unitName(a.assignee_unit_id)}</td>
                        <td>
                          <AssignmentStatusTag status={a.status} />
                          {a.acknowledgement?.acknowledged_at ? <span className="hint">{a.acknowledgement.acknowledged_by}, {formatDateTime(a.acknowledgement.acknowledged_at)}</span> : null}
                        </td>
                        <td>{!front && a.status === 'issued' ? <Button size="small" data-testid="received-ack" onClick={() => setAcking(a)}>Xác nhận đã nhận</Button> : null}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </Card>
        );
      })}
      <AcknowledgeDialog item={acking} onClose={() => setAcking(null)} onDone={(a) => {
        setItems((old) => (old ?? []).map((x) => (x.id === a.id ? a : x)));
        setAcking(null);
        toast('Đã xác nhận đã nhận.');
      }} />
    </section>
  );
}

export function ReceivedItem({ id }: { id: string }) {
  const { can } = useSession();
  const toast = useToast();
  const subject = useSubject();
  const front = can.overseeAssignments && !can.receiveAssignments;
  const [item, setItem] = useState<Assignment | null>(null);
  const [history, setHistory] = useState<Assignment[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [acking, setAcking] = useState<Assignment | null>(null);
  const [index, setIndex] = useState<UnitIndex | null>(null);

  useEffect(() => {
    loadUnits().then(setIndex, () => {});
    getAssignment(id).then(setItem, setError);
    assignmentHistory(id).then(setHistory, () => setHistory([]));
  }, [id]);

  if (error) return <Alert type="error" showIcon data-testid="received-item-error" message={problemText(error, 'Không tải được nội dung được giao')} />;
  if (!item) return <div className="view-center"><Spin /><p>Đang tải…</p></div>;
  const s = subject(item);
  return (
    <section className="view" aria-labelledby="page-title">
      <nav aria-label="Vị trí" className="breadcrumb"><a href={href('duoc-giao')}>Được giao</a> › <span aria-current="page">{s.title}</span></nav>
      <div className="page-head">
        <div>
          <h1 id="page-title" data-testid="page-title">{s.title}</h1>
          <p className="muted page-lead">{ASSIGNMENT_KINDS[item.kind]} · giao cho {index?.byId.get(item.assignee_unit_id)?.name ?? ''} · <AssignmentStatusTag status={item.status} /></p>
        </div>
        {!front && item.status === 'issued' ? <Button type="primary" data-testid="received-ack" onClick={() => setAcking(item)}>Xác nhận đã nhận</Button> : null}
      </div>
      <Card title={<h2 className="card-title">Nội dung đang xem</h2>}>
        <dl className="field-list">
          <div><dt>Chỉ tiêu / yêu cầu</dt><dd data-testid="received-item-value">{s.detail}</dd></div>
          <div><dt>Năm / giai đoạn</dt><dd>{item.plan_period || item.year || ''}</dd></div>
          {item.acknowledgement?.acknowledged_at ? (
            <div className="field-item-wide"><dt>Đã nhận</dt><dd data-testid="received-item-ack">{item.acknowledgement.acknowledged_by}, {formatDateTime(item.acknowledgement.acknowledged_at)}{item.acknowledgement.note ? ` – ${item.acknowledgement.note}` : ''}</dd></div>
          ) : null}
        </dl>
      </Card>
      <Card title={<h2 className="card-title">Lịch sử qua các quyết định</h2>}>
        {!history ? <Spin size="small" /> : !history.length ? <p className="muted">Chưa có lịch sử.</p> : (
          <ol className="timeline" data-testid="received-history">
            {history.map((h, i) => (
              <li key={h.id ?? i} className={`timeline-item${i === history.length - 1 ? ' timeline-active' : ''}`} data-testid="history-entry">
                <strong>Quyết định {h.decision_number || ''}</strong>
                {h.issued_on ? ` ký ngày ${formatDate(h.issued_on)}` : ''}
                {h.effective_from ? `, hiệu lực từ ${formatDate(h.effective_from)}` : ''}
                <div data-testid="history-value">{subject(h).detail}</div>
                <AssignmentStatusTag status={h.status} />
              </li>
            ))}
          </ol>
        )}
      </Card>
      <AcknowledgeDialog item={acking} onClose={() => setAcking(null)} onDone={(a) => {
        setItem(a);
        setAcking(null);
        toast('Đã xác nhận đã nhận.');
      }} />
    </section>
  );
}
