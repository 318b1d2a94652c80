import { type FormEvent, useState } from 'react';
import { Avatar } from '../components/Avatar';
import { type MessageKey, t } from '../i18n';
import { qk } from '../lib/queries';
import { useSession } from '../lib/session';
import { ROLES, type Role, send, type SettingsMember, useSettingsMembers, useWrite } from './data';
import { cls, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, useIsAdmin } from './ui';

const roleLabel = (r: string) => t(`settings.role.${r}` as MessageKey);

function AddMember({ onDone }: { onDone: () => void }) {
  const [form, setForm] = useState({ name: '', email: '', role: 'agent' as Role, password: '' });
  const add = useWrite((body: typeof form) => send('POST', '/members', { ...body, password: body.password || undefined }), [qk.members]);
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate(form, { onSuccess: onDone });
  }
  return (
    <form onSubmit={submit} aria-label={t('settings.members.add')} className={`${cls.card} mb-5 grid grid-cols-2 gap-3 p-4`}>
      <div>
        <label className={cls.label} htmlFor="member-name">
          {t('settings.members.name')}
        </label>
        <input id="member-name" required className={cls.input} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </div>
      <div>
        <label className={cls.label} htmlFor="member-email">
          {t('settings.members.email')}
        </label>
        <input id="member-email" type="email" required className={cls.input} value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
      </div>
      <div>
        <label className={cls.label} htmlFor="member-role">
          {t('settings.members.role')}
        </label>
        <select id="member-role" className={cls.select} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.filter((r) => r !== 'owner').map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label className={cls.label} htmlFor="member-password">
          {t('settings.members.password')}
        </label>
        <input
          id="member-password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          className={cls.input}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
      </div>
      <div className="col-span-2">
        <ErrorNote error={add.error} />
        <div className="flex gap-2">
          <button type="submit" className={cls.primary} disabled={add.isPending}>
            {t('settings.members.addSubmit')}
          </button>
          <button type="button" className={cls.secondary} onClick={onDone}>
            {t('settings.cancel')}
          </button>
        </div>
      </div>
    </form>
  );
}

function MemberRow({ m, admin, meId }: { m: SettingsMember; admin: boolean; meId: string }) {
  const update = useWrite((body: { role?: Role; active?: boolean }) => send('PATCH', `/members/${m.id}`, body), [qk.members]);
  return (
    <tr className="border-t border-line">
      <td className={cls.td}>
        <div className="flex items-center gap-2">
          <Avatar name={m.name} size={28} />
          <div className="min-w-0">
            <div className={`font-medium ${m.active ? 'text-ink' : 'text-ink-3 line-through'}`}>{m.name}</div>
            <div className="truncate text-xs text-ink-3">{m.email}</div>
          </div>
        </div>
        {update.error ? <ErrorNote error={update.error} /> : null}
      </td>
      <td className={cls.td}>
        {admin && m.id !== meId ? (
          <select
            aria-label={t('settings.members.roleOf', { name: m.name })}
            className={cls.select}
            value={m.role}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ role: e.target.value as Role })}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        ) : (
          roleLabel(m.role)
        )}
      </td>
      <td className={cls.td}>{m.active ? t('settings.members.active') : t('settings.members.deactivated')}</td>
      <td className={`${cls.td} text-right`}>
        {admin && m.id !== meId && (
          <button
            type="button"
            className={m.active ? cls.danger : cls.secondary}
            disabled={update.isPending}
            aria-label={t(m.active ? 'settings.members.deactivateWho' : 'settings.members.reactivateWho', { name: m.name })}
            onClick={() => update.mutate({ active: !m.active })}
          >
            {m.active ? t('settings.members.deactivate') : t('settings.members.reactivate')}
          </button>
        )}
      </td>
    </tr>
  );
}

export default function MembersPage() {
  const me = useSession();
  const admin = useIsAdmin();
  const q = useSettingsMembers();
  const [adding, setAdding] = useState(false);
  return (
    <SettingsPage
      title={t('settings.members.title')}
      description={t('settings.members.description')}
      actions={
        admin && !adding ? (
          <button type="button" className={cls.primary} onClick={() => setAdding(true)}>
            {t('settings.members.add')}
          </button>
        ) : null
      }
    >
      {!admin && <ReadOnlyNote />}
      {adding && <AddMember onDone={() => setAdding(false)} />}
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <div className={cls.card}>
          <table className="w-full">
            <thead>
              <tr>
                <th className={cls.th}>{t('settings.members.name')}</th>
                <th className={cls.th}>{t('settings.members.role')}</th>
                <th className={cls.th}>{t('settings.members.status')}</th>
                <th className={cls.th}>
                  <span className="sr-only">{t('settings.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data.map((m) => (
                <MemberRow key={m.id} m={m} admin={admin} meId={me.member.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SettingsPage>
  );
}
