import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../app/session';
import { ReceivedList } from './Received';
import { api, ISSUED, signedIn, TREE } from '../../testing/assignment';

afterEach(() => vi.unstubAllGlobals());

describe('Được giao', () => {
  it('lists what the unit received by decision and acknowledges an item with a note', async () => {
    const sent = api({
      'GET /api/v1/org-units/tree': () => TREE,
      'GET /api/v1/indicators': () => ({ items: [{ code: 'HP.01', name: 'Tổng sản phẩm trên địa bàn', unit_of_measure: 'tỷ đồng' }] }),
      'GET /api/v1/assignments': () => ({ items: [ISSUED], next_page_token: '' }),
      'GET /api/v1/assignment-decisions/d-1': () => ({ id: 'd-1', number: '125/QĐ-UBND', title: 'Giao chỉ tiêu năm 2026', issued_on: '2026-01-05', status: 'issued' }),
      'POST /api/v1/assignments/a-1/acknowledge': () => ({
        ...ISSUED, status: 'acknowledged', version: 2, acknowledgement: { acknowledged_by: 'chu_tich', acknowledged_at: '2026-01-06T01:00:00Z', note: 'Đã nhận' },
      }),
    });
    const { user, manager } = signedIn(['unit_leader'], '10846');
    render(<SessionProvider manager={manager} initial={user}><ReceivedList /></SessionProvider>);

    const group = await screen.findByTestId('received-group');
    expect(await within(group).findByText('Quyết định 125/QĐ-UBND ngày 05/01/2026')).toBeInTheDocument();
    const row = within(group).getByTestId('received-row');
    await waitFor(() => expect(row).toHaveTextContent('Tổng sản phẩm trên địa bàn'));
    expect(within(row).getByTestId('received-value')).toHaveTextContent('1.234,5 tỷ đồng');
    expect(within(row).getByTestId('assignment-status')).toHaveTextContent('Chưa nhận');
    expect(screen.getByTestId('received-pending')).toHaveTextContent('Còn 1 nội dung chưa xác nhận đã nhận.');
    // a commune leader may pass the targets on to its own units
    expect(within(group).getByTestId('received-cascade')).toHaveTextContent('Giao tiếp cho đơn vị trực thuộc');
    const list = sent.find((r) => r.url.pathname === '/api/v1/assignments')!;
    expect(list.url.searchParams.get('year')).toBe(String(new Date().getFullYear()));
    expect(list.url.searchParams.get('assignee_unit_id')).toBe('u-hatay');
    expect(list.url.searchParams.has('front_unit_id')).toBe(false);

    const u = userEvent.setup({ delay: null });
    await u.click(within(row).getByTestId('received-ack'));
    await u.type(await screen.findByTestId('ack-note'), 'Đã nhận');
    await u.click(screen.getByTestId('ack-confirm'));
    await waitFor(() => expect(within(screen.getByTestId('received-row')).getByTestId('assignment-status')).toHaveTextContent('Đã nhận'));
    const ack = sent.find((r) => r.method === 'POST')!;
    expect(ack.url.pathname).toBe('/api/v1/assignments/a-1/acknowledge');
    expect(ack.body).toEqual({ note: 'Đã nhận' });
    expect(screen.queryByTestId('received-ack')).toBeNull();

    // what was in force on a date: the list is asked again for that day
    await u.type(screen.getByTestId('received-in-force'), '01/03/2026{Enter}');
    await waitFor(() => expect(sent.filter((r) => r.url.pathname === '/api/v1/assignments').at(-1)!.url.searchParams.get('in_force_on')).toBe('2026-03-01'));
  }, 60_000);

  it('shows the Front only the items opened to its committee, without acknowledging', async () => {
    const sent = api({
      'GET /api/v1/org-units/tree': () => TREE,
      'GET /api/v1/indicators': () => ({ items: [] }),
      'GET /api/v1/assignments': () => ({ items: [{ ...ISSUED, front_unit_ids: ['u-31-mttq'] }] }),
      'GET /api/v1/assignment-decisions/d-1': () => ({ id: 'd-1', number: '125/QĐ-UBND', title: '', status: 'issued' }),
    });
    const { user, manager } = signedIn(['front_member'], '31.MTTQ');
    render(<SessionProvider manager={manager} initial={user}><ReceivedList /></SessionProvider>);
    expect(await screen.findByTestId('received-row')).toBeInTheDocument();
    expect(screen.getByTestId('page-title')).toHaveTextContent('Giao – nhận được mở cho Mặt trận giám sát');
    expect(screen.queryByTestId('received-ack')).toBeNull();
    expect(screen.queryByTestId('received-cascade')).toBeNull();
    const list = sent.find((r) => r.url.pathname === '/api/v1/assignments')!;
    expect(list.url.searchParams.get('front_unit_id')).toBe('u-31-mttq');
    expect(list.url.searchParams.has('assignee_unit_id')).toBe(false);
  }, 60_000);
});
