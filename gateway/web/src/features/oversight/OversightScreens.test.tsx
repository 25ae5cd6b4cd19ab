import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../app/session';
import { api, signedIn } from '../../testing/assignment';
import OversightScreens from './OversightScreens';

afterEach(() => {
  vi.unstubAllGlobals();
  window.location.hash = '';
});

const UNITS = { items: [
  { id: 'u-hatay', code: '10846', name: 'Xã Hà Tây', kind: 'commune', parent_id: 'u-31' },
  { id: 'u-mttq', code: '31.MTTQ', name: 'Ủy ban MTTQ Việt Nam thành phố', kind: 'front', parent_id: 'u-31' },
] };

const COMMENT = {
  id: 'yk-1', front_unit_id: 'u-mttq', addressee_unit_id: 'u-hatay', status: 'open', version: 2,
  subject: { kind: 'assignment', id: 'a-1', label: 'Tỷ lệ hộ nghèo – Xã Hà Tây' },
  text: 'Đề nghị xã giải trình, kèm số liệu.', posted_at: '2026-11-05T02:00:00Z',
  edits: [{ text: 'Đề nghị xã giải trình.', written_at: '2026-11-05T01:00:00Z', edited_by: 'mttq' }], responses: [],
};

describe('Giám sát của Mặt trận', () => {
  it('shows a commune leader the earlier text of an edited comment and sends the answer', async () => {
    window.location.hash = '#/giam-sat/y-kien/yk-1';
    let answered = false;
    const sent = api({
      'GET /api/v1/org-units': () => UNITS,
      'GET /api/v1/indicators': () => ({ items: [] }),
      'GET /api/v1/comments/yk-1': () => (answered ? { ...COMMENT, status: 'responded', version: 3, responses: [
        { id: 'tl-1', comment_id: 'yk-1', responder_unit_id: 'u-hatay', author: 'chu_tich', text: 'Xã đã rà soát 12 hộ.', posted_at: '2026-11-06T02:00:00Z' }] } : COMMENT),
      'POST /api/v1/comments/yk-1/responses': () => { answered = true; return { id: 'tl-1' }; },
    });
    const { user, manager } = signedIn(['unit_leader'], '10846');
    render(<SessionProvider manager={manager} initial={user}><OversightScreens /></SessionProvider>);

    expect(await screen.findByTestId('comment-body')).toHaveTextContent('Đề nghị xã giải trình, kèm số liệu.');
    expect(screen.getByTestId('comment-edits')).toHaveTextContent('Đề nghị xã giải trình.');
    expect(screen.queryByTestId('edit-open')).toBeNull(); // only the Front edits
    const u = userEvent.setup({ delay: null });
    await u.type(screen.getByTestId('answer-text'), 'Xã đã rà soát 12 hộ.');
    await u.click(screen.getByTestId('answer-send'));
    await waitFor(() => expect(screen.getByTestId('comment-response')).toHaveTextContent('Xã đã rà soát 12 hộ.'));
    expect(screen.getByTestId('oversight-status')).toHaveTextContent('Đã trả lời');
    expect(sent.find((r) => r.method === 'POST')!.body).toEqual({ text: 'Xã đã rà soát 12 hộ.' });
  }, 60_000);

  it('lets the Front edit its comment, never answer it', async () => {
    window.location.hash = '#/giam-sat/y-kien/yk-1';
    const sent = api({
      'GET /api/v1/org-units': () => UNITS,
      'GET /api/v1/indicators': () => ({ items: [] }),
      'GET /api/v1/comments/yk-1': () => COMMENT,
      'PATCH /api/v1/comments/yk-1': () => ({ ...COMMENT, version: 3 }),
    });
    const { user, manager } = signedIn(['front_member'], '31.MTTQ');
    render(<SessionProvider manager={manager} initial={user}><OversightScreens /></SessionProvider>);
    await screen.findByTestId('comment-body');
    expect(screen.queryByTestId('answer-text')).toBeNull();
    const u = userEvent.setup({ delay: null });
    await u.click(screen.getByTestId('edit-open'));
    await u.type(screen.getByTestId('edit-text'), ' Hạn 20/11.');
    await u.click(screen.getByTestId('edit-save'));
    await waitFor(() => expect(sent.some((r) => r.method === 'PATCH')).toBe(true));
    const patch = sent.find((r) => r.method === 'PATCH')!;
    expect(patch.body).toEqual({ text: 'Đề nghị xã giải trình, kèm số liệu. Hạn 20/11.' });
  }, 60_000);
});
