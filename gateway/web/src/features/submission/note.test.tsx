import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../testing/assignment';
import type { ReportWithContext } from './model';
import { ReportNotePanel } from './ReportNotePanel';

afterEach(() => vi.unstubAllGlobals());

const S = '/api/v1/submissions/s-1';

function report(over: Partial<ReportWithContext> = {}): ReportWithContext {
  return {
    id: 's-1', org_unit_id: 'u-hatay', org_unit_code: '10846', period_code: '2026-M10', period_label: 'Tháng 10/2026', calendar_code: 'LICH',
    deadline: '2026-11-20', status: 'draft', sections: [], lines: [], figures: [], sent_at: null, accepted_at: null, return_count: 0,
    timeliness: { state: 'pending', days_late: 0, label: '' }, province_code: '31', version: 4, created_by: 'tong_hop', created_at: null,
    context: [], task_progress: [], attachments: [], note: '', ...over,
  } as ReportWithContext;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });
const LEADER = { roles: ['unit_leader'], unit: '10846' };

describe('Thuyết minh chung của báo cáo', () => {
  it('saves at the version read, saves again when only figures moved, and shows both texts when the note changed', async () => {
    let saves = 0;
    let server = report({ version: 5 }); // a figure was saved meanwhile: the note is unchanged
    const sent = api({
      [`PUT ${S}/note`]: (_u, init) => {
        saves += 1;
        const body = JSON.parse(String(init.body));
        if (body.expected_version !== server.version) {
          return json(409, { title: 'Dữ liệu bị xung đột', status: 409, detail: 'Báo cáo vừa được người khác thay đổi' });
        }
        server = report({ version: server.version + 1, note: body.note });
        return server;
      },
      [`GET ${S}`]: () => server,
    });
    const onSaved = vi.fn();
    render(<ReportNotePanel sub={report()} viewer={LEADER} onSaved={onSaved} />);
    const u = userEvent.setup({ delay: null });
    const text = screen.getByLabelText('Thuyết minh chung của báo cáo');
    expect(screen.getByTestId('note-save')).toBeDisabled();
    await u.type(text, 'Mưa bão kéo dài, thu ngân sách chậm.');
    expect(screen.getByTestId('note-unsaved')).toHaveTextContent('Chưa lưu');
    await u.click(screen.getByTestId('note-save'));
    await waitFor(() => expect(onSaved).toHaveBeenLastCalledWith(expect.objectContaining({ version: 6, note: 'Mưa bão kéo dài, thu ngân sách chậm.' })));
    expect(sent.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([
      { note: 'Mưa bão kéo dài, thu ngân sách chậm.', expected_version: 4 },
      { note: 'Mưa bão kéo dài, thu ngân sách chậm.', expected_version: 5 },
    ]);
    expect(screen.queryByTestId('note-conflict')).toBeNull();

    // the consolidating office changes the note meanwhile: both texts, the user keeps theirs
    server = report({ version: 8, note: 'Thu ngân sách đạt 40% dự toán.' });
    await u.clear(text);
    await u.type(text, 'Bản của chủ tịch');
    await u.click(screen.getByTestId('note-save'));
    const conflict = await screen.findByTestId('note-conflict');
    expect(within(conflict).getByTestId('note-conflict-theirs')).toHaveTextContent('Thu ngân sách đạt 40% dự toán.');
    expect(within(conflict).getByTestId('note-conflict-mine')).toHaveTextContent('Bản của chủ tịch');
    expect(saves).toBe(3);
    await u.click(within(conflict).getByTestId('note-keep-mine'));
    await waitFor(() => expect(screen.queryByTestId('note-conflict')).toBeNull());
    expect(sent.filter((r) => r.method === 'PUT').at(-1)!.body).toEqual({ note: 'Bản của chủ tịch', expected_version: 8 });
    expect(onSaved).toHaveBeenLastCalledWith(expect.objectContaining({ version: 9, note: 'Bản của chủ tịch' }));
  }, 60_000);

  it('names a refused note under the field', async () => {
    api({
      [`PUT ${S}/note`]: () => json(422, { title: 'Dữ liệu không hợp lệ', status: 422, detail: '', errors: [
        { field: 'note', message: 'Thuyết minh dài quá 4000 ký tự' }] }),
    });
    render(<ReportNotePanel sub={report()} viewer={{ roles: ['consolidator'], unit: '10846.VP' }} onSaved={() => {}} />);
    const u = userEvent.setup({ delay: null });
    await u.type(screen.getByLabelText('Thuyết minh chung của báo cáo'), 'x');
    await u.click(screen.getByTestId('note-save'));
    expect(await screen.findByTestId('note-error')).toHaveTextContent('dài quá 4000 ký tự');
  }, 60_000);

  it('shows an office the note read-only, and the leader once the report is sent', () => {
    const { unmount } = render(<ReportNotePanel sub={report({ note: 'Tình hình chung tháng 10' })} viewer={{ roles: ['data_entry'], unit: '10846.PKT' }} onSaved={() => {}} />);
    expect(screen.getByTestId('note-readonly')).toHaveTextContent('Chỉ xem');
    expect(screen.getByLabelText('Thuyết minh chung của báo cáo')).toHaveValue('Tình hình chung tháng 10');
    expect(screen.getByLabelText('Thuyết minh chung của báo cáo')).toHaveAttribute('readonly');
    expect(screen.queryByTestId('note-save')).toBeNull();
    unmount();
    render(<ReportNotePanel sub={report({ status: 'sent' })} viewer={LEADER} onSaved={() => {}} />);
    expect(screen.queryByTestId('note-save')).toBeNull();
    expect(screen.getByTestId('note-readonly')).toBeInTheDocument();
  }, 60_000);
});
