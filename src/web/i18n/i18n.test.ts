import { afterEach, describe, expect, it } from 'vitest';
import { reasonText } from '../settings/ui';
import { en } from './en';
import { browserLocale, getLocale, LOCALES, resolveLocale, setLocale, t, tn } from './index';

const placeholders = (s: string) => [...s.matchAll(/\{\{?(\w+(?:\.\w+)?)\}?\}/g)].map((m) => m[0]).sort();

describe("the agent app's languages", () => {
  afterEach(() => setLocale('en', 'auto'));

  for (const [code, { catalog }] of Object.entries(LOCALES)) {
    it(`${code} has every key of English, with the same {placeholders}, and nothing left empty`, () => {
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
      const differing = Object.entries(en)
        .filter(([key, text]) => placeholders(catalog[key as keyof typeof en]).join() !== placeholders(text).join())
        .map(([key]) => key);
      expect(differing).toEqual([]);
      expect(Object.entries(catalog).filter(([, text]) => !text.trim())).toEqual([]);
    });
  }

  it("follows the browser's languages in order when the member chose none", () => {
    expect(browserLocale(['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(browserLocale(['EN-gb'])).toBe('en');
    expect(browserLocale(['fr'])).toBe('en');
    expect(resolveLocale('auto', ['de-DE'])).toBe('de');
    expect(resolveLocale('en', ['de-DE'])).toBe('en');
    expect(resolveLocale('xx', ['fr'])).toBe('en');
  });

  it('t() and tn() speak the language set last, without a reload', () => {
    expect(t('nav.settings')).toBe('Settings');
    expect(setLocale('de')).toBe(true);
    expect(getLocale()).toBe('de');
    expect(t('nav.settings')).toBe('Einstellungen');
    expect(tn('view.count', 1, { count: 1 })).toBe('1 Gespräch');
    expect(tn('view.count', 3, { count: 3 })).toBe('3 Gespräche');
    expect(setLocale('de')).toBe(false);
  });

  it("words the server's common reasons for a refused field in German, and leaves English and unknown ones as they came", () => {
    expect(reasonText('Invalid email address')).toBe('Invalid email address');
    setLocale('de');
    expect(reasonText('Invalid email address')).toBe('ist keine E-Mail-Adresse');
    expect(reasonText('must be at least 8 characters')).toBe('braucht mindestens 8 Zeichen');
    expect(reasonText('Too big: expected string to have <=200 characters')).toBe('darf höchstens 200 Zeichen haben');
    expect(reasonText('is not your current password')).toBe('is not your current password');
  });
});
