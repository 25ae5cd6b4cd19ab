import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BY_KEY } from './catalogs';
import CatalogForm from './CatalogForm';
import type { Ctx } from './fields';

const ctx: Ctx = { indicatorName: () => null, options: () => [] };

afterEach(() => vi.unstubAllGlobals());

describe('CatalogForm', () => {
  it('shows the service\u2019s field errors next to the fields they name, keeping what was typed', async () => {
    const sent: Array<{ url: string; init: RequestInit }> = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      sent.push({ url: String(url), init });
      return new Response(JSON.stringify({
        title: 'Dữ liệu không hợp lệ', status: 422, detail: 'Dữ liệu không hợp lệ',
        errors: [{ field: 'body.lead_office', message: 'Không có phòng ban “XYZ”.' }, { field: 'body.other', message: 'Lỗi khác.' }],
      }), { status: 422, headers: { 'Content-Type': 'application/problem+json' } });
    }));
    render(<CatalogForm catalog={BY_KEY['key-tasks']} code={null} ctx={ctx} crumbs={null} />);
    const user = userEvent.setup({ delay: null });

    // required fields are checked before anything is sent
    await user.click(screen.getByTestId('form-submit'));
    expect(await screen.findByTestId('catalog-field-error-code')).toHaveTextContent('Vui lòng nhập thông tin này.');
    expect(sent).toHaveLength(0);

    await user.type(screen.getByTestId('form-code'), 'NV.2026.01');
    await user.type(screen.getByTestId('form-title'), 'Chuyển đổi số cấp xã');
    await user.type(screen.getByTestId('form-lead_office'), 'XYZ');
    await user.click(screen.getByTestId('form-submit'));

    const error = await screen.findByTestId('catalog-field-error-lead_office');
    expect(error).toHaveTextContent('Không có phòng ban “XYZ”.');
    expect(screen.getByTestId('form-lead_office')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('catalog-form-error')).toHaveTextContent('other: Lỗi khác.');
    expect(screen.getByTestId('form-code')).toHaveValue('NV.2026.01');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(String(sent[0].init.body))).toMatchObject({ code: 'NV.2026.01', title: 'Chuyển đổi số cấp xã', lead_office: 'XYZ' });
    expect(new Headers(sent[0].init.headers).get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);

    // the same request again keeps its Idempotency-Key
    await user.click(screen.getByTestId('form-submit'));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(new Headers(sent[1].init.headers).get('Idempotency-Key')).toBe(new Headers(sent[0].init.headers).get('Idempotency-Key'));
  }, 60_000);
});
