// Đánh giá (docs/evaluation.md). `#/danh-gia`: the rounds (the managing unit opens one);
// `#/danh-gia/{round}`: the review queue of a round (each unit's status, self total beside the
// evaluation total) and the ranking; `#/phieu-danh-gia/{evaluation}`: one unit's score sheet,
// side by side: suggested score with its evidence, the unit's own score and reason, the managing
// unit's score and reason; the steps the signed-in user may take; the history.
// `#/ket-qua-danh-gia/{round}`: the published results (frozen editions, newest first): the
// evaluation report (units × criteria groups, total, classification, rank) and its files.
import { Alert, Button, Card, Input, Modal, Spin, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { href, navigate, type Route } from '../../app/route';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { COMPLETION_LEVELS, SCORING_METHODS } from '../../lib/labels';
import { problemText } from '../../lib/problem';
import { formatDate, formatDateTime, formatNumber } from '../../lib/vn';
import {
  editionReport, getEdition, getEvaluation, getRound, listEditions, listEvaluations, listRounds, openRound, publishResults,
  rankings, refresh, saveScores, scoreSheet, step,
  type Edition, type Evaluation, type Ranking, type Round, type ScoreIn, type Step,
} from './api';

export const EVALUATION_STATUS: Record<string, string> = {
  draft: 'Đang tự đánh giá',
  checked: 'Chờ lãnh đạo đơn vị gửi',
  submitted: 'Đã gửi, chờ đánh giá',
  finalized: 'Đã có kết quả',
  review_requested: 'Đề nghị xem xét lại',
};
const UNIT_ROLES = ['consolidator', 'unit_leader'];
const MANAGING_WRITE = ['province_admin', 'planning_officer'];
const MANAGING_APPROVE = ['province_admin', 'leadership'];

function useRoles() {
  const { roles } = useSession();
  const has = (list: string[]) => (roles ?? []).some((r) => list.includes(r));
  return {
    unitSide: has(UNIT_ROLES) && !has([...MANAGING_WRITE, ...MANAGING_APPROVE]),
    unitLeader: has(['unit_leader']),
    manage: has(MANAGING_WRITE),
    approve: has(MANAGING_APPROVE),
  };
}

const level = (v?: string | null) => (v ? COMPLETION_LEVELS[v] ?? v : 'Chưa xếp loại');
const score = (v?: string | null) => (v ? formatNumber(v) : '—');

function saveBlob(blob: Blob, name: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
}

function Loading() {
  return <div className="view-center"><Spin /><p>Đang tải…</p></div>;
}

// ------------------------------------------------------------------ rounds

function OpenRoundForm({ onOpened }: { onOpened: (r: Round) => void }) {
  const year = new Date().getFullYear();
  const [form, setForm] = useState({ criteria_set_id: '', year: String(year), self_evaluation_deadline: `${year + 1}-01-15`,
    evaluation_deadline: `${year + 1}-01-31`, report_period_codes: `${year}-Q1, ${year}-Q2, ${year}-Q3, ${year}-Q4`, mandatory_criterion_codes: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
  const submit = async () => {
    setBusy(true);
    setError('');
    try {
      onOpened(await openRound({ ...form, year: Number(form.year), report_period_codes: list(form.report_period_codes),
        mandatory_criterion_codes: list(form.mandatory_criterion_codes) }));
    } catch (err) {
      setError(problemText(err, 'Không mở được đợt đánh giá'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Mở đợt đánh giá" data-testid="open-round">
      <div className="form-grid">
        <label>Bộ tiêu chí (mã)<Input value={form.criteria_set_id} onChange={set('criteria_set_id')} data-testid="round-criteria-set" placeholder="TC.XA.2026" /></label>
        <label>Năm đánh giá<Input value={form.year} onChange={set('year')} data-testid="round-year" /></label>
        <label>Hạn tự đánh giá<Input value={form.self_evaluation_deadline} onChange={set('self_evaluation_deadline')} placeholder="YYYY-MM-DD" /></label>
        <label>Hạn đánh giá<Input value={form.evaluation_deadline} onChange={set('evaluation_deadline')} placeholder="YYYY-MM-DD" /></label>
        <label>Kỳ báo cáo tính điểm (cách nhau dấu phẩy)<Input value={form.report_period_codes} onChange={set('report_period_codes')} data-testid="round-periods" /></label>
        <label>Tiêu chí bắt buộc (mã, cách nhau dấu phẩy)<Input value={form.mandatory_criterion_codes} onChange={set('mandatory_criterion_codes')} /></label>
      </div>
      {error ? <Alert type="error" showIcon message={error} role="alert" data-testid="open-round-error" /> : null}
      <Button type="primary" loading={busy} onClick={submit} data-testid="open-round-submit">Mở đợt và tính điểm gợi ý</Button>
    </Card>
  );
}

function RoundsPage() {
  const { manage } = useRoles();
  const [rounds, setRounds] = useState<Round[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    listRounds().then(setRounds, (err) => setError(problemText(err, 'Không tải được các đợt đánh giá')));
  }, []);
  if (error) return <Alert type="error" showIcon message={error} role="alert" />;
  if (!rounds) return <Loading />;
  return (
    <div className="page" data-testid="rounds-page">
      <h1>Đánh giá kết quả thực hiện nhiệm vụ</h1>
      {manage ? <OpenRoundForm onOpened={(r) => navigate(href('danh-gia', r.id))} /> : null}
      {rounds.length === 0 ? <p>Chưa có đợt đánh giá nào.</p> : null}
      <ul className="card-list">
        {rounds.map((r) => (
          <li key={r.id}>
            <a href={href('danh-gia', r.id)} data-testid="round-link"><strong>{r.name}</strong></a>
            <div>{r.criteria_set_name} · {r.units.length} đơn vị · Hạn tự đánh giá {formatDate(r.self_evaluation_deadline)} · Hạn đánh giá {formatDate(r.evaluation_deadline)}
              {' '}<Tag>{r.status === 'closed' ? 'Đã kết thúc' : 'Đang diễn ra'}</Tag></div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function PublishedEditions({ roundId, editions, onPublished }: { roundId: string; editions: Edition[]; onPublished: (x: Edition) => void }) {
  const { approve } = useRoles();
  const toast = useToast();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const publish = async () => {
    setBusy(true);
    setError('');
    try {
      const x = await publishResults(roundId, note);
      setNote('');
      toast(`Đã công bố kết quả lần ${x.revision}`);
      onPublished(x);
    } catch (err) {
      setError(problemText(err, 'Không công bố được kết quả'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section data-testid="editions">
      <h2>Kết quả đã công bố</h2>
      {editions.length === 0 ? <p>Chưa công bố kết quả lần nào.</p> : (
        <ul>{editions.map((x) => (
          <li key={x.revision}><a href={href('ket-qua-danh-gia', roundId)} data-testid="edition-link">Công bố lần {x.revision}</a>
            {' '}· {formatDateTime(x.published_at)} · {x.published_by}{x.note ? ` · ${x.note}` : ''}</li>))}
        </ul>
      )}
      {approve ? (
        <div className="actions">
          <Input aria-label="Ghi chú công bố" placeholder="Ghi chú (vd. số quyết định công bố kết quả)" value={note}
            onChange={(ev) => setNote(ev.target.value)} data-testid="publish-note" style={{ maxWidth: '32em' }} />
          <Button type="primary" loading={busy} onClick={publish} data-testid="publish-results">
            {editions.length ? 'Công bố lại (lần mới)' : 'Công bố kết quả'}</Button>
        </div>
      ) : null}
      {error ? <Alert type="error" showIcon message={error} role="alert" data-testid="publish-error" /> : null}
    </section>
  );
}

function RoundPage({ roundId }: { roundId: string }) {
  const [round, setRound] = useState<Round | null>(null);
  const [items, setItems] = useState<Evaluation[] | null>(null);
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [editions, setEditions] = useState<Edition[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    Promise.all([getRound(roundId), listEvaluations(roundId), rankings(roundId), listEditions(roundId)]).then(([r, e, k, x]) => {
      setRound(r);
      setItems(e);
      setRanking(k);
      setEditions(x);
    }, (err) => setError(problemText(err, 'Không tải được đợt đánh giá')));
  }, [roundId]);
  if (error) return <Alert type="error" showIcon message={error} role="alert" />;
  if (!round || !items || !ranking || !editions) return <Loading />;
  return (
    <div className="page" data-testid="round-page">
      <p><a href={href('danh-gia')}>← Các đợt đánh giá</a></p>
      <h1>{round.name}</h1>
      <p>{round.criteria_set_name} · tổng điểm tối đa {formatNumber(round.max_total_score)} · ngưỡng: {round.thresholds
        .map((t) => `${level(t.level)} từ ${formatNumber(t.min_score)}`).join('; ')}</p>
      <h2>Các đơn vị (hàng chờ đánh giá)</h2>
      <Table<Evaluation> rowKey="id" dataSource={items} pagination={false} data-testid="review-queue" size="small"
        columns={[
          { title: 'Đơn vị', render: (_, e) => <a href={href('phieu-danh-gia', e.id)} data-testid="evaluation-link">{e.org_unit_name || e.org_unit_code}</a> },
          { title: 'Trạng thái', render: (_, e) => <Tag data-testid="evaluation-status">{EVALUATION_STATUS[e.status ?? ""] ?? e.status}</Tag> },
          { title: 'Tự chấm', align: 'right', render: (_, e) => score(e.self_total_score) },
          { title: 'Điểm đánh giá', align: 'right', render: (_, e) => score(e.total_score) },
          { title: 'Xếp loại', render: (_, e) => (e.status === 'finalized' || e.status === 'review_requested' ? level(e.completion_level) : '—') },
        ]} />
      <h2>Xếp hạng (kết quả đã chốt)</h2>
      {ranking.rankings.length === 0 ? <p>Chưa có đơn vị nào có kết quả.</p> : (
        <Table rowKey="evaluation_id" dataSource={ranking.rankings} pagination={false} data-testid="ranking" size="small"
          columns={[
            { title: 'Hạng', dataIndex: 'rank', align: 'right' },
            { title: 'Đơn vị', render: (_, r) => r.org_unit_name || r.org_unit_code },
            { title: 'Tổng điểm', align: 'right', render: (_, r) => score(r.total_score) },
            { title: 'Xếp loại', render: (_, r) => level(r.completion_level) },
          ]} />
      )}
      <PublishedEditions roundId={roundId} editions={editions} onPublished={(x) => setEditions([x, ...editions])} />
    </div>
  );
}

// ------------------------------------------------------------------ published results

function ResultsPage({ roundId }: { roundId: string }) {
  const [editions, setEditions] = useState<Edition[] | null>(null);
  const [revision, setRevision] = useState(0);
  const [edition, setEdition] = useState<Edition | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    listEditions(roundId).then((xs) => {
      setEditions(xs);
      setRevision(xs[0]?.revision ?? 0);
    }, (err) => setError(problemText(err, 'Không tải được kết quả đã công bố')));
  }, [roundId]);
  useEffect(() => {
    if (revision) getEdition(roundId, revision).then(setEdition, (err) => setError(problemText(err, 'Không tải được kết quả')));
  }, [roundId, revision]);
  const download = async (format: 'xlsx' | 'pdf') => {
    try {
      saveBlob(await editionReport(roundId, revision, format), `ket-qua-danh-gia-lan-${revision}.${format}`);
    } catch (err) {
      setError(problemText(err, 'Không tải được báo cáo'));
    }
  };
  if (error) return <Alert type="error" showIcon message={error} role="alert" />;
  if (!editions) return <Loading />;
  const groups = edition?.groups ?? [];
  return (
    <div className="page" data-testid="results-page">
      <p><a href={href('danh-gia', roundId)}>← Đợt đánh giá</a></p>
      <h1>Kết quả đánh giá đã công bố</h1>
      {editions.length === 0 ? <p>Đợt đánh giá này chưa công bố kết quả.</p> : (
        <div className="actions" role="group" aria-label="Các lần công bố">
          {editions.map((x) => (
            <Button key={x.revision} type={x.revision === revision ? 'primary' : 'default'} onClick={() => setRevision(x.revision)}
              data-testid={`edition-${x.revision}`}>Lần {x.revision} · {formatDate((x.published_at ?? '').slice(0, 10))}</Button>))}
        </div>
      )}
      {edition && edition.revision === revision ? (
        <section data-testid="edition">
          <h2>{edition.round_name}</h2>
          <p>Bộ tiêu chí: {edition.criteria_set_name} · Công bố lần {edition.revision} ngày {formatDateTime(edition.published_at)} bởi {edition.published_by}
            {edition.note ? ` · ${edition.note}` : ''}</p>
          <p className="muted">Bản công bố không thay đổi về sau; kết quả được sửa sau khi công bố chỉ có trong lần công bố tiếp theo.</p>
          <Table rowKey="org_unit_id" dataSource={edition.rows} pagination={false} size="small" data-testid="edition-table" scroll={{ x: true }}
            columns={[
              { title: 'Xếp hạng', align: 'right', render: (_, r) => (r.rank ? r.rank : '—') },
              { title: 'Đơn vị', render: (_, r) => r.org_unit_name || r.org_unit_code },
              ...groups.map((g, i) => ({ title: `${g.code} (tối đa ${formatNumber(g.max_score)})`, key: g.code, align: 'right' as const,
                render: (_: unknown, r: Edition['rows'][number]) => score(r.group_scores[i]) })),
              { title: `Tổng điểm (tối đa ${formatNumber(edition.max_total_score)})`, align: 'right', render: (_, r) => <strong>{score(r.total_score)}</strong> },
              { title: 'Xếp loại', render: (_, r) => (r.rank ? level(r.completion_level) : <span className="muted">Chưa có kết quả</span>) },
            ]} />
          <p data-testid="edition-counts">{Object.entries(COMPLETION_LEVELS).map(([k, label]) =>
            `${label}: ${edition.count_by_level[`COMPLETION_LEVEL_${k.toUpperCase()}`] ?? 0}`).join(' · ')}</p>
          <ul className="muted">{groups.map((g) => <li key={g.code}><strong>{g.code}</strong> {g.name}</li>)}</ul>
          <div className="actions">
            <Button onClick={() => download('xlsx')} data-testid="download-edition">Tải báo cáo kết quả (XLSX)</Button>
            <Button onClick={() => download('pdf')} data-testid="download-edition-pdf">Tải báo cáo kết quả (PDF)</Button>
          </div>
        </section>
      ) : revision ? <Loading /> : null}
    </div>
  );
}

// ------------------------------------------------------------------ one unit's sheet

type Draft = Record<string, { score: string; comment: string }>;

function EvaluationPage({ evaluationId }: { evaluationId: string }) {
  const toast = useToast();
  const roles = useRoles();
  const [e, setE] = useState<Evaluation | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<Step | null>(null);
  const [reason, setReason] = useState('');

  const show = useCallback((x: Evaluation) => {
    setE(x);
    setDraft({});
  }, []);
  useEffect(() => {
    getEvaluation(evaluationId).then(show, (err) => setError(problemText(err, 'Không tải được phiếu đánh giá')));
  }, [evaluationId, show]);

  if (!e) return error ? <Alert type="error" showIcon message={error} role="alert" /> : <Loading />;
  const selfEditable = roles.unitSide && (e.status === 'draft' || e.status === 'checked');
  const finalEditable = roles.manage && (e.status === 'submitted' || e.status === 'review_requested');
  const side = selfEditable ? 'self-scores' : 'scores';
  const edit = (code: string, key: 'score' | 'comment', value: string) =>
    setDraft({ ...draft, [code]: { score: draft[code]?.score ?? '', comment: draft[code]?.comment ?? '', [key]: value } });

  const run = async (action: () => Promise<Evaluation>, done: string) => {
    setBusy(true);
    setError('');
    try {
      show(await action());
      toast(done);
    } catch (err) {
      setError(problemText(err, 'Không thực hiện được'));
    } finally {
      setBusy(false);
    }
  };
  const save = () => run(() => saveScores(e.id, side, e.version, Object.entries(draft).map(([code, d]): ScoreIn => ({
    criterion_code: code, score: d.score.trim() ? d.score.trim().replace(',', '.') : null, comment: d.comment,
  }))), 'Đã lưu điểm');
  const doStep = (name: Step, done: string, why = '') => run(() => step(e.id, name, e.version, why), done);
  const download = async (format: 'xlsx' | 'pdf') => {
    try {
      saveBlob(await scoreSheet(e.id, format), `phieu-cham-diem-${e.org_unit_code}.${format}`);
    } catch (err) {
      setError(problemText(err, 'Không tải được phiếu chấm điểm'));
    }
  };
  const final = e.status === 'finalized' || e.status === 'review_requested';

  return (
    <div className="page" data-testid="evaluation-page">
      <p><a href={href('danh-gia', e.round_id)}>← Hàng chờ của đợt</a></p>
      <h1>Phiếu đánh giá: {e.org_unit_name || e.org_unit_code}</h1>
      <p>
        <Tag data-testid="evaluation-status">{EVALUATION_STATUS[e.status ?? ""] ?? e.status}</Tag>
        {' '}Tự chấm: <strong data-testid="self-total">{score(e.self_total_score)}</strong> điểm ({level(e.self_completion_level)})
        {' · '}Điểm đánh giá: <strong data-testid="total">{score(e.total_score)}</strong> điểm
        {final ? <> · Xếp loại: <strong data-testid="level">{level(e.completion_level)}</strong></> : null}
      </p>
      {final && e.classification_reason ? <p className="muted">{e.classification_reason}</p> : null}
      {e.review?.reason ? <Alert type="info" showIcon data-testid="review" message={`Đề nghị xem xét lại: ${e.review.reason}`}
        description={e.review.answer ? `Trả lời: ${e.review.answer}` : 'Đang chờ đơn vị quản lý trả lời'} /> : null}
      {error ? <Alert type="error" showIcon message={error} role="alert" data-testid="evaluation-error" /> : null}
      <Table rowKey="criterion_code" dataSource={e.scores} pagination={false} size="small" data-testid="score-table"
        columns={[
          { title: 'Tiêu chí', render: (_, s) => <><strong>{s.criterion_code}</strong> {s.criterion_name}{s.mandatory ? <Tag color="red">bắt buộc</Tag> : null}
            <div className="muted">{SCORING_METHODS[s.scoring_method ?? ''] ?? ''}</div></> },
          { title: 'Tối đa', align: 'right', render: (_, s) => score(s.max_score) },
          { title: 'Điểm gợi ý và căn cứ', render: (_, s) => s.suggested_score ? (
            <details data-testid="suggestion"><summary><strong>{score(s.suggested_score)}</strong> — {s.suggestion_basis}</summary>
              <ul>{s.evidence.map((x, i) => <li key={i}>{x.label}</li>)}</ul></details>) : <span className="muted">Chấm trực tiếp</span> },
          { title: 'Tự chấm', render: (_, s) => selfEditable ? (
            <div className="score-edit">
              <Input aria-label={`Tự chấm tiêu chí ${s.criterion_code}`} data-testid={`self-score-${s.criterion_code}`}
                value={draft[s.criterion_code]?.score ?? (s.self_score || s.suggested_score || '')}
                onChange={(ev) => edit(s.criterion_code, 'score', ev.target.value)} />
              <Input.TextArea aria-label={`Lý do tiêu chí ${s.criterion_code}`} data-testid={`self-comment-${s.criterion_code}`} rows={2}
                placeholder="Lý do (khi khác điểm gợi ý)" value={draft[s.criterion_code]?.comment ?? s.self_comment}
                onChange={(ev) => edit(s.criterion_code, 'comment', ev.target.value)} />
            </div>) : <>{score(s.self_score || s.suggested_score)}<div className="muted">{s.self_comment}</div></> },
          { title: 'Điểm đánh giá', render: (_, s) => finalEditable ? (
            <div className="score-edit">
              <Input aria-label={`Điểm đánh giá tiêu chí ${s.criterion_code}`} data-testid={`score-${s.criterion_code}`}
                value={draft[s.criterion_code]?.score ?? (s.score || s.self_score || s.suggested_score || '')}
                onChange={(ev) => edit(s.criterion_code, 'score', ev.target.value)} />
              <Input.TextArea aria-label={`Lý do điều chỉnh tiêu chí ${s.criterion_code}`} data-testid={`comment-${s.criterion_code}`} rows={2}
                placeholder="Lý do điều chỉnh" value={draft[s.criterion_code]?.comment ?? s.comment}
                onChange={(ev) => edit(s.criterion_code, 'comment', ev.target.value)} />
            </div>) : <>{score(s.score || s.self_score || s.suggested_score)}<div className="muted">{s.comment}</div></> },
        ]} />
      <div className="actions">
        {(selfEditable || finalEditable) && Object.keys(draft).length > 0 ? <Button type="primary" loading={busy} onClick={save} data-testid="save-scores">Lưu điểm</Button> : null}
        {roles.unitSide && e.status === 'draft' ? <Button loading={busy} onClick={() => doStep('check', 'Đã trình lãnh đạo')} data-testid="step-check">Trình lãnh đạo đơn vị</Button> : null}
        {roles.unitSide && roles.unitLeader && e.status === 'checked' ? <>
          <Button type="primary" loading={busy} onClick={() => doStep('submit', 'Đã gửi đơn vị quản lý')} data-testid="step-submit">Gửi đơn vị quản lý</Button>
          <Button loading={busy} onClick={() => setAsking('return')} data-testid="step-return">Trả lại</Button></> : null}
        {roles.approve && e.status === 'submitted' ? <Button type="primary" loading={busy} onClick={() => doStep('finalize', 'Đã chốt kết quả')} data-testid="step-finalize">Chốt kết quả</Button> : null}
        {roles.unitSide && roles.unitLeader && e.status === 'finalized' && !e.review?.reason ? <Button loading={busy} onClick={() => setAsking('review-request')} data-testid="step-review-request">Đề nghị xem xét lại</Button> : null}
        {roles.approve && e.status === 'finalized' ? <Button loading={busy} onClick={() => setAsking('reopen')} data-testid="step-reopen">Mở lại kết quả</Button> : null}
        {roles.approve && e.status === 'review_requested' ? <Button type="primary" loading={busy} onClick={() => setAsking('review-answer')} data-testid="step-review-answer">Trả lời đề nghị</Button> : null}
        {!final ? <Button loading={busy} onClick={() => run(() => refresh(e.id), 'Đã tính lại điểm gợi ý')} data-testid="refresh">Tính lại điểm gợi ý</Button> : null}
        <Button onClick={() => download('xlsx')} data-testid="download-sheet">Tải phiếu chấm điểm (XLSX)</Button>
        <Button onClick={() => download('pdf')} data-testid="download-sheet-pdf">Tải phiếu chấm điểm (PDF)</Button>
      </div>
      <Modal open={asking !== null} title={asking === 'review-answer' ? 'Trả lời đề nghị xem xét lại' : asking === 'return' ? 'Trả lại bản tự đánh giá'
          : asking === 'reopen' ? 'Mở lại kết quả đã chốt (nêu lý do)' : 'Đề nghị xem xét lại'}
        okText="Gửi" cancelText="Hủy" onCancel={() => setAsking(null)}
        onOk={async () => { const s = asking; setAsking(null); if (s) await doStep(s, 'Đã gửi', reason); setReason(''); }}>
        <Input.TextArea rows={3} value={reason} onChange={(ev) => setReason(ev.target.value)} data-testid="step-reason" aria-label="Lý do" />
      </Modal>
      <h2>Lịch sử thay đổi</h2>
      <ul className="history" data-testid="history">
        {[...e.history].reverse().map((h, i) => (
          <li key={i}>{formatDateTime(h.at)} · {h.by} · {h.criterion_code ? `tiêu chí ${h.criterion_code}: ${h.before || '—'} → ${h.after}` : `${EVALUATION_STATUS[h.before] ?? h.before} → ${EVALUATION_STATUS[h.after] ?? h.after}`}
            {h.reason ? ` (${h.reason})` : ''}</li>
        ))}
      </ul>
    </div>
  );
}

export default function EvaluationScreens({ route }: { route: Route }) {
  if (route.section === 'phieu-danh-gia' && route.code) return <EvaluationPage evaluationId={route.code} />;
  if (route.section === 'ket-qua-danh-gia' && route.code) return <ResultsPage roundId={route.code} />;
  if (route.code) return <RoundPage roundId={route.code} />;
  return <RoundsPage />;
}
