import { type FormEvent, useId, useState } from 'react';
import { draftFromRule, emptyRuleDraft, type OutreachRuleFields, type RuleDraft, ruleBody } from '../lib/outreach-rules';
import { t } from '../i18n';
import { fieldError } from './EmailForm';
import { type OutreachRule, send, sk, useBusinessHours, useOutreachRules, useSettingsMembers, useSettingsTeams, useWrite } from './data';
import { cls, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, Switch, useIsAdmin } from './ui';

const FIELDS = ['name', 'eventType', 'productSku', 'delay.amount', 'businessHoursId', 'teamId', 'assigneeId', 'instructions'];

type Team = { id: string; name: string };
type Member = { id: string; name: string };
type Calendar = { id: string; name: string };

/**
 * The rule form, to add a rule (`initial` empty) or change one (`rule` given: filled with it,
 * with Save and Cancel). Server errors show beside the field they name.
 */
function RuleForm({
  initial,
  rule,
  teams,
  members,
  calendars,
  pending,
  error,
  onSave,
  onCancel,
}: {
  initial: RuleDraft;
  rule?: OutreachRule;
  teams: Team[];
  members: Member[];
  calendars: Calendar[];
  pending: boolean;
  error: unknown;
  onSave: (body: OutreachRuleFields, reset: () => void) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const set = (patch: Partial<RuleDraft>) => setDraft({ ...draft, ...patch });
  const target = draft.target || (teams[0] ? `team:${teams[0].id}` : members[0] ? `member:${members[0].id}` : '');
  function submit(e: FormEvent) {
    e.preventDefault();
    onSave(ruleBody(draft, target), () => setDraft(initial));
  }
  const err = (field: string) => fieldError(error, field);
  const errorLine = (field: string) =>
    err(field) && (
      <p className="mt-1 text-xs text-danger" id={`${id}-${field}-err`}>
        {err(field)}
      </p>
    );
  const described = (field: string) => (err(field) ? { 'aria-invalid': true, 'aria-describedby': `${id}-${field}-err` } : {});
  return (
    <form
      onSubmit={submit}
      aria-label={rule ? t('settings.outreach.editWho', { name: rule.name }) : t('settings.outreach.new')}
      className={`${rule ? '' : `${cls.card} mb-5 `}grid min-w-0 grid-cols-1 gap-3 p-3 sm:grid-cols-2 sm:p-4 [&>div]:min-w-0`}
    >
      <div className="sm:col-span-2">
        <label className={cls.label} htmlFor={`${id}-name`}>
          {t('settings.outreach.name')}
        </label>
        <input id={`${id}-name`} className={cls.input} value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder={t('settings.outreach.namePlaceholder')} {...described('name')} />
        {errorLine('name')}
      </div>
      <div>
        <label className={cls.label} htmlFor={`${id}-type`}>
          {t('settings.outreach.eventType')}
        </label>
        <input id={`${id}-type`} className={cls.input} value={draft.eventType} onChange={(e) => set({ eventType: e.target.value })} {...described('eventType')} />
        {errorLine('eventType')}
      </div>
      <div>
        <label className={cls.label} htmlFor={`${id}-sku`}>
          {t('settings.outreach.product')}
        </label>
        <input id={`${id}-sku`} className={cls.input} value={draft.productSku} onChange={(e) => set({ productSku: e.target.value })} placeholder={t('settings.outreach.productAny')} {...described('productSku')} />
        {errorLine('productSku')}
      </div>
      <div>
        <span className={cls.label} id={`${id}-delay-label`}>
          {t('settings.outreach.after')}
        </span>
        <div className="flex gap-2" role="group" aria-labelledby={`${id}-delay-label`}>
          <input
            aria-label={t('settings.outreach.amount')}
            type="number"
            min={0}
            max={3650}
            className={`${cls.inputSized} w-20 min-w-0`}
            value={draft.amount}
            onChange={(e) => set({ amount: e.target.value })}
            {...described('delay.amount')}
          />
          <select aria-label={t('settings.outreach.unit')} className={`${cls.select} min-w-0`} value={draft.unit} onChange={(e) => set({ unit: e.target.value as RuleDraft['unit'] })}>
            <option value="days">{t('settings.outreach.days')}</option>
            <option value="hours">{t('settings.outreach.hours')}</option>
          </select>
        </div>
        {errorLine('delay.amount')}
      </div>
      <div>
        <label className={cls.label} htmlFor={`${id}-hours`}>
          {t('settings.outreach.calendar')}
        </label>
        <select id={`${id}-hours`} className={`${cls.select} w-full min-w-0`} value={draft.businessHoursId} onChange={(e) => set({ businessHoursId: e.target.value })} {...described('businessHoursId')}>
          <option value="">{t('settings.outreach.anyTime')}</option>
          {calendars.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {errorLine('businessHoursId')}
      </div>
      <div className="sm:col-span-2">
        <label className={cls.label} htmlFor={`${id}-target`}>
          {t('settings.outreach.queue')}
        </label>
        <select id={`${id}-target`} className={`${cls.select} w-full min-w-0`} value={target} onChange={(e) => set({ target: e.target.value })} {...described(err('teamId') ? 'teamId' : 'assigneeId')}>
          {teams.map((tm) => (
            <option key={tm.id} value={`team:${tm.id}`}>
              {t('settings.outreach.team', { name: tm.name })}
            </option>
          ))}
          {members.map((m) => (
            <option key={m.id} value={`member:${m.id}`}>
              {m.name}
            </option>
          ))}
        </select>
        {errorLine('teamId')}
        {errorLine('assigneeId')}
      </div>
      <div className="sm:col-span-2">
        <label className={cls.label} htmlFor={`${id}-instructions`}>
          {t('settings.outreach.instructions')}
        </label>
        <textarea
          id={`${id}-instructions`}
          rows={2}
          className={cls.input}
          value={draft.instructions}
          onChange={(e) => set({ instructions: e.target.value })}
          placeholder={t('settings.outreach.instructionsPlaceholder')}
          {...described('instructions')}
        />
        {errorLine('instructions')}
      </div>
      <div className="flex flex-wrap items-center gap-2 sm:col-span-2">
        <button type="submit" className={cls.primary} disabled={pending || !target}>
          {rule ? t('settings.save') : t('settings.outreach.create')}
        </button>
        {onCancel && (
          <button type="button" className={cls.secondary} onClick={onCancel}>
            {t('settings.cancel')}
          </button>
        )}
        <ErrorNote error={error && !FIELDS.some((f) => err(f)) ? error : null} />
      </div>
    </form>
  );
}

function RuleRow({ rule, admin, whom, teams, members, calendars }: { rule: OutreachRule; admin: boolean; whom: string; teams: Team[]; members: Member[]; calendars: Calendar[] }) {
  const [editing, setEditing] = useState(false);
  const save = useWrite((body: Partial<OutreachRule>) => send('PATCH', `/outreach/rules/${rule.id}`, body), [sk.outreachRules]);
  const edit = useWrite((body: Partial<OutreachRule>) => send('PATCH', `/outreach/rules/${rule.id}`, body), [sk.outreachRules]);
  const remove = useWrite(() => send('DELETE', `/outreach/rules/${rule.id}`), [sk.outreachRules]);
  if (editing)
    return (
      <li className="border-t border-line first:border-t-0">
        <RuleForm
          initial={draftFromRule(rule)}
          rule={rule}
          teams={teams}
          members={members}
          calendars={calendars}
          pending={edit.isPending}
          error={edit.error}
          onSave={(body) => edit.mutate(body, { onSuccess: () => setEditing(false) })}
          onCancel={() => {
            edit.reset();
            setEditing(false);
          }}
        />
      </li>
    );
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-line px-4 py-3 first:border-t-0">
      <div className="min-w-0 flex-1 basis-48">
        <div className="font-medium break-words text-ink">{rule.name}</div>
        <div className="text-xs break-words text-ink-2">
          {t(`settings.outreach.when.${rule.delay.unit}`, { count: rule.delay.amount, type: rule.eventType })}
          {rule.productSku ? ` · ${t('settings.outreach.forProduct', { sku: rule.productSku })}` : ''}
          {whom ? ` · ${whom}` : ''}
        </div>
        <ErrorNote error={save.error ?? remove.error} />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Switch on={rule.enabled} disabled={!admin || save.isPending} onChange={(enabled) => save.mutate({ enabled })} label={t('settings.outreach.enabledOf', { name: rule.name })} />
        {admin && (
          <button type="button" className={cls.secondary} aria-label={t('settings.outreach.editWho', { name: rule.name })} onClick={() => setEditing(true)}>
            {t('settings.edit')}
          </button>
        )}
        {admin && (
          <button type="button" className={cls.danger} aria-label={t('settings.outreach.deleteWho', { name: rule.name })} onClick={() => window.confirm(t('settings.outreach.confirmDelete', { name: rule.name })) && remove.mutate(undefined)}>
            {t('settings.delete')}
          </button>
        )}
      </div>
    </li>
  );
}

/**
 * Settings › Outreach: the rules that put follow-up tasks in a team's or an agent's outreach
 * queue some time after a business event (docs/outreach.md). Admins make and change them.
 */
export default function OutreachRulesPage() {
  const admin = useIsAdmin();
  const rules = useOutreachRules();
  const teams = useSettingsTeams().data ?? [];
  const members = (useSettingsMembers().data ?? []).filter((m) => m.active && m.role !== 'light');
  const calendars = useBusinessHours().data ?? [];
  const create = useWrite((body: unknown) => send('POST', '/outreach/rules', body), [sk.outreachRules]);
  const whom = (r: OutreachRule) =>
    r.assigneeId ? (members.find((m) => m.id === r.assigneeId)?.name ?? '') : r.teamId ? t('settings.outreach.team', { name: teams.find((x) => x.id === r.teamId)?.name ?? '' }) : '';
  return (
    <SettingsPage title={t('settings.outreach.title')} description={t('settings.outreach.description')}>
      {!admin && <ReadOnlyNote />}
      {admin && (
        <RuleForm
          initial={emptyRuleDraft}
          teams={teams}
          members={members}
          calendars={calendars}
          pending={create.isPending}
          error={create.error}
          onSave={(body, reset) => create.mutate(body, { onSuccess: reset })}
        />
      )}
      <LoadState error={rules.error} loading={rules.isPending} />
      {rules.data && (
        <ul aria-label={t('settings.outreach.rules')} className={cls.card}>
          {!rules.data.length && <li className={`${cls.td} text-ink-3`}>{t('settings.outreach.empty')}</li>}
          {rules.data.map((r) => (
            <RuleRow key={r.id} rule={r} admin={admin} whom={whom(r)} teams={teams} members={members} calendars={calendars} />
          ))}
        </ul>
      )}
    </SettingsPage>
  );
}
