import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { StatusPill } from '../components/ui';
import { t, tn } from '../i18n';
import type { Status } from '../lib/types';
import { Field } from './EmailForm';
import { send, sk, useCannedList, useCustomFields, useRules, useSettingsInboxes, useSettingsMembers, useSettingsTeams, useWrite } from './data';
import { ActionEditor, ConditionEditor, type Lookups } from './RuleRows';
import { useRuleNames } from './RulesPage';
import {
  type ActionRow,
  type ConditionRow,
  conditionsOf,
  type Conditions,
  type Defaults,
  type Draft,
  draftOf,
  emptyDraft,
  errorsByField,
  isPlaced,
  moved,
  newAction,
  newCondition,
  type Rule,
  rowErrors,
  summarize,
  toBody,
  TRIGGERS,
  triggerLabel,
} from './rules';
import { cls, ErrorNote, LoadState, NeedAdmin, SettingsPage, Switch, useIsAdmin } from './ui';

interface PreviewAnswer {
  total: number;
  items: { id: string; number: number; subject: string | null; status: Status }[];
}

/** How many of the preview's conversations are listed; the count covers them all. */
const PREVIEW_SHOWN = 10;

const triggerHint = (trigger: Draft['trigger']) =>
  trigger === 'time' ? t('settings.rules.triggerHint.time') : trigger === 'sla.warning' || trigger === 'sla.breached' ? t('settings.rules.triggerHint.sla') : undefined;

function Section({ title, error, children }: { title: string; error?: string; children: ReactNode }) {
  return (
    <section aria-label={title} className={`${cls.card} p-4`}>
      <h2 className="mb-3 font-semibold text-ink">{title}</h2>
      {error && <p className="mb-3 text-sm text-danger">{error}</p>}
      {children}
    </section>
  );
}

function Preview({ answer }: { answer: PreviewAnswer }) {
  const more = answer.total - Math.min(answer.items.length, PREVIEW_SHOWN);
  return (
    <div className="mt-3 rounded-md bg-accent-soft px-3 py-2">
      <p className="text-sm font-medium text-ink">{tn('settings.rules.matches', answer.total)}</p>
      {answer.items.length > 0 && (
        <ul aria-label={t('settings.rules.previewLinks')} className="mt-2 space-y-1">
          {answer.items.slice(0, PREVIEW_SHOWN).map((c) => (
            <li key={c.id} className="flex min-w-0 items-center gap-2 text-sm">
              <Link to={`/inbox/open/${c.number}`} target="_blank" rel="noopener" className="min-w-0 truncate text-accent underline">
                <span className="text-ink-3">#{c.number}</span> {c.subject || t('list.noSubject')}
              </Link>
              <StatusPill status={c.status} />
            </li>
          ))}
        </ul>
      )}
      {more > 0 && <p className="mt-1 text-xs text-ink-2">{t('settings.rules.previewMore', { count: more })}</p>}
    </div>
  );
}

function RuleForm({ rule, lookups }: { rule?: Rule; lookups: Lookups }) {
  const navigate = useNavigate();
  const names = useRuleNames();
  const defaults: Defaults = useMemo(
    () => ({
      inboxId: lookups.inboxes.find((i) => !i.archived)?.id ?? '',
      memberId: lookups.members.find((m) => m.active)?.id ?? '',
      teamId: lookups.teams[0]?.id ?? '',
      cannedId: lookups.canned.find((c) => c.shared)?.id ?? '',
      fieldKey: lookups.fields[0]?.key ?? '',
    }),
    [lookups],
  );
  const [d, setD] = useState<Draft>(() => (rule ? draftOf(rule) : emptyDraft(defaults)));
  const fieldTypes = useMemo(() => new Map(lookups.fields.map((f) => [f.key, f.type])), [lookups.fields]);
  const save = useWrite((body: ReturnType<typeof toBody>) => (rule ? send('PATCH', `/rules/${rule.id}`, body) : send('POST', '/rules', body)), [sk.rules]);
  const preview = useWrite((conditions: Conditions) => send<PreviewAnswer>('POST', '/rules/preview', { conditions }), []);
  // The server names rows by their index: once rows move, an earlier answer would point at the wrong one.
  const failed = save.error ?? preview.error;
  const errors = errorsByField(failed);
  const leftover = failed && (errors.size === 0 || [...errors.keys()].some((f) => !isPlaced(f))) ? failed : null;

  const change = (patch: Partial<Draft>, { rows = false, conditions = false } = {}) => {
    setD((x) => ({ ...x, ...patch }));
    if (rows) {
      save.reset();
      preview.reset();
    } else if (conditions) preview.reset();
  };
  const setCondition = (i: number, c: ConditionRow) => change({ conditions: d.conditions.map((x, j) => (j === i ? c : x)) }, { conditions: true });
  const setAction = (i: number, a: ActionRow) => change({ actions: d.actions.map((x, j) => (j === i ? a : x)) });

  function submit(e: FormEvent) {
    e.preventDefault();
    preview.reset();
    save.mutate(toBody(d, fieldTypes), { onSuccess: () => navigate('/settings/rules') });
  }
  const title = rule ? t('settings.rules.editTitle') : t('settings.rules.newTitle');
  return (
    <form aria-label={title} onSubmit={submit} className="space-y-4">
      <div className={`${cls.card} grid gap-3 p-4 sm:grid-cols-[1fr_auto]`}>
        <Field label={t('settings.rules.name')} error={errors.get('name')}>
          {(p) => <input {...p} required maxLength={200} className={cls.input} value={d.name} onChange={(e) => change({ name: e.target.value })} />}
        </Field>
        <div className="flex items-end sm:pb-0.5">
          <Switch on={d.enabled} label={t('settings.rules.enabled')} onChange={(enabled) => change({ enabled })}>
            {t('settings.rules.enabled')}
          </Switch>
        </div>
        <Field label={t('settings.rules.triggerField')} error={errors.get('trigger')} hint={triggerHint(d.trigger)} className="sm:col-span-2">
          {(p) => (
            <select {...p} className={`${cls.select} w-full sm:w-auto`} value={d.trigger} onChange={(e) => change({ trigger: e.target.value as Draft['trigger'] })}>
              {TRIGGERS.map((x) => (
                <option key={x} value={x}>
                  {triggerLabel(x)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <Section title={t('settings.rules.conditions')} error={errors.get('conditions.conditions') ?? errors.get('conditions.match')}>
        <div className="mb-3 flex flex-wrap items-center gap-2 text-sm text-ink-2">
          <label htmlFor="rule-match">{t('settings.rules.match')}</label>
          <select id="rule-match" className={`${cls.select} max-w-full`} value={d.match} onChange={(e) => change({ match: e.target.value as Draft['match'] }, { conditions: true })}>
            <option value="all">{t('settings.rules.matchAll')}</option>
            <option value="any">{t('settings.rules.matchAny')}</option>
          </select>
        </div>
        {d.conditions.length === 0 ? (
          <p className="mb-3 text-sm text-ink-3">{t('settings.rules.noConditions')}</p>
        ) : (
          <ol className="mb-3">
            {d.conditions.map((c, i) => (
              <ConditionEditor
                key={c.id}
                row={c}
                index={i}
                count={d.conditions.length}
                errors={rowErrors(errors, `conditions.conditions.${i}`)}
                lookups={lookups}
                defaults={defaults}
                onChange={(row) => setCondition(i, row)}
                onMove={(to) => change({ conditions: moved(d.conditions, i, to) }, { rows: true })}
                onRemove={() => change({ conditions: d.conditions.filter((_, j) => j !== i) }, { rows: true })}
              />
            ))}
          </ol>
        )}
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className={cls.secondary} onClick={() => change({ conditions: [...d.conditions, newCondition('subject', defaults)] }, { rows: true })}>
            {t('settings.rules.addCondition')}
          </button>
          <button
            type="button"
            className={cls.secondary}
            disabled={preview.isPending}
            onClick={() => {
              save.reset();
              preview.mutate(conditionsOf(d));
            }}
          >
            {t('settings.rules.preview')}
          </button>
          <span className="text-xs text-ink-3">{t('settings.rules.previewHint')}</span>
        </div>
        <div role="status">{preview.data && <Preview answer={preview.data} />}</div>
      </Section>

      <Section title={t('settings.rules.actions')} error={errors.get('actions')}>
        {d.actions.length === 0 ? (
          <p className="mb-3 text-sm text-ink-3">{t('settings.rules.noActions')}</p>
        ) : (
          <ol className="mb-3">
            {d.actions.map((a, i) => (
              <ActionEditor
                key={a.id}
                row={a}
                index={i}
                count={d.actions.length}
                errors={rowErrors(errors, `actions.${i}`)}
                lookups={lookups}
                defaults={defaults}
                onChange={(row) => setAction(i, row)}
                onMove={(to) => change({ actions: moved(d.actions, i, to) }, { rows: true })}
                onRemove={() => change({ actions: d.actions.filter((_, j) => j !== i) }, { rows: true })}
              />
            ))}
          </ol>
        )}
        <button type="button" className={cls.secondary} onClick={() => change({ actions: [...d.actions, newAction('add_tags', defaults)] }, { rows: true })}>
          {t('settings.rules.addAction')}
        </button>
      </Section>

      <p className="text-sm text-ink-2 [overflow-wrap:anywhere]">
        <span className="font-medium text-ink">{t('settings.rules.readsAs')}:</span> {summarize(toBody(d, fieldTypes), names)}
      </p>
      <ErrorNote error={leftover} />
      <div className="flex gap-2">
        <button type="submit" className={cls.primary} disabled={save.isPending}>
          {t('settings.save')}
        </button>
        <Link to="/settings/rules" className={cls.secondary}>
          {t('settings.cancel')}
        </Link>
      </div>
    </form>
  );
}

/** A rule's editor at /settings/rules/new and /settings/rules/:id (admins; the server refuses others anyway). */
export default function RuleEditor() {
  const { id } = useParams();
  const admin = useIsAdmin();
  const rules = useRules();
  const members = useSettingsMembers();
  const teams = useSettingsTeams();
  const inboxes = useSettingsInboxes();
  const canned = useCannedList();
  const fields = useCustomFields();
  const queries = [rules, members, teams, inboxes, canned, fields];
  const rule = id ? rules.data?.find((r) => r.id === id) : undefined;
  const ready = queries.every((q) => q.data);
  const lookups: Lookups | null = useMemo(
    () =>
      members.data && teams.data && inboxes.data && canned.data && fields.data
        ? { members: members.data, teams: teams.data, inboxes: inboxes.data, canned: canned.data.filter((c) => c.shared), fields: fields.data.filter((f) => f.entity === 'conversation') }
        : null,
    [members.data, teams.data, inboxes.data, canned.data, fields.data],
  );
  const title = id ? t('settings.rules.editTitle') : t('settings.rules.newTitle');
  return (
    <SettingsPage title={title} description={t('settings.rules.editorDescription')}>
      <Link to="/settings/rules" className="mb-4 inline-block text-sm text-accent underline">
        ← {t('settings.rules.back')}
      </Link>
      {!admin ? (
        <NeedAdmin />
      ) : (
        <>
          <LoadState error={queries.find((q) => q.error)?.error} loading={!ready} />
          {ready && id && !rule && <p className="text-sm text-ink-2">{t('settings.rules.notFound')}</p>}
          {ready && lookups && (!id || rule) && <RuleForm key={id ?? 'new'} rule={rule} lookups={lookups} />}
        </>
      )}
    </SettingsPage>
  );
}
