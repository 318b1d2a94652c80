import { t } from '../i18n';
import { useAudit, useSettingsMembers } from './data';
import { cls, formatDate, LoadState, SettingsPage } from './ui';

/** The audit log: only admins may read it, and the server says so with a 403 that the page shows as such. */
export default function AuditPage() {
  const q = useAudit();
  const members = useSettingsMembers();
  const who = (id: string | null) => (id ? (members.data?.find((m) => m.id === id)?.name ?? id.slice(0, 8)) : t('event.system'));
  return (
    <SettingsPage title={t('settings.audit.title')} description={t('settings.audit.description')}>
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <div className={cls.card}>
          <table className="w-full">
            <thead>
              <tr>
                <th className={cls.th}>{t('settings.audit.when')}</th>
                <th className={cls.th}>{t('settings.audit.who')}</th>
                <th className={cls.th}>{t('settings.audit.what')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.length === 0 && (
                <tr>
                  <td colSpan={3} className={`${cls.td} text-ink-3`}>
                    {t('settings.audit.empty')}
                  </td>
                </tr>
              )}
              {q.data.map((a) => (
                <tr key={a.id} className="border-t border-line">
                  <td className={`${cls.td} whitespace-nowrap text-ink-2`}>{formatDate(a.createdAt)}</td>
                  <td className={cls.td}>{who(a.actorMemberId)}</td>
                  <td className={cls.td}>
                    <code className="text-xs">{a.action}</code>
                    <span className="ml-2 text-xs text-ink-3">
                      {a.targetType}
                      {a.targetId ? ` ${a.targetId.slice(0, 8)}` : ''}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SettingsPage>
  );
}
