import { t } from '../i18n';
import type { SettingsInbox } from './data';
import { Field, fieldError, Section, useSectionForm } from './EmailForm';
import { cls } from './ui';

/** An inbox's satisfaction survey: on or off, and how many minutes after solving it goes out. */
export function SatisfactionSection({ inbox, title, description }: { inbox: SettingsInbox; title?: string; description?: string }) {
  const s = inbox.satisfaction ?? { enabled: false, delayMinutes: 60 };
  const f = useSectionForm(inbox, { enabled: s.enabled, delayMinutes: String(s.delayMinutes) }, (v) => ({
    satisfaction: { enabled: v.enabled, delayMinutes: Number(v.delayMinutes) },
  }));
  return (
    <Section
      title={title ?? t('satisfaction.settings')}
      description={description ?? t('satisfaction.settingsHint')}
      onSubmit={f.save}
      saving={f.saving}
      saved={f.saved}
      dirty={f.dirty}
      error={f.error}
      fields={['satisfaction.enabled', 'satisfaction.delayMinutes']}
    >
      <label className="flex items-center gap-2 text-sm text-ink">
        <input type="checkbox" checked={f.value.enabled} onChange={(e) => f.set({ enabled: e.target.checked })} />
        {t('satisfaction.enabled')}
      </label>
      <Field label={t('satisfaction.delay')} hint={t('satisfaction.delayHint')} error={fieldError(f.error, 'satisfaction.delayMinutes')} className="max-w-xs">
        {(p) => <input {...p} type="number" min={0} max={10080} step={1} required className={cls.input} value={f.value.delayMinutes} onChange={(e) => f.set({ delayMinutes: e.target.value })} />}
      </Field>
    </Section>
  );
}
