import { type FormEvent, useState } from 'react';
import { t } from '../i18n';
import { fieldError } from './EmailForm';
import { type OutreachRule, send, sk, useBusinessHours, useOutreachRules, useSettingsMembers, useSettingsTeams, useWrite } from './data';
import { cls, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, Switch, useIsAdmin } from './ui';

interface Draft {
  name: string;
  eventType: string;
  productSku: string;
  amount: string;
  unit: 'hours' | 'days';
  businessHoursId: string;
  /** "team:<id>" or "member:<id>". */
  target: string;
  instructions: string;
}

const emptyDraft: Draft = { name: '', eventType: 'purchase', productSku: '', amount: '90', unit: 'days', businessHoursId: '', target: '', instructions: '' };

const FIELDS = ['name', 'eventType', 'productSku', 'delay.amount', 'businessHoursId', 'teamId', 'assigneeId', 'instructions'];

function RuleRow({ rule, admin, whom }: { rule: OutreachRule; admin: boolean; whom: string }) {
  const save = useWrite((body: Partial<OutreachRule>) => send('PATCH', `/outreach/rules/${rule.id}`, body), [sk.outreachRules]);
  const remove = useWrite(() => send('DELETE', `/outreach/rules/${rule.id}`), [sk.outreachRules]);
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
      <div className="flex items-center gap-2">
        <Switch on={rule.enabled} disabled={!admin || save.isPending} onChange={(enabled) => save.mutate({ enabled })} label={t('settings.outreach.enabledOf', { name: rule.name })} />
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
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const create = useWrite((body: unknown) => send('POST', '/outreach/rules', body), [sk.outreachRules]);
  const target = draft.target || (teams[0] ? `team:${teams[0].id}` : members[0] ? `member:${members[0].id}` : '');
  function submit(e: FormEvent) {
    e.preventDefault();
    const [kind, id] = target.split(':');
    create.mutate(
      {
        name: draft.name,
        eventType: draft.eventType,
        productSku: draft.productSku.trim() || null,
        delay: { amount: Number(draft.amount), unit: draft.unit },
        businessHoursId: draft.businessHoursId || null,
        teamId: kind === 'team' ? id : null,
        assigneeId: kind === 'member' ? id : null,
        instructions: draft.instructions,
      },
      { onSuccess: () => setDraft(emptyDraft) },
    );
  }
  const whom = (r: OutreachRule) =>
    r.assigneeId ? (members.find((m) => m.id === r.assigneeId)?.name ?? '') : r.teamId ? t('settings.outreach.team', { name: teams.find((x) => x.id === r.teamId)?.name ?? '' }) : '';
  const err = (field: string) => fieldError(create.error, field);
  const errorLine = (field: string) =>
    err(field) && (
      <p className="mt-1 text-xs text-danger" id={`outreach-${field}-err`}>
        {err(field)}
      </p>
    );
  return (
    <SettingsPage title={t('settings.outreach.title')} description={t('settings.outreach.description')}>
      {!admin && <ReadOnlyNote />}
      {admin && (
        <form onSubmit={submit} aria-label={t('settings.outreach.new')} className={`${cls.card} mb-5 grid min-w-0 grid-cols-1 gap-3 p-3 sm:grid-cols-2 sm:p-4 [&>div]:min-w-0`}>
          <div className="sm:col-span-2">
            <label className={cls.label} htmlFor="outreach-name">
              {t('settings.outreach.name')}
            </label>
            <input id="outreach-name" className={cls.input} value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder={t('settings.outreach.namePlaceholder')} />
            {errorLine('name')}
          </div>
          <div>
            <label className={cls.label} htmlFor="outreach-type">
              {t('settings.outreach.eventType')}
            </label>
            <input id="outreach-type" className={cls.input} value={draft.eventType} onChange={(e) => set({ eventType: e.target.value })} />
            {errorLine('eventType')}
          </div>
          <div>
            <label className={cls.label} htmlFor="outreach-sku">
              {t('settings.outreach.product')}
            </label>
            <input id="outreach-sku" className={cls.input} value={draft.productSku} onChange={(e) => set({ productSku: e.target.value })} placeholder={t('settings.outreach.productAny')} />
            {errorLine('productSku')}
          </div>
          <div>
            <span className={cls.label} id="outreach-delay-label">
              {t('settings.outreach.after')}
            </span>
            <div className="flex gap-2" role="group" aria-labelledby="outreach-delay-label">
              <input aria-label={t('settings.outreach.amount')} type="number" min={0} max={3650} className={`${cls.inputSized} w-20 min-w-0`} value={draft.amount} onChange={(e) => set({ amount: e.target.value })} />
              <select aria-label={t('settings.outreach.unit')} className={`${cls.select} min-w-0`} value={draft.unit} onChange={(e) => set({ unit: e.target.value as Draft['unit'] })}>
                <option value="days">{t('settings.outreach.days')}</option>
                <option value="hours">{t('settings.outreach.hours')}</option>
              </select>
            </div>
            {errorLine('delay.amount')}
          </div>
          <div>
            <label className={cls.label} htmlFor="outreach-hours">
              {t('settings.outreach.calendar')}
            </label>
            <select id="outreach-hours" className={`${cls.select} w-full min-w-0`} value={draft.businessHoursId} onChange={(e) => set({ businessHoursId: e.target.value })}>
              <option value="">{t('settings.outreach.anyTime')}</option>
              {calendars.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="sm:col-span-2">
            <label className={cls.label} htmlFor="outreach-target">
              {t('settings.outreach.queue')}
            </label>
            <select id="outreach-target" className={`${cls.select} w-full min-w-0`} value={target} onChange={(e) => set({ target: e.target.value })}>
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
          </div>
          <div className="sm:col-span-2">
            <label className={cls.label} htmlFor="outreach-instructions">
              {t('settings.outreach.instructions')}
            </label>
            <textarea id="outreach-instructions" rows={2} className={cls.input} value={draft.instructions} onChange={(e) => set({ instructions: e.target.value })} placeholder={t('settings.outreach.instructionsPlaceholder')} />
          </div>
          <div className="sm:col-span-2">
            <button type="submit" className={cls.primary} disabled={create.isPending || !target}>
              {t('settings.outreach.create')}
            </button>
            <ErrorNote error={create.error && !FIELDS.some((f) => err(f)) ? create.error : null} />
          </div>
        </form>
      )}
      <LoadState error={rules.error} loading={rules.isPending} />
      {rules.data && (
        <ul aria-label={t('settings.outreach.rules')} className={cls.card}>
          {!rules.data.length && <li className={`${cls.td} text-ink-3`}>{t('settings.outreach.empty')}</li>}
          {rules.data.map((r) => (
            <RuleRow key={r.id} rule={r} admin={admin} whom={whom(r)} />
          ))}
        </ul>
      )}
    </SettingsPage>
  );
}
