import { describe, expect, it } from 'vitest';
import { deliveryFate, nextTryText, plainReason } from './delivery';

const now = Date.parse('2026-12-07T10:00:00Z');
const at = (s: number) => new Date(now + s * 1000).toISOString();

describe("a reply's delivery as the customer's fate", () => {
  it('tells sending, retrying (until its next try is due), failed, replaced and sent apart', () => {
    expect(deliveryFate({ deliveryStatus: 'queued', deliveryAttempts: 0, deliveryNextAt: null }, now)).toEqual({ state: 'sending', again: false });
    expect(deliveryFate({ deliveryStatus: 'queued', deliveryAttempts: 2, deliveryNextAt: at(30) }, now)).toEqual({ state: 'retrying', nextAt: at(30), attempts: 2 });
    // Its next try is due, or "retry now" was pressed: it is being sent again.
    expect(deliveryFate({ deliveryStatus: 'queued', deliveryAttempts: 2, deliveryNextAt: at(0) }, now)).toEqual({ state: 'sending', again: true });
    expect(deliveryFate({ deliveryStatus: 'failed', deliveryAttempts: 5, deliveryNextAt: null }, now)).toEqual({ state: 'failed', attempts: 5 });
    expect(deliveryFate({ deliveryStatus: 'failed', deliveryAttempts: 5, replacedById: 'm2' }, now)).toEqual({ state: 'replaced', byId: 'm2' });
    expect(deliveryFate({ deliveryStatus: 'sent', deliveryAttempts: 1 }, now)).toEqual({ state: 'sent' });
    expect(deliveryFate({ deliveryStatus: 'scheduled' }, now)).toEqual({ state: 'other' });
  });

  it('says what went wrong in words a person understands', () => {
    expect(plainReason('attempt 3: callback request failed: getaddrinfo ENOTFOUND hooks.gone.example')).toMatch(/host name could not be found/);
    expect(plainReason('gave up after 4 attempts: callback request failed: connect ECONNREFUSED 127.0.0.1:9')).toMatch(/refused the connection/);
    expect(plainReason('attempt 1: callback request failed: The operation was aborted due to timeout')).toMatch(/did not answer in time/);
    expect(plainReason('attempt 2: callback answered HTTP 503: Service Unavailable')).toBe('The receiving system had an error of its own (HTTP 503).');
    expect(plainReason('attempt 2: callback answered HTTP 401')).toMatch(/signature or credentials \(HTTP 401\)/);
    expect(plainReason('attempt 2: callback answered HTTP 404')).toMatch(/Nothing answers/);
    expect(plainReason('attempt 2: callback answered HTTP 422: bad')).toMatch(/rejected the reply \(HTTP 422\)/);
    expect(plainReason('callback request failed: hooks.example resolves to a private address (10.0.0.5)')).toMatch(/private network/);
    expect(plainReason("550 Can't send mail - all recipients were rejected: 550 5.1.1 <gone@example.org>: user unknown")).toMatch(/mail server refused/);
    expect(plainReason('no outgoing mail server: set SMTP_URL, or SMTP settings on the inbox')).toMatch(/No outgoing mail server/);
    expect(plainReason('something nobody foresaw')).toBe('The channel could not take the reply.');
    expect(plainReason(null)).toBe('The channel could not take the reply.');
  });

  it('counts the next try down while it is near', () => {
    expect(nextTryText(at(12.2), now)).toBe('in 13 s');
    expect(nextTryText(at(-3), now)).toBe('in 0 s');
    expect(nextTryText(at(150), now)).toBe('in 3 min');
    expect(nextTryText(at(7200), now)).toMatch(/^at /);
  });
});
