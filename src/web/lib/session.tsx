import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './api';
import { qk, useMe } from './queries';
import type { Me } from './types';

const SessionContext = createContext<Me | null>(null);

/** The signed-in member; only usable under <RequireSession>. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside a session');
  return me;
}

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

/** Loads /me; answers the session, "none" (signed out) or undefined while loading. */
export function useSessionState(): { me: Me | undefined; signedOut: boolean; error: unknown } {
  const qc = useQueryClient();
  const q = useMe();
  useEffect(() => {
    setUnauthorizedHandler(() => qc.setQueryData(qk.me, null));
  }, [qc]);
  if (q.data) setCsrfToken(q.data.csrfToken);
  const signedOut = q.data === null || (q.error instanceof ApiError && q.error.status === 401);
  return { me: q.data ?? undefined, signedOut, error: signedOut ? null : q.error };
}

export async function signIn(email: string, password: string) {
  const r = await api<{ csrfToken: string }>('/auth/login', { method: 'POST', body: { email, password } });
  setCsrfToken(r.csrfToken);
}

export async function signOut() {
  try {
    await api('/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken(null);
  }
}
