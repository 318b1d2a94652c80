import { describe, expect, it } from 'vitest';
import { addAddresses, formatAddress, isEmailAddress, parseAddressInput, recipientFields, replyTarget } from './email';

describe('e-mail in the agent app', () => {
  it('formats addresses with their names', () => {
    expect(formatAddress({ address: 'maya@example.com', name: 'Maya Johnson' })).toBe('Maya Johnson <maya@example.com>');
    expect(formatAddress({ address: 'maya@example.com' })).toBe('maya@example.com');
    expect(formatAddress({ address: 'maya@example.com', name: 'MAYA@example.com' })).toBe('maya@example.com');
  });

  it('accepts e-mail addresses and refuses what is not one', () => {
    for (const ok of ['a@b.co', 'first.last+tag@sub.example.org']) expect(isEmailAddress(ok)).toBe(true);
    for (const bad of ['', 'maya', 'maya@', '@example.com', 'maya@example', 'a b@example.com', 'a@b.c', '<a@b.com>']) expect(isEmailAddress(bad)).toBe(false);
  });

  it('reads typed and pasted lists, with names, separators and duplicates', () => {
    expect(parseAddressInput('A@x.com, Bea Other <b@y.org>; c@z.net d@w.io\na@x.com')).toEqual({ valid: ['a@x.com', 'b@y.org', 'c@z.net', 'd@w.io'], invalid: [] });
    expect(parseAddressInput('ok@x.com, nope, also@bad')).toEqual({ valid: ['ok@x.com'], invalid: ['nope', 'also@bad'] });
    expect(parseAddressInput('  ')).toEqual({ valid: [], invalid: [] });
  });

  it('adds chips once each', () => {
    expect(addAddresses(['a@x.com'], ['A@x.com', 'b@y.org', 'b@y.org'])).toEqual(['a@x.com', 'b@y.org']);
  });

  it('replies where the customer last wrote from: their Reply-To, else From, else their address on file', () => {
    const mail = (contactId: string, from: string, replyTo?: string) => ({ direction: 'in', channel: 'email', contactId, email: { from: { address: from }, replyTo: replyTo ? [{ address: replyTo }] : undefined } });
    const msgs = [mail('c1', 'old@x.com'), mail('c1', 'new@x.com'), mail('c2', 'cc@y.org'), { direction: 'out', channel: 'email', contactId: null, email: { from: { address: 'support@acme.test' } } }];
    expect(replyTarget(msgs, 'c1')).toEqual({ address: 'new@x.com' });
    expect(replyTarget([...msgs, mail('c1', 'home@x.com', 'work@x.com')], 'c1')).toEqual({ address: 'work@x.com' });
    expect(replyTarget([], 'c1', ['file@x.com'], 'Maya')).toEqual({ address: 'file@x.com', name: 'Maya' });
    expect(replyTarget([], 'c1')).toBeNull();
  });

  it('sends only the e-mail fields that were chosen', () => {
    expect(recipientFields({ replyAll: false, cc: [], bcc: [] })).toEqual({});
    expect(recipientFields({ replyAll: true, cc: ['a@x.com'], bcc: ['b@y.org'] })).toEqual({ replyAll: true, cc: ['a@x.com'], bcc: ['b@y.org'] });
  });
});

describe('e-mail copy in the timeline', () => {
  it('says when people were added to or removed from copy', async () => {
    const { describeEvent } = await import('./events');
    const ev = (from: string[], to: string[], actorName: string | null) => ({ id: 'e', type: 'conversation.updated', actorMemberId: null, actorName, data: { changes: { participants: { from, to } } } });
    // As ingest records it: the contacts a mail brought in copy, counted.
    expect(describeEvent({ ...ev([], [], null), data: { changes: { participants: { added: ['c1'] } } } }, [], [])).toEqual(['Heard added someone in copy']);
    expect(describeEvent({ ...ev([], [], null), data: { changes: { participants: { added: ['c1', 'c2'] } } } }, [], [])).toEqual(['Heard added 2 people in copy']);
    // An agent's change names each person (events.test.ts has more).
    expect(describeEvent(ev(['c1'], ['c2'], 'Sam Rivera'), [], [], { c2: 'Wendy Wu' })).toEqual(['Sam Rivera added Wendy Wu as cc', 'Sam Rivera removed a customer from cc']);
  });
});
