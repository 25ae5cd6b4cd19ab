import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../../app/session';
import { api, signedIn, TREE } from '../../testing/assignment';
import DecisionEditor from './DecisionEditor';

const TARGET = {
  id: 'a-1', decision_id: 'd-1', kind: 'indicator_target', assignee_unit_id: 'u-hatay', role: 'lead', status: 'issued', year: 2026, version: 1,
  front_unit_ids: [], province_code: '31', effective_to: '', decision_number: '125/QĐ-UBND', plan_period: '',
  target: { key: { indicator_code: 'HP.01', members: [], kind: 'target' }, target_value: '1234.5', target_value_max: '', unit_of_measure: 'tỷ đồng', comparison: 'at_least', target_text: '' },
};
const ISSUED_DECISION = {
  id: 'd-1', number: '125/QĐ-UBND', title: 'Về việc giao chỉ tiêu năm 2026', issued_on: '2026-01-05', issuer_unit_id: 'u-31', signer: 'Chủ tịch',
  year: 2026, status: 'issued', version: 3, legal_basis: 'Nghị quyết 15/NQ-HĐND', plan_period: '', front_unit_ids: [], assignments: [TARGET],
};
const CATALOG = {
  'GET /api/v1/org-units/tree': () => TREE,
  'GET /api/v1/indicators': () => ({ items: [{ code: 'HP.01', name: 'Tổng sản phẩm', unit_of_measure: 'tỷ đồng' }] }),
  'GET /api/v1/key-tasks': () => ({ items: [] }),
  'GET /api/v1/thematic-plans': () => ({ items: [] }),
  'GET /api/v1/criteria-sets': () => ({ items: [] }),
  'GET /api/v1/indicator-sets': () => ({ items: [] }),
  'GET /api/v1/assignment-decisions': () => ({ items: [ISSUED_DECISION], next_page_token: '' }),
  'GET /api/v1/assignment-decisions/d-1': () => ISSUED_DECISION,
};

afterEach(() => {
  vi.unstubAllGlobals();
  window.location.hash = '';
});

function renderAs(roles: string[], id: string | null) {
  const { user, manager } = signedIn(roles, '31.STC');
  return render(<SessionProvider manager={manager} initial={user}><DecisionEditor id={id} /></SessionProvider>);
}

describe('DecisionEditor', () => {
  it('shows an issued decision read-only and adjusts it with a new pre-filled draft', async () => {
    const sent = api({
      ...CATALOG,
      'POST /api/v1/assignment-decisions': (_url, init) => ({ ...JSON.parse(String(init.body)), id: 'd-2', status: 'draft', version: 1 }),
    });
    const view = renderAs(['planning_officer'], 'd-1');
    expect(await screen.findByTestId('page-title')).toHaveTextContent('Quyết định 125/QĐ-UBND');
    expect(screen.getByTestId('decision-status')).toHaveTextContent('Đã ban hành');
    expect(screen.getByTestId('decision-number')).toBeDisabled();
    expect(screen.queryByTestId('decision-save')).toBeNull();
    expect(screen.queryByTestId('decision-issue')).toBeNull();
    const u = userEvent.setup({ delay: null });
    await u.click(screen.getByTestId('decision-adjust'));
    expect(window.location.hash).toBe('#/quyet-dinh-giao/moi?dieu-chinh=d-1');

    view.unmount();
    renderAs(['planning_officer'], null);
    expect(await screen.findByTestId('page-title')).toHaveTextContent('Soạn quyết định điều chỉnh');
    await waitFor(() => expect(screen.getByTestId('decision-title')).toHaveValue('Điều chỉnh về việc giao chỉ tiêu năm 2026'));
    expect(screen.getByTestId('decision-number')).toHaveValue('');
    expect(screen.getByTestId('decision-legal-basis')).toHaveValue('Nghị quyết 15/NQ-HĐND');
    await u.type(screen.getByTestId('decision-number'), '300/QĐ-UBND');
    await u.click(screen.getByTestId('decision-save'));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST')).toBe(true));
    const body = sent.find((r) => r.method === 'POST')!.body as Record<string, unknown>;
    expect(body).toMatchObject({ number: '300/QĐ-UBND', adjusts_decision_id: 'd-1', issuer_unit_id: 'u-31', year: 2026 });
    expect(body).not.toHaveProperty('issued_on'); // an empty date is left to the service
    // the issued content is copied as input only: no ids, statuses or output fields
    expect(body.assignments).toEqual([{
      kind: 'indicator_target', assignee_unit_id: 'u-hatay', role: 'lead', front_unit_ids: [],
      target: { key: { indicator_code: 'HP.01', members: [], kind: 'target' }, target_value: '1234.5', target_value_max: '', comparison: 'at_least', target_text: '' },
    }]);
    await waitFor(() => expect(window.location.hash).toBe('#/quyet-dinh-giao/d-2'));
  }, 60_000);

  it('shows the service’s Vietnamese refusal when issuing without a signed PDF', async () => {
    const draft = { ...ISSUED_DECISION, status: 'draft', version: 4 };
    const sent = api({
      ...CATALOG,
      'GET /api/v1/assignment-decisions/d-1': () => draft,
      'POST /api/v1/assignment-decisions/d-1/issue': () => new Response(JSON.stringify({
        title: 'Không ban hành được', status: 422, detail: 'Quyết định phải kèm văn bản PDF đã ký số hợp lệ.',
        errors: [{ field: 'body.document_id', message: 'Chưa có văn bản đã ký số' }],
      }), { status: 422, headers: { 'Content-Type': 'application/problem+json' } }),
    });
    renderAs(['planning_officer'], 'd-1');
    expect(await screen.findByTestId('decision-document-none')).toBeInTheDocument();
    const u = userEvent.setup({ delay: null });
    await waitFor(() => expect(screen.getByTestId('decision-issue')).toBeEnabled());
    await u.click(screen.getByTestId('decision-issue'));
    expect(await screen.findByTestId('decision-issue-error')).toHaveTextContent('Không ban hành được: Quyết định phải kèm văn bản PDF đã ký số hợp lệ.');
    expect(screen.getByTestId('decision-status')).toHaveTextContent('Dự thảo');
    expect(sent.find((r) => r.method === 'POST')!.body).toEqual({ document_id: '', version: 4 });
  }, 60_000);
});
