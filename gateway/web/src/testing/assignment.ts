// Test helpers for the assignment screens: a signed-in session without an identity provider and
// the gateway answered at the fetch level (only the routes a test names; anything else is 404).
import { User, type UserManager } from 'oidc-client-ts';
import { vi } from 'vitest';

export const HATAY = { id: 'u-hatay', code: '10846', name: 'Xã Hà Tây', kind: 'commune', parent_id: 'u-31' };
export const TREE = {
  roots: [{
    unit: { id: 'u-31', code: '31', name: 'Thành phố Hải Phòng', kind: 'province', parent_id: null },
    children: [
      { unit: HATAY, children: [{ unit: { id: 'u-pkt', code: '10846.PKT', name: 'Phòng Kinh tế', kind: 'office', parent_id: 'u-hatay' }, children: [] }] },
      { unit: { id: 'u-31-mttq', code: '31.MTTQ', name: 'Ủy ban MTTQ tỉnh', kind: 'front', parent_id: 'u-31' }, children: [] },
    ],
  }],
};
export const ISSUED = {
  id: 'a-1', decision_id: 'd-1', kind: 'indicator_target', assignee_unit_id: 'u-hatay', status: 'issued', year: 2026, version: 1,
  target: { key: { indicator_code: 'HP.01', members: [] }, target_value: '1234.5', target_value_max: '', unit_of_measure: 'tỷ đồng' },
};

export function signedIn(roles: string[], orgUnit: string) {
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

export function api(routes: Record<string, (url: URL, init: RequestInit) => unknown>) {
  const sent: Array<{ method: string; url: URL; body: unknown }> = [];
  vi.stubGlobal('fetch', vi.fn(async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init.method ?? 'GET';
    sent.push({ method, url, body: init.body instanceof FormData ? init.body : init.body ? JSON.parse(String(init.body)) : undefined });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return new Response(JSON.stringify({ title: 'Không tìm thấy dữ liệu', status: 404 }), { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
    const out = handler(url, init);
    if (out instanceof Response) return out;
    return new Response(JSON.stringify(out), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }));
  return sent;
}

