import type { ReactNode } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { type MessageKey, t } from '../i18n';
import { NotFound } from '../screens/NotFound';
import AuditPage from './AuditPage';
import BusinessHoursPage, { BusinessHoursEditor } from './BusinessHoursPage';
import CannedPage from './CannedPage';
import CatalogPage from './CatalogPage';
import CustomFieldsPage from './CustomFieldsPage';
import EmailInboxSettings from './EmailInboxSettings';
import FailuresPage from './FailuresPage';
import FeedbackWallPage from './FeedbackWallPage';
import GoodwillPage from './GoodwillPage';
import HelpCenterPage from './HelpCenterPage';
import InboxesPage from './InboxesPage';
import MembersPage from './MembersPage';
import OutreachRulesPage from './OutreachRulesPage';
import ProfilePage from './ProfilePage';
import RuleEditor from './RuleEditor';
import RulesPage from './RulesPage';
import SlaPoliciesPage, { SlaPolicyEditor } from './SlaPoliciesPage';
import TagsPage from './TagsPage';
import TeamsPage from './TeamsPage';
import TokensPage from './TokensPage';
import WebhookPage from './WebhookPage';
import WebhooksPage from './WebhooksPage';

import TopicsPage from './TopicsPage';
import WidgetInboxSettingsPage from './WidgetInboxSettings';
import { cls, useIsAdmin } from './ui';

interface Section {
  path: string;
  label: MessageKey;
  element: ReactNode;
  adminOnly?: boolean;
}

const personal: Section[] = [
  { path: 'profile', label: 'settings.nav.profile', element: <ProfilePage /> },
  { path: 'canned-responses', label: 'settings.nav.canned', element: <CannedPage /> },
  { path: 'tokens', label: 'settings.nav.tokens', element: <TokensPage /> },
];

const workspace: Section[] = [
  { path: 'members', label: 'settings.nav.members', element: <MembersPage /> },
  { path: 'teams', label: 'settings.nav.teams', element: <TeamsPage /> },
  { path: 'inboxes', label: 'settings.nav.inboxes', element: <InboxesPage /> },
  { path: 'help-center', label: 'settings.nav.helpCenter', element: <HelpCenterPage /> },
  { path: 'feedback-wall', label: 'settings.nav.feedback', element: <FeedbackWallPage /> },
  { path: 'goodwill', label: 'settings.nav.goodwill', element: <GoodwillPage /> },
  { path: 'tags', label: 'settings.nav.tags', element: <TagsPage /> },
  { path: 'custom-fields', label: 'settings.nav.fields', element: <CustomFieldsPage /> },
  { path: 'topics', label: 'settings.nav.topics', element: <TopicsPage /> },
  { path: 'catalog', label: 'settings.nav.catalog', element: <CatalogPage /> },
  { path: 'rules', label: 'settings.nav.rules', element: <RulesPage /> },
  { path: 'business-hours', label: 'settings.nav.hours', element: <BusinessHoursPage /> },
  { path: 'sla-policies', label: 'settings.nav.sla', element: <SlaPoliciesPage /> },
  { path: 'webhooks', label: 'settings.nav.webhooks', element: <WebhooksPage />, adminOnly: true },
  { path: 'outreach', label: 'settings.nav.outreach', element: <OutreachRulesPage /> },
  { path: 'audit-log', label: 'settings.nav.audit', element: <AuditPage />, adminOnly: true },
  { path: 'failures', label: 'settings.nav.failures', element: <FailuresPage />, adminOnly: true },
];

function NavGroup({ title, sections }: { title: string; sections: Section[] }) {
  return (
    <>
      <h2 className="mt-4 mb-1 px-2 text-[11px] font-semibold tracking-wide text-ink-3 uppercase first:mt-0">{title}</h2>
      {sections.map((s) => (
        <NavLink
          key={s.path}
          to={`/settings/${s.path}`}
          className={({ isActive }) => `block rounded-md px-2 py-1.5 text-sm ${isActive ? 'bg-selected font-medium text-ink' : 'text-ink-2 hover:bg-hover hover:text-ink'}`}
        >
          {t(s.label)}
        </NavLink>
      ))}
    </>
  );
}

/** On a narrow screen the menu is a select above the page, so that the page keeps the width. */
function SectionPicker({ groups }: { groups: { title: string; sections: Section[] }[] }) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = groups.flatMap((g) => g.sections).find((s) => pathname === `/settings/${s.path}` || pathname.startsWith(`/settings/${s.path}/`));
  return (
    <div className="border-b border-line bg-surface p-2 split:hidden">
      <select aria-label={t('settings.nav.label')} className={`${cls.select} h-11 w-full`} value={current?.path ?? ''} onChange={(e) => navigate(`/settings/${e.target.value}`)}>
        {!current && <option value="" />}
        {groups.map((g) => (
          <optgroup key={g.title} label={g.title}>
            {g.sections.map((s) => (
              <option key={s.path} value={s.path}>
                {t(s.label)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** The settings area at /app/settings/*: personal settings for everyone, the workspace's for admins (agents read them). */
export default function SettingsRoutes() {
  const admin = useIsAdmin();
  // Agents do not see the audit log in the menu; opened by address, the server refuses and the page says so.
  const shown = workspace.filter((s) => admin || !s.adminOnly);
  return (
    <div className="flex h-full min-h-0 w-full flex-col split:flex-row">
      <SectionPicker
        groups={[
          { title: t('settings.nav.personal'), sections: personal },
          { title: t('settings.nav.workspace'), sections: shown },
        ]}
      />
      <nav aria-label={t('settings.nav.label')} className="hidden w-52 shrink-0 overflow-y-auto border-r border-line bg-surface p-3 split:block">
        <NavGroup title={t('settings.nav.personal')} sections={personal} />
        <NavGroup title={t('settings.nav.workspace')} sections={shown} />
      </nav>
      <div className="min-h-0 min-w-0 flex-1 overflow-y-auto bg-canvas">
        <Routes>
          <Route index element={<Navigate to="profile" replace />} />
          {[...personal, ...workspace].map((s) => (
            <Route key={s.path} path={s.path} element={s.element} />
          ))}
          <Route path="inboxes/:id" element={<EmailInboxSettings />} />
          <Route path="inboxes/:id/widget" element={<WidgetInboxSettingsPage />} />
          <Route path="rules/new" element={<RuleEditor />} />
          <Route path="rules/:id" element={<RuleEditor />} />
          <Route path="business-hours/:id" element={<BusinessHoursEditor />} />
          <Route path="sla-policies/:id" element={<SlaPolicyEditor />} />
          <Route path="webhooks/:id" element={<WebhookPage />} />
          {/* An unknown settings address (a mistyped or old link) says so; a relative redirect here once looped for ever. */}
          <Route path="*" element={<NotFound back="/settings/profile" backLabel={t('notFound.backSettings')} />} />
        </Routes>
      </div>
    </div>
  );
}
