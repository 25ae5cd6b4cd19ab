// "Nhiệm vụ trọng tâm" of the data-entry screen: progress on each key task assigned to the unit
// (status, percent done, results, difficulties, proposals). The task's lead office writes its row,
// the consolidating office every row, while the report is editable; everyone else reads. Each row
// is saved on its own with the version it was read at: when someone else saved it meanwhile
// (409), both states are shown and the user keeps theirs (saved again over the new version) or
// takes the server's. A refused value (422 on `tasks[0].<field>`) is shown under its field.
import { Alert, Button, Card, Input, InputNumber, Select, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { FIELD_LABELS } from '../../lib/field-labels';
import { ApiError, problemText } from '../../lib/problem';
import { formatDate, formatDateTime } from '../../lib/vn';
import * as api from './api';
import {
  canEditTask, sameTaskValues, TASK_STATUS, taskSummary, taskValues, type ReportWithContext, type TaskProgress, type TaskValues, type Viewer,
} from './model';

const L = FIELD_LABELS.ReportTaskProgress;
const TEXT_FIELDS = ['results', 'difficulties', 'proposals'] as const;

interface RowState {
  /** what the user typed (null: shows the server's row) */
  draft: TaskValues | null;
  /** the version the draft was typed over */
  base: number;
  /** the server's row when a save met someone else's */
  conflict: TaskProgress | null;
  errors: Record<string, string>;
  error: unknown;
  busy: boolean;
}

const idle = (base: number): RowState => ({ draft: null, base, conflict: null, errors: {}, error: null, busy: false });

export function TaskProgressPanel({ sub, viewer, office, onSaved }: {
  sub: ReportWithContext;
  viewer: Viewer;
  /** an office's name by its code */
  office: (code: string) => string;
  onSaved: (s: ReportWithContext) => void;
}) {
  const tasks = sub.task_progress ?? [];
  const [rows, setRows] = useState<Record<string, RowState>>({});
  // a row nobody is editing follows the server's version
  useEffect(() => {
    setRows((old) => Object.fromEntries(tasks.map((t) => {
      const r = old[t.key_task_code];
      return [t.key_task_code, r && (r.draft || r.conflict) ? r : idle(t.version)];
    })));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sub]);
  if (!tasks.length) return null;

  const patch = (code: string, p: Partial<RowState>) => setRows((old) => ({ ...old, [code]: { ...(old[code] ?? idle(0)), ...p } }));

  const save = async (t: TaskProgress, values: TaskValues, version: number) => {
    patch(t.key_task_code, { busy: true, error: null, errors: {} });
    try {
      const s = await api.saveTaskProgress(sub.id, [{ key_task_code: t.key_task_code, ...taskValues(values), expected_version: version }]);
      const saved = (s.task_progress ?? []).find((x) => x.key_task_code === t.key_task_code);
      setRows((old) => ({ ...old, [t.key_task_code]: idle(saved?.version ?? version + 1) }));
      onSaved(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // someone saved the row meanwhile: read it again and show both
        let theirs: TaskProgress | undefined;
        try {
          const fresh = await api.getSubmission(sub.id);
          theirs = (fresh.task_progress ?? []).find((x) => x.key_task_code === t.key_task_code);
          onSaved(fresh);
        } catch { /* the message still says both */ }
        // a clash is a row saved at another version; any other 409 (the report moved on) is shown as is
        const clash = theirs && theirs.version !== version ? theirs : null;
        patch(t.key_task_code, { busy: false, draft: values, conflict: clash, error: clash ? null : err });
        return;
      }
      const errors: Record<string, string> = {};
      if (err instanceof ApiError) {
        for (const fe of err.fieldErrors) {
          const m = /^\[\d+\]\.(\w+)$/.exec(fe.at);
          if (fe.field === 'tasks' && m) errors[m[1]] = errors[m[1]] ? `${errors[m[1]]}; ${fe.message}` : fe.message;
        }
      }
      patch(t.key_task_code, { busy: false, errors, error: Object.keys(errors).length ? null : err });
    }
  };

  return (
    <Card className="entry-tasks" title="Nhiệm vụ trọng tâm" data-testid="tasks">
      {tasks.map((t) => {
        const code = t.key_task_code;
        const state = rows[code] ?? idle(t.version);
        const editable = canEditTask(sub, t, viewer);
        const values = state.draft ?? taskValues(t);
        const changed = state.draft !== null && !sameTaskValues(state.draft, t);
        const edit = (p: Partial<TaskValues>) => patch(code, { draft: { ...values, ...p }, base: state.draft ? state.base : t.version });
        const fid = (f: string) => `task-${code}-${f}`.replace(/[^A-Za-z0-9_-]/g, '_');
        return (
          <section key={code} className="task-row" data-testid="task" data-task={code} aria-labelledby={fid('name')}>
            <h3 id={fid('name')} className="task-name">
              {t.name || code} <span className="muted">({code}{t.deadline ? ` · ${L.deadline} ${formatDate(t.deadline)}` : ''})</span>
            </h3>
            <p className="muted task-meta">
              {L.office_code}: {t.office_code ? office(t.office_code) : '—'}
              {t.updated_by ? ` · ${L.updated_by}: ${t.updated_by}${t.updated_at ? `, ${formatDateTime(t.updated_at)}` : ''}` : ''}
              {editable ? '' : ' · '}{editable ? null : <Tag data-testid="task-readonly">Chỉ xem</Tag>}
            </p>
            {state.conflict ? (
              <Alert type="warning" showIcon role="alert" data-testid="task-conflict" message="Tiến độ vừa được người khác sửa" description={(
                <>
                  <p>Trên máy chủ{state.conflict.updated_by ? ` (do ${state.conflict.updated_by} lưu)` : ''}: <strong data-testid="task-conflict-theirs">{taskSummary(state.conflict)}</strong>
                    {state.conflict.results ? ` – ${state.conflict.results}` : ''}</p>
                  <p>Bạn nhập: <strong data-testid="task-conflict-mine">{taskSummary(values)}</strong>{values.results ? ` – ${values.results}` : ''}</p>
                  <Button size="small" type="primary" data-testid="task-keep-mine" loading={state.busy}
                    onClick={() => void save(t, values, state.conflict!.version)}>Giữ nội dung của tôi</Button>{' '}
                  <Button size="small" data-testid="task-take-theirs" onClick={() => patch(code, idle(state.conflict!.version))}>Lấy nội dung trên máy chủ</Button>
                </>
              )} />
            ) : null}
            <div className="task-grid">
              <div className="field">
                <label htmlFor={fid('status')}>{L.status}</label>
                <Select id={fid('status')} data-testid="task-status" disabled={!editable} showSearch optionFilterProp="label" value={values.status} style={{ width: '100%' }}
                  options={Object.entries(TASK_STATUS).map(([value, label]) => ({ value, label }))}
                  onChange={(v) => edit({ status: v, ...(v === 'done' ? { percent_done: 100 } : {}) })}
                  status={state.errors.status ? 'error' : undefined} />
                {state.errors.status ? <div className="field-error" role="alert">{state.errors.status}</div> : null}
              </div>
              <div className="field">
                <label htmlFor={fid('percent_done')}>{L.percent_done}</label>
                <InputNumber id={fid('percent_done')} data-testid="task-percent" disabled={!editable} min={0} max={100} precision={0} style={{ width: '100%' }}
                  value={values.percent_done} onChange={(v) => edit({ percent_done: typeof v === 'number' ? v : 0 })}
                  status={state.errors.percent_done ? 'error' : undefined} aria-describedby={state.errors.percent_done ? fid('percent_done-error') : undefined} />
                {state.errors.percent_done ? <div id={fid('percent_done-error')} className="field-error" role="alert" data-testid="task-error">{state.errors.percent_done}</div> : null}
              </div>
              {TEXT_FIELDS.map((f) => (
                <div className="field field-wide" key={f}>
                  <label htmlFor={fid(f)}>{L[f]}</label>
                  <Input.TextArea id={fid(f)} data-testid={`task-${f}`} rows={2} readOnly={!editable} value={values[f]}
                    onChange={(e) => edit({ [f]: e.target.value } as Partial<TaskValues>)} status={state.errors[f] ? 'error' : undefined} />
                  {state.errors[f] ? <div className="field-error" role="alert">{state.errors[f]}</div> : null}
                </div>
              ))}
            </div>
            {editable ? (
              <div className="form-actions form-actions-left">
                <Button type="primary" data-testid="task-save" disabled={!changed || Boolean(state.conflict)} loading={state.busy && !state.conflict}
                  onClick={() => void save(t, values, state.base)}>Lưu tiến độ</Button>
                {changed && !state.conflict ? <span className="muted" data-testid="task-unsaved">Chưa lưu</span> : null}
              </div>
            ) : null}
            {state.error ? <Alert className="form-alert" type="error" showIcon data-testid="task-save-error" message={problemText(state.error, 'Không lưu được tiến độ')} /> : null}
          </section>
        );
      })}
    </Card>
  );
}
