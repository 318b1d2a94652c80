import { addBusinessMinutes, businessMinutesBetween, type Calendar } from '../../core/business-hours/calendar.js';
import { SLA_TARGETS, type SlaState, type SlaTarget, type SlaTargetState } from '../../db/schema/index.js';

/** A target as the clock needs it: its minutes, counted in a calendar's open hours or around the clock (null). */
export interface TargetClock {
  minutes: number;
  calendar: Calendar | null;
}

/** What happened to a conversation, as far as its service levels care, in the order it happened. */
export type SlaFact =
  | { at: Date; kind: 'created' }
  | { at: Date; kind: 'customer' }
  | { at: Date; kind: 'reply' }
  | { at: Date; kind: 'status'; to: 'open' | 'pending' | 'on_hold' | 'solved' | 'closed' };

/** Where a conversation's targets stand after its facts, and since when its clocks stand still. */
export interface SlaOutcome {
  state: SlaState;
  pausedAt: Date | null;
}

interface Clock {
  status: SlaTargetState['status'];
  remaining: number;
  since: Date | null;
  startedAt: Date;
  stoppedAt?: Date;
}

const PAUSED = new Set(['pending', 'on_hold']);
const DONE = new Set(['solved', 'closed']);

/**
 * Replays a conversation's facts against a policy's targets: first response runs from
 * creation to the first reply, next response from a customer message that follows a reply
 * to the next reply, resolution from creation to solved or closed (and on again if it is
 * reopened). Pending and on hold stop every running clock; open starts them again with
 * what was left. A pure function of its inputs, so running it twice, or on two nodes,
 * gives the same due times.
 */
export function computeSla(targets: Partial<Record<SlaTarget, TargetClock>>, facts: SlaFact[]): SlaOutcome {
  const clocks: Partial<Record<SlaTarget, Clock>> = {};
  let status: Extract<SlaFact, { kind: 'status' }>['to'] = 'open';
  let pausedAt: Date | null = null;
  let answered = false;

  const elapsed = (target: SlaTarget, a: Date, b: Date) => {
    const cal = targets[target]!.calendar;
    return cal ? businessMinutesBetween(cal, a, b) : (b.getTime() - a.getTime()) / 60_000;
  };
  const start = (target: SlaTarget, at: Date) => {
    if (!targets[target]) return;
    const idle = PAUSED.has(status) || DONE.has(status);
    clocks[target] = { status: idle ? 'paused' : 'running', remaining: targets[target].minutes, since: idle ? null : at, startedAt: at };
  };
  const spend = (c: Clock, target: SlaTarget, at: Date) => {
    if (c.status === 'running' && c.since) c.remaining -= elapsed(target, c.since, at);
    c.since = null;
  };
  const stop = (target: SlaTarget, at: Date) => {
    const c = clocks[target];
    if (!c || (c.status !== 'running' && c.status !== 'paused')) return;
    spend(c, target, at);
    c.status = c.remaining >= 0 ? 'met' : 'missed';
    c.stoppedAt = at;
  };
  const pause = (target: SlaTarget, at: Date) => {
    const c = clocks[target];
    if (c?.status !== 'running') return;
    spend(c, target, at);
    c.status = 'paused';
  };
  const resume = (target: SlaTarget, at: Date) => {
    const c = clocks[target];
    if (c?.status !== 'paused') return;
    c.status = 'running';
    c.since = at;
  };

  for (const f of facts) {
    if (f.kind === 'created') {
      start('firstResponse', f.at);
      start('resolution', f.at);
    } else if (f.kind === 'customer') {
      const waiting = clocks.nextResponse?.status === 'running' || clocks.nextResponse?.status === 'paused';
      if (answered && !waiting) start('nextResponse', f.at);
      answered = false;
    } else if (f.kind === 'reply') {
      stop('firstResponse', f.at);
      stop('nextResponse', f.at);
      answered = true;
    } else if (f.to !== status) {
      const was = status;
      status = f.to;
      if (DONE.has(f.to)) {
        stop('resolution', f.at);
        for (const t of ['firstResponse', 'nextResponse'] as const) pause(t, f.at);
      } else if (PAUSED.has(f.to)) {
        for (const t of SLA_TARGETS) pause(t, f.at);
      } else {
        // Reopened: resolution goes on with what it had left when it stopped.
        const r = clocks.resolution;
        if (r && DONE.has(was) && (r.status === 'met' || r.status === 'missed')) r.status = 'paused';
        for (const t of SLA_TARGETS) resume(t, f.at);
      }
      pausedAt = PAUSED.has(f.to) ? (PAUSED.has(was) ? pausedAt : f.at) : null;
    }
  }

  const state: SlaState = {};
  for (const target of SLA_TARGETS) {
    const c = clocks[target];
    if (!c) continue;
    let dueAt: Date | null = null;
    if (c.status === 'running' && c.since) {
      const cal = targets[target]!.calendar;
      // Overdue when it started again: due at once (business minutes cannot run backwards).
      if (!cal) dueAt = new Date(c.since.getTime() + c.remaining * 60_000);
      else dueAt = c.remaining > 0 ? addBusinessMinutes(cal, c.since, c.remaining) : c.since;
    }
    state[target] = {
      dueAt: dueAt?.toISOString() ?? null,
      status: c.status,
      remainingMinutes: Math.round(c.remaining * 100) / 100,
      startedAt: c.startedAt.toISOString(),
      ...(c.stoppedAt ? { stoppedAt: c.stoppedAt.toISOString() } : {}),
    };
  }
  return { state, pausedAt };
}
