import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotificationBell } from './NotificationBell';
import { NotificationsPage } from './NotificationsPage';
import { POLL_MS } from './useUnreadCount';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function notice(id: string, title: string, read: boolean, link = `#/duoc-giao/${id}`) {
  return {
    id, unit_id: 'u-hatay', title, body: `${title} – nội dung`, link, source_event_type: 'ktxh.assignment.v1.AssignmentIssued',
    source_event_id: `ev-${id}`, item_count: 1, created_at: '2026-03-01T02:00:00Z', updated_at: '2026-03-01T02:00:00Z',
    read, read_at: read ? '2026-03-01T03:00:00Z' : null,
  };
}

describe('NotificationBell', () => {
  it('shows the unread count, asks again every 30 s and when the window regains focus', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const counts = [3, 5, 0];
    const asked: string[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: URL | string) => {
      asked.push(String(url));
      return json({ items: [], unread_count: counts[Math.min(asked.length - 1, counts.length - 1)], next_page_token: '' });
    }));
    render(<NotificationBell />);
    const bell = screen.getByTestId('notification-bell');
    await waitFor(() => expect(bell).toHaveAccessibleName('Thông báo: 3 thông báo chưa đọc'));
    expect(bell).toHaveAttribute('href', '#/thong-bao');
    expect(new URL(asked[0]).pathname).toBe('/api/v1/notifications');
    expect(new URL(asked[0]).searchParams.get('unread_only')).toBe('true');

    await act(async () => { await vi.advanceTimersByTimeAsync(POLL_MS - 1000); });
    expect(asked).toHaveLength(1);
    await act(async () => { await vi.advanceTimersByTimeAsync(1000); });
    await waitFor(() => expect(bell).toHaveAccessibleName('Thông báo: 5 thông báo chưa đọc'));

    act(() => { window.dispatchEvent(new Event('focus')); });
    await waitFor(() => expect(bell).toHaveAccessibleName('Thông báo: không có thông báo chưa đọc'));
    expect(asked).toHaveLength(3);
  });
});

describe('NotificationsPage', () => {
  it('shows unread notices in bold, marks one read when opened and all read on request', async () => {
    const items = [notice('a1', 'Đơn vị được giao chỉ tiêu theo Quyết định 125/QĐ-UBND', false), notice('a0', 'Chỉ tiêu được giao đã được điều chỉnh', false), notice('z9', 'Chỉ tiêu được giao đã bị hủy', true)];
    const sent: Array<{ method: string; path: string }> = [];
    vi.stubGlobal('fetch', vi.fn(async (url: URL | string, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      sent.push({ method: init?.method ?? 'GET', path });
      if (path === '/api/v1/notifications/a1/read') {
        items[0] = { ...items[0], read: true, read_at: '2026-03-01T04:00:00Z' };
        return json(items[0]);
      }
      if (path === '/api/v1/notifications/read-all') {
        items.forEach((n, i) => { items[i] = { ...n, read: true, read_at: '2026-03-01T05:00:00Z' }; });
        return json({ marked: 1 });
      }
      return json({ items, unread_count: items.filter((n) => !n.read).length, next_page_token: '' });
    }));
    render(<NotificationsPage />);
    const user = userEvent.setup({ delay: null });

    const [first, , third] = await screen.findAllByTestId('notification-item');
    expect(screen.getByTestId('notifications-unread')).toHaveTextContent('2 thông báo chưa đọc');
    expect(first.querySelector('strong')).toHaveTextContent('Đơn vị được giao chỉ tiêu theo Quyết định 125/QĐ-UBND');
    expect(first).toHaveTextContent('Mới');
    expect(third.querySelector('strong')).toBeNull();

    await user.click(screen.getByText('Đơn vị được giao chỉ tiêu theo Quyết định 125/QĐ-UBND'));
    await waitFor(() => expect(window.location.hash).toBe('#/duoc-giao/a1'));
    expect(sent).toContainEqual({ method: 'POST', path: '/api/v1/notifications/a1/read' });
    await waitFor(() => expect(screen.getByTestId('notifications-unread')).toHaveTextContent('1 thông báo chưa đọc'));
    expect(screen.getAllByTestId('notification-item')[0].querySelector('strong')).toBeNull();

    await user.click(screen.getByTestId('notifications-read-all'));
    await waitFor(() => expect(screen.getByTestId('notifications-unread')).toHaveTextContent('Không có thông báo chưa đọc'));
    expect(sent).toContainEqual({ method: 'POST', path: '/api/v1/notifications/read-all' });
    expect(screen.getByTestId('notifications-read-all')).toHaveTextContent('Đánh dấu tất cả đã đọc');
    expect(screen.getAllByTestId('notification-item').every((li) => li.querySelector('strong') === null)).toBe(true);
    expect(screen.getByTestId('notifications-read-all')).toBeDisabled();
  });
});
