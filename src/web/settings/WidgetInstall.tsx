import { useState } from 'react';
import { t } from '../i18n';
import type { SettingsInbox } from './data';
import { cls, InboxSecret } from './ui';

/** A chat widget inbox's settings as GET /inboxes returns them; the identity secret only for admins. */
export interface WidgetInboxSettings {
  publicKey: string;
  identitySecret?: string;
  color: string;
  greeting: string;
  offlineMessage: string;
  /** The greeting and offline message per visitor language; empty or absent: the text above. */
  translations?: Partial<Record<WidgetLanguage, { greeting?: string; offlineMessage?: string }>>;
  showTeamId?: string | null;
  /** The business-hours calendar the widget is open in; none: always open. */
  businessHoursId?: string | null;
  preChat: { field: 'name' | 'email' | 'phone'; required: boolean }[];
  allowedOrigins: string[];
  requireVerification: boolean;
}
/** The languages the chat widget speaks (src/widget/i18n), each named in the app's language. */
export const WIDGET_LANGUAGES = { en: 'hc.lang.english', de: 'hc.lang.german' } as const;
export type WidgetLanguage = keyof typeof WIDGET_LANGUAGES;
export type WidgetInbox = SettingsInbox & { widget?: WidgetInboxSettings };

export const STUB = `<script>window.Heard=window.Heard||{q:[]};['identify','open','close','on'].forEach(function(m){Heard[m]=Heard[m]||function(){Heard.q.push([m,[].slice.call(arguments)])}})</script>`;

function Copyable({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex items-start gap-2">
      <code aria-label={label} className="flex-1 rounded-md bg-canvas px-2 py-1.5 font-mono text-xs break-all select-all">
        {text}
      </code>
      <button
        type="button"
        className={cls.secondary}
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => setCopied(true));
        }}
      >
        {copied ? t('widget.settings.copied') : t('widget.settings.copy')}
      </button>
    </div>
  );
}

/** The tag to paste into the site, with this server's real address, and the stub for calling Heard.* before the script loads. */
export function WidgetSnippet({ widget }: { widget: WidgetInboxSettings }) {
  const tag = `<script src="${window.location.origin}/widget.js" data-inbox="${widget.publicKey}" async></script>`;
  return (
    <section aria-labelledby="widget-install" className={`${cls.card} mb-5 p-4`}>
      <h2 id="widget-install" className="font-semibold text-ink">
        {t('widget.settings.install')}
      </h2>
      <p className="mt-1 mb-3 text-sm text-ink-2">{t('widget.settings.installHint')}</p>
      <Copyable label={t('widget.settings.snippet')} text={tag} />
      <p className="mt-3 mb-2 text-sm text-ink-2">{t('widget.settings.apiHint')}</p>
      <Copyable label={t('widget.settings.stub')} text={STUB} />
    </section>
  );
}

/** For admins: the identity secret (shown on demand, rotatable) and how a site computes the hash for Heard.identify. */
export function IdentitySecret({ inbox, widget }: { inbox: SettingsInbox; widget: WidgetInboxSettings }) {
  const [shown, setShown] = useState(false);
  if (!widget.identitySecret) return null;
  const secret = shown ? widget.identitySecret : 'YOUR_IDENTITY_SECRET';
  const examples: [string, string][] = [
    [t('widget.settings.identifyExample'), `Heard.identify({ id: "42", email: "ann@example.com", name: "Ann Lee", hash: "<hash from your server>" });`],
    [t('widget.settings.nodeExample'), `require('node:crypto').createHmac('sha256', '${secret}').update(String(user.id)).digest('hex')`],
    [t('widget.settings.phpExample'), `hash_hmac('sha256', (string) $user->id, '${secret}')`],
  ];
  return (
    <div className="mt-4">
      <div className="mb-1 text-sm font-medium text-ink-2">{t('widget.settings.secret')}</div>
      <InboxSecret inboxId={inbox.id} value={widget.identitySecret} label={t('widget.settings.secretOf', { name: inbox.name })} shown={shown} setShown={setShown} />
      <p className="mt-3 text-sm text-ink-2">{t('widget.settings.hashHow')}</p>
      <dl className="mt-2 space-y-2">
        {examples.map(([label, code]) => (
          <div key={label}>
            <dt className="text-xs font-semibold text-ink-3">{label}</dt>
            <dd>
              <code className="block rounded-md bg-canvas px-2 py-1.5 font-mono text-xs break-all">{code}</code>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
