// The bell in the header: the unread count, a link to the inbox (#/thong-bao).
import { BellOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { useUnreadCount } from './useUnreadCount';

export function bellLabel(count: number | null): string {
  if (!count) return 'Thông báo: không có thông báo chưa đọc';
  return `Thông báo: ${count} thông báo chưa đọc`;
}

export function NotificationBell() {
  const count = useUnreadCount();
  return (
    <a href="#/thong-bao" className="notification-bell" data-testid="notification-bell" aria-label={bellLabel(count)} title={bellLabel(count)}>
      <Badge count={count ?? 0} overflowCount={99} size="small" offset={[4, -2]}>
        <BellOutlined className="notification-bell-icon" aria-hidden="true" />
      </Badge>
    </a>
  );
}
