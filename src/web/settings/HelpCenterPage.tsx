import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type MessageKey, t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { HELP_LANGUAGES, HELP_LOCALES, type HelpCenter, helpCenterAddress, helpCenterKey, type HelpLanguage, type HelpLocale, type Topic, useHelpCenter } from '../lib/help-center';
import { ExternalLink } from '../kb/ui';
import { qk } from '../lib/queries';
import { useSettingsInboxes } from './data';
import { Field, fieldError, Section } from './EmailForm';
import { SatisfactionSection } from './SatisfactionSection';
import { addTopic, removeTopic, renameTopic } from './topics';
import { cls, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, Switch, useIsAdmin } from './ui';

type HelpCenterPatch = Partial<Pick<HelpCenter, 'slug' | 'title' | 'published' | 'color' | 'footer' | 'locale' | 'language' | 'portalInboxId' | 'topics' | 'communityEnabled'>>;

/** PATCH /help-center; the answer is the help center as saved, which every page showing it gets at once. */
function useSaveHelpCenter() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: HelpCenterPatch) => api<HelpCenter>('/help-center', { method: 'PATCH', body: patch }),
    onSuccess: (hc, patch) => {
      qc.setQueryData(helpCenterKey, hc);
      // Publishing makes the contact form's portal inbox when there is none.
      if (patch.published) void qc.invalidateQueries({ queryKey: qk.inboxes });
    },
  });
}

/** A section's form: its values, whether they differ from the saved ones, and saving them. */
function useHelpCenterForm<T>(initial: T, toPatch: (v: T) => HelpCenterPatch) {
  const [value, setValue] = useState(initial);
  const [saved, setSaved] = useState(false);
  const initialJson = JSON.stringify(initial);
  const [base, setBase] = useState(initialJson);
  if (base !== initialJson) {
    setBase(initialJson);
    setValue(initial);
  }
  const write = useSaveHelpCenter();
  const set = (patch: Partial<T>) => {
    setSaved(false);
    setValue((v) => ({ ...v, ...patch }));
  };
  const save = () => write.mutate(toPatch(value), { onSuccess: () => setSaved(true) });
  return { value, set, dirty: JSON.stringify(value) !== initialJson, save, saving: write.isPending, saved, error: write.error };
}

/** The published switch, applied at once, with what publishing means and where customers find the help center. */
function Publishing({ hc }: { hc: HelpCenter }) {
  const admin = useIsAdmin();
  const write = useSaveHelpCenter();
  const labelId = useId();
  const on = hc.published;
  return (
    <section aria-labelledby={labelId} className={`${cls.card} mb-5 p-4`}>
      <div className="flex items-start gap-4">
        <div className="min-w-0 flex-1">
          <h2 id={labelId} className="font-semibold text-ink">
            {t('hc.publish.title')}
          </h2>
          <p className="mt-1 text-sm text-ink-2">{on ? t('hc.publish.on') : t('hc.publish.off')}</p>
          <p className="mt-2 text-sm text-ink-2">
            {t('hc.publish.at')}{' '}
            <ExternalLink href={`/help/${hc.slug}`} className="font-mono text-[13px] break-all text-accent underline">
              {hc.url}
            </ExternalLink>
          </p>
        </div>
        <Switch on={on} label={t('hc.publish.switch')} disabled={!admin || write.isPending} onChange={(published) => write.mutate({ published })}>
          <span>{t('hc.publish.switch')}</span>
        </Switch>
      </div>
      <ErrorNote error={write.error} />
    </section>
  );
}

function LookSection({ hc }: { hc: HelpCenter }) {
  const f = useHelpCenterForm({ title: hc.title, slug: hc.slug, color: hc.color, footer: hc.footer }, (v) => ({ title: v.title.trim(), slug: v.slug.trim(), color: v.color, footer: v.footer }));
  const colorText = useId();
  const url = helpCenterAddress(hc, f.value.slug.trim() || hc.slug);
  return (
    <Section title={t('hc.look.title')} onSubmit={f.save} saving={f.saving} saved={f.saved} dirty={f.dirty} error={f.error} fields={['title', 'slug', 'color', 'footer']}>
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('hc.field.title')} error={fieldError(f.error, 'title')}>
          {(p) => <input {...p} required maxLength={120} className={cls.input} value={f.value.title} onChange={(e) => f.set({ title: e.target.value })} />}
        </Field>
        <Field label={t('hc.field.slug')} hint={t('hc.field.slugHint')} error={fieldError(f.error, 'slug')}>
          {(p) => (
            <div className="flex items-stretch">
              <span className="flex items-center rounded-l-md border border-r-0 border-line bg-hover px-2 font-mono text-[13px] text-ink-2">/help/</span>
              <input
                {...p}
                required
                minLength={2}
                maxLength={60}
                pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?"
                className={`${cls.input} rounded-l-none font-mono`}
                value={f.value.slug}
                onChange={(e) => f.set({ slug: e.target.value.toLowerCase() })}
              />
            </div>
          )}
        </Field>
      </div>
      <p className="text-sm text-ink-2">
        {t('hc.field.url')} <output className="font-mono text-[13px] break-all text-ink">{url}</output>
      </p>
      <Field label={t('hc.field.color')} hint={t('hc.field.colorHint')} error={fieldError(f.error, 'color')} className="max-w-xs">
        {(p) => (
          <div className="flex items-center gap-2">
            <input {...p} type="color" className="h-8 w-10 shrink-0 cursor-pointer rounded border border-line bg-canvas" value={/^#[0-9a-f]{6}$/i.test(f.value.color) ? f.value.color : '#000000'} onChange={(e) => f.set({ color: e.target.value })} />
            <input id={colorText} aria-label={t('hc.field.colorHex')} className={`${cls.input} font-mono`} required pattern="#[0-9a-fA-F]{6}" value={f.value.color} onChange={(e) => f.set({ color: e.target.value.trim() })} />
          </div>
        )}
      </Field>
      <Field label={t('hc.field.footer')} hint={t('hc.field.footerHint')} error={fieldError(f.error, 'footer')}>
        {(p) => <textarea {...p} rows={3} maxLength={5000} className={`${cls.input} font-mono text-[13px]`} value={f.value.footer} onChange={(e) => f.set({ footer: e.target.value })} />}
      </Field>
    </Section>
  );
}

const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/** The logo (POST/DELETE /help-center/logo), applied at once, with a preview. */
function Logo({ hc }: { hc: HelpCenter }) {
  const admin = useIsAdmin();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const done = { onSuccess: (next: HelpCenter) => qc.setQueryData(helpCenterKey, next) };
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api<HelpCenter>('/help-center/logo', { method: 'POST', form });
    },
    ...done,
  });
  const remove = useMutation({ mutationFn: () => api<HelpCenter>('/help-center/logo', { method: 'DELETE' }), ...done });
  return (
    <section aria-labelledby="hc-logo" className={`${cls.card} mb-5 p-4`}>
      <h2 id="hc-logo" className="font-semibold text-ink">
        {t('hc.logo.title')}
      </h2>
      <div className="mt-3 flex flex-wrap items-center gap-4">
        <div className="flex h-16 w-48 items-center justify-center rounded-md border border-line bg-canvas p-2">
          {hc.logoUrl ? <img src={hc.logoUrl} alt={t('hc.logo.alt')} className="max-h-full max-w-full object-contain" /> : <span className="px-2 text-center text-xs text-ink-3">{t('hc.logo.none')}</span>}
        </div>
        {admin && (
          <div className="flex flex-wrap gap-2">
            <input
              ref={input}
              type="file"
              accept={LOGO_TYPES.join(',')}
              aria-label={t('hc.logo.choose')}
              className="hidden"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                setProblem(null);
                if (!LOGO_TYPES.includes(file.type)) return setProblem(`${file.name}: ${t('hc.logo.hint')}`);
                if (file.size > 1024 * 1024) return setProblem(`${file.name}: ${t('hc.logo.hint')}`);
                upload.mutate(file);
              }}
            />
            <button type="button" className={cls.secondary} disabled={upload.isPending} onClick={() => input.current?.click()}>
              {hc.logoUrl ? t('hc.logo.replace') : t('hc.logo.upload')}
            </button>
            {hc.logoUrl && (
              <button type="button" className={cls.danger} disabled={remove.isPending} onClick={() => remove.mutate()}>
                {t('hc.logo.remove')}
              </button>
            )}
          </div>
        )}
      </div>
      <p className="mt-2 text-xs text-ink-3">{t('hc.logo.hint')}</p>
      {problem && (
        <p role="alert" className="mt-2 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
          {problem}
        </p>
      )}
      <ErrorNote error={upload.error ?? remove.error} />
    </section>
  );
}

function LanguageSection({ hc }: { hc: HelpCenter }) {
  const f = useHelpCenterForm({ locale: hc.locale, language: hc.language }, (v) => v);
  return (
    <Section title={t('hc.language.title')} onSubmit={f.save} saving={f.saving} saved={f.saved} dirty={f.dirty} error={f.error} fields={['locale', 'language']}>
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('hc.field.locale')} hint={t('hc.field.localeHint')} error={fieldError(f.error, 'locale')}>
          {(p) => (
            <select {...p} className={`${cls.select} w-full`} value={f.value.locale} onChange={(e) => f.set({ locale: e.target.value as HelpLocale })}>
              {HELP_LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {t(`hc.locale.${l}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('hc.field.language')} hint={t('hc.field.languageHint')} error={fieldError(f.error, 'language')}>
          {(p) => (
            <select {...p} className={`${cls.select} w-full`} value={f.value.language} onChange={(e) => f.set({ language: e.target.value as HelpLanguage })}>
              {HELP_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`hc.lang.${l}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
    </Section>
  );
}

function CommunitySection({ hc }: { hc: HelpCenter }) {
  const f = useHelpCenterForm({ communityEnabled: hc.communityEnabled }, (v) => v);
  return (
    <Section title={t('hc.community.title')} description={t('hc.community.hint')} onSubmit={f.save} saving={f.saving} saved={f.saved} dirty={f.dirty} error={f.error} fields={['communityEnabled']}>
      <label className="flex items-center gap-2 text-sm text-ink">
        <input type="checkbox" checked={f.value.communityEnabled} onChange={(e) => f.set({ communityEnabled: e.target.checked })} />
        {t('hc.community.toggle')}
      </label>
    </Section>
  );
}

/** The contact form: the portal inbox it writes to, and the topics customers choose from. */
function ContactSection({ hc }: { hc: HelpCenter }) {
  const inboxes = (useSettingsInboxes().data ?? []).filter((i) => i.channel === 'portal' && (!i.archived || i.id === hc.portalInboxId));
  const f = useHelpCenterForm({ portalInboxId: hc.portalInboxId ?? '', topics: hc.topics }, (v) => ({
    portalInboxId: v.portalInboxId || null,
    topics: v.topics.map((tp) => ({ id: tp.id, name: tp.name.trim() })),
  }));
  const [name, setName] = useState('');
  const saved = new Set(hc.topics.map((tp) => tp.id));
  const topicFields = f.error instanceof ApiError ? f.error.errors.map((e) => e.field.replace(/^body\./, '')).filter((x) => x.startsWith('topics')) : [];
  const topicsError = topicFields.map((x) => fieldError(f.error, x)).find(Boolean);
  const add = () => {
    f.set({ topics: addTopic(f.value.topics, name) });
    setName('');
  };
  const setTopics = (topics: Topic[]) => f.set({ topics });
  const newId = useId();
  return (
    <Section
      title={t('hc.contact.title')}
      description={t('hc.contact.description')}
      onSubmit={f.save}
      saving={f.saving}
      saved={f.saved}
      dirty={f.dirty}
      error={f.error}
      fields={['portalInboxId', ...topicFields]}
    >
      <Field label={t('hc.field.inbox')} error={fieldError(f.error, 'portalInboxId')} className="max-w-md">
        {(p) => (
          <select {...p} className={`${cls.select} w-full`} value={f.value.portalInboxId} onChange={(e) => f.set({ portalInboxId: e.target.value })}>
            <option value="">{t('hc.inbox.auto')}</option>
            {inboxes.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div>
        <h3 className={cls.label}>{t('hc.field.topics')}</h3>
        <p className="mb-2 text-xs text-ink-3">{t('hc.field.topicsHint')}</p>
        {f.value.topics.length === 0 ? (
          <p className="mb-2 text-sm text-ink-3">{t('hc.topic.empty')}</p>
        ) : (
          <ul className="mb-2 space-y-1.5">
            {f.value.topics.map((tp, i) => (
              <li key={i} className="flex items-center gap-2">
                <input
                  aria-label={t('hc.topic.nameOf', { id: tp.id })}
                  required
                  maxLength={100}
                  className={`${cls.input} max-w-sm`}
                  value={tp.name}
                  onChange={(e) => setTopics(renameTopic(f.value.topics, i, e.target.value, saved))}
                />
                <code className="min-w-0 truncate font-mono text-xs text-ink-3">{t('hc.topic.id', { id: tp.id })}</code>
                <span className="flex-1" />
                <button type="button" className={cls.secondary} aria-label={t('hc.topic.removeWho', { name: tp.name })} onClick={() => setTopics(removeTopic(f.value.topics, i))}>
                  {t('hc.topic.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="flex items-center gap-2">
          <label htmlFor={newId} className="sr-only">
            {t('hc.topic.new')}
          </label>
          <input
            id={newId}
            maxLength={100}
            placeholder={t('hc.topic.new')}
            className={`${cls.input} max-w-sm`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e: KeyboardEvent) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              add();
            }}
          />
          <button type="button" className={cls.secondary} disabled={!name.trim()} onClick={add}>
            {t('hc.topic.add')}
          </button>
        </div>
        {topicsError && <p className="mt-1 text-xs text-danger">{topicsError}</p>}
      </div>
    </Section>
  );
}

/** The satisfaction survey of the portal inbox (the contact form's and the portal's conversations), as e-mail and widget inboxes have it. */
function PortalSurveySection({ hc }: { hc: HelpCenter }) {
  const inboxes = useSettingsInboxes().data;
  if (!inboxes) return null;
  const inbox = inboxes.find((i) => i.id === hc.portalInboxId);
  if (!inbox)
    return (
      <section aria-labelledby="hc-survey" className={`${cls.card} mb-5 p-4`}>
        <h2 id="hc-survey" className="font-semibold text-ink">
          {t('hc.survey.title')}
        </h2>
        <p className="mt-1 text-sm text-ink-2">{t('hc.survey.noInbox')}</p>
      </section>
    );
  return <SatisfactionSection key={inbox.id} inbox={inbox} title={t('hc.survey.title')} description={t('hc.survey.hint', { name: inbox.name })} />;
}

/**
 * Settings › Help center: publishing, address and look, logo, language, the community, the
 * contact form, the portal's satisfaction survey. Admins change it; agents read it.
 */
export default function HelpCenterPage() {
  const admin = useIsAdmin();
  const q = useHelpCenter();
  const hc = q.data;
  return (
    <SettingsPage title={t('hc.title')} description={t('hc.description')}>
      {!admin && <ReadOnlyNote />}
      <LoadState error={q.error} loading={q.isPending} />
      {hc && (
        <>
          {!hc.canSendMail && (
            <div role="note" className="mb-5 rounded-lg border border-note-line bg-note px-4 py-3 text-sm text-ink">
              <p className="font-medium">{t('hc.noMail')}</p>
              <Link to="/settings/inboxes" className="mt-1 inline-block text-accent underline">
                {t('hc.noMailLink')}
              </Link>
            </div>
          )}
          <Publishing hc={hc} />
          <LookSection hc={hc} />
          <Logo hc={hc} />
          <LanguageSection hc={hc} />
          <CommunitySection hc={hc} />
          <ContactSection hc={hc} />
          <PortalSurveySection hc={hc} />
        </>
      )}
    </SettingsPage>
  );
}
