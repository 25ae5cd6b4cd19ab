import { useCallback, useEffect, useState } from 'react';
import { CHANGED, listNotifications } from './api';

export const POLL_MS = 30_000;

/** The caller's unread count: asked at once, every 30 s, when the window regains focus and
 *  after a change made here. No websockets: a count a few seconds old is fine. */
export function useUnreadCount(): number | null {
  const [count, setCount] = useState<number | null>(null);
  const refresh = useCallback(() => {
    listNotifications({ unreadOnly: true, pageSize: 1 }).then((page) => setCount(page.unread_count), () => {});
  }, []);
  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, POLL_MS);
    window.addEventListener('focus', refresh);
    window.addEventListener(CHANGED, refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', refresh);
      window.removeEventListener(CHANGED, refresh);
    };
  }, [refresh]);
  return count;
}
