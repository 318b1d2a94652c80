import { type FormEvent, useState } from 'react';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { actionsFromDraft, draftFromActions, emptyMacroDraft, isMacro, type MacroDraft, type MacroNames, macroPhrases, NONE } from '../lib/macros';
import { PRIORITIES, type Priority, type Status, STATUSES } from '../lib/types';
import { type Canned, send, type SettingsMember, type SettingsTeam, sk, useCannedList, useSettingsMembers, useSettingsTeams, useWrite } from './data';
import { cls, ErrorNote, LoadState, SettingsPage, useIsAdmin } from './ui';

interface Draft {
  title: string;
  body: string;
  shortcut: string;
  shared: boolean;
  macro: MacroDraft;
}

const empty: Draft = { title: '', body: '', shortcut: '', shared: false, macro: emptyMacroDraft };

const fieldLabels = () => ({
  title: t('settings.canned.titleField'),
  body: t('settings.canned.body'),
  shortcut: t('settings.canned.shortcut'),
  'actions.status': t('settings.canned.status'),
  'actions.priority': t('settings.canned.priority'),
  'actions.assigneeId': t('settings.canned.assignee'),
  'actions.teamId': t('settings.canned.team'),
  'actions.addTags': t('settings.canned.addTags'),
  'actions.removeTags': t('settings.canned.removeTags'),
});

/** The "Also change" part of the form: what choosing the response in a conversation changes there, which makes it a macro. */
function MacroFields({ value, onChange, members, teams }: { value: MacroDraft; onChange: (d: MacroDraft) => void; members: SettingsMember[]; teams: SettingsTeam[] }) {
  const set = (patch: Partial<MacroDraft>) => onChange({ ...value, ...patch });
  const select = `${cls.select} w-full`;
  // A macro may name someone deactivated since: they stay shown, so the form says what is saved.
  const assignable = members.filter((m) => m.active || m.id === value.assignee);
  return (
    <fieldset className="rounded-md border border-line p-3">
      <legend className="px-1 text-sm font-medium text-ink-2">{t('settings.canned.alsoChange')}</legend>
      <p className="mb-3 text-xs text-ink-3">{t('settings.canned.alsoChangeHint')}</p>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <label className={cls.label} htmlFor="macro-status">
            {t('settings.canned.status')}
          </label>
          <select id="macro-status" className={select} value={value.status} onChange={(e) => set({ status: e.target.value as Status | '' })}>
            <option value="">{t('settings.canned.unchanged')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className={cls.label} htmlFor="macro-priority">
            {t('settings.canned.priority')}
          </label>
          <select id="macro-priority" className={select} value={value.priority} onChange={(e) => set({ priority: e.target.value as Priority | '' })}>
            <option value="">{t('settings.canned.unchanged')}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className={cls.label} htmlFor="macro-assignee">
            {t('settings.canned.assignee')}
          </label>
          <select id="macro-assignee" className={select} value={value.assignee} onChange={(e) => set({ assignee: e.target.value })}>
            <option value="">{t('settings.canned.unchanged')}</option>
            <option value={NONE}>{t('settings.canned.unassign')}</option>
            {assignable.map((m) => (
              <option key={m.id} value={m.id}>
                {m.active ? m.name : t('settings.canned.deactivated', { name: m.name })}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className={cls.label} htmlFor="macro-team">
            {t('settings.canned.team')}
          </label>
          <select id="macro-team" className={select} value={value.team} onChange={(e) => set({ team: e.target.value })}>
            <option value="">{t('settings.canned.unchanged')}</option>
            <option value={NONE}>{t('settings.canned.noTeam')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className={cls.label} htmlFor="macro-add-tags">
            {t('settings.canned.addTags')}
          </label>
          <input id="macro-add-tags" className={cls.input} value={value.addTags} onChange={(e) => set({ addTags: e.target.value })} aria-describedby="macro-tags-hint" />
        </div>
        <div>
          <label className={cls.label} htmlFor="macro-remove-tags">
            {t('settings.canned.removeTags')}
          </label>
          <input id="macro-remove-tags" className={cls.input} value={value.removeTags} onChange={(e) => set({ removeTags: e.target.value })} aria-describedby="macro-tags-hint" />
        </div>
      </div>
      <p id="macro-tags-hint" className="mt-1 text-xs text-ink-3">
        {t('settings.canned.tagsHint')}
      </p>
    </fieldset>
  );
}

function CannedForm({ initial, onSave, onCancel, pending, error, editing }: { initial: Draft; onSave: (d: Draft) => void; onCancel: () => void; pending: boolean; error: unknown; editing: boolean }) {
  const admin = useIsAdmin();
  const members = useSettingsMembers();
  const teams = useSettingsTeams();
  const [d, setD] = useState(initial);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSave(d);
  }
  return (
    <form onSubmit={submit} aria-label={editing ? t('settings.canned.edit') : t('settings.canned.add')} className={`${cls.card} mb-5 space-y-3 p-4`}>
      <div className="grid grid-cols-[2fr_1fr] gap-3">
        <div>
          <label className={cls.label} htmlFor="canned-title">
            {t('settings.canned.titleField')}
          </label>
          <input id="canned-title" required className={cls.input} value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} />
        </div>
        <div>
          <label className={cls.label} htmlFor="canned-shortcut">
            {t('settings.canned.shortcut')}
          </label>
          <input id="canned-shortcut" className={cls.input} value={d.shortcut} onChange={(e) => setD({ ...d, shortcut: e.target.value })} />
        </div>
      </div>
      <div>
        <label className={cls.label} htmlFor="canned-body">
          {t('settings.canned.body')}
        </label>
        <textarea id="canned-body" required rows={5} className={cls.input} value={d.body} onChange={(e) => setD({ ...d, body: e.target.value })} />
        <p className="mt-1 text-xs text-ink-3">{t('settings.canned.variables')}</p>
      </div>
      {admin && !editing && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={d.shared} onChange={(e) => setD({ ...d, shared: e.target.checked })} />
          {t('settings.canned.sharedField')}
        </label>
      )}
      <MacroFields value={d.macro} onChange={(macro) => setD({ ...d, macro })} members={members.data ?? []} teams={teams.data ?? []} />
      <ErrorNote error={error} labels={fieldLabels()} />
      <div className="flex gap-2">
        <button type="submit" className={cls.primary} disabled={pending}>
          {t('settings.save')}
        </button>
        <button type="button" className={cls.secondary} onClick={onCancel}>
          {t('settings.cancel')}
        </button>
      </div>
    </form>
  );
}

/** "Macro · sets Solved, adds tag refund": what choosing it in a conversation changes. */
function MacroSummary({ c, names }: { c: Canned; names: MacroNames }) {
  if (!isMacro(c.actions)) return null;
  return (
    <p className="mt-1 flex items-start gap-1 text-xs text-accent">
      <Icon name="bolt" size={13} className="mt-px shrink-0" />
      <span>
        <span className="font-medium">{t('settings.canned.macro')}</span> · {macroPhrases(c.actions, names, 'summary').join(', ')}
      </span>
    </p>
  );
}

export default function CannedPage() {
  const q = useCannedList();
  const members = useSettingsMembers();
  const teams = useSettingsTeams();
  const names: MacroNames = { member: (id) => members.data?.find((m) => m.id === id)?.name, team: (id) => teams.data?.find((tm) => tm.id === id)?.name };
  const [editing, setEditing] = useState<Canned | 'new' | null>(null);
  // Always sent: null takes the changes off, and the response is no longer a macro.
  const toBody = (d: Draft) => ({ title: d.title, body: d.body, shortcut: d.shortcut.trim() || null, actions: actionsFromDraft(d.macro) });
  const create = useWrite((d: Draft) => send('POST', '/canned-responses', { ...toBody(d), shared: d.shared }), [sk.canned]);
  const update = useWrite(({ id, d }: { id: string; d: Draft }) => send('PATCH', `/canned-responses/${id}`, toBody(d)), [sk.canned]);
  const remove = useWrite((id: string) => send('DELETE', `/canned-responses/${id}`), [sk.canned]);
  return (
    <SettingsPage
      title={t('settings.canned.title')}
      description={t('settings.canned.description')}
      actions={
        editing ? null : (
          <button type="button" className={cls.primary} onClick={() => setEditing('new')}>
            {t('settings.canned.add')}
          </button>
        )
      }
    >
      {editing === 'new' && (
        <CannedForm initial={empty} editing={false} pending={create.isPending} error={create.error} onCancel={() => setEditing(null)} onSave={(d) => create.mutate(d, { onSuccess: () => setEditing(null) })} />
      )}
      {editing && editing !== 'new' && (
        <CannedForm
          key={editing.id}
          editing
          initial={{ title: editing.title, body: editing.body, shortcut: editing.shortcut ?? '', shared: editing.shared, macro: draftFromActions(editing.actions) }}
          pending={update.isPending}
          error={update.error}
          onCancel={() => setEditing(null)}
          onSave={(d) => update.mutate({ id: editing.id, d }, { onSuccess: () => setEditing(null) })}
        />
      )}
      <ErrorNote error={remove.error} />
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <ul className="space-y-2">
          {q.data.length === 0 && <li className="text-sm text-ink-3">{t('settings.canned.empty')}</li>}
          {q.data.map((c) => (
            <li key={c.id} className={`${cls.card} flex items-start gap-3 p-4`} aria-label={c.title}>
              <div className="min-w-0 flex-1">
                <div className="font-medium">
                  {c.title}
                  {c.shortcut && <code className="ml-2 rounded bg-hover px-1.5 py-0.5 text-xs text-ink-2">/{c.shortcut}</code>}
                  <span className="ml-2 text-xs text-ink-3">{c.shared ? t('settings.canned.shared') : t('settings.canned.personal')}</span>
                </div>
                <MacroSummary c={c} names={names} />
                <p className="mt-1 line-clamp-2 text-sm whitespace-pre-line text-ink-2">{c.body}</p>
              </div>
              <button type="button" className={cls.secondary} aria-label={t('settings.canned.editWho', { name: c.title })} onClick={() => setEditing(c)}>
                {t('settings.edit')}
              </button>
              <button
                type="button"
                className={cls.danger}
                aria-label={t('settings.canned.deleteWho', { name: c.title })}
                onClick={() => window.confirm(t('settings.canned.confirmDelete', { name: c.title })) && remove.mutate(c.id)}
              >
                {t('settings.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </SettingsPage>
  );
}
