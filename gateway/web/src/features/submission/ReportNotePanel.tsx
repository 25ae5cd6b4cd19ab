// "Thuyết minh chung của báo cáo" on the data-entry screen: the explanatory note of the whole
// report. The consolidating office and the unit leader write it while the report is editable;
// everyone else reads it. A save names the report's version the note was read at: when the
// report moved on but the note did not, the save is simply made again at the new version; when
// someone changed the note meanwhile (409), both texts are shown and the user keeps theirs or
// takes the server's. A refused note (422 on `note`) is shown under the field.
import { Alert, Button, Card, Input, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { FIELD_LABELS } from '../../lib/field-labels';
import { ApiError, problemText } from '../../lib/problem';
import * as api from './api';
import { canEditNote, type ReportWithContext, type Viewer } from './model';

const LABEL = FIELD_LABELS.Submission.note;
export const MAX_NOTE = 4000;

interface NoteState {
  /** what the user typed (null: shows the server's note) */
  draft: string | null;
  /** the report's version and the note the draft was typed over */
  base: number;
  baseNote: string;
  /** the server's note when a save met someone else's */
  conflict: { note: string; version: number } | null;
  fieldError: string;
  error: unknown;
  busy: boolean;
}

const idle = (sub: ReportWithContext): NoteState => ({
  draft: null, base: sub.version, baseNote: sub.note ?? '', conflict: null, fieldError: '', error: null, busy: false,
});

export function ReportNotePanel({ sub, viewer, onSaved }: {
  sub: ReportWithContext;
  viewer: Viewer;
  onSaved: (s: ReportWithContext) => void;
}) {
  const [state, setState] = useState<NoteState>(() => idle(sub));
  // nobody editing: follow the server's note and version
  useEffect(() => {
    setState((old) => (old.draft !== null || old.conflict ? old : idle(sub)));
  }, [sub]);
  const editable = canEditNote(sub, viewer);
  const serverNote = sub.note ?? '';
  const value = state.draft ?? serverNote;
  const changed = state.draft !== null && state.draft.trim() !== serverNote;
  const patch = (p: Partial<NoteState>) => setState((old) => ({ ...old, ...p }));

  const save = async (text: string, version: number, baseNote: string, retry = true) => {
    patch({ busy: true, error: null, fieldError: '' });
    try {
      const s = await api.saveNote(sub.id, text, version);
      setState(idle(s));
      onSaved(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        let fresh: ReportWithContext | undefined;
        try {
          fresh = await api.getSubmission(sub.id);
          onSaved(fresh);
        } catch { /* the message still names both texts */ }
        if (fresh && (fresh.note ?? '') === baseNote && retry && ['draft', 'returned'].includes(fresh.status)) {
          // the report moved on (a figure saved), not its note: save again over the new version
          await save(text, fresh.version, baseNote, false);
          return;
        }
        const clash = fresh && (fresh.note ?? '') !== baseNote ? { note: fresh.note ?? '', version: fresh.version } : null;
        patch({ busy: false, draft: text, conflict: clash, error: clash ? null : err });
        return;
      }
      const fieldError = err instanceof ApiError
        ? err.fieldErrors.filter((fe) => fe.field === 'note').map((fe) => fe.message).join('; ')
        : '';
      patch({ busy: false, fieldError, error: fieldError ? null : err });
    }
  };

  return (
    <Card className="entry-note" title={LABEL} data-testid="report-note"
      extra={editable ? null : <Tag data-testid="note-readonly">Chỉ xem</Tag>}>
      {state.conflict ? (
        <Alert type="warning" showIcon role="alert" data-testid="note-conflict" message="Thuyết minh vừa được người khác sửa" description={(
          <>
            <p>Trên máy chủ: <strong data-testid="note-conflict-theirs" className="prewrap">{state.conflict.note || '(trống)'}</strong></p>
            <p>Bạn nhập: <strong data-testid="note-conflict-mine" className="prewrap">{value || '(trống)'}</strong></p>
            <Button size="small" type="primary" data-testid="note-keep-mine" loading={state.busy}
              onClick={() => void save(value, state.conflict!.version, state.conflict!.note)}>Giữ nội dung của tôi</Button>{' '}
            <Button size="small" data-testid="note-take-theirs" onClick={() => setState(idle(sub))}>Lấy nội dung trên máy chủ</Button>
          </>
        )} />
      ) : null}
      <label htmlFor="report-note-text" className="visually-hidden">{LABEL}</label>
      <Input.TextArea id="report-note-text" data-testid="note-text" rows={4} readOnly={!editable}
        maxLength={MAX_NOTE} showCount={editable} value={value}
        placeholder={editable ? 'Tình hình chung, nguyên nhân các số liệu tăng giảm, khó khăn, kiến nghị…' : 'Chưa có thuyết minh chung'}
        status={state.fieldError ? 'error' : undefined} aria-describedby={state.fieldError ? 'report-note-error' : undefined}
        onChange={(e) => patch(state.draft === null
          ? { draft: e.target.value, base: sub.version, baseNote: serverNote }
          : { draft: e.target.value })} />
      {state.fieldError ? <div id="report-note-error" className="field-error" role="alert" data-testid="note-error">{state.fieldError}</div> : null}
      {editable ? (
        <div className="form-actions form-actions-left">
          <Button type="primary" data-testid="note-save" disabled={!changed || Boolean(state.conflict)} loading={state.busy && !state.conflict}
            onClick={() => void save(value, state.base, state.baseNote)}>Lưu thuyết minh</Button>
          {changed && !state.conflict ? <span className="muted" data-testid="note-unsaved">Chưa lưu</span> : null}
        </div>
      ) : null}
      {state.error ? <Alert className="form-alert" type="error" showIcon data-testid="note-save-error" message={problemText(state.error, 'Không lưu được thuyết minh')} /> : null}
    </Card>
  );
}
