import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Avatar } from '../components/Avatar';
import { type MessageKey, t } from '../i18n';
import { api } from '../lib/api';
import { qk } from '../lib/queries';
import { useSession } from '../lib/session';
import { ROLES, type Role, send, type SettingsMember, sk, useSettingsMembers, useWrite } from './data';
import { cls, ErrorNote, formatDate, LoadState, ReadOnlyNote, SecretOnce, SettingsPage, SettingsTable, useIsAdmin } from './ui';

interface Invite {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  expiresAt: string;
}

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

function InviteForm({ onDone }: { onDone: () => void }) {
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as Role });
  const [link, setLink] = useState<string | null>(null);
  const invite = useWrite((body: typeof form) => send<Invite & { url: string }>('POST', '/members/invites', { ...body, name: body.name || undefined }), [sk.invites]);
  function submit(e: FormEvent) {
    e.preventDefault();
    invite.mutate(form, { onSuccess: (r) => setLink(r.url) });
  }
  if (link) return <SecretOnce message={t('settings.invites.linkReady', { email: form.email })} label={t('settings.invites.link')} secret={link} onDone={onDone} />;
  return (
    <form onSubmit={submit} aria-label={t('settings.invites.invite')} className={`${cls.card} mb-5 grid grid-cols-1 items-end gap-3 p-4 sm:grid-cols-[2fr_2fr_1fr]`}>
      <div>
        <label className={cls.label} htmlFor="invite-email">
          {t('settings.members.email')}
        </label>
        <input id="invite-email" type="email" required className={cls.input} value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
      </div>
      <div>
        <label className={cls.label} htmlFor="invite-name">
          {t('settings.invites.name')}
        </label>
        <input id="invite-name" className={cls.input} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </div>
      <div>
        <label className={cls.label} htmlFor="invite-role">
          {t('settings.members.role')}
        </label>
        <select id="invite-role" className={cls.select} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.filter((r) => r !== 'owner').map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </div>
      <div className="sm:col-span-3">
        <ErrorNote error={invite.error} />
        <div className="flex gap-2">
          <button type="submit" className={cls.primary} disabled={invite.isPending}>
            {t('settings.invites.create')}
          </button>
          <button type="button" className={cls.secondary} onClick={onDone}>
            {t('settings.cancel')}
          </button>
        </div>
      </div>
    </form>
  );
}

/** Open invitations (admins): who was invited, until when, and a way to take it back. */
function OpenInvites() {
  const q = useQuery({ queryKey: sk.invites, queryFn: () => api<{ items: Invite[] }>('/members/invites').then((r) => r.items) });
  const revoke = useWrite((id: string) => send('DELETE', `/members/invites/${id}`), [sk.invites]);
  if (!q.data?.length) return <LoadState error={q.error} loading={false} />;
  return (
    <section aria-labelledby="open-invites" className="mt-6">
      <h2 id="open-invites" className="mb-2 text-sm font-semibold">
        {t('settings.invites.open')}
      </h2>
      <ErrorNote error={revoke.error} />
      <ul className={`${cls.card} divide-y divide-line`}>
        {q.data.map((i) => (
          <li key={i.id} className="flex items-center gap-3 px-4 py-2 text-sm" aria-label={i.email}>
            <div className="min-w-0 flex-1">
              <div className="font-medium">{i.name ? `${i.name} · ${i.email}` : i.email}</div>
              <div className="text-xs text-ink-3">
                {roleLabel(i.role)} · {t('settings.invites.expires', { date: formatDate(i.expiresAt) })}
              </div>
            </div>
            <button type="button" className={cls.danger} aria-label={t('settings.invites.revokeWho', { email: i.email })} disabled={revoke.isPending} onClick={() => revoke.mutate(i.id)}>
              {t('settings.tokens.revoke')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The most open conversations automatic assignment gives someone: empty for no limit; saved on Enter or when leaving the field. */
function CapacityField({ m, disabled, onSave }: { m: SettingsMember; disabled: boolean; onSave: (capacity: number | null) => void }) {
  const [value, setValue] = useState(m.capacity === null ? '' : String(m.capacity));
  const save = () => {
    const next = value.trim() === '' ? null : Number(value);
    if (next !== m.capacity) onSave(next);
  };
  return (
    // The form sets the width: the input is full width (cls.input), wide enough for "Keine Grenze".
    <form
      className="w-36"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <input
        type="number"
        min={1}
        max={10_000}
        step={1}
        inputMode="numeric"
        aria-label={t('settings.members.capacityOf', { name: m.name })}
        placeholder={t('settings.members.noLimit')}
        className={cls.input}
        value={value}
        disabled={disabled}
        onChange={(e) => setValue(e.target.value)}
        onBlur={save}
      />
    </form>
  );
}

function MemberRow({ m, admin, meId }: { m: SettingsMember; admin: boolean; meId: string }) {
  const update = useWrite((body: { role?: Role; active?: boolean; capacity?: number | null }) => send('PATCH', `/members/${m.id}`, body), [qk.members]);
  return (
    <tr className="border-t border-line">
      <td className={cls.td}>
        <div className="flex items-center gap-2">
          <Avatar name={m.name} src={m.avatarUrl} size={28} />
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
      <td className={cls.td}>
        {admin ? <CapacityField m={m} disabled={update.isPending} onSave={(capacity) => update.mutate({ capacity })} /> : (m.capacity ?? t('settings.members.noLimit'))}
      </td>
      <td className={cls.td}>
        {m.active ? t('settings.members.active') : t('settings.members.deactivated')}
        {m.active && m.availability === 'away' && <span className="ml-2 rounded bg-hover px-1.5 py-0.5 text-xs text-warn">{t('settings.members.away')}</span>}
      </td>
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
  const [adding, setAdding] = useState<'member' | 'invite' | null>(null);
  return (
    <SettingsPage
      title={t('settings.members.title')}
      description={t('settings.members.description')}
      actions={
        admin && !adding ? (
          <div className="flex shrink-0 gap-2">
            <button type="button" className={cls.secondary} onClick={() => setAdding('invite')}>
              {t('settings.invites.invite')}
            </button>
            <button type="button" className={cls.primary} onClick={() => setAdding('member')}>
              {t('settings.members.add')}
            </button>
          </div>
        ) : null
      }
    >
      {!admin && <ReadOnlyNote />}
      {adding === 'member' && <AddMember onDone={() => setAdding(null)} />}
      {adding === 'invite' && <InviteForm onDone={() => setAdding(null)} />}
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <SettingsTable columns={[t('settings.members.name'), t('settings.members.role'), t('settings.members.capacity'), t('settings.members.status'), '']} isEmpty={false}>
          {q.data.map((m) => (
            <MemberRow key={m.id} m={m} admin={admin} meId={me.member.id} />
          ))}
        </SettingsTable>
      )}
      {q.data && <p className="mt-2 text-xs text-ink-3">{t('settings.members.capacityHint')}</p>}
      {admin && <OpenInvites />}
    </SettingsPage>
  );
}
