// The signed-in session for the whole app: the user, roles, policies; renewal; sign-out.
import { User, type UserManager } from 'oidc-client-ts';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setSession } from '../lib/api';
import { claimsOf, signOut, type Claims } from '../lib/auth';
import { policiesFor, type Policies } from '../lib/authorization';

export interface SessionValue {
  user: User;
  claims: Claims;
  roles: string[];
  can: Policies;
  expired: boolean;
  /** sign in again in a pop-up (the page and what is typed stay) */
  reauthenticate: () => Promise<void>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('no session');
  return v;
}

export function SessionProvider({ manager, initial, children }: { manager: UserManager; initial: User; children: ReactNode }) {
  const [user, setUser] = useState(initial);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const loaded = (u: User) => {
      setUser(u);
      setExpired(false);
    };
    const lost = () => setExpired(true);
    manager.events.addUserLoaded(loaded);
    manager.events.addAccessTokenExpired(lost);
    manager.events.addSilentRenewError(lost);
    return () => {
      manager.events.removeUserLoaded(loaded);
      manager.events.removeAccessTokenExpired(lost);
      manager.events.removeSilentRenewError(lost);
    };
  }, [manager]);

  // set before any child effect asks the API for something
  useState(() => setSession({
      token: async () => {
        const u = await manager.getUser();
        return u && !u.expired ? u.access_token : null;
      },
      renew: async () => {
        try {
          return Boolean(await manager.signinSilent());
        } catch {
          return false;
        }
      },
      expired: () => setExpired(true),
    }));

  const value = useMemo<SessionValue>(() => {
    const claims = claimsOf(user);
    const roles = claims.realm_access?.roles ?? [];
    return {
      user, claims, roles, can: policiesFor(roles), expired,
      reauthenticate: async () => {
        try {
          const u = await manager.signinSilent();
          if (u) return;
        } catch { /* the refresh token is gone too: ask the person */ }
        await manager.signinPopup({ nonce: crypto.randomUUID() });
      },
      signOut: () => signOut(manager, user.id_token),
    };
  }, [user, expired, manager]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
