// #/thong-bao: the user's inbox. Unread notices in bold; opening one marks it read and goes to
// the screen it links to; "Đánh dấu tất cả đã đọc" clears the count.
import { Alert, Button, Empty, Spin, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { problemText } from '../../lib/problem';
import { formatDateTime } from '../../lib/vn';
import { listNotifications, markAllRead, markRead, type Notification } from './api';

const PAGE_SIZE = 50;

export function NotificationsPage() {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [unread, setUnread] = useState(0);
  const [next, setNext] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (pageToken = '') => {
    try {
      const page = await listNotifications({ pageSize: PAGE_SIZE, pageToken });
      setItems((prev) => (pageToken && prev ? [...prev, ...page.items] : page.items));
      setUnread(page.unread_count);
      setNext(page.next_page_token);
      setError('');
    } catch (err) {
      setError(problemText(err, 'Không tải được thông báo.'));
    }
  }, []);

  useEffect(() => {
    document.title = 'Thông báo · Theo dõi chỉ tiêu KT-XH';
    void load();
  }, [load]);

  const open = async (n: Notification) => {
    if (!n.read) {
      try {
        const read = await markRead(n.id);
        setItems((prev) => prev?.map((x) => (x.id === n.id ? read : x)) ?? null);
        setUnread((u) => Math.max(0, u - 1));
      } catch (err) {
        setError(problemText(err, 'Không đánh dấu được thông báo đã đọc.'));
        return;
      }
    }
    if (n.link) window.location.hash = n.link.replace(/^#/, '');
  };

  const readAll = async () => {
    setBusy(true);
    try {
      await markAllRead();
      await load();
    } catch (err) {
      setError(problemText(err, 'Không đánh dấu được các thông báo.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="notifications-page" aria-labelledby="notifications-title">
      <div className="page-header">
        <h1 id="notifications-title">Thông báo</h1>
        <span className="notifications-summary" data-testid="notifications-unread">
          {unread ? `${unread} thông báo chưa đọc` : 'Không có thông báo chưa đọc'}
        </span>
        <Button onClick={readAll} loading={busy} disabled={!unread} data-testid="notifications-read-all">
          Đánh dấu tất cả đã đọc
        </Button>
      </div>
      {error ? <Alert type="error" showIcon message={error} role="alert" data-testid="notifications-error" /> : null}
      {items === null && !error ? <div className="view-center"><Spin /><p>Đang tải…</p></div> : null}
      {items && items.length === 0 ? <Empty description="Chưa có thông báo nào gửi tới đơn vị của bạn." /> : null}
      {items && items.length ? (
        <ul className="notification-list" data-testid="notification-list">
          {items.map((n) => (
            <li key={n.id} className={n.read ? 'notification is-read' : 'notification is-unread'} data-testid="notification-item"
              data-read={n.read ? 'true' : 'false'}>
              <button type="button" className="notification-open" onClick={() => void open(n)}>
                <span className="notification-title">
                  {n.read ? null : <Tag color="blue" className="notification-new">Mới</Tag>}
                  {n.read ? n.title : <strong>{n.title}</strong>}
                </span>
                <span className="notification-body">{n.body}</span>
                <span className="notification-time">
                  {formatDateTime(n.updated_at)}{n.item_count > 1 ? ` · ${n.item_count} nội dung` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {next ? <Button onClick={() => void load(next)} data-testid="notifications-more">Xem thêm</Button> : null}
    </section>
  );
}
