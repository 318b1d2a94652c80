import { describe, expect, it } from 'vitest';
import { draftKey, draftToRestore, parseDraft, serializeDraft } from './draft';

describe('the contact form’s draft', () => {
  it('keeps filled-in fields only, and nothing when all are empty', () => {
    const s = serializeDraft({ name: 'Tom', email: '', subject: 'GPS keeps rebooting', message: '  ' });
    expect(JSON.parse(s!)).toEqual({ name: 'Tom', subject: 'GPS keeps rebooting' });
    expect(serializeDraft({ name: '', message: ' ' })).toBeNull();
  });

  it('reads back only known fields of a stored draft, and nothing from garbage', () => {
    expect(parseDraft('{"name":"Tom","topic":"app","evil":"x","message":5}')).toEqual({ name: 'Tom', topic: 'app' });
    expect(parseDraft('not json')).toEqual({});
    expect(parseDraft('[1,2]')).toEqual({});
    expect(parseDraft('null')).toEqual({});
    expect(parseDraft(null)).toEqual({});
  });

  it('fills only the fields the page left empty', () => {
    const draft = { name: 'Tom', email: 'tom@example.org', subject: 'E-17', message: 'It restarts.' };
    expect(draftToRestore(draft, { name: '', email: 'signed.in@example.org', subject: 'From the link', message: '' })).toEqual({ name: 'Tom', message: 'It restarts.' });
  });

  it('is kept per form address', () => {
    expect(draftKey('/help/acme/contact')).not.toBe(draftKey('/help/other/contact'));
  });
});
