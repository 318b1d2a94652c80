import { escapeHtml } from '../../core/html.js';
import type { catalog } from '../../helpcenter/i18n/index.js';

/** A consent link as requestConsent writes it. */
const LINK = /(https?:\/\/\S+\/feedback\/consent\/)[A-Za-z0-9_-]{43}/g;

/** The request as the customer gets it: what it is about, the link to the page that shows exactly what would appear, and that they may withdraw. */
export function consentMessage(t: ReturnType<typeof catalog>, url: string, c: { subject: string; number: number }) {
  const intro = t('consent.mail.intro', { subject: c.subject, number: c.number });
  const outro = t('consent.mail.outro');
  const text = [intro, url, outro].join('\n\n');
  const button = 'display:inline-block;padding:10px 18px;border:1px solid #c9ced6;border-radius:8px;background:#ffffff;color:#1c2024;text-decoration:none;font-weight:600';
  const html = [`<p>${escapeHtml(intro)}</p>`, `<p><a href="${escapeHtml(url)}" style="${button}">${escapeHtml(t('consent.mail.button'))}</a></p>`, `<p>${escapeHtml(outro)}</p>`].join('\n');
  return { text, html };
}

/** The request as the team sees it: the link's token is the customer's key to their answer, so it is left out. */
export const consentForTeam = (text: string) => text.replace(LINK, '$1…');
