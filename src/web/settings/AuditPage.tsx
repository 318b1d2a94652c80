import { t } from '../i18n';
import { useAudit, useSettingsMembers } from './data';
import { cls, formatDate, LoadState, SettingsPage, SettingsTable } from './ui';

/** The audit log: only admins may read it, and the server says so with a 403 that the page shows as such. */
export default function AuditPage() {
  const q = useAudit();
  const members = useSettingsMembers();
  const who = (id: string | null) => (id ? (members.data?.find((m) => m.id === id)?.name ?? `…${id.slice(-8)}`) : t('event.system'));
  return (
    <SettingsPage title={t('settings.audit.title')} description={t('settings.audit.description')}>
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <SettingsTable columns={[t('settings.audit.when'), t('settings.audit.who'), t('settings.audit.what')]} empty={t('settings.audit.empty')} isEmpty={q.data.length === 0}>
          {q.data.map((a) => (
            <tr key={a.id} className="border-t border-line">
              <td className={`${cls.td} whitespace-nowrap text-ink-2`}>{formatDate(a.createdAt)}</td>
              <td className={cls.td}>
                {who(a.actorMemberId)}
                {a.onBehalfOfMemberId && <span className="ml-1 text-xs text-ink-3">{t('settings.audit.onBehalfOf', { name: who(a.onBehalfOfMemberId) })}</span>}
              </td>
              <td className={cls.td}>
                <code className="text-xs">{a.action}</code>
                <span className="ml-2 text-xs text-ink-3">
                  {a.targetType}
                  {a.targetId ? ` …${a.targetId.slice(-8)}` : ''}
                </span>
              </td>
            </tr>
          ))}
        </SettingsTable>
      )}
    </SettingsPage>
  );
}
