import { useId } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type MessageKey, t } from '../i18n';
import { ApiError } from '../lib/api';
import { qk } from '../lib/queries';
import { Field, fieldError, otherError, Section, useSectionForm } from './EmailForm';
import { SatisfactionSection } from './SatisfactionSection';
import { send, type SettingsInbox, useBusinessHours, useSettingsInboxes, useSettingsTeams, useWrite } from './data';
import { cls, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, useIsAdmin } from './ui';
import { widgetWords } from '../../shared/widget-words';
import { IdentitySecret, WIDGET_LANGUAGES, type WidgetInbox, type WidgetInboxSettings, type WidgetLanguage, WidgetSnippet } from './WidgetInstall';

const FIELDS = ['name', 'email', 'phone'] as const;

const LANGUAGES = Object.keys(WIDGET_LANGUAGES) as WidgetLanguage[];

function LookSection({ inbox, widget }: { inbox: WidgetInbox; widget: WidgetInboxSettings }) {
  const words = Object.fromEntries(
    LANGUAGES.map((l) => [l, { greeting: widget.translations?.[l]?.greeting ?? '', offlineMessage: widget.translations?.[l]?.offlineMessage ?? '' }]),
  ) as Record<WidgetLanguage, { greeting: string; offlineMessage: string }>;
  const f = useSectionForm(inbox, { name: inbox.name, color: widget.color, greeting: widget.greeting, offlineMessage: widget.offlineMessage, words }, (v) => ({
    name: v.name,
    widget: { color: v.color, greeting: v.greeting, offlineMessage: v.offlineMessage, translations: v.words },
  }));
  const setWords = (l: WidgetLanguage, patch: Partial<{ greeting: string; offlineMessage: string }>) => f.set({ words: { ...f.value.words, [l]: { ...f.value.words[l], ...patch } } });
  const colorId = useId();
  const wordsId = useId();
  return (
    <Section
      title={t('widget.settings.look')}
      onSubmit={f.save}
      saving={f.saving}
      saved={f.saved}
      dirty={f.dirty}
      error={f.error}
      fields={['name', 'widget.color', 'widget.greeting', 'widget.offlineMessage', ...LANGUAGES.flatMap((l) => [`widget.translations.${l}.greeting`, `widget.translations.${l}.offlineMessage`])]}
    >
      <div className="grid grid-cols-[2fr_1fr] gap-3">
        <Field label={t('settings.inboxes.name')} error={fieldError(f.error, 'name')}>
          {(p) => <input {...p} required className={cls.input} value={f.value.name} onChange={(e) => f.set({ name: e.target.value })} />}
        </Field>
        <Field label={t('widget.settings.color')} error={fieldError(f.error, 'widget.color')}>
          {(p) => (
            <div className="flex items-center gap-2">
              <input id={colorId} type="color" aria-label={t('widget.settings.color')} className="h-8 w-10 shrink-0 rounded border border-line bg-canvas" value={f.value.color} onChange={(e) => f.set({ color: e.target.value })} />
              <input {...p} className={cls.input} value={f.value.color} pattern="#[0-9a-fA-F]{6}" onChange={(e) => f.set({ color: e.target.value })} />
            </div>
          )}
        </Field>
      </div>
      <Field label={t('widget.settings.greeting')} hint={t('widget.settings.greetingHint')} error={fieldError(f.error, 'widget.greeting')}>
        {(p) => <textarea {...p} rows={2} className={cls.input} value={f.value.greeting} onChange={(e) => f.set({ greeting: e.target.value })} />}
      </Field>
      <Field label={t('widget.settings.offline')} hint={t('widget.settings.offlineHint')} error={fieldError(f.error, 'widget.offlineMessage')}>
        {(p) => <textarea {...p} rows={2} className={cls.input} value={f.value.offlineMessage} onChange={(e) => f.set({ offlineMessage: e.target.value })} />}
      </Field>
      <div role="group" aria-labelledby={wordsId} className="space-y-3 pt-2">
        <div>
          <h3 id={wordsId} className="text-sm font-semibold">
            {t('widget.settings.translations')}
          </h3>
          <p className="mt-0.5 text-xs text-ink-3">{t('widget.settings.translationsHint')}</p>
        </div>
        {LANGUAGES.map((l) => {
          const language = t(WIDGET_LANGUAGES[l]);
          // Left empty, a visitor in this language sees these: the built-in words in it, or the text above where it was changed.
          const shown = widgetWords({ greeting: f.value.greeting, offlineMessage: f.value.offlineMessage }, l);
          return (
            <div key={l} className="grid gap-3 sm:grid-cols-2">
              <Field label={t('widget.settings.greetingIn', { language })} error={fieldError(f.error, `widget.translations.${l}.greeting`)}>
                {(p) => <textarea {...p} lang={l} rows={2} className={cls.input} placeholder={shown.greeting} value={f.value.words[l].greeting} onChange={(e) => setWords(l, { greeting: e.target.value })} />}
              </Field>
              <Field label={t('widget.settings.offlineIn', { language })} error={fieldError(f.error, `widget.translations.${l}.offlineMessage`)}>
                {(p) => <textarea {...p} lang={l} rows={2} className={cls.input} placeholder={shown.offlineMessage} value={f.value.words[l].offlineMessage} onChange={(e) => setWords(l, { offlineMessage: e.target.value })} />}
              </Field>
            </div>
          );
        })}
      </div>
    </Section>
  );
}

function PeopleSection({ inbox, widget }: { inbox: WidgetInbox; widget: WidgetInboxSettings }) {
  const teams = useSettingsTeams();
  const calendars = useBusinessHours();
  const f = useSectionForm(inbox, { showTeamId: widget.showTeamId ?? '', businessHoursId: widget.businessHoursId ?? '' }, (v) => ({
    widget: { showTeamId: v.showTeamId || null, businessHoursId: v.businessHoursId || null },
  }));
  return (
    <Section
      title={t('widget.settings.people')}
      onSubmit={f.save}
      saving={f.saving}
      saved={f.saved}
      dirty={f.dirty}
      error={f.error}
      fields={['widget.showTeamId', 'widget.businessHoursId']}
    >
      <Field label={t('widget.settings.team')} hint={t('widget.settings.teamHint')} error={fieldError(f.error, 'widget.showTeamId')} className="max-w-sm">
        {(p) => (
          <select {...p} className={`${cls.select} w-full`} value={f.value.showTeamId} onChange={(e) => f.set({ showTeamId: e.target.value })}>
            <option value="">{t('widget.settings.teamInbox')}</option>
            {teams.data?.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('widget.settings.hours')} hint={t('widget.settings.hoursHint')} error={fieldError(f.error, 'widget.businessHoursId')} className="max-w-sm">
        {(p) => (
          <select {...p} className={`${cls.select} w-full`} value={f.value.businessHoursId} onChange={(e) => f.set({ businessHoursId: e.target.value })}>
            <option value="">{t('widget.settings.hoursOff')}</option>
            {/* Until the calendars have loaded, the chosen one still shows as chosen. */}
            {f.value.businessHoursId && !calendars.data?.some((c) => c.id === f.value.businessHoursId) && <option value={f.value.businessHoursId}>{t('settings.loading')}</option>}
            {calendars.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {t('widget.settings.hoursIn', { name: c.name })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p className="text-sm text-ink-2">
        <Link to={f.value.businessHoursId ? `/settings/business-hours/${f.value.businessHoursId}` : '/settings/business-hours'} className="text-accent underline">
          {f.value.businessHoursId ? t('widget.settings.hoursEdit') : t('widget.settings.hoursManage')}
        </Link>
      </p>
    </Section>
  );
}

function PreChatSection({ inbox, widget }: { inbox: WidgetInbox; widget: WidgetInboxSettings }) {
  const initial = Object.fromEntries(FIELDS.map((field) => {
    const asked = widget.preChat.find((p) => p.field === field);
    return [field, { ask: !!asked, required: asked?.required ?? false }];
  })) as Record<(typeof FIELDS)[number], { ask: boolean; required: boolean }>;
  const f = useSectionForm(inbox, initial, (v) => ({ widget: { preChat: FIELDS.filter((field) => v[field].ask).map((field) => ({ field, required: v[field].required })) } }));
  return (
    <Section title={t('widget.settings.preChat')} description={t('widget.settings.preChatHint')} onSubmit={f.save} saving={f.saving} saved={f.saved} dirty={f.dirty} error={f.error} fields={['widget.preChat']}>
      <ul className="space-y-1">
        {FIELDS.map((field) => {
          const name = t(`widget.settings.field.${field}` as MessageKey);
          const v = f.value[field];
          return (
            <li key={field} className="flex items-center gap-6 text-sm text-ink">
              <label className="flex w-56 items-center gap-2">
                <input type="checkbox" checked={v.ask} onChange={(e) => f.set({ [field]: { ask: e.target.checked, required: e.target.checked && v.required } })} />
                {t('widget.settings.ask', { field: name })}
              </label>
              <label className={`flex items-center gap-2 ${v.ask ? '' : 'opacity-50'}`}>
                <input type="checkbox" disabled={!v.ask} checked={v.required} onChange={(e) => f.set({ [field]: { ...v, required: e.target.checked } })} />
                {t('widget.settings.required', { field: name })}
              </label>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function SecuritySection({ inbox, widget }: { inbox: WidgetInbox; widget: WidgetInboxSettings }) {
  const f = useSectionForm(inbox, { origins: widget.allowedOrigins.join('\n'), requireVerification: widget.requireVerification }, (v) => ({
    widget: {
      allowedOrigins: v.origins
        .split(/[\s,]+/)
        .map((o) => o.trim())
        .filter(Boolean),
      requireVerification: v.requireVerification,
    },
  }));
  // The server names the line at fault: widget.allowedOrigins.<n>.
  const originFields = f.error instanceof ApiError ? f.error.errors.map((e) => e.field.replace(/^body\./, '')).filter((x) => x.startsWith('widget.allowedOrigins')) : [];
  const originError = originFields.map((x) => fieldError(f.error, x)).find(Boolean);
  return (
    <Section
      title={t('widget.settings.security')}
      onSubmit={f.save}
      saving={f.saving}
      saved={f.saved}
      dirty={f.dirty}
      error={f.error}
      fields={['widget.requireVerification', ...originFields]}
    >
      <Field label={t('widget.settings.origins')} hint={t('widget.settings.originsHint')} error={originError || undefined}>
        {(p) => <textarea {...p} rows={3} className={`${cls.input} font-mono`} value={f.value.origins} placeholder="https://shop.example" onChange={(e) => f.set({ origins: e.target.value })} />}
      </Field>
      <label className="flex items-center gap-2 text-sm text-ink">
        <input type="checkbox" checked={f.value.requireVerification} onChange={(e) => f.set({ requireVerification: e.target.checked })} />
        {t('widget.settings.requireVerification')}
      </label>
      <IdentitySecret inbox={inbox} widget={widget} />
    </Section>
  );
}

/** Settings › Inboxes › a chat widget: the tag for the site, its look and words, who answers and when, the pre-chat form, allowed sites and sign-in. */
export default function WidgetInboxSettingsPage() {
  const { id } = useParams();
  const q = useSettingsInboxes();
  const admin = useIsAdmin();
  const inbox = (q.data as WidgetInbox[] | undefined)?.find((i) => i.id === id);
  const widget = inbox?.widget;
  const back = (
    <Link to="/settings/inboxes" className="text-sm whitespace-nowrap text-accent underline">
      {t('email.settings.back')}
    </Link>
  );
  if (!inbox || !widget)
    return (
      <SettingsPage title={t('widget.settings.open')} actions={back}>
        <LoadState error={q.error} loading={q.isPending} />
        {q.isSuccess && <p className="text-sm text-ink-2">{t('widget.settings.notFound')}</p>}
      </SettingsPage>
    );
  return (
    <SettingsPage title={inbox.name} description={t('widget.settings.description')} actions={back}>
      {!admin && <ReadOnlyNote />}
      <WidgetSnippet widget={widget} />
      <LookSection inbox={inbox} widget={widget} />
      <PeopleSection inbox={inbox} widget={widget} />
      <PreChatSection inbox={inbox} widget={widget} />
      <SecuritySection inbox={inbox} widget={widget} />
      <SatisfactionSection inbox={inbox} />
    </SettingsPage>
  );
}

/** Settings › Inboxes: the form that creates a chat widget inbox, then opens its settings (with the tag to copy). */
export function NewWidgetInbox() {
  const navigate = useNavigate();
  const create = useWrite((body: { name: string }) => send<SettingsInbox>('POST', '/inboxes', { channel: 'widget', name: body.name }), [qk.inboxes]);
  const nameId = useId();
  return (
    <form
      aria-label={t('widget.settings.create')}
      className={`${cls.card} mb-5 p-4`}
      onSubmit={(e) => {
        e.preventDefault();
        const name = new FormData(e.currentTarget).get('name');
        create.mutate({ name: String(name ?? '') }, { onSuccess: (inbox) => navigate(`/settings/inboxes/${inbox.id}/widget`) });
      }}
    >
      <div className="flex items-end gap-3">
        <div className="flex-1">
          <label className={cls.label} htmlFor={nameId}>
            {t('settings.inboxes.name')}
          </label>
          <input id={nameId} name="name" required className={cls.input} placeholder={t('widget.settings.namePlaceholder')} />
        </div>
        <button type="submit" className={cls.primary} disabled={create.isPending}>
          {t('widget.settings.create')}
        </button>
      </div>
      <ErrorNote error={create.error} />
    </form>
  );
}
