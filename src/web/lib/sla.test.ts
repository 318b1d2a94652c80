import { describe, expect, it } from 'vitest';
import { slaBadge, slaLines } from './sla';
import type { ConversationSla } from './types';

const now = Date.parse('2026-12-07T10:00:00Z');
const min = (n: number) => new Date(now + n * 60_000).toISOString();
const sla = (targets: ConversationSla['targets'], pausedAt: string | null = null): ConversationSla => ({ policy: { id: 'p', name: 'VIP' }, dueAt: null, pausedAt, targets });
const running = (due: number, warn: number) => ({ dueAt: min(due), warnAt: min(warn), status: 'running' as const, met: false, breached: false, remainingMinutes: due, stoppedAt: null });

describe('the SLA due badge', () => {
  it('says when the soonest reply is due, amber inside the warning window and red once breached', () => {
    expect(slaBadge({ status: 'open', sla: sla({ firstResponse: running(18, 3), resolution: running(600, 585) }) }, now)).toEqual({ label: 'Reply due in 18m', short: '18m', tone: 'calm', title: 'SLA policy: VIP' });
    expect(slaBadge({ status: 'open', sla: sla({ firstResponse: running(10, -5) }) }, now)?.tone).toBe('warn');
    expect(slaBadge({ status: 'open', sla: sla({ nextResponse: running(-125, -140) }) }, now)).toMatchObject({ label: 'Reply overdue by 2h', short: '2h late', tone: 'breached' });
    expect(slaBadge({ status: 'open', sla: sla({ resolution: running(90, 75) }) }, now)?.label).toBe('Solve due in 1h');
    // Within a minute of the due time: no count of seconds, and never "due in just now".
    expect(slaBadge({ status: 'open', sla: sla({ firstResponse: running(0.5, -0.25) }) }, now)).toMatchObject({ label: 'Reply due now', short: '<1m', tone: 'warn' });
    expect(slaBadge({ status: 'open', sla: sla({ firstResponse: running(-0.5, -0.75) }) }, now)).toMatchObject({ label: 'Reply overdue', short: 'late', tone: 'breached' });
  });

  it('shows paused clocks, and nothing when no target runs or no policy applies', () => {
    const paused = { dueAt: null, warnAt: null, status: 'paused' as const, met: false, breached: false, remainingMinutes: 50, stoppedAt: null };
    expect(slaBadge({ status: 'pending', sla: sla({ firstResponse: paused }, min(-30)) }, now)?.label).toBe('SLA paused');
    expect(slaBadge({ status: 'open', sla: sla({ firstResponse: { ...paused, status: 'met', met: true, remainingMinutes: null } }) }, now)).toBeNull();
    expect(slaBadge({ status: 'open', sla: null }, now)).toBeNull();
  });
});

describe('the SLA panel', () => {
  it('tells each target of the policy in order: met, missed by how much, due (amber from its warning, red past due) or paused', () => {
    const met = { dueAt: null, warnAt: null, status: 'met' as const, met: true, breached: false, remainingMinutes: 12, stoppedAt: min(-48) };
    const missed = { ...met, status: 'missed' as const, met: false, breached: true, remainingMinutes: -75 };
    const lines = slaLines(sla({ resolution: running(90, 75), firstResponse: met, nextResponse: missed }), now);
    expect(lines.map((l) => [l.name, l.tone])).toEqual([
      ['First reply', 'met'],
      ['Next reply', 'breached'],
      ['Resolution', 'calm'],
    ]);
    expect(lines[0].state).toMatch(/^Met at /);
    expect(lines[1].state).toBe('Missed by 1h');
    expect(lines[2].state).toMatch(/^Due .+, in 1h$/);
    expect(slaLines(sla({ firstResponse: running(-20, -35) }), now)[0]).toMatchObject({ tone: 'breached', state: expect.stringMatching(/, 20m ago$/) });
    expect(slaLines(sla({ firstResponse: running(10, -5) }), now)[0].tone).toBe('warn');
    const paused = { dueAt: null, warnAt: null, status: 'paused' as const, met: false, breached: false, remainingMinutes: 50, stoppedAt: null };
    expect(slaLines(sla({ firstResponse: paused }), now)[0].state).toBe('Paused, 50m left');
    expect(slaLines(null, now)).toEqual([]);
  });
});
