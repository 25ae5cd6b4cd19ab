// Sign-in with oidc-client-ts: authorization code + PKCE against the realm (the built-in issuer
// of `make run`, Keycloak in a release), tokens in sessionStorage, silent renewal with the
// refresh token, sign-out at the issuer. A session that cannot be renewed while a form is open
// is renewed in a pop-up window, so nothing typed is lost (see SessionBanner).

import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { WebConfig } from './config';

const SIGNED_OUT = 'ktxh.signed-out';

export interface Claims {
  name?: string;
  preferred_username?: string;
  org_unit?: string;
  realm_access?: { roles?: string[] };
  [key: string]: unknown;
}

export function decodeJwt(token: string | undefined): Claims {
  if (!token) return {};
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Claims;
  } catch {
    return {};
  }
}

export function createUserManager(config: WebConfig, origin = window.location.origin): UserManager {
  return new UserManager({
    authority: config.issuer,
    client_id: config.client_id,
    redirect_uri: `${origin}/callback`,
    popup_redirect_uri: `${origin}/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: 'openid profile',
    loadUserInfo: false,
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: 60,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** The roles and display claims of a user: realm roles come in the access token. */
export function claimsOf(user: User | null): Claims {
  if (!user) return {};
  return { ...(user.profile as Claims), ...decodeJwt(user.access_token) };
}

export const signedOutFlag = {
  set: () => sessionStorage.setItem(SIGNED_OUT, '1'),
  get: () => sessionStorage.getItem(SIGNED_OUT) === '1',
  clear: () => sessionStorage.removeItem(SIGNED_OUT),
};

/** Go to the issuer's sign-in page; come back to the same screen (the URL fragment). */
export function signIn(manager: UserManager): Promise<void> {
  signedOutFlag.clear();
  return manager.signinRedirect({ state: window.location.hash, nonce: crypto.randomUUID() });
}

/** Sign out at the issuer (id_token_hint and client_id, as Keycloak expects), back to "/". */
export async function signOut(manager: UserManager, idToken: string | undefined): Promise<void> {
  signedOutFlag.set();
  await manager.removeUser();
  await manager.signoutRedirect({ id_token_hint: idToken, extraQueryParams: { client_id: manager.settings.client_id } });
}
