// The Front's oversight screens (docs/oversight.md), loaded when first opened:
// `#/giam-sat` — the Front: the targets and tasks opened to its committee for the chosen month's
//   year, each target with its figure of that month from the reporting read model (% of plan,
//   achievement; "Chưa có số liệu" when none), comment on one; its comments; a unit: the comments to answer and the recommendations addressed to it;
// `#/giam-sat/y-kien/{id}` — one thread (earlier texts kept, answers, answer / edit);
// `#/giam-sat/bao-cao`, `/moi`, `/{id}` — oversight reports: drafting with the cited figures,
//   filing to the People's Committee;
// `#/giam-sat/kien-nghi`, `/{id}` — the recommendation board (open, overdue, resolved by unit)
//   and one recommendation (answer; accept or reopen).
import { Alert, Button, Card, DatePicker, Input, Modal, Select, Spin, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState, type ReactNode } from 'react';
import { navigate } from '../../app/route';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { OVERSIGHT_ANSWER_ROLES } from '../../lib/authorization';
import { ACHIEVEMENT_LABELS, REPORT_COLUMNS } from '../../lib/labels';
import { problemText } from '../../lib/problem';
import { formatDate, formatDateTime, formatNumber } from '../../lib/vn';
import * as api from './api';
import { figureOf, figureQueries, monthCode } from './figures';
import { CITED_STATUS, COMMENT_STATUS, OVERDUE, RECOMMENDATION_STATUS, REPORT_STATUS, STATUS_CLASS } from './labels';


function useOversightRoute(): string[] {
  const [parts, setParts] = useState(() => window.location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean));
  useEffect(() => {
    const on = () => setParts(window.location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parts;
}

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | null, unknown, () => void] {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then((v) => live && setValue(v), (e) => live && (setError(e), setValue(null)));
    return () => { live = false; };
  }, [tick, ...deps]); // eslint-disable-line react-hooks/exhaustive-deps
  return [value, error, () => setTick((t) => t + 1)];
}

function StatusTag({ status, overdue, labels }: { status?: string; overdue?: boolean; labels: Record<string, string> }) {
  const s = overdue ? 'overdue' : status ?? '';
  return <Tag className={`status ${STATUS_CLASS[s] ?? ''}`} data-testid="oversight-status">{overdue ? OVERDUE : labels[s] ?? s}</Tag>;
}

function Tabs({ current }: { current: string }) {
  const { roles } = useSession();
  const tabs = [['', (roles ?? []).includes('front_member') ? 'Nội dung giám sát' : 'Ý kiến, kiến nghị'], ['bao-cao', 'Báo cáo giám sát'], ['kien-nghi', 'Kiến nghị']];
  return (
    <nav className="oversight-tabs" aria-label="Giám sát">
      {tabs.map(([to, label]) => (
        <a key={to} href={`#/giam-sat${to ? `/${to}` : ''}`} aria-current={current === to ? 'page' : undefined}
          className={current === to ? 'is-active' : undefined} data-testid={`oversight-tab-${to || 'home'}`}>{label}</a>
      ))}
    </nav>
  );
}

function Page({ title, lead, tab, children }: { title: string; lead?: string; tab: string; children: ReactNode }) {
  useEffect(() => { document.title = `${title} · Theo dõi chỉ tiêu KT-XH`; }, [title]);
  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head"><div>
        <h1 id="page-title" data-testid="page-title">{title}</h1>
        {lead ? <p className="muted page-lead">{lead}</p> : null}
      </div></div>
      <Tabs current={tab} />
      {children}
    </section>
  );
}

function Failure({ error, what }: { error: unknown; what: string }) {
  return error ? <Alert type="error" showIcon data-testid="oversight-error" message={problemText(error, what)} /> : null;
}

function useContext() {
  const { claims, roles } = useSession();
  const front = (roles ?? []).includes('front_member');
  const answers = (roles ?? []).some((r) => OVERSIGHT_ANSWER_ROLES.includes(r));
  const [index] = useLoad(api.loadUnits, []);
  const [names] = useLoad(api.loadIndicatorNames, []);
  const unit = (unitId?: string | null) => (unitId ? index?.byId.get(unitId)?.name ?? unitId : '');
  const committee = index?.byCode.get(claims.org_unit ?? '');
  // a unit's users do not see the Front committee in their unit tree (it is not above them)
  const frontName = (unitId?: string | null) => index?.byId.get(unitId ?? '')?.name ?? 'Ủy ban MTTQ';
  return { front, answers, index, names, unit, committee, frontName };
}

function targetLabel(a: api.Assignment, names: Map<string, string> | null): string {
  if (a.target?.key) return names?.get(a.target.key.indicator_code) ?? a.target.key.indicator_code;
  if (a.task) return `Nhiệm vụ ${a.task.key_task_id}`;
  return 'Nội dung được giao';
}

// ---------------------------------------------------------------------------- home

function CommentDialog({ subject, onClose, onDone }: {
  subject: { id: string; label: string } | null; onClose: () => void; onDone: (c: api.Comment) => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key] = useState(() => crypto.randomUUID());
  useEffect(() => { setText(''); setError(null); }, [subject]);
  const ok = async () => {
    if (!subject) return;
    setBusy(true);
    try {
      onDone(await api.postComment({ subject: { kind: 'assignment', id: subject.id, label: subject.label }, text }, `${key}-${subject.id}`));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={Boolean(subject)} title={`Góp ý kiến: ${subject?.label ?? ''}`} okText="Gửi ý kiến" cancelText="Hủy"
      confirmLoading={busy} onOk={ok} onCancel={onClose} okButtonProps={{ 'data-testid': 'comment-send' } as never}>
      <label htmlFor="comment-text">Nội dung ý kiến</label>
      <Input.TextArea id="comment-text" data-testid="comment-text" rows={5} value={text} onChange={(e) => setText(e.target.value)} />
      <Failure error={error} what="Không gửi được ý kiến" />
    </Modal>
  );
}

const ACHIEVEMENT_CLASS: Record<string, string> = { achieved: 'status-active', on_track: 'status-active', at_risk: 'status-ending', missed: 'status-danger' };

type UnitFigures = { rows: api.RollupRow[] } | { error: unknown };

/** The month's figures of the units whose targets are shown, by unit code (one read per unit). */
function useFigures(shown: api.Assignment[] | null, index: api.UnitIndex | null, period: string): Map<string, UnitFigures> | null {
  const [figures, setFigures] = useState<Map<string, UnitFigures> | null>(null);
  const queries = shown && index ? figureQueries(shown, (id) => index.byId.get(id)?.code) : null;
  const wanted = queries ? [...queries.entries()].map(([u, i]) => `${u}:${i.sort().join(',')}`).sort().join(' ') : null;
  useEffect(() => {
    if (!queries) return;
    let live = true;
    setFigures(null);
    Promise.all([...queries.entries()].map(async ([unit, indicators]) => {
      try {
        return [unit, { rows: await api.unitFigures(unit, period, indicators) }] as const;
      } catch (error) {
        return [unit, { error }] as const;
      }
    })).then((pairs) => live && setFigures(new Map<string, UnitFigures>(pairs)));
    return () => { live = false; };
  }, [wanted, period]); // eslint-disable-line react-hooks/exhaustive-deps
  return figures;
}

function FigureCell({ a, figures, index }: { a: api.Assignment; figures: Map<string, UnitFigures> | null; index: api.UnitIndex | null }) {
  if (!a.target) return null;
  if (!figures) return <span className="muted">Đang tải…</span>;
  const got = figures.get(index?.byId.get(a.assignee_unit_id ?? '')?.code ?? '');
  if (got && 'error' in got) return <span className="field-error" data-testid="figure-error">{problemText(got.error, 'Không tải được số liệu')}</span>;
  const row = figureOf(a, got?.rows);
  if (!row) return <span className="muted" data-testid="figure-none">Chưa có số liệu</span>;
  return <span data-testid="figure-value">{row.value ? formatNumber(row.value) : row.text_value} {row.unit}</span>;
}

function Home() {
  const ctx = useContext();
  const toast = useToast();
  const [opened, openedError] = useLoad(
    () => (ctx.front && ctx.committee ? api.openedAssignments(ctx.committee.id) : Promise.resolve([])), [ctx.front, ctx.committee?.id]);
  const [month, setMonth] = useState(() => dayjs().subtract(1, 'month'));
  const period = monthCode(month.year(), month.month() + 1);
  const periodLabel = `Tháng ${month.month() + 1}/${month.year()}`;
  const shown = opened ? opened.filter((a) => !a.year || a.year === month.year()) : null;
  const figures = useFigures(ctx.front ? shown : null, ctx.index, period);
  const figureRow = (a: api.Assignment) => {
    const got = figures?.get(ctx.index?.byId.get(a.assignee_unit_id ?? '')?.code ?? '');
    return got && 'rows' in got ? figureOf(a, got.rows) : null;
  };
  const [comments, commentsError, reload] = useLoad(() => api.listComments(), []);
  const [recs] = useLoad(() => (ctx.front ? Promise.resolve([]) : api.listRecommendations()), [ctx.front]);
  const [subject, setSubject] = useState<{ id: string; label: string } | null>(null);

  const commentTable = (
    <Table<api.Comment> size="small" rowKey="id" dataSource={comments ?? []} loading={!comments && !commentsError} pagination={false}
      data-testid="comment-list" locale={{ emptyText: <span className="empty-note">{'Chưa có ý kiến nào'}</span> }}
      columns={[
        { title: 'Nội dung góp ý', render: (_, c) => <a href={`#/giam-sat/y-kien/${c.id}`} data-testid="comment-link">{c.subject?.label || c.subject?.id}</a> },
        { title: ctx.front ? 'Đơn vị trả lời' : 'Đơn vị', render: (_, c) => ctx.unit(c.addressee_unit_id) },
        { title: 'Ý kiến', render: (_, c) => <span className="clamp">{c.text}</span> },
        { title: 'Ngày', render: (_, c) => formatDateTime(c.posted_at as string) },
        { title: 'Trạng thái', render: (_, c) => <StatusTag status={c.status as string} labels={COMMENT_STATUS} /> },
      ]} />
  );

  if (!ctx.front) {
    return (
      <Page tab="" title="Ý kiến, kiến nghị của Mặt trận" lead="Các ý kiến của Ủy ban MTTQ gửi đơn vị và các kiến nghị trong báo cáo giám sát: mở để trả lời.">
        <Card title="Ý kiến cần trả lời" className="card">{commentTable}<Failure error={commentsError} what="Không tải được ý kiến" /></Card>
        <Card title="Kiến nghị gửi đơn vị" className="card">
          <RecommendationTable items={recs} unit={ctx.unit} />
        </Card>
      </Page>
    );
  }
  return (
    <Page tab="" title="Nội dung giám sát" lead="Các chỉ tiêu, nhiệm vụ được mở cho Ủy ban MTTQ góp ý, giám sát (chỉ xem: Mặt trận không sửa số liệu, nhiệm vụ, giao – nhận).">
      <Card title="Chỉ tiêu, nhiệm vụ được mở cho Mặt trận" className="card">
        <div className="form-row">
          <div><label htmlFor="figures-month">Số liệu của kỳ (tháng)</label>
            <DatePicker id="figures-month" picker="month" format="MM/YYYY" value={month} allowClear={false} data-testid="figures-month" onChange={(v) => v && setMonth(v)} /></div>
        </div>
        <p className="muted">Các chỉ tiêu, nhiệm vụ giao năm {month.year()}; số liệu {periodLabel.toLowerCase()} do đơn vị báo cáo (đã được tiếp nhận).</p>
        <Failure error={openedError} what="Không tải được nội dung giao" />
        <Table<api.Assignment> size="small" rowKey="id" dataSource={shown ?? []} loading={!opened && !openedError} pagination={false}
          data-testid="opened-list" locale={{ emptyText: <span className="empty-note">{`Chưa có nội dung nào năm ${month.year()} được mở cho Mặt trận`}</span> }}
          columns={[
            { title: 'Đơn vị', render: (_, a) => ctx.unit(a.assignee_unit_id) },
            { title: 'Chỉ tiêu / nhiệm vụ', render: (_, a) => targetLabel(a, ctx.names) },
            { title: 'Năm', dataIndex: 'year' },
            { title: 'Chỉ tiêu giao', render: (_, a) => (a.target ? `${formatNumber(a.target.target_value ?? '')} ${a.target.unit_of_measure ?? ''}` : a.task?.deadline ? `Hạn ${formatDate(a.task.deadline)}` : '') },
            { title: `${REPORT_COLUMNS.actual} ${periodLabel.toLowerCase()}`, key: 'figure', render: (_, a) => <FigureCell a={a} figures={figures} index={ctx.index} /> },
            { title: REPORT_COLUMNS.percent_of_target, key: 'plan', render: (_, a) => {
              const r = figureRow(a);
              return r?.plan_percent ? <span data-testid="figure-plan">{formatNumber(r.plan_percent, 1)} %</span> : null;
            } },
            { title: 'Đánh giá', key: 'achievement', render: (_, a) => {
              const r = figureRow(a);
              return r && ACHIEVEMENT_LABELS[r.achievement] ? <Tag className={`status ${ACHIEVEMENT_CLASS[r.achievement] ?? ''}`} data-testid="figure-achievement">{ACHIEVEMENT_LABELS[r.achievement]}</Tag> : null;
            } },
            { title: '', render: (_, a) => (
              <Button size="small" data-testid="comment-open" onClick={() => setSubject({ id: a.id ?? '', label: `${targetLabel(a, ctx.names)} – ${ctx.unit(a.assignee_unit_id)}` })}>
                Góp ý kiến
              </Button>) },
          ]} />
      </Card>
      <Card title="Ý kiến đã gửi" className="card">{commentTable}</Card>
      <CommentDialog subject={subject} onClose={() => setSubject(null)} onDone={(c) => {
        setSubject(null);
        toast('Đã gửi ý kiến; đơn vị được thông báo để trả lời.');
        reload();
        navigate(`#/giam-sat/y-kien/${c.id}`);
      }} />
    </Page>
  );
}

// ---------------------------------------------------------------------------- one thread

function Thread({ id }: { id: string }) {
  const ctx = useContext();
  const toast = useToast();
  const [comment, error, reload] = useLoad(() => api.getComment(id), [id]);
  const [text, setText] = useState('');
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setActionError(null);
    try {
      await run();
      setText('');
      setEditing(false);
      toast(done);
      reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  if (error) return <Page tab="" title="Ý kiến"><Failure error={error} what="Không tải được ý kiến" /></Page>;
  if (!comment) return <div className="view-center"><Spin /><p>Đang tải…</p></div>;
  return (
    <Page tab="" title={`Ý kiến: ${comment.subject?.label || comment.subject?.id}`}
      lead={`${ctx.frontName(comment.front_unit_id)} gửi ${ctx.unit(comment.addressee_unit_id)} · ${formatDateTime(comment.posted_at as string)}`}>
      <Card className="card" data-testid="comment-thread">
        <p><StatusTag status={comment.status as string} labels={COMMENT_STATUS} /></p>
        <blockquote className="comment-text" data-testid="comment-body">{comment.text}</blockquote>
        {comment.edits?.length ? (
          <details data-testid="comment-edits"><summary>Nội dung trước khi sửa ({comment.edits.length})</summary>
            {comment.edits.map((e, i) => <p key={i} className="muted">{formatDateTime(e.written_at as string)}: {e.text}</p>)}
          </details>) : null}
        <h2 className="section-title">Trả lời</h2>
        {comment.responses?.length ? comment.responses.map((r) => (
          <div key={r.id} className="response" data-testid="comment-response">
            <p className="muted">{ctx.unit(r.responder_unit_id)} · {r.author} · {formatDateTime(r.posted_at as string)}</p>
            <p>{r.text}</p>
          </div>)) : <p className="muted" data-testid="no-response">Đơn vị chưa trả lời.</p>}
        {ctx.answers && comment.status !== 'closed' ? (
          <div className="form-block">
            <label htmlFor="answer-text">Trả lời của đơn vị</label>
            <Input.TextArea id="answer-text" data-testid="answer-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
            <Button type="primary" loading={busy} data-testid="answer-send" onClick={() => act(() => api.answerComment(id, text), 'Đã gửi trả lời.')}>Gửi trả lời</Button>
          </div>) : null}
        {ctx.front && comment.status !== 'closed' ? (
          editing ? (
            <div className="form-block">
              <label htmlFor="edit-text">Sửa ý kiến (nội dung cũ vẫn được lưu và hiển thị)</label>
              <Input.TextArea id="edit-text" data-testid="edit-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
              <Button type="primary" loading={busy} data-testid="edit-save" onClick={() => act(() => api.editComment(id, Number(comment.version), text), 'Đã sửa ý kiến.')}>Lưu</Button>
              <Button onClick={() => setEditing(false)}>Hủy</Button>
            </div>) : <Button data-testid="edit-open" onClick={() => { setText(comment.text ?? ''); setEditing(true); }}>Sửa ý kiến</Button>
        ) : null}
        <Failure error={actionError} what="Không thực hiện được" />
      </Card>
    </Page>
  );
}

// ---------------------------------------------------------------------------- reports

function ReportList() {
  const ctx = useContext();
  const [reports, error] = useLoad(api.listReports, []);
  return (
    <Page tab="bao-cao" title="Báo cáo giám sát" lead={ctx.front ? 'Lập báo cáo giám sát với số liệu, tình trạng nhiệm vụ của các đơn vị tại một ngày, gửi UBND cùng cấp.' : 'Các báo cáo giám sát của Ủy ban MTTQ gửi đến đơn vị.'}>
      {ctx.front ? <p><Button type="primary" href="#/giam-sat/bao-cao/moi" data-testid="report-new">Lập báo cáo giám sát</Button></p> : null}
      <Failure error={error} what="Không tải được báo cáo" />
      <Table<api.OversightReport> size="small" rowKey="id" dataSource={reports ?? []} loading={!reports && !error} pagination={false}
        data-testid="report-list" locale={{ emptyText: <span className="empty-note">{'Chưa có báo cáo giám sát'}</span> }}
        columns={[
          { title: 'Tiêu đề', render: (_, r) => <a href={`#/giam-sat/bao-cao/${r.id}`} data-testid="report-link">{r.title}</a> },
          { title: 'Đơn vị được giám sát', render: (_, r) => (r.overseen_unit_ids ?? []).map(ctx.unit).join(', ') },
          { title: 'Kiến nghị', render: (_, r) => r.recommendations?.length ?? 0 },
          { title: 'Trạng thái', render: (_, r) => <StatusTag status={r.status as string} labels={REPORT_STATUS} /> },
        ]} />
    </Page>
  );
}

interface RecRow { code: string; text: string; addressee_unit_id: string; due_date: string }

function ReportDraft() {
  const ctx = useContext();
  const [opened] = useLoad(() => (ctx.committee ? api.openedAssignments(ctx.committee.id) : Promise.resolve([])), [ctx.committee?.id]);
  const [title, setTitle] = useState('');
  const [month, setMonth] = useState(dayjs().subtract(1, 'month'));
  const [asOf, setAsOf] = useState(dayjs());
  const [overseen, setOverseen] = useState<string[]>([]);
  const [findings, setFindings] = useState('');
  const [recs, setRecs] = useState<RecRow[]>([{ code: '1', text: '', addressee_unit_id: '', due_date: '' }]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key] = useState(() => crypto.randomUUID());
  const unitOptions = [...new Set((opened ?? []).map((a) => a.assignee_unit_id ?? ''))].filter(Boolean)
    .map((u) => ({ value: u, label: ctx.unit(u) }));
  const setRec = (i: number, patch: Partial<RecRow>) => setRecs((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.createReport({
        title, findings, overseen_unit_ids: overseen, as_of: asOf.format('YYYY-MM-DD'),
        period: { kind: 'month', year: month.year(), number: month.month() + 1 },
        recommendations: recs.filter((x) => x.text.trim()).map((x) => ({ ...x, due_date: x.due_date || null })),
      } as api.OversightReportIn, key);
      navigate(`#/giam-sat/bao-cao/${r.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page tab="bao-cao" title="Lập báo cáo giám sát" lead="Khi lưu, hệ thống trích số liệu của kỳ và tình trạng nhiệm vụ của các đơn vị tại ngày đã chọn; báo cáo giữ nguyên các số đã trích.">
      <Card className="card report-form">
        <label htmlFor="report-title">Tiêu đề</label>
        <Input id="report-title" data-testid="report-title" value={title} onChange={(e) => setTitle(e.target.value)} />
        <div className="form-row">
          <div><label htmlFor="report-month">Kỳ giám sát (tháng)</label>
            <DatePicker id="report-month" picker="month" format="MM/YYYY" value={month} allowClear={false} data-testid="report-month" onChange={(v) => v && setMonth(v)} /></div>
          <div><label htmlFor="report-asof">Số liệu tính đến ngày</label>
            <DatePicker id="report-asof" format="DD/MM/YYYY" value={asOf} allowClear={false} data-testid="report-asof" onChange={(v) => v && setAsOf(v)} /></div>
        </div>
        <label htmlFor="report-units">Đơn vị được giám sát</label>
        <Select id="report-units" mode="multiple" showSearch optionFilterProp="label" data-testid="report-units" style={{ width: '100%' }} options={unitOptions} value={overseen} onChange={setOverseen}
          placeholder="Chọn đơn vị (các đơn vị có nội dung được mở cho Mặt trận)" />
        <label htmlFor="report-findings">Kết quả giám sát</label>
        <Input.TextArea id="report-findings" data-testid="report-findings" rows={5} value={findings} onChange={(e) => setFindings(e.target.value)} />
        <h2 className="section-title">Kiến nghị</h2>
        {recs.map((r, i) => (
          <div key={i} className="rec-row" data-testid="rec-row">
            <Input aria-label={`Số hiệu kiến nghị ${i + 1}`} style={{ width: 60 }} value={r.code} onChange={(e) => setRec(i, { code: e.target.value })} />
            <Input.TextArea aria-label={`Nội dung kiến nghị ${i + 1}`} data-testid="rec-text" rows={2} value={r.text} onChange={(e) => setRec(i, { text: e.target.value })} />
            <Select aria-label={`Đơn vị nhận kiến nghị ${i + 1}`} data-testid="rec-unit" style={{ minWidth: 200 }} options={Array.from(ctx.index?.byId.values() ?? []).filter((u) => u.kind !== 'front').map((u) => ({ value: u.id, label: u.name }))}
              showSearch optionFilterProp="label" value={r.addressee_unit_id || undefined} placeholder="Đơn vị nhận" onChange={(v) => setRec(i, { addressee_unit_id: v })} />
            <Input aria-label={`Hạn trả lời kiến nghị ${i + 1}`} data-testid="rec-due" type="date" value={r.due_date} onChange={(e) => setRec(i, { due_date: e.target.value })} />
          </div>
        ))}
        <Button data-testid="rec-add" onClick={() => setRecs((all) => [...all, { code: String(all.length + 1), text: '', addressee_unit_id: '', due_date: '' }])}>Thêm kiến nghị</Button>
        <Failure error={error} what="Không lưu được báo cáo" />
        <p><Button type="primary" loading={busy} data-testid="report-save" onClick={save}>Lưu dự thảo và trích số liệu</Button></p>
      </Card>
    </Page>
  );
}

function ReportView({ id }: { id: string }) {
  const ctx = useContext();
  const toast = useToast();
  const [report, error, reload] = useLoad(() => api.getReport(id), [id]);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  if (error) return <Page tab="bao-cao" title="Báo cáo giám sát"><Failure error={error} what="Không tải được báo cáo" /></Page>;
  if (!report) return <div className="view-center"><Spin /><p>Đang tải…</p></div>;
  const file = async () => {
    setBusy(true);
    setActionError(null);
    try {
      await api.fileReport(id, Number(report.version));
      toast('Đã gửi báo cáo giám sát đến UBND cùng cấp; các đơn vị nhận kiến nghị được thông báo.');
      reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page tab="bao-cao" title={report.title ?? ''} lead={`${ctx.frontName(report.front_unit_id)}${report.filed_to_unit_id ? ` gửi ${ctx.unit(report.filed_to_unit_id)}` : ''} · kỳ ${report.period?.code ?? ''} · số liệu tính đến ${formatDate(report.as_of ?? '')}`}>
      <Card className="card" data-testid="report-view">
        <p><StatusTag status={report.status as string} labels={REPORT_STATUS} /></p>
        <h2 className="section-title">Số liệu, tình trạng nhiệm vụ đã trích</h2>
        <Table size="small" pagination={false} rowKey={(c) => `${c.org_unit_id}-${c.assignment_id}`} dataSource={report.citations ?? []} data-testid="citations"
          locale={{ emptyText: <span className="empty-note">{'Không có số liệu trích dẫn'}</span> }}
          columns={[
            { title: 'Đơn vị', render: (_, c) => ctx.unit(c.org_unit_id) },
            { title: 'Chỉ tiêu / nhiệm vụ', render: (_, c) => (c.key?.indicator_code ? ctx.names?.get(c.key.indicator_code) ?? c.key.indicator_code : `Nhiệm vụ ${c.key_task_id}`) },
            { title: 'Chỉ tiêu giao', render: (_, c) => (c.target_value ? `${formatNumber(c.target_value)} ${c.unit_of_measure ?? ''}` : '') },
            { title: `Số liệu kỳ ${report.period?.code ?? ''}`, render: (_, c) => (c.kind === 'task' ? '' : c.value ? formatNumber(c.value) : 'Chưa có số liệu') },
            { title: 'Tình trạng giao – nhận', render: (_, c) => CITED_STATUS[c.status ?? ''] ?? c.status },
          ]} />
        <h2 className="section-title">Kết quả giám sát</h2>
        <p className="pre" data-testid="report-findings-view">{report.findings}</p>
        <h2 className="section-title">Kiến nghị</h2>
        <RecommendationTable items={report.recommendations ?? []} unit={ctx.unit} />
        {ctx.front && report.status === 'draft' ? (
          <p><Button type="primary" loading={busy} data-testid="report-file" onClick={file}>Gửi UBND cùng cấp</Button></p>) : null}
        <Failure error={actionError} what="Không gửi được báo cáo" />
      </Card>
    </Page>
  );
}

// ---------------------------------------------------------------------------- recommendations

function RecommendationTable({ items, unit }: { items: api.Recommendation[] | null; unit: (id?: string | null) => string }) {
  return (
    <Table<api.Recommendation> size="small" rowKey={(r) => r.id || r.code} dataSource={items ?? []} loading={!items} pagination={false}
      data-testid="recommendation-list" locale={{ emptyText: <span className="empty-note">{'Không có kiến nghị'}</span> }}
      columns={[
        { title: 'Số', dataIndex: 'code' },
        { title: 'Kiến nghị', render: (_, r) => (r.id ? <a href={`#/giam-sat/kien-nghi/${r.id}`} data-testid="recommendation-link">{r.text}</a> : r.text) },
        { title: 'Đơn vị nhận', render: (_, r) => unit(r.addressee_unit_id) },
        { title: 'Hạn trả lời', render: (_, r) => formatDate(r.due_date ?? '') },
        { title: 'Trạng thái', render: (_, r) => <StatusTag status={r.status as string} overdue={Boolean(r.overdue)} labels={RECOMMENDATION_STATUS} /> },
      ]} />
  );
}

function Board() {
  const ctx = useContext();
  const [rows, error] = useLoad(api.board, []);
  const [recs] = useLoad(() => api.listRecommendations(), []);
  return (
    <Page tab="kien-nghi" title="Theo dõi kiến nghị" lead="Kiến nghị của các báo cáo giám sát đã gửi, theo đơn vị nhận: đang chờ trả lời, đã trả lời, quá hạn, đã giải quyết.">
      <Failure error={error} what="Không tải được bảng theo dõi" />
      <Card title="Theo đơn vị" className="card">
        <Table<api.BoardRow> size="small" rowKey="addressee_unit_id" dataSource={rows ?? []} loading={!rows && !error} pagination={false}
          data-testid="board" locale={{ emptyText: <span className="empty-note">{'Chưa có kiến nghị'}</span> }}
          columns={[
            { title: 'Đơn vị', render: (_, r) => <span data-testid="board-unit">{ctx.unit(r.addressee_unit_id)}</span> },
            { title: 'Chờ trả lời', dataIndex: 'open' },
            { title: 'Đã trả lời', dataIndex: 'answered' },
            { title: 'Quá hạn', render: (_, r) => <span data-testid="board-overdue" className={r.overdue ? 'text-danger' : undefined}>{r.overdue}</span> },
            { title: 'Đã giải quyết', render: (_, r) => <span data-testid="board-resolved">{r.resolved}</span> },
          ]} />
      </Card>
      <Card title="Các kiến nghị" className="card"><RecommendationTable items={recs} unit={ctx.unit} /></Card>
    </Page>
  );
}

function RecommendationView({ id }: { id: string }) {
  const ctx = useContext();
  const toast = useToast();
  const [rec, error, reload] = useLoad(() => api.getRecommendation(id), [id]);
  const [report] = useLoad(() => (rec?.oversight_report_id ? api.getReport(rec.oversight_report_id) : Promise.resolve(null)), [rec?.oversight_report_id, rec?.status]);
  const [text, setText] = useState('');
  const [due, setDue] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setActionError(null);
    try {
      await run();
      setText('');
      toast(done);
      reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  if (error) return <Page tab="kien-nghi" title="Kiến nghị"><Failure error={error} what="Không tải được kiến nghị" /></Page>;
  if (!rec) return <div className="view-center"><Spin /><p>Đang tải…</p></div>;
  const answers = (report?.responses ?? []).filter((r) => r.recommendation_code === rec.code);
  return (
    <Page tab="kien-nghi" title={`Kiến nghị ${rec.code}: ${ctx.unit(rec.addressee_unit_id)}`} lead={`Báo cáo giám sát: ${rec.report_title} · hạn trả lời ${formatDate(rec.due_date ?? '')}`}>
      <Card className="card" data-testid="recommendation-view">
        <p><StatusTag status={rec.status as string} overdue={Boolean(rec.overdue)} labels={RECOMMENDATION_STATUS} />
          {rec.reopen_count ? <span className="muted"> · đã mở lại {rec.reopen_count} lần</span> : null}</p>
        <blockquote className="comment-text">{rec.text}</blockquote>
        {rec.decision_remark ? <p className="muted">Ý kiến của Mặt trận: {rec.decision_remark}</p> : null}
        <h2 className="section-title">Trả lời của đơn vị</h2>
        {answers.length ? answers.map((r) => (
          <div key={r.id} className="response" data-testid="recommendation-response">
            <p className="muted">{ctx.unit(r.responder_unit_id)} · {r.author} · {formatDateTime(r.posted_at as string)}</p>
            <p>{r.text}</p>
          </div>)) : <p className="muted">Đơn vị chưa trả lời.</p>}
        {ctx.answers && rec.status !== 'resolved' ? (
          <div className="form-block">
            <label htmlFor="rec-answer">Đơn vị đã làm gì</label>
            <Input.TextArea id="rec-answer" data-testid="rec-answer" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
            <Button type="primary" loading={busy} data-testid="rec-answer-send" onClick={() => act(() => api.answerRecommendation(id, text), 'Đã gửi trả lời kiến nghị.')}>Gửi trả lời</Button>
          </div>) : null}
        {ctx.front && rec.status !== 'resolved' ? (
          <div className="form-block">
            <label htmlFor="rec-remark">Nhận xét của Mặt trận</label>
            <Input.TextArea id="rec-remark" data-testid="rec-remark" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
            <label htmlFor="rec-due">Hạn trả lời mới (khi mở lại)</label>
            <Input id="rec-due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
            <Button type="primary" loading={busy} disabled={rec.status !== 'answered'} data-testid="rec-accept"
              onClick={() => act(() => api.decideRecommendation(id, true, text), 'Đã ghi nhận kiến nghị được giải quyết.')}>Ghi nhận đã giải quyết</Button>
            <Button loading={busy} data-testid="rec-reopen" onClick={() => act(() => api.decideRecommendation(id, false, text, due), 'Đã mở lại kiến nghị.')}>Mở lại</Button>
          </div>) : null}
        <Failure error={actionError} what="Không thực hiện được" />
      </Card>
    </Page>
  );
}

export default function OversightScreens() {
  const [, sub, third] = useOversightRoute();
  if (sub === 'y-kien' && third) return <Thread key={third} id={third} />;
  if (sub === 'bao-cao' && third === 'moi') return <ReportDraft />;
  if (sub === 'bao-cao' && third) return <ReportView key={third} id={third} />;
  if (sub === 'bao-cao') return <ReportList />;
  if (sub === 'kien-nghi' && third) return <RecommendationView key={third} id={third} />;
  if (sub === 'kien-nghi') return <Board />;
  return <Home />;
}
