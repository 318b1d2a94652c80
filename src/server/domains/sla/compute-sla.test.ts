import { describe, expect, it } from 'vitest';
import type { Calendar } from '../../core/business-hours/calendar.js';
import { computeSla, type SlaFact } from './compute-sla.js';

const nineToFive = { from: '09:00', to: '17:00' };
const berlin: Calendar = {
  timeZone: 'Europe/Berlin',
  hours: { mon: [nineToFive], tue: [nineToFive], wed: [nineToFive], thu: [nineToFive], fri: [nineToFive] },
};
const at = (s: string) => new Date(s);
// Friday 2026-12-04 16:50 in Berlin (UTC+1).
const fridayLate: SlaFact = { at: at('2026-12-04T15:50:00Z'), kind: 'created' };

describe('SLA clocks', () => {
  it('puts a 30-minute business-hours first response of a Friday 16:50 conversation on Monday 09:20, Tuesday with a holiday Monday', () => {
    expect(computeSla({ firstResponse: { minutes: 30, calendar: berlin } }, [fridayLate]).state.firstResponse?.dueAt).toBe('2026-12-07T08:20:00.000Z');
    const holiday = { ...berlin, holidays: [{ date: '2026-12-07' }] };
    expect(computeSla({ firstResponse: { minutes: 30, calendar: holiday } }, [fridayLate]).state.firstResponse?.dueAt).toBe('2026-12-08T08:20:00.000Z');
  });

  it('counts calendar-hour targets around the clock, weekend included', () => {
    const { state } = computeSla({ firstResponse: { minutes: 30, calendar: null }, resolution: { minutes: 24 * 60, calendar: null } }, [fridayLate]);
    expect(state.firstResponse?.dueAt).toBe('2026-12-04T16:20:00.000Z');
    expect(state.resolution?.dueAt).toBe('2026-12-05T15:50:00.000Z');
  });

  it('does not count two hours pending: the due time moves by exactly that, and the clocks pause while pending', () => {
    const created: SlaFact = { at: at('2026-12-01T09:00:00Z'), kind: 'created' };
    const pending: SlaFact = { at: at('2026-12-01T09:10:00Z'), kind: 'status', to: 'pending' };
    const targets = { firstResponse: { minutes: 60, calendar: null }, resolution: { minutes: 240, calendar: null } };
    const paused = computeSla(targets, [created, pending]);
    expect(paused.state.firstResponse).toMatchObject({ status: 'paused', dueAt: null, remainingMinutes: 50 });
    expect(paused.pausedAt?.toISOString()).toBe('2026-12-01T09:10:00.000Z');
    const resumed = computeSla(targets, [created, pending, { at: at('2026-12-01T11:10:00Z'), kind: 'status', to: 'open' }]);
    expect(resumed.state.firstResponse).toMatchObject({ status: 'running', dueAt: '2026-12-01T12:00:00.000Z' });
    expect(resumed.state.resolution?.dueAt).toBe('2026-12-01T15:00:00.000Z');
    expect(resumed.pausedAt).toBeNull();
  });

  it('pauses business-hours targets by business minutes: pending over a weekend costs nothing', () => {
    const facts: SlaFact[] = [
      { at: at('2026-12-04T15:00:00Z'), kind: 'created' }, // Friday 16:00 Berlin
      { at: at('2026-12-04T15:30:00Z'), kind: 'status', to: 'on_hold' }, // 30 business minutes spent
      { at: at('2026-12-07T09:00:00Z'), kind: 'status', to: 'open' }, // Monday 10:00
    ];
    expect(computeSla({ firstResponse: { minutes: 60, calendar: berlin } }, facts).state.firstResponse?.dueAt).toBe('2026-12-07T09:30:00.000Z');
  });

  it('meets first response with a reply in time, starts next response at the customer’s next message, and stops resolution when solved', () => {
    const targets = { firstResponse: { minutes: 60, calendar: null }, nextResponse: { minutes: 30, calendar: null }, resolution: { minutes: 600, calendar: null } };
    const facts: SlaFact[] = [
      { at: at('2026-12-01T09:00:00Z'), kind: 'created' },
      { at: at('2026-12-01T09:00:00Z'), kind: 'customer' },
      { at: at('2026-12-01T09:40:00Z'), kind: 'reply' },
      { at: at('2026-12-01T10:00:00Z'), kind: 'customer' },
      { at: at('2026-12-01T10:05:00Z'), kind: 'customer' },
    ];
    const { state } = computeSla(targets, facts);
    expect(state.firstResponse).toMatchObject({ status: 'met', stoppedAt: '2026-12-01T09:40:00.000Z' });
    // The clock runs from the first unanswered message.
    expect(state.nextResponse).toMatchObject({ status: 'running', dueAt: '2026-12-01T10:30:00.000Z' });
    const late = computeSla(targets, [...facts, { at: at('2026-12-01T10:45:00Z'), kind: 'reply' }, { at: at('2026-12-01T11:00:00Z'), kind: 'status', to: 'solved' }]).state;
    expect(late.nextResponse?.status).toBe('missed');
    expect(late.resolution).toMatchObject({ status: 'met', stoppedAt: '2026-12-01T11:00:00.000Z' });
  });

  it('goes on with what resolution had left when a solved conversation is reopened', () => {
    const facts: SlaFact[] = [
      { at: at('2026-12-01T09:00:00Z'), kind: 'created' },
      { at: at('2026-12-01T10:00:00Z'), kind: 'status', to: 'solved' },
      { at: at('2026-12-02T10:00:00Z'), kind: 'customer' },
      { at: at('2026-12-02T10:00:00Z'), kind: 'status', to: 'open' },
    ];
    expect(computeSla({ resolution: { minutes: 120, calendar: null } }, facts).state.resolution).toMatchObject({ status: 'running', dueAt: '2026-12-02T11:00:00.000Z' });
  });
});
