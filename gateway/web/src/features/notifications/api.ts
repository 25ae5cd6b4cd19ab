// The notification inbox over REST (/api/v1/notifications): one function per call.
import { request, type Schemas } from '../../lib/api';

export type Notification = Schemas['Notification'];
export type NotificationPage = Schemas['NotificationPage'];

/** Fired after the inbox changed here (read, all read), so the bell recounts at once. */
export const CHANGED = 'ktxh:notifications-changed';

export function announceChange(): void {
  window.dispatchEvent(new Event(CHANGED));
}

export async function listNotifications(opts: { unreadOnly?: boolean; pageSize?: number; pageToken?: string } = {}): Promise<NotificationPage> {
  const { data } = await request<NotificationPage>('GET', '/api/v1/notifications', {
    query: { unread_only: opts.unreadOnly ? 'true' : undefined, page_size: opts.pageSize, page_token: opts.pageToken },
  });
  return data;
}

export async function markRead(id: string): Promise<Notification> {
  const { data } = await request<Notification>('POST', `/api/v1/notifications/${encodeURIComponent(id)}/read`);
  announceChange();
  return data;
}

export async function markAllRead(): Promise<number> {
  const { data } = await request<{ marked: number }>('POST', '/api/v1/notifications/read-all');
  announceChange();
  return data.marked;
}
