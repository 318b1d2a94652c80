import { describe, expect, it } from 'vitest';
import { de } from './de';
import { en } from './en';
import { checkContact, chooseLocale, friendlyError, replyTimeKey, translator } from './index';

describe("the widget's language", () => {
  it("follows the browser's languages in order, falling back to English", () => {
    expect(chooseLocale(['de-DE', 'en'])).toBe('de');
    expect(chooseLocale(['fr-FR', 'de_AT'])).toBe('de');
    expect(chooseLocale(['EN-gb'])).toBe('en');
    expect(chooseLocale(['fr', 'it'])).toBe('en');
    expect(chooseLocale([])).toBe('en');
  });

  it('fills in the values, and every language has every string', () => {
    expect(translator('de')('typing.agent', { name: 'Ann' })).toBe('Ann schreibt…');
    expect(translator('xx')('launcher.unread', { n: 3 })).toBe('3 unread');
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it('says the usual reply time in round words', () => {
    expect(replyTimeKey(20)).toEqual({ key: 'status.replyMinute' });
    expect(replyTimeKey(4 * 60)).toEqual({ key: 'status.replyMinutes', n: 4 });
    expect(replyTimeKey(23 * 60)).toEqual({ key: 'status.replyMinutes', n: 25 });
    expect(replyTimeKey(70 * 60)).toEqual({ key: 'status.replyHour' });
    expect(replyTimeKey(5 * 3600)).toEqual({ key: 'status.replyHours', n: 5 });
    expect(replyTimeKey(30 * 3600)).toEqual({ key: 'status.replyDay' });
  });

  it("says what to fix in the visitor's language, never the server's field: reason", () => {
    const de = translator('de');
    const en = translator('en');
    const refused = (field: string, reason: string) => ({ status: 422, errors: [{ field, reason }], message: `${field}: ${reason}` });
    expect(friendlyError(de, refused('email', 'Invalid email address'))).toBe('Bitte geben Sie eine vollständige E-Mail-Adresse ein, z. B. name@beispiel.de.');
    expect(friendlyError(en, refused('email', 'Invalid email address'))).toBe('Please enter a complete e-mail address, like name@example.com.');
    expect(friendlyError(de, refused('phone', 'must be a phone number'))).toMatch(/^Bitte geben Sie eine Telefonnummer/);
    expect(friendlyError(en, refused('name', 'Too big: expected string to have <=200 characters'))).toBe('Your name is too long. Please shorten it.');
    expect(friendlyError(de, refused('intake.fields.order', 'must be at most 100 characters'), { order: 'Bestellnummer' })).toBe('Bestellnummer ist zu lang. Bitte kürzen Sie den Text.');
    expect(friendlyError(de, refused('intake.fields.order', 'is required'), { order: 'Bestellnummer' })).toBe('Bitte prüfen Sie: Bestellnummer.');
    expect(friendlyError(de, refused('text', 'Too big: expected string to have <=10000 characters'))).toMatch(/^Ihre Nachricht ist zu lang/);
    expect(friendlyError(de, refused('text', 'must not contain a NUL character'))).toBe('Bitte prüfen Sie: Ihre Nachricht.');
    expect(friendlyError(de, { status: 429, message: 'Too Many Requests' })).toMatch(/^Sie senden sehr schnell/);
    expect(friendlyError(en, { message: 'Failed to fetch' })).toBe(en('error.offline'));
  });

  it('checks an e-mail address and a phone number before anything is sent', () => {
    const de = translator('de');
    expect(checkContact(de, { email: 'ann@example' })).toMatch(/E-Mail-Adresse/);
    expect(checkContact(de, { email: 'ann at example.com' })).toMatch(/E-Mail-Adresse/);
    expect(checkContact(de, { email: ' ann@example.com ', name: 'Ann' })).toBeNull();
    expect(checkContact(de, { phone: 'call me' })).toMatch(/Telefonnummer/);
    expect(checkContact(de, { phone: '+49 (30) 123-4567' })).toBeNull();
  });
});
