/**
 * What the chat widget says until an admin words it, in each language it speaks. A workspace
 * that keeps these greets each visitor in their own language; words an admin changed are
 * shown as written (with the admin's own translations, if any). The server serves them; the
 * agent app shows them where a translation is left empty.
 */
export const WIDGET_DEFAULT_WORDS = {
  en: {
    greeting: 'Hi! Ask us anything, we usually reply within minutes.',
    offlineMessage: "We're away right now. Leave your e-mail address and we'll answer there.",
  },
  de: {
    greeting: 'Hallo! Fragen Sie uns alles, wir antworten meist innerhalb weniger Minuten.',
    offlineMessage: 'Wir sind gerade nicht da. Hinterlassen Sie Ihre E-Mail-Adresse, dann antworten wir Ihnen dort.',
  },
} as const;

type Words = { greeting: string; offlineMessage: string };

/**
 * The greeting and offline message a visitor in `locale` sees: the admin's translation, else
 * the built-in words in that language where the admin kept the default, else the admin's own.
 */
export function widgetWords(settings: Words & { translations?: Partial<Record<string, Partial<Words>>> }, locale: keyof typeof WIDGET_DEFAULT_WORDS): Words {
  const own = settings.translations?.[locale];
  const pick = (key: keyof Words) => own?.[key] || (settings[key] === WIDGET_DEFAULT_WORDS.en[key] ? WIDGET_DEFAULT_WORDS[locale][key] : settings[key]);
  return { greeting: pick('greeting'), offlineMessage: pick('offlineMessage') };
}
