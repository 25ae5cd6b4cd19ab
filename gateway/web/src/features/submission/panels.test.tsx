import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../testing/assignment';
import { AttachmentsPanel } from './AttachmentsPanel';
import type { ReportWithContext, TaskProgress } from './model';
import { TaskProgressPanel } from './TaskProgressPanel';

afterEach(() => vi.unstubAllGlobals());

const S = '/api/v1/submissions/s-1';

const TASK: TaskProgress = {
  key_task_id: 'kt-1', key_task_code: 'NV.01', name: 'Thu thập số liệu định kỳ', deadline: '2026-12-15', status: 'not_started',
  percent_done: 0, results: '', difficulties: '', proposals: '', version: 0, updated_by: '', updated_at: null, office_code: '10846.VP',
};

function report(over: Partial<ReportWithContext> = {}): ReportWithContext {
  return {
    id: 's-1', org_unit_id: 'u-hatay', org_unit_code: '10846', period_code: '2026-M10', period_label: 'Tháng 10/2026', calendar_code: 'LICH',
    deadline: '2026-11-20', status: 'draft', sections: [], lines: [], figures: [], sent_at: null, accepted_at: null, return_count: 0,
    timeliness: { state: 'pending', days_late: 0, label: '' }, province_code: '31', version: 4, created_by: 'tong_hop', created_at: null,
    context: [], task_progress: [TASK], attachments: [], ...over,
  } as ReportWithContext;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });
const office = (c: string) => ({ '10846.VP': 'Văn phòng HĐND và UBND' }[c] ?? c);

describe('Nhiệm vụ trọng tâm', () => {
  it('lets the lead office save progress at the version it read, and shows both states when someone saved first', async () => {
    let saves = 0;
    const theirs: TaskProgress = { ...TASK, status: 'in_progress', percent_done: 30, results: 'Đã thu thập 8/28 chỉ số', version: 1, updated_by: 'nhap_lieu' };
    const sent = api({
      [`POST ${S}/task-progress`]: (_u, init) => {
        saves += 1;
        const body = JSON.parse(String(init.body));
        if (saves === 1) {
          return json(409, { title: 'Dữ liệu bị xung đột', status: 409,
            detail: 'Tiến độ nhiệm vụ NV.01 vừa được nhap_lieu sửa (Đang thực hiện, 30%) trong khi bạn nhập (Đã hoàn thành, 100%)' });
        }
        return report({ version: 6, task_progress: [{ ...TASK, ...body.tasks[0], version: 2, updated_by: 'tong_hop' }] });
      },
      [`GET ${S}`]: () => report({ version: 5, task_progress: [theirs] }),
    });
    const onSaved = vi.fn();
    render(<TaskProgressPanel sub={report()} viewer={{ roles: ['consolidator'], unit: '10846.VP' }} office={office} onSaved={onSaved} />);
    const u = userEvent.setup({ delay: null });

    const row = screen.getByTestId('task');
    expect(row).toHaveTextContent('Thu thập số liệu định kỳ');
    expect(row).toHaveTextContent('Phòng chủ trì: Văn phòng HĐND và UBND');
    expect(screen.getByTestId('task-save')).toBeDisabled(); // nothing changed yet
    // "Đã hoàn thành" sets 100% with it (the browser test chooses it with the keyboard)
    const status = screen.getByLabelText('Tình trạng');
    await u.click(status);
    await u.type(status, 'Đã hoàn');
    await u.click(document.querySelector('.ant-select-item-option[title="Đã hoàn thành"]') as HTMLElement);
    expect(screen.getByLabelText('Tỷ lệ hoàn thành (%)')).toHaveValue('100');
    await u.type(screen.getByLabelText('Kết quả đạt được'), 'Đủ 28 chỉ số');
    expect(screen.getByTestId('task-unsaved')).toBeInTheDocument();
    await u.click(screen.getByTestId('task-save'));

    const conflict = await screen.findByTestId('task-conflict');
    expect(within(conflict).getByTestId('task-conflict-theirs')).toHaveTextContent('Đang thực hiện, 30%');
    expect(within(conflict).getByTestId('task-conflict-mine')).toHaveTextContent('Đã hoàn thành, 100%');
    expect(conflict).toHaveTextContent('nhap_lieu');
    expect(sent[0].body).toEqual({ tasks: [{ key_task_code: 'NV.01', status: 'done', percent_done: 100, results: 'Đủ 28 chỉ số', difficulties: '', proposals: '', expected_version: 0 }] });

    await u.click(within(conflict).getByTestId('task-keep-mine'));
    await waitFor(() => expect(screen.queryByTestId('task-conflict')).toBeNull());
    const last = sent.filter((r) => r.method === 'POST').at(-1)!;
    expect(last.body).toMatchObject({ tasks: [{ status: 'done', percent_done: 100, results: 'Đủ 28 chỉ số', expected_version: 1 }] });
    expect(onSaved).toHaveBeenLastCalledWith(expect.objectContaining({ version: 6 }));
  }, 60_000);

  it('names the refused field under it', async () => {
    api({
      [`POST ${S}/task-progress`]: () => json(422, { title: 'Dữ liệu không hợp lệ', status: 422, detail: '', errors: [
        { field: 'tasks[0].percent_done', message: 'Nhiệm vụ NV.01 đã hoàn thành thì tỷ lệ hoàn thành phải là 100%' }] }),
    });
    render(<TaskProgressPanel sub={report()} viewer={{ roles: ['consolidator'], unit: '10846.VP' }} office={office} onSaved={() => {}} />);
    const u = userEvent.setup({ delay: null });
    await u.type(screen.getByLabelText('Khó khăn, vướng mắc'), 'Thiếu số liệu BHXH');
    await u.click(screen.getByTestId('task-save'));
    expect(await screen.findByTestId('task-error')).toHaveTextContent('tỷ lệ hoàn thành phải là 100%');
    expect(screen.getByLabelText('Tỷ lệ hoàn thành (%)')).toHaveAttribute('aria-describedby');
  }, 60_000);

  it('shows another office the row read-only, and everyone once the report is sent', () => {
    const { unmount } = render(<TaskProgressPanel sub={report()} viewer={{ roles: ['data_entry'], unit: '10846.PKT' }} office={office} onSaved={() => {}} />);
    expect(screen.getByTestId('task-readonly')).toHaveTextContent('Chỉ xem');
    expect(screen.queryByTestId('task-save')).toBeNull();
    expect(screen.getByLabelText('Kết quả đạt được')).toHaveAttribute('readonly');
    unmount();
    render(<TaskProgressPanel sub={report({ status: 'sent' })} viewer={{ roles: ['consolidator'], unit: '10846.VP' }} office={office} onSaved={() => {}} />);
    expect(screen.queryByTestId('task-save')).toBeNull();
    }, 60_000);
});

describe('Tệp đính kèm', () => {
  it('uploads a file owned by the report, attaches it, lists it and removes it', async () => {
    const attached = { document_id: 'doc-1', file_name: 'giai-trinh.pdf', title: 'giai-trinh.pdf', added_by: 'nhap_lieu', added_at: '2026-11-05T02:00:00Z' };
    const sent = api({
      'POST /api/v1/documents': () => ({ id: 'doc-1' }),
      [`POST ${S}/attachments`]: () => report({ attachments: [attached] }),
      [`DELETE ${S}/attachments/doc-1`]: () => report({ attachments: [] }),
    });
    let sub = report();
    const onSaved = vi.fn((s: ReportWithContext) => { sub = s; });
    const viewer = { roles: ['data_entry'], unit: '10846.PKT' };
    const { rerender } = render(<AttachmentsPanel sub={sub} viewer={viewer} onSaved={onSaved} />);
    expect(screen.getByTestId('attachment-list')).toHaveTextContent('Chưa có tệp đính kèm');
    const u = userEvent.setup({ delay: null });
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    await u.upload(input, new File(['%PDF-1.7'], 'giai-trinh.pdf', { type: 'application/pdf' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));

    const form = sent[0].body as FormData;
    expect([form.get('owner_type'), form.get('owner_id'), form.get('owner_org_unit_code'), form.get('kind')]).toEqual(['submission', 's-1', '10846', 'submission']);
    expect(sent[1].body).toEqual({ document_id: 'doc-1' });
    rerender(<AttachmentsPanel sub={sub} viewer={viewer} onSaved={onSaved} />);
    expect(screen.getByTestId('attachment-download')).toHaveTextContent('giai-trinh.pdf');
    expect(screen.getByTestId('attachment-list')).toHaveTextContent('nhap_lieu');

    await u.click(screen.getByTestId('attachment-remove'));
    await u.click(await screen.findByTestId('attachment-remove-confirm'));
    await waitFor(() => expect(sent.some((r) => r.method === 'DELETE')).toBe(true));
    expect(onSaved).toHaveBeenLastCalledWith(expect.objectContaining({ attachments: [] }));
  }, 60_000);

  it('shows the refusal and lets a reader only download', async () => {
    api({ 'POST /api/v1/documents': () => json(422, { title: 'Dữ liệu không hợp lệ', status: 422, detail: 'Tệp không thuộc loại được phép. Chỉ nhận: PDF, Word (.docx), Excel (.xlsx), PNG, JPEG' }) });
    const { unmount } = render(<AttachmentsPanel sub={report()} viewer={{ roles: ['consolidator'], unit: '10846.VP' }} onSaved={() => {}} />);
    const u = userEvent.setup({ delay: null, applyAccept: false });
    await u.upload(document.querySelector('input[type=file]') as HTMLInputElement, new File(['x'], 'a.exe'));
    expect(await screen.findByTestId('attachment-error')).toHaveTextContent('Chỉ nhận: PDF');
    unmount();
    const attached = { document_id: 'doc-1', file_name: 'a.pdf', title: 'Giải trình', added_by: 'tong_hop', added_at: null };
    render(<AttachmentsPanel sub={report({ status: 'approved', attachments: [attached] })} viewer={{ roles: ['unit_leader'], unit: '10846' }} onSaved={() => {}} />);
    expect(screen.getByTestId('attachment-download')).toHaveTextContent('Giải trình');
    expect(screen.queryByTestId('attachment-upload')).toBeNull();
    expect(screen.queryByTestId('attachment-remove')).toBeNull();
  }, 60_000);
});
