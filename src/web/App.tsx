import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation, useNavigate, useRouteError } from 'react-router';
import { resolveLocale, setLocale, t, type TimeFormat } from './i18n';
import { NotFound } from './screens/NotFound';
import { PaneSkeleton, ShellSkeleton } from './components/Skeleton';
import { api } from './lib/api';
import { notifyAbout } from './lib/notifications';
import type { Member } from './lib/types';
import { qk } from './lib/queries';
import { connectRealtime } from './lib/realtime';
import { SessionProvider, useSessionState } from './lib/session';
import { ContactPage } from './screens/ContactPage';
import { ConversationAddress, InboxPage } from './screens/InboxPage';
import { Login } from './screens/Login';
import { ForgotPassword, ResetPassword } from './screens/PasswordReset';
import { Shell } from './screens/Shell';

// W3's settings pages: src/web/settings/SettingsRoutes.tsx, loaded only when opened.
const SettingsRoutes = lazy(() => import('./settings/SettingsRoutes'));
// The page an invitation link opens, before anyone is signed in.
const AcceptInvite = lazy(() => import('./settings/AcceptInvite'));
// Held mail (e-mail waiting for review, and the quarantine), loaded only when opened.
const HeldMailPage = lazy(() => import('./screens/HeldMailPage'));
const DeliveryProblemsPage = lazy(() => import('./screens/DeliveryProblemsPage'));
// The knowledge base (articles, the editor, categories, the community): src/web/kb, loaded only when opened.
const KnowledgeBaseRoutes = lazy(() => import('./kb/KnowledgeBaseRoutes'));
// The outreach queue: follow-up tasks, loaded only when opened.
const OutreachPage = lazy(() => import('./screens/OutreachPage'));
// Reports with their charts (recharts): src/web/reports, loaded only when opened.
const ReportsPage = lazy(() => import('./reports/ReportsPage'));
// Reports › Staffing: the Erlang C forecast and its charts, loaded only when opened.
const StaffingPage = lazy(() => import('./screens/StaffingPage'));

/** A screen loading inside the frame: its shape in grey rather than a word on a blank page. */
function Loading() {
  return <PaneSkeleton />;
}

/** A fault in a screen: say so, and offer the way back, instead of a blank page. */
function RouteError() {
  const error = useRouteError();
  return (
    <div role="alert" className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <p className="text-ink-2">{t('app.error', { detail: error instanceof Error ? error.message : String(error) })}</p>
      <button type="button" className="rounded-md bg-accent px-3 py-1.5 text-accent-ink" onClick={() => window.location.reload()}>
        {t('app.retry')}
      </button>
    </div>
  );
}

/** Everything behind sign-in: the session, the realtime connection, the shell. */
function Authenticated() {
  const { me, signedOut, error } = useSessionState();
  const qc = useQueryClient();
  const location = useLocation();
  const memberId = me?.member.id;
  const role = me?.member.role;
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  useEffect(() => {
    if (!memberId) return;
    const actorName = async (id: string | null) => {
      const members = await qc.ensureQueryData({ queryKey: qk.members, queryFn: () => api<{ items: Member[] }>('/members').then((r) => r.items) }).catch(() => []);
      return members.find((m) => m.id === id)?.name ?? t('event.someone');
    };
    return connectRealtime(qc, (e) => void notifyAbout(e, { memberId, role, actorName }, (path) => navigateRef.current(path)));
  }, [memberId, role, qc]);
  if (signedOut) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (error) return <div className="p-8 text-danger">{t('app.error', { detail: (error as Error).message })}</div>;
  if (!me) return <ShellSkeleton />;
  // The member's language and clock, set before anything below renders; a change remounts the
  // shell (key), so every t() and date is redone at once without a reload.
  const locale = resolveLocale(me.member.locale);
  setLocale(locale, (me.member.timeFormat ?? 'auto') as TimeFormat);
  return (
    <SessionProvider me={me}>
      <Shell key={`${locale}-${me.member.timeFormat ?? 'auto'}`}>
        <Outlet />
      </Shell>
    </SessionProvider>
  );
}

const router = createBrowserRouter(
  [
    { path: '/login', element: <Login />, errorElement: <RouteError /> },
    { path: '/forgot-password', element: <ForgotPassword />, errorElement: <RouteError /> },
    { path: '/reset-password', element: <ResetPassword />, errorElement: <RouteError /> },
    {
      path: '/invite',
      element: (
        <Suspense fallback={<Loading />}>
          <AcceptInvite />
        </Suspense>
      ),
      errorElement: <RouteError />,
    },
    {
      element: <Authenticated />,
      errorElement: <RouteError />,
      children: [
        {
          // A fault in one screen keeps the rail, so the agent can go elsewhere.
          errorElement: <RouteError />,
          children: [
            { index: true, element: <Navigate to="/inbox/mine" replace /> },
            { path: 'inbox/:view', element: <InboxPage /> },
            { path: 'inbox/:view/:number', element: <InboxPage /> },
            { path: 'conversations/:number', element: <ConversationAddress /> },
            { path: 'contacts/:id', element: <ContactPage /> },
            {
              path: 'held',
              element: (
                <Suspense fallback={<Loading />}>
                  <HeldMailPage />
                </Suspense>
              ),
            },
            {
              path: 'delivery',
              element: (
                <Suspense fallback={<Loading />}>
                  <DeliveryProblemsPage />
                </Suspense>
              ),
            },
            ...['outreach', 'outreach/:id'].map((path) => ({
              path,
              element: (
                <Suspense fallback={<Loading />}>
                  <OutreachPage />
                </Suspense>
              ),
            })),
            {
              path: 'kb/*',
              element: (
                <Suspense fallback={<Loading />}>
                  <KnowledgeBaseRoutes />
                </Suspense>
              ),
            },
            {
              path: 'reports',
              element: (
                <Suspense fallback={<Loading />}>
                  <ReportsPage />
                </Suspense>
              ),
            },
            {
              path: 'reports/staffing',
              element: (
                <Suspense fallback={<Loading />}>
                  <StaffingPage />
                </Suspense>
              ),
            },
            {
              path: 'settings/*',
              element: (
                <Suspense fallback={<Loading />}>
                  <SettingsRoutes />
                </Suspense>
              ),
            },
            { path: '*', element: <NotFound /> },
          ],
        },
      ],
    },
  ],
  { basename: '/app' },
);

export function App() {
  return <RouterProvider router={router} />;
}
