import { type FormEvent, type ReactNode, useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import { Field, fieldError, otherError } from './EmailForm';
import {
  type Priority,
  type CustomFieldType,
  PRIORITIES,
  send,
  sk,
  SLA_TARGETS,
  type SlaPolicy,
  type SlaTargetName,
  useBusinessHours,
  useCustomFields,
  useSettingsInboxes,
  useSettingsTeams,
  useSlaPolicies,
  useWrite,
} from './data';
import { conditionsSummary, formatDuration, type Names, parseDuration, targetsSummary } from './service-levels';
import { cls, ErrorNote, LoadState, ItemEditorPage, ReadOnlyNote, SettingsPage, Switch, useIsAdmin } from './ui';

/** The inboxes, teams and calendars a policy names, for its summary. */
function useNames(): Names {
  const inboxes = useSettingsInboxes();
  const teams = useSettingsTeams();
  const calendars = useBusinessHours();
  return { inboxes: inboxes.data ?? [], teams: teams.data ?? [], calendars: calendars.data ?? [] };
}

const arrow = 'rounded-md border border-line px-2 py-1 text-sm text-ink-2 hover:bg-hover hover:text-ink disabled:opacity-40 disabled:hover:bg-transparent';

function PolicyCard({ policy, index, count, names, admin }: { policy: SlaPolicy; index: number; count: number; names: Names; admin: boolean }) {
  const save = useWrite((body: { enabled?: boolean; position?: number }) => send('PATCH', `/sla-policies/${policy.id}`, body), [sk.slaPolicies]);
  const remove = useWrite(() => send('DELETE', `/sla-policies/${policy.id}`), [sk.slaPolicies]);
  const details = [...conditionsSummary(policy.conditions, names), ...targetsSummary(policy.targets, names)];
  if (policy.warnBeforeMinutes) details.push(t('settings.sla.sum.warn', { time: formatDuration(policy.warnBeforeMinutes) }));
  return (
    <li className={`${cls.card} p-4`} aria-label={policy.name}>
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <span className="mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-hover text-xs font-semibold text-ink-2 tabular-nums">{index + 1}</span>
        <p className={`min-w-0 flex-1 basis-48 text-sm break-words text-ink-2 ${policy.enabled ? '' : 'opacity-70'}`}>
          <Link to={policy.id} className="font-medium text-ink hover:underline">
            {policy.name}
          </Link>
          {details.map((d, i) => (
            <span key={i}> · {d}</span>
          ))}
        </p>
        <div className="flex shrink-0 flex-wrap items-center gap-2">
          <Switch on={policy.enabled} label={t('settings.sla.enabledWho', { name: policy.name })} disabled={!admin || save.isPending} onChange={(enabled) => save.mutate({ enabled })}>
            <span className={policy.enabled ? 'text-ink' : 'text-ink-3'}>{policy.enabled ? t('settings.sla.enabled') : t('settings.sla.off')}</span>
          </Switch>
          {admin && (
            <>
              <button type="button" className={arrow} disabled={index === 0 || save.isPending} aria-label={t('settings.sla.up', { name: policy.name })} title={t('settings.sla.up', { name: policy.name })} onClick={() => save.mutate({ position: index - 1 })}>
                ↑
              </button>
              <button
                type="button"
                className={arrow}
                disabled={index === count - 1 || save.isPending}
                aria-label={t('settings.sla.down', { name: policy.name })}
                title={t('settings.sla.down', { name: policy.name })}
                onClick={() => save.mutate({ position: index + 1 })}
              >
                ↓
              </button>
            </>
          )}
          <Link to={policy.id} className={cls.secondary} aria-label={t('settings.sla.editWho', { name: policy.name })}>
            {admin ? t('settings.edit') : t('settings.open')}
          </Link>
          {admin && (
            <button
              type="button"
              className={cls.danger}
              disabled={remove.isPending}
              aria-label={t('settings.sla.deleteWho', { name: policy.name })}
              onClick={() => window.confirm(t('settings.sla.confirmDelete', { name: policy.name })) && remove.mutate(undefined)}
            >
              {t('settings.delete')}
            </button>
          )}
        </div>
      </div>
      <ErrorNote error={save.error ?? remove.error} />
    </li>
  );
}

/** Settings › SLA policies: the ordered list, each in words, switched on and off and moved in place. */
export default function SlaPoliciesPage() {
  const admin = useIsAdmin();
  const q = useSlaPolicies();
  const names = useNames();
  return (
    <SettingsPage
      title={t('settings.sla.title')}
      description={t('settings.sla.description')}
      actions={
        admin && (
          <Link to="new" className={`${cls.primary} whitespace-nowrap`}>
            {t('settings.sla.new')}
          </Link>
        )
      }
    >
      {!admin && <ReadOnlyNote />}
      <p className="mb-4 rounded-md bg-hover px-3 py-2 text-sm text-ink-2">{t('settings.sla.order')}</p>
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <ol className="space-y-3" aria-label={t('settings.sla.title')}>
          {q.data.length === 0 && <li className={`${cls.card} p-4 text-sm text-ink-3`}>{t('settings.sla.empty')}</li>}
          {q.data.map((p, i) => (
            <PolicyCard key={p.id} policy={p} index={i} count={q.data.length} names={names} admin={admin} />
          ))}
        </ol>
      )}
    </SettingsPage>
  );
}

/** A policy as the form holds it: durations as typed, the attribute's value as text. */
interface Draft {
  name: string;
  enabled: boolean;
  inboxIds: string[];
  teamIds: string[];
  priorities: Priority[];
  tags: string;
  attributeKey: string;
  attributeValue: string;
  targets: Record<SlaTargetName, { time: string; businessHoursId: string }>;
  warnBefore: string;
}

function draftOf(p: SlaPolicy | undefined): Draft {
  const c = p?.conditions ?? {};
  return {
    name: p?.name ?? '',
    enabled: p?.enabled ?? true,
    inboxIds: c.inboxIds ?? [],
    teamIds: c.teamIds ?? [],
    priorities: c.priorities ?? [],
    tags: (c.tags ?? []).join(', '),
    attributeKey: c.contactAttribute?.key ?? '',
    attributeValue: c.contactAttribute === undefined ? '' : String(c.contactAttribute.value),
    targets: Object.fromEntries(
      SLA_TARGETS.map((target) => {
        const spec = p?.targets[target];
        return [target, { time: spec ? formatDuration(spec.minutes) : '', businessHoursId: spec?.businessHoursId ?? '' }];
      }),
    ) as Draft['targets'],
    warnBefore: p?.warnBeforeMinutes ? String(p.warnBeforeMinutes) : '',
  };
}

type FieldType = CustomFieldType;

/** The body the API takes, or the fields the form itself cannot read (a duration it does not understand). */
function bodyOf(d: Draft, attributeType: FieldType | undefined): { body: Record<string, unknown> } | { local: Record<string, string> } {
  const local: Record<string, string> = {};
  const targets: Record<string, { minutes: number; businessHoursId: string | null }> = {};
  for (const target of SLA_TARGETS) {
    const minutes = parseDuration(d.targets[target].time);
    if (minutes === undefined) local[`targets.${target}.minutes`] = t('settings.sla.badDuration');
    else if (minutes !== null) targets[target] = { minutes, businessHoursId: d.targets[target].businessHoursId || null };
  }
  const tags = [...new Set(d.tags.split(',').map((x) => x.trim()).filter(Boolean))];
  const key = d.attributeKey.trim();
  let value: string | number | boolean = d.attributeValue;
  if (key && attributeType === 'number' && d.attributeValue.trim() !== '') value = Number(d.attributeValue);
  if (key && attributeType === 'checkbox') value = d.attributeValue === 'true';
  if (key && d.attributeValue.trim() === '' && attributeType !== 'checkbox') local['conditions.contactAttribute.value'] = t('settings.sla.attributeNeedsValue');
  if (Object.keys(local).length) return { local };
  return {
    body: {
      name: d.name,
      enabled: d.enabled,
      conditions: {
        ...(d.inboxIds.length ? { inboxIds: d.inboxIds } : {}),
        ...(d.teamIds.length ? { teamIds: d.teamIds } : {}),
        ...(d.priorities.length ? { priorities: d.priorities } : {}),
        ...(tags.length ? { tags } : {}),
        ...(key ? { contactAttribute: { key, value } } : {}),
      },
      targets,
      warnBeforeMinutes: d.warnBefore.trim() === '' ? null : Number(d.warnBefore),
    },
  };
}

const SHOWN = /^(name|enabled|warnBeforeMinutes|conditions(\.(inboxIds|teamIds|priorities|tags|contactAttribute)(\.(\d+|key|value))?)?|targets(\.(firstResponse|nextResponse|resolution)(\.(minutes|businessHoursId))?)?)$/;

/** A group of checkboxes: a multi-select that shows every choice at once. */
function Choices<T extends string>({ legend, options, chosen, error, empty, onChange }: { legend: string; options: { value: T; label: string }[]; chosen: T[]; error?: string; empty: string; onChange: (v: T[]) => void }) {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend className={cls.label}>{legend}</legend>
      {options.length === 0 ? (
        <p className="text-sm text-ink-3">{empty}</p>
      ) : (
        <div className="flex max-h-40 flex-wrap gap-x-4 gap-y-1 overflow-y-auto">
          {options.map((o) => (
            <label key={o.value} className="flex min-w-0 items-center gap-1.5 text-sm break-words text-ink">
              <input type="checkbox" checked={chosen.includes(o.value)} onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((x) => x !== o.value))} />
              {o.label}
            </label>
          ))}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function Group({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="space-y-3 border-t border-line pt-4">
      <div>
        <h2 id={id} className="text-sm font-semibold text-ink">
          {title}
        </h2>
        {hint && <p className="mt-0.5 text-xs text-ink-3">{hint}</p>}
      </div>
      {children}
    </section>
  );
}

function PolicyForm({ policy }: { policy?: SlaPolicy }) {
  const admin = useIsAdmin();
  const navigate = useNavigate();
  const inboxes = useSettingsInboxes();
  const teams = useSettingsTeams();
  const calendars = useBusinessHours();
  const fields = useCustomFields();
  const initial = useMemo(() => draftOf(policy), [policy]);
  const [draft, setDraft] = useState(initial);
  const [saved, setSaved] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [base, setBase] = useState(initial);
  if (base !== initial) {
    setBase(initial);
    setDraft(initial);
  }
  const write = useWrite((body: Record<string, unknown>) => (policy ? send<SlaPolicy>('PATCH', `/sla-policies/${policy.id}`, body) : send<SlaPolicy>('POST', '/sla-policies', body)), [sk.slaPolicies]);
  const remove = useWrite(() => send('DELETE', `/sla-policies/${policy!.id}`), [sk.slaPolicies]);
  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const setTarget = (target: SlaTargetName, patch: Partial<Draft['targets'][SlaTargetName]>) => set({ targets: { ...draft.targets, [target]: { ...draft.targets[target], ...patch } } });
  const contactFields = (fields.data ?? []).filter((f) => f.entity === 'contact');
  const attribute = contactFields.find((f) => f.key === draft.attributeKey.trim());
  const attrList = useId();
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const error = write.error;
  const err = (field: string) => local[field] ?? fieldError(error, field);
  const listErr = (field: string) => err(field) ?? (error instanceof ApiError ? error.errors.find((e) => e.field.replace(/^body\./, '').startsWith(`${field}.`))?.reason : undefined);
  const shownFields = error instanceof ApiError ? error.errors.map((e) => e.field.replace(/^body\./, '')).filter((f) => SHOWN.test(f)) : [];
  const noConditions = !draft.inboxIds.length && !draft.teamIds.length && !draft.priorities.length && !draft.tags.trim() && !draft.attributeKey.trim();

  function submit(e: FormEvent) {
    e.preventDefault();
    const made = bodyOf(draft, attribute?.type);
    if ('local' in made) {
      setLocal(made.local);
      return;
    }
    setLocal({});
    write.mutate(made.body, { onSuccess: () => (policy ? setSaved(true) : navigate('/settings/sla-policies')) });
  }

  const activeInboxes = (inboxes.data ?? []).filter((i) => !i.archived || draft.inboxIds.includes(i.id));
  return (
    <form aria-label={policy ? policy.name : t('settings.sla.new')} className={`${cls.card} p-4`} onSubmit={submit} noValidate>
      <fieldset disabled={!admin} className="space-y-4">
        <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
          <Field label={t('settings.sla.name')} error={err('name')} className="min-w-0 flex-1 basis-56">
            {(p) => <input {...p} required maxLength={100} className={cls.input} placeholder={t('settings.sla.namePlaceholder')} value={draft.name} onChange={(e) => set({ name: e.target.value })} />}
          </Field>
          <label className="flex items-center gap-2 pb-1.5 text-sm text-ink">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
            {t('settings.sla.enabled')}
          </label>
        </div>

        <Group title={t('settings.sla.conditions')} hint={t('settings.sla.conditionsHint')}>
          {noConditions && <p className="rounded-md bg-hover px-3 py-2 text-sm text-ink-2">{t('settings.sla.appliesToAll')}</p>}
          <Choices
            legend={t('settings.sla.priorities')}
            options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            chosen={draft.priorities}
            error={listErr('conditions.priorities')}
            empty=""
            onChange={(priorities) => set({ priorities })}
          />
          <Choices
            legend={t('settings.sla.inboxes')}
            options={activeInboxes.map((i) => ({ value: i.id, label: i.name }))}
            chosen={draft.inboxIds}
            error={listErr('conditions.inboxIds')}
            empty={t('settings.sla.anyInbox')}
            onChange={(inboxIds) => set({ inboxIds })}
          />
          <Choices
            legend={t('settings.sla.teams')}
            options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
            chosen={draft.teamIds}
            error={listErr('conditions.teamIds')}
            empty={t('settings.sla.anyTeam')}
            onChange={(teamIds) => set({ teamIds })}
          />
          <Field label={t('settings.sla.tags')} hint={t('settings.sla.tagsHint')} error={listErr('conditions.tags')} className="max-w-md">
            {(p) => <input {...p} className={cls.input} placeholder="vip, enterprise" value={draft.tags} onChange={(e) => set({ tags: e.target.value })} />}
          </Field>
          <fieldset>
            <legend className={cls.label}>{t('settings.sla.attribute')}</legend>
            <div className="flex flex-wrap items-start gap-2">
              <Field label={t('settings.sla.attributeKey')} error={err('conditions.contactAttribute.key')} className="min-w-0 flex-1 basis-40 [&>label]:sr-only">
                {(p) => <input {...p} list={attrList} autoComplete="off" placeholder="plan" className={`${cls.input} font-mono`} value={draft.attributeKey} onChange={(e) => set({ attributeKey: e.target.value })} />}
              </Field>
              <span className="pt-1.5 text-ink-3">=</span>
              <Field label={t('settings.sla.attributeValue')} error={err('conditions.contactAttribute.value')} className="min-w-0 flex-1 basis-40 [&>label]:sr-only">
                {(p) =>
                  attribute?.type === 'checkbox' ? (
                    <select {...p} className={`${cls.select} w-full`} value={draft.attributeValue === 'true' ? 'true' : 'false'} onChange={(e) => set({ attributeValue: e.target.value })}>
                      <option value="true">{t('settings.sla.yes')}</option>
                      <option value="false">{t('settings.sla.no')}</option>
                    </select>
                  ) : attribute?.type === 'select' && attribute.options ? (
                    <select {...p} className={`${cls.select} w-full`} value={draft.attributeValue} onChange={(e) => set({ attributeValue: e.target.value })}>
                      <option value="" />
                      {attribute.options.map((o) => (
                        <option key={o} value={o}>
                          {o}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      {...p}
                      type={attribute?.type === 'number' ? 'number' : attribute?.type === 'date' ? 'date' : 'text'}
                      placeholder="enterprise"
                      className={cls.input}
                      value={draft.attributeValue}
                      onChange={(e) => set({ attributeValue: e.target.value })}
                    />
                  )
                }
              </Field>
            </div>
            <p className="mt-1 text-xs text-ink-3">{t('settings.sla.attributeHint')}</p>
            <datalist id={attrList}>
              {contactFields.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.label}
                </option>
              ))}
            </datalist>
          </fieldset>
        </Group>

        <Group title={t('settings.sla.targets')} hint={t('settings.sla.targetsHint')}>
          {SLA_TARGETS.map((target) => {
            const name = t(`sla.target.${target}`);
            const tracked = draft.targets[target].time.trim() !== '';
            return (
              <div key={target} className="flex flex-wrap items-start gap-x-3 gap-y-2">
                <Field label={t('settings.sla.targetTime', { target: name })} error={err(`targets.${target}.minutes`) ?? err(`targets.${target}`)} className="w-40">
                  {(p) => <input {...p} placeholder={t('settings.sla.notTracked')} className={cls.input} value={draft.targets[target].time} onChange={(e) => setTarget(target, { time: e.target.value })} />}
                </Field>
                <Field label={t('settings.sla.targetClock', { target: name })} error={err(`targets.${target}.businessHoursId`)} className="min-w-0 flex-1 basis-52">
                  {(p) => (
                    <select {...p} disabled={!tracked} className={`${cls.select} w-full disabled:opacity-60`} value={draft.targets[target].businessHoursId} onChange={(e) => setTarget(target, { businessHoursId: e.target.value })}>
                      <option value="">{t('settings.sla.aroundTheClock')}</option>
                      {draft.targets[target].businessHoursId && !calendars.data?.some((c) => c.id === draft.targets[target].businessHoursId) && (
                        <option value={draft.targets[target].businessHoursId}>{t('settings.loading')}</option>
                      )}
                      {(calendars.data ?? []).map((c) => (
                        <option key={c.id} value={c.id}>
                          {t('settings.sla.inHours', { name: c.name })}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
            );
          })}
          <Field label={t('settings.sla.warn')} hint={t('settings.sla.warnHint')} error={err('warnBeforeMinutes')} className="max-w-md">
            {(p) => <input {...p} type="number" min={1} step={1} placeholder={t('settings.sla.warnDefault')} className={`${cls.inputSized} w-32`} value={draft.warnBefore} onChange={(e) => set({ warnBefore: e.target.value })} />}
          </Field>
        </Group>
      </fieldset>
      <ErrorNote error={otherError(error, shownFields)} />
      <ErrorNote error={remove.error} />
      {admin && (
        <div className="mt-4 flex flex-wrap items-center gap-2">
          <button type="submit" className={cls.primary} disabled={write.isPending || (!!policy && !dirty)}>
            {policy ? t('settings.save') : t('settings.sla.create')}
          </button>
          {saved && !dirty && (
            <span role="status" className="text-sm text-ok">
              {t('settings.saved')}
            </span>
          )}
          <span className="flex-1" />
          {policy && (
            <button
              type="button"
              className={cls.danger}
              disabled={remove.isPending}
              onClick={() => window.confirm(t('settings.sla.confirmDelete', { name: policy.name })) && remove.mutate(undefined, { onSuccess: () => navigate('/settings/sla-policies') })}
            >
              {t('settings.delete')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}

/** Settings › SLA policies › one policy (or a new one): name, what it applies to, its targets and the clock each counts in. */
export function SlaPolicyEditor() {
  return (
    <ItemEditorPage
      items={useSlaPolicies()}
      back={{ to: '/settings/sla-policies', label: t('settings.sla.back') }}
      titles={{ list: t('settings.sla.title'), new: t('settings.sla.new'), notFound: t('settings.sla.notFound') }}
    >
      {(policy) => <PolicyForm key={policy?.id ?? 'new'} policy={policy} />}
    </ItemEditorPage>
  );
}
