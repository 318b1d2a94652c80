import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { send, sk, useCannedList, useCustomFields, useRules, useSettingsInboxes, useSettingsMembers, useSettingsTeams, useWrite } from './data';
import { moved, type Names, positionChanges, type Rule, summarize } from './rules';
import { cls, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, Switch, useIsAdmin } from './ui';

/** The names a rule's summary says instead of ids: members, teams, inboxes, shared canned responses, conversation fields. */
export function useRuleNames(): Names {
  const members = useSettingsMembers().data;
  const teams = useSettingsTeams().data;
  const inboxes = useSettingsInboxes().data;
  const canned = useCannedList().data;
  const fields = useCustomFields().data;
  return useMemo(
    () => ({
      members: new Map((members ?? []).map((m) => [m.id, m.name])),
      teams: new Map((teams ?? []).map((x) => [x.id, { name: x.name, assignmentMode: x.assignmentMode }])),
      inboxes: new Map((inboxes ?? []).map((i) => [i.id, i.name])),
      canned: new Map((canned ?? []).map((c) => [c.id, c.title])),
      fields: new Map((fields ?? []).filter((f) => f.entity === 'conversation').map((f) => [f.key, f.label])),
    }),
    [members, teams, inboxes, canned, fields],
  );
}

function RuleItem({ rule, index, count, names, admin, moving, onMove }: { rule: Rule; index: number; count: number; names: Names; admin: boolean; moving: boolean; onMove: (to: number) => void }) {
  const toggle = useWrite((enabled: boolean) => send('PATCH', `/rules/${rule.id}`, { enabled }), [sk.rules]);
  const remove = useWrite(() => send('DELETE', `/rules/${rule.id}`), [sk.rules]);
  // While the change is on its way the switch shows it already; the server's answer then replaces it.
  const enabled = toggle.isPending ? !!toggle.variables : rule.enabled;
  const titleId = `rule-${rule.id}`;
  return (
    <li aria-labelledby={titleId} className={`${cls.card} p-4`}>
      <div className="flex items-start gap-3">
        <span aria-hidden className="mt-0.5 flex h-6 min-w-6 shrink-0 items-center justify-center rounded-full bg-hover px-1.5 text-xs font-semibold text-ink-2 tabular-nums">
          {index + 1}
        </span>
        <div className="min-w-0 flex-1">
          <h2 id={titleId} className={`font-medium [overflow-wrap:anywhere] ${enabled ? 'text-ink' : 'text-ink-3'}`}>
            {rule.name}
          </h2>
          <p className={`mt-1 text-sm [overflow-wrap:anywhere] ${enabled ? 'text-ink-2' : 'text-ink-3'}`}>{summarize(rule, names)}</p>
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center justify-end gap-2">
        <div className="mr-auto">
          <Switch on={enabled} disabled={!admin || toggle.isPending} label={t('settings.rules.enabledOf', { name: rule.name })} onChange={(on) => toggle.mutate(on)}>
            <span className={enabled ? 'text-ink' : 'text-ink-3'}>{enabled ? t('settings.rules.on') : t('settings.rules.off')}</span>
          </Switch>
        </div>
        {admin && (
          <>
            <button type="button" className={`${cls.secondary} px-2`} disabled={moving || index === 0} aria-label={t('settings.rules.moveUp', { name: rule.name })} title={t('settings.rules.moveUp', { name: rule.name })} onClick={() => onMove(index - 1)}>
              <Icon name="up" />
            </button>
            <button
              type="button"
              className={`${cls.secondary} px-2`}
              disabled={moving || index === count - 1}
              aria-label={t('settings.rules.moveDown', { name: rule.name })}
              title={t('settings.rules.moveDown', { name: rule.name })}
              onClick={() => onMove(index + 1)}
            >
              <Icon name="down" />
            </button>
            <Link to={rule.id} className={cls.secondary} aria-label={t('settings.rules.editWho', { name: rule.name })}>
              {t('settings.edit')}
            </Link>
            <button
              type="button"
              className={cls.danger}
              aria-label={t('settings.rules.deleteWho', { name: rule.name })}
              disabled={remove.isPending}
              onClick={() => window.confirm(t('settings.rules.confirmDelete', { name: rule.name })) && remove.mutate(undefined)}
            >
              {t('settings.delete')}
            </button>
          </>
        )}
      </div>
      <ErrorNote error={toggle.error ?? remove.error} />
    </li>
  );
}

/** The workspace's rules in the order they run: a summary of each, switched on and off, moved, edited and deleted here (admins). */
export default function RulesPage() {
  const admin = useIsAdmin();
  const q = useRules();
  const names = useRuleNames();
  // While a move is on its way the list shows the new order already.
  const [pending, setPending] = useState<Rule[] | null>(null);
  const list = pending ?? q.data ?? [];
  const move = useWrite(
    async ({ rules, from, to }: { rules: Rule[]; from: number; to: number }) => {
      for (const c of positionChanges(rules, from, to)) await send('PATCH', `/rules/${c.id}`, { position: c.position });
    },
    [sk.rules],
  );
  const onMove = (from: number, to: number) => {
    setPending(moved(list, from, to));
    move.mutate({ rules: list, from, to }, { onSettled: () => setPending(null) });
  };
  return (
    <SettingsPage
      title={t('settings.rules.title')}
      description={t('settings.rules.description')}
      actions={
        admin && (
          <Link to="new" className={`${cls.primary} shrink-0`}>
            {t('settings.rules.new')}
          </Link>
        )
      }
    >
      {!admin && <ReadOnlyNote />}
      <p className="mb-4 text-sm text-ink-2">{t('settings.rules.order')}</p>
      <ErrorNote error={move.error} />
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <ol aria-label={t('settings.rules.title')} className="space-y-3">
          {list.length === 0 && <li className="text-sm text-ink-3">{t('settings.rules.empty')}</li>}
          {list.map((rule, i) => (
            <RuleItem key={rule.id} rule={rule} index={i} count={list.length} names={names} admin={admin} moving={move.isPending} onMove={(to) => onMove(i, to)} />
          ))}
        </ol>
      )}
    </SettingsPage>
  );
}
