import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { User, type UserManager } from 'oidc-client-ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../app/session';
import { ReceivedList } from './Received';

const HATAY = { id: 'u-hatay', code: '10846', name: 'Xã Hà Tây', kind: 'commune', parent_id: 'u-31' };
const TREE = {
  roots: [{
    unit: { id: 'u-31', code: '31', name: 'Thành phố Hải Phòng', kind: 'province', parent_id: null },
    children: [
      { unit: HATAY, children: [{ unit: { id: 'u-pkt', code: '10846.PKT', name: 'Phòng Kinh tế', kind: 'office', parent_id: 'u-hatay' }, children: [] }] },
      { unit: { id: 'u-31-mttq', code: '31.MTTQ', name: 'Ủy ban MTTQ tỉnh', kind: 'front', parent_id: 'u-31' }, children: [] },
    ],
  }],
};
const ISSUED = {
  id: 'a-1', decision_id: 'd-1', kind: 'indicator_target', assignee_unit_id: 'u-hatay', status: 'issued', year: 2026, version: 1,
  target: { key: { indicator_code: 'HP.01', members: [] }, target_value: '1234.5', target_value_max: '', unit_of_measure: 'tỷ đồng' },
};

function signedIn(roles: string[], orgUnit: string) {
  const user = new User({
    access_token: 'token', token_type: 'Bearer', expires_at: Math.floor(Date.now() / 1000) + 3600,
    profile: { sub: 'u', iss: 'test', aud: 'ktxh-web', exp: 0, iat: 0, org_unit: orgUnit, realm_access: { roles } } as never,
  });
  const noop = () => {};
  const manager = {
    events: { addUserLoaded: noop, removeUserLoaded: noop, addAccessTokenExpired: noop, removeAccessTokenExpired: noop, addSilentRenewError: noop, removeSilentRenewError: noop },
    getUser: async () => user,
  } as unknown as UserManager;
  return { user, manager };
}

function api(routes: Record<string, (url: URL, init: RequestInit) => unknown>) {
  const sent: Array<{ method: string; url: URL; body: unknown }> = [];
  vi.stubGlobal('fetch', vi.fn(async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init.method ?? 'GET';
    sent.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return new Response(JSON.stringify({ title: 'Không tìm thấy dữ liệu', status: 404 }), { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
    const out = handler(url, init);
    if (out instanceof Response) return out;
    return new Response(JSON.stringify(out), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }));
  return sent;
}

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
