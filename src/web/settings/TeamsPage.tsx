import { type FormEvent, useState } from 'react';
import { t } from '../i18n';
import { qk } from '../lib/queries';
import { ASSIGNMENT_MODES, type AssignmentMode } from '../lib/types';
import { send, type SettingsMember, type SettingsTeam, usePatchQueue, useSettingsMembers, useSettingsTeams, useWrite } from './data';
import { cls, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, useIsAdmin } from './ui';

type AssignmentChange = { assignmentMode?: AssignmentMode; assignOnlineOnly?: boolean };
type TeamChange = { name: string; memberIds: string[] } & AssignmentChange;

function TeamCard({ team, members, admin }: { team: SettingsTeam; members: SettingsMember[]; admin: boolean }) {
  const [name, setName] = useState(team.name);
  const save = usePatchQueue<TeamChange>((body) => send('PATCH', `/teams/${team.id}`, body), [qk.teams, qk.members]);
  const remove = useWrite(() => send('DELETE', `/teams/${team.id}`), [qk.teams, qk.members]);
  const memberIds = save.shown?.memberIds ?? team.memberIds;
  const inTeam = new Set(memberIds);
  const toggle = (id: string) => save.patch({ memberIds: inTeam.has(id) ? memberIds.filter((x) => x !== id) : [...memberIds, id] });
  return (
    <li className={`${cls.card} p-4`} aria-label={team.name}>
      <div className="flex items-center gap-2">
        {admin ? (
          <form
            className="flex flex-1 gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim() && name !== team.name) save.patch({ name });
            }}
          >
            <input aria-label={t('settings.teams.nameOf', { name: team.name })} className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
            <button type="submit" className={cls.secondary} disabled={save.busy || name === team.name}>
              {t('settings.save')}
            </button>
          </form>
        ) : (
          <h2 className="flex-1 font-medium">{team.name}</h2>
        )}
        {admin && (
          <button
            type="button"
            className={cls.danger}
            aria-label={t('settings.teams.deleteWho', { name: team.name })}
            onClick={() => window.confirm(t('settings.teams.confirmDelete', { name: team.name })) && remove.mutate(undefined)}
          >
            {t('settings.delete')}
          </button>
        )}
      </div>
      <ErrorNote error={save.error ?? remove.error} />
      <fieldset className="mt-3">
        <legend className="mb-1 text-xs font-semibold tracking-wide text-ink-3 uppercase">{t('settings.teams.members', { count: memberIds.length })}</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {members
            .filter((m) => m.active)
            .map((m) => (
              <label key={m.id} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" checked={inTeam.has(m.id)} disabled={!admin} onChange={() => toggle(m.id)} />
                {m.name}
              </label>
            ))}
        </div>
      </fieldset>
      <Assignment team={team} admin={admin} shown={save.shown} onChange={save.patch} />
    </li>
  );
}

/** How conversations entering the team get a member (docs/automation.md, Assignment). */
function Assignment({ team, admin, shown, onChange }: { team: SettingsTeam; admin: boolean; shown: AssignmentChange | null; onChange: (body: AssignmentChange) => void }) {
  const id = `team-${team.id}-assignment`;
  const mode = shown?.assignmentMode ?? team.assignmentMode;
  const onlineOnly = shown?.assignOnlineOnly ?? team.assignOnlineOnly;
  return (
    <div className="mt-3 border-t border-line pt-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <label htmlFor={id} className="text-xs font-semibold tracking-wide text-ink-3 uppercase">
          {t('settings.teams.assignment')}
        </label>
        <select
          id={id}
          aria-label={t('settings.teams.assignmentOf', { name: team.name })}
          className={cls.select}
          value={mode}
          disabled={!admin}
          onChange={(e) => onChange({ assignmentMode: e.target.value as AssignmentMode })}
        >
          {ASSIGNMENT_MODES.map((m) => (
            <option key={m} value={m}>
              {t(`settings.teams.mode.${m}`)}
            </option>
          ))}
        </select>
        {/* Also heeded by a rule's "assign within team" on a manual team. */}
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={onlineOnly} disabled={!admin} onChange={(e) => onChange({ assignOnlineOnly: e.target.checked })} />
          {t('settings.teams.onlineOnly')}
        </label>
      </div>
      <p className="mt-1 text-xs text-ink-3">
        {t(`settings.teams.modeHint.${mode}`)}
        {mode !== 'manual' && <> {t('settings.teams.skipped')}</>}
      </p>
    </div>
  );
}

export default function TeamsPage() {
  const admin = useIsAdmin();
  const teams = useSettingsTeams();
  const members = useSettingsMembers();
  const [name, setName] = useState('');
  const create = useWrite((body: { name: string }) => send('POST', '/teams', body), [qk.teams]);
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name }, { onSuccess: () => setName('') });
  }
  return (
    <SettingsPage title={t('settings.teams.title')} description={t('settings.teams.description')}>
      {!admin && <ReadOnlyNote />}
      {admin && (
        <form onSubmit={submit} className="mb-5 flex gap-2">
          <input aria-label={t('settings.teams.newName')} placeholder={t('settings.teams.newName')} required className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className={`${cls.primary} shrink-0`} disabled={create.isPending}>
            {t('settings.teams.create')}
          </button>
        </form>
      )}
      <ErrorNote error={create.error} />
      <LoadState error={teams.error ?? members.error} loading={teams.isPending || members.isPending} />
      {teams.data && members.data && (
        <ul className="space-y-3">
          {teams.data.length === 0 && <li className="text-sm text-ink-3">{t('settings.teams.empty')}</li>}
          {teams.data.map((team) => (
            <TeamCard key={team.id} team={team} members={members.data} admin={admin} />
          ))}
        </ul>
      )}
    </SettingsPage>
  );
}
