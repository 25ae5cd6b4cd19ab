// Start-up: config, the OIDC callback, an existing session, or sign-in; then the app shell.
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import viVN from 'antd/locale/vi_VN';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import type { User, UserManager } from 'oidc-client-ts';
import { useEffect, useState } from 'react';
import { createUserManager, signedOutFlag, signIn as redirectToSignIn } from '../lib/auth';
import { loadConfig } from '../lib/config';
import { Shell } from './Shell';
import { SessionProvider } from './session';
import { theme } from './theme';
import { ToastProvider } from './toast';

dayjs.locale('vi');

type State =
  | { kind: 'loading' }
  | { kind: 'error'; title: string; detail: string; manager?: UserManager }
  | { kind: 'signed-out'; manager: UserManager }
  | { kind: 'ready'; manager: UserManager; user: User };

async function start(): Promise<State> {
  let manager: UserManager;
  try {
    manager = createUserManager(await loadConfig());
  } catch {
    return { kind: 'error', title: 'Không tải được cấu hình', detail: 'Vui lòng tải lại trang.' };
  }
  if (window.location.pathname === '/callback') {
    const params = new URLSearchParams(window.location.search);
    if (window.opener && window.opener !== window) {
      await manager.signinPopupCallback();
      return { kind: 'loading' };
    }
    try {
      if (params.get('error')) throw new Error(params.get('error_description') || params.get('error') || '');
      const user = await manager.signinRedirectCallback();
      signedOutFlag.clear();
      const back = typeof user.state === 'string' && user.state.startsWith('#') ? user.state : '';
      window.history.replaceState(null, '', `/${back}`);
      return { kind: 'ready', manager, user };
    } catch {
      window.history.replaceState(null, '', '/');
      return {
        kind: 'error', manager, title: 'Phiên đăng nhập không hợp lệ',
        detail: 'Yêu cầu đăng nhập đã hết hạn hoặc không khớp. Vui lòng đăng nhập lại.',
      };
    }
  }
  let user = await manager.getUser();
  if (user?.expired && user.refresh_token) {
    user = await manager.signinSilent().catch(() => null);
  }
  if (user && !user.expired) return { kind: 'ready', manager, user };
  if (signedOutFlag.get()) return { kind: 'signed-out', manager };
  await redirectToSignIn(manager);
  return { kind: 'loading' };
}

export function Boot() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    start().then(setState, () => setState({ kind: 'error', title: 'Đã có lỗi xảy ra', detail: 'Vui lòng tải lại trang hoặc đăng nhập lại.' }));
  }, []);

  const signIn = (m?: UserManager) => {
    if (m) redirectToSignIn(m);
  };

  let body;
  if (state.kind === 'loading') {
    body = <main className="view-center" data-testid="app-loading" aria-busy="true"><Spin size="large" /><p>Đang tải…</p></main>;
  } else if (state.kind === 'error') {
    body = (
      <main className="view-center" data-testid="fatal-error">
        <Result status="warning" title={<h1 className="result-title">{state.title}</h1>} subTitle={state.detail} extra={[
          <Button key="login" type="primary" onClick={() => signIn(state.manager)} disabled={!state.manager}>Đăng nhập lại</Button>,
          <Button key="reload" onClick={() => window.location.reload()}>Tải lại trang</Button>,
        ]} />
      </main>
    );
  } else if (state.kind === 'signed-out') {
    body = (
      <main className="view-center" data-testid="signed-out">
        <Result status="success" title={<h1 className="result-title">Bạn đã đăng xuất</h1>} subTitle="Cảm ơn bạn đã sử dụng hệ thống." extra={
          <Button type="primary" data-testid="login-button" onClick={() => signIn(state.manager)}>Đăng nhập</Button>} />
      </main>
    );
  } else {
    body = (
      <SessionProvider manager={state.manager} initial={state.user}>
        <Shell />
      </SessionProvider>
    );
  }
  return (
    <ConfigProvider locale={viVN} theme={theme}>
      <AntApp>
        <ToastProvider>{body}</ToastProvider>
      </AntApp>
    </ConfigProvider>
  );
}
