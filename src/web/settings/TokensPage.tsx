import { type FormEvent, useState } from 'react';
import { t } from '../i18n';
import { useSession } from '../lib/session';
import { send, sk, type Token, useSettingsMembers, useTokens, useWrite } from './data';
import { cls, ErrorNote, formatDate, LoadState, SecretOnce, SettingsPage, SettingsTable, useIsAdmin } from './ui';

const SCOPES = ['read', 'write', 'admin', 'events'] as const;

export default function TokensPage() {
  const me = useSession();
  const admin = useIsAdmin();
  const q = useTokens();
  const members = useSettingsMembers();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read', 'write']);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const create = useWrite((body: { name: string; scopes: string[] }) => send<Token & { token: string }>('POST', '/tokens', body), [sk.tokens]);
  const revoke = useWrite((id: string) => send('DELETE', `/tokens/${id}`), [sk.tokens]);
  const memberName = (id: string) => members.data?.find((m) => m.id === id)?.name ?? '';
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { name, scopes },
      {
        onSuccess: (r) => {
          setSecret({ name: r.name, token: r.token });
          setName('');
        },
      },
    );
  }
  return (
    <SettingsPage title={t('settings.tokens.title')} description={t('settings.tokens.description')}>
      <form onSubmit={submit} aria-label={t('settings.tokens.create')} className={`${cls.card} mb-5 flex flex-wrap items-end gap-3 p-4`}>
        <div className="min-w-48 flex-1">
          <label className={cls.label} htmlFor="token-name">
            {t('settings.tokens.name')}
          </label>
          <input id="token-name" required className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <fieldset className="flex gap-3 pb-1.5">
          <legend className="sr-only">{t('settings.tokens.scopes')}</legend>
          {SCOPES.filter((s) => s !== 'admin' || admin).map((s) => (
            <label key={s} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />
              {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" className={cls.primary} disabled={create.isPending || scopes.length === 0}>
          {t('settings.tokens.create')}
        </button>
      </form>
      <ErrorNote error={create.error ?? revoke.error} />
      {secret && <SecretOnce message={t('settings.tokens.shownOnce', { name: secret.name })} label={t('settings.tokens.secret')} secret={secret.token} onDone={() => setSecret(null)} />}
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <SettingsTable
          columns={[t('settings.tokens.name'), t('settings.tokens.scopes'), t('settings.tokens.lastUsed'), '']}
          empty={t('settings.tokens.empty')}
          isEmpty={q.data.length === 0}
        >
          {q.data.map((tok) => (
            <tr key={tok.id} className="border-t border-line">
              <td className={cls.td}>
                <div className="font-medium">{tok.name}</div>
                <div className="font-mono text-xs text-ink-3">
                  {tok.prefix}…{tok.memberId !== me.member.id && ` · ${memberName(tok.memberId)}`}
                </div>
              </td>
              <td className={cls.td}>{tok.scopes.join(', ')}</td>
              <td className={`${cls.td} text-ink-2`}>{formatDate(tok.lastUsedAt)}</td>
              <td className={`${cls.td} text-right`}>
                <button
                  type="button"
                  className={cls.danger}
                  aria-label={t('settings.tokens.revokeWho', { name: tok.name })}
                  disabled={revoke.isPending}
                  onClick={() => window.confirm(t('settings.tokens.confirmRevoke', { name: tok.name })) && revoke.mutate(tok.id)}
                >
                  {t('settings.tokens.revoke')}
                </button>
              </td>
            </tr>
          ))}
        </SettingsTable>
      )}
    </SettingsPage>
  );
}
