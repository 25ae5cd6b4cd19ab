import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../app/session';
import { api, signedIn } from '../../testing/assignment';
import OversightScreens from './OversightScreens';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  window.location.hash = '';
});

const UNITS = { items: [
  { id: 'u-hatay', code: '10846', name: 'Xã Hà Tây', kind: 'commune', parent_id: 'u-31' },
  { id: 'u-mttq', code: '31.MTTQ', name: 'Ủy ban MTTQ Việt Nam thành phố', kind: 'front', parent_id: 'u-31' },
  { id: 'u-other', code: '10847', name: 'Xã Hà Đông', kind: 'commune', parent_id: 'u-31' },
] }; // the units are loaded once per session: every test answers the same

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

  it("shows the Front each opened target of the month's year with its figure, % of plan and status, or none", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2032-11-15T03:00:00Z')); // the screen opens on the previous month
    window.location.hash = '#/giam-sat';
    const target = (id: string, unit: string, year: number) => ({
      id, decision_id: 'd-1', kind: 'indicator_target', assignee_unit_id: unit, status: 'issued', year, version: 1,
      target: { key: { indicator_code: 'HP.POOR', members: [] }, target_value: '2.5', unit_of_measure: '%', comparison: 'at_most' },
    });
    const row = { org_unit_code: '10846', org_unit_name: 'Xã Hà Tây', is_total: true, key: { indicator_code: 'HP.POOR', members: [], kind: 'actual' },
      indicator_name: 'Tỷ lệ hộ nghèo', unit: '%', value: '2.8', plan_percent: '112', achievement: 'missed', reporting_units: 1, expected_units: 1 };
    const sent = api({
      'GET /api/v1/org-units': () => UNITS,
      'GET /api/v1/indicators': () => ({ items: [{ code: 'HP.POOR', name: 'Tỷ lệ hộ nghèo' }] }),
      'GET /api/v1/assignments': () => ({ items: [target('a-1', 'u-hatay', 2032), target('a-2', 'u-other', 2032), target('a-3', 'u-hatay', 2031)] }),
      'GET /api/v1/comments': () => ({ items: [] }),
      'GET /api/v1/rollups': (url) => ({ org_unit_code: url.searchParams.get('org_unit_code'), period_code: url.searchParams.get('period_code'),
        rows: url.searchParams.get('org_unit_code') === '10846' ? [row, { ...row, is_total: false, org_unit_code: '10846.X', value: '9' }] : [] }),
    });
    const { user, manager } = signedIn(['front_member'], '31.MTTQ');
    render(<SessionProvider manager={manager} initial={user}><OversightScreens /></SessionProvider>);

    await waitFor(() => expect(within(screen.getByTestId('opened-list')).getByTestId('figure-value')).toHaveTextContent('2,8 %'), { timeout: 10_000 });
    const list = screen.getByTestId('opened-list');
    const rows = within(list).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2); // 2031's target is not October 2032's
    const hatay = rows.find((r) => r.textContent!.includes('Xã Hà Tây'))!;
    expect(within(hatay).getByTestId('figure-plan')).toHaveTextContent('112 %');
    expect(within(hatay).getByTestId('figure-achievement')).toHaveTextContent('Không đạt');
    const hadong = rows.find((r) => r.textContent!.includes('Xã Hà Đông'))!;
    expect(within(hadong).getByTestId('figure-none')).toHaveTextContent('Chưa có số liệu');
    expect(screen.getByText(/Thực hiện tháng 10\/2032/)).toBeInTheDocument();
    const asked = sent.filter((r) => r.url.pathname === '/api/v1/rollups').map((r) => [r.url.searchParams.get('org_unit_code'), r.url.searchParams.get('period_code'), r.url.searchParams.get('indicator_codes')]);
    expect(asked.sort()).toEqual([['10846', '2032-M10', 'HP.POOR'], ['10847', '2032-M10', 'HP.POOR']]);
  }, 60_000);
});
