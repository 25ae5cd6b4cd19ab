// The app shell: header with the user and sign-out, the session banner, the left navigation
// (entries follow the user's roles) and the screen of the current route.
import { Alert, Button, Layout, Spin, Tag } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { client, unwrap } from '../lib/api';
import { displayRoles, roleLabel } from '../lib/labels';
import { UnitsPage } from '../features/units/UnitsPage';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { NotificationsPage } from '../features/notifications/NotificationsPage';
import { CATALOGS, BY_ROUTE } from '../features/catalog/catalogs';
import { useRoute } from './route';
import { useSession } from './session';

const CatalogScreens = lazy(() => import('../features/catalog/CatalogScreens'));
const AssignmentScreens = lazy(() => import('../features/assignment/AssignmentScreens'));
const DashboardPage = lazy(() => import('../features/reporting/DashboardPage'));
const OversightScreens = lazy(() => import('../features/oversight/OversightScreens'));
const EvaluationScreens = lazy(() => import('../features/evaluation/EvaluationScreens'));
/** Sections of the evaluation screens. */
const EVALUATION_SECTIONS: Record<string, string> = { 'danh-gia': 'Đánh giá', 'phieu-danh-gia': 'Phiếu đánh giá', 'ket-qua-danh-gia': 'Kết quả đánh giá' };
/** Sections of the assignment screens (kept here so the first screen loads none of their code). */
const ASSIGNMENT_SECTIONS: Record<string, string> = { 'quyet-dinh-giao': 'Quyết định giao', 'duoc-giao': 'Được giao' };
const SubmissionScreens = lazy(() => import('../features/submission/SubmissionScreens'));
/** Sections of the report screens (báo cáo kỳ). */
const SUBMISSION_SECTIONS: Record<string, string> = { 'bao-cao': 'Báo cáo kỳ', 'cho-duyet': 'Chờ duyệt', 'tinh-hinh-gui-bao-cao': 'Tình hình gửi báo cáo' };

interface NavEntry {
  route: string;
  label: string;
  testid: string;
  icon: string;
  visible?: (can: ReturnType<typeof useSession>['can']) => boolean;
}

const NAV: NavEntry[] = [
  { route: 'don-vi', label: 'Đơn vị', testid: 'nav-units', icon: 'ĐV' },
  { route: 'tong-hop', label: 'Tổng hợp số liệu', testid: 'nav-dashboard', icon: 'TH' },
  ...CATALOGS.map((c) => ({ route: c.route, label: c.navLabel ?? c.title, testid: `nav-${c.key}`, icon: c.icon })),
  { route: 'bo-chi-so/nhap', label: 'Nhập bộ chỉ số', testid: 'nav-import', icon: 'NB', visible: (can) => can.editCatalogs },
  { route: 'quyet-dinh-giao', label: 'Quyết định giao', testid: 'nav-decisions', icon: 'QĐ', visible: (can) => can.manageAssignments },
  { route: 'duoc-giao', label: 'Được giao', testid: 'nav-received', icon: 'ĐG', visible: (can) => can.receiveAssignments && !can.overseeAssignments },
  { route: 'duoc-giao', label: 'Giám sát giao – nhận', testid: 'nav-received', icon: 'GS', visible: (can) => can.overseeAssignments },
  { route: 'giam-sat', label: 'Giám sát của Mặt trận', testid: 'nav-oversight', icon: 'MT', visible: (can) => can.overseeAssignments },
  { route: 'giam-sat', label: 'Ý kiến, kiến nghị MTTQ', testid: 'nav-oversight', icon: 'YK', visible: (can) => can.answerOversight && !can.overseeAssignments },
  { route: 'bao-cao', label: 'Báo cáo kỳ', testid: 'nav-reports', icon: 'BC', visible: (can) => can.readReports },
  { route: 'cho-duyet', label: 'Chờ duyệt', testid: 'nav-approvals', icon: 'CD', visible: (can) => can.approveReports },
  { route: 'tinh-hinh-gui-bao-cao', label: 'Tình hình gửi báo cáo', testid: 'nav-board', icon: 'TH', visible: (can) => can.followReports },
  { route: 'danh-gia', label: 'Đánh giá', testid: 'nav-evaluation', icon: 'ĐGi', visible: (can) => can.evaluate },
];

function useOwnUnitName(code: string | undefined): string {
  const [name, setName] = useState('');
  useEffect(() => {
    if (!code) return;
    unwrap(client.GET('/api/v1/org-units', { params: { query: { q: code, page_size: 20 } } }))
      .then((page) => setName(page.items.find((u) => u.code === code)?.name ?? ''), () => {});
  }, [code]);
  return name;
}

export function Shell() {
  const session = useSession();
  const route = useRoute();
  const { claims, can } = session;
  const unitName = useOwnUnitName(claims.org_unit);
  const [renewing, setRenewing] = useState(false);
  const current = route.action === 'import' ? `${route.section}/nhap` : route.section;
  const catalog = BY_ROUTE[route.section];

  useEffect(() => {
    if (route.section === 'thong-bao' || route.section === 'giam-sat') return; // these screens name themselves
    document.title = `${catalog ? catalog.title : ASSIGNMENT_SECTIONS[route.section] ?? SUBMISSION_SECTIONS[route.section] ?? EVALUATION_SECTIONS[route.section] ?? 'Cây đơn vị'} · Theo dõi chỉ tiêu KT-XH`;
  }, [catalog, route.section]);

  const relogin = async () => {
    setRenewing(true);
    try {
      await session.reauthenticate();
    } finally {
      setRenewing(false);
    }
  };

  return (
    <Layout className="app">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Bỏ qua, đến nội dung chính
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">KT<br />XH</span>
          <span className="brand-text">
            <span className="brand-title">Theo dõi chỉ tiêu kinh tế – xã hội</span>
            <span className="brand-subtitle">Hệ thống giao, báo cáo và đánh giá</span>
          </span>
        </div>
        <div className="user-area">
          <div className="user-info">
            <span className="user-name" data-testid="user-name"
              title={claims.preferred_username ? `Tên đăng nhập: ${claims.preferred_username}` : ''}>
              {claims.name || claims.preferred_username || 'Người dùng'}
            </span>
            <span className="user-unit" data-testid="user-unit">{unitName}</span>
            <ul className="role-list" data-testid="user-roles" aria-label="Vai trò">
              {displayRoles(session.roles).map((r) => <li key={r} title={r}><Tag className="role-chip">{roleLabel(r)}</Tag></li>)}
            </ul>
          </div>
          <NotificationBell />
          <Button className="btn-on-dark" data-testid="logout" onClick={() => session.signOut()}>Đăng xuất</Button>
        </div>
      </header>
      {session.expired ? (
        <Alert type="warning" showIcon banner className="session-banner" data-testid="session-expired" role="alert"
          message="Phiên đăng nhập đã hết hạn. Những gì bạn đang nhập vẫn được giữ nguyên: đăng nhập lại rồi lưu tiếp."
          action={<Button size="small" loading={renewing} data-testid="relogin-button" onClick={relogin}>Đăng nhập lại</Button>} />
      ) : null}
      <div className="shell">
        <nav className="side-nav" aria-label="Danh mục" data-testid="side-nav">
          <p className="side-nav-title">Danh mục</p>
          <ul className="side-nav-list">
            {NAV.filter((n) => !n.visible || n.visible(can)).map((n) => (
              <li key={n.testid}>
                <a href={`#/${n.route}`} data-testid={n.testid} aria-current={current === n.route ? 'page' : undefined}
                  className={current === n.route ? 'is-active' : undefined}>
                  <span className="nav-icon" aria-hidden="true">{n.icon}</span><span>{n.label}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {route.section === 'thong-bao' ? <NotificationsPage /> : route.section === 'tong-hop' ? (
            <Suspense fallback={<div className="view-center"><Spin /><p>Đang tải…</p></div>}>
              <DashboardPage />
            </Suspense>
          ) : catalog ? (
            <Suspense fallback={<div className="view-center"><Spin /><p>Đang tải…</p></div>}>
              <CatalogScreens route={route} catalog={catalog} />
            </Suspense>
          ) : route.section === 'giam-sat' ? (
            <Suspense fallback={<div className="view-center"><Spin /><p>Đang tải…</p></div>}>
              <OversightScreens />
            </Suspense>
          ) : ASSIGNMENT_SECTIONS[route.section] ? (
            <Suspense fallback={<div className="view-center"><Spin /><p>Đang tải…</p></div>}>
              <AssignmentScreens route={route} />
            </Suspense>
          ) : SUBMISSION_SECTIONS[route.section] ? (
            <Suspense fallback={<div className="view-center"><Spin /><p>Đang tải…</p></div>}>
              <SubmissionScreens route={route} />
            </Suspense>
          ) : EVALUATION_SECTIONS[route.section] ? (
            <Suspense fallback={<div className="view-center"><Spin /><p>Đang tải…</p></div>}>
              <EvaluationScreens route={route} />
            </Suspense>
          ) : (
            <UnitsPage />
          )}
        </main>
      </div>
    </Layout>
  );
}
