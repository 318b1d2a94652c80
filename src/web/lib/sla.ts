import { t } from '../i18n';
import { messageTime } from './time';
import type { Conversation, SlaTargetName } from './types';

/** How a due badge looks: calm, amber inside the warning window, red once breached. */
export type SlaTone = 'calm' | 'warn' | 'breached';

/** A span of time in the list's short units: 45s → "<1m", 18 minutes → "18m", 3 hours → "3h". */
function shortSpan(ms: number): string {
  const m = Math.floor(Math.abs(ms) / 60_000);
  if (m < 1) return t('time.underMinute');
  if (m < 60) return t('time.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('time.h', { n: h });
  return t('time.d', { n: Math.floor(h / 24) });
}

/**
 * The badge for a conversation's soonest running SLA target ("Reply due in 18m", on a phone
 * "18m"), or for paused clocks; null when no target runs.
 */
export function slaBadge(c: Pick<Conversation, 'sla' | 'status'>, now = Date.now()): { label: string; short: string; tone: SlaTone; title: string } | null {
  const sla = c.sla;
  if (!sla) return null;
  const running = (Object.entries(sla.targets) as [SlaTargetName, NonNullable<Conversation['sla']>['targets'][SlaTargetName]][])
    .filter(([, x]) => x?.status === 'running' && x.dueAt)
    .sort(([, a], [, b]) => new Date(a!.dueAt!).getTime() - new Date(b!.dueAt!).getTime());
  const title = sla.policy.name ? t('sla.policy', { name: sla.policy.name }) : '';
  if (!running.length) {
    return sla.pausedAt && c.status !== 'solved' && c.status !== 'closed' ? { label: t('sla.paused'), short: t('sla.pausedShort'), tone: 'calm', title } : null;
  }
  const [name, target] = running[0];
  const left = new Date(target!.dueAt!).getTime() - now;
  const solve = name === 'resolution';
  const time = shortSpan(left);
  // Within the minute either side of the due time there is no count worth saying: "due now", "overdue".
  const minute = Math.abs(left) < 60_000;
  if (left <= 0) {
    if (minute) return { label: t(solve ? 'sla.solveOverdueNow' : 'sla.replyOverdueNow'), short: t('sla.overdueShortNow'), tone: 'breached', title };
    return { label: t(solve ? 'sla.solveOverdue' : 'sla.replyOverdue', { time }), short: t('sla.overdueShort', { time }), tone: 'breached', title };
  }
  const warn = target!.warnAt !== null && new Date(target!.warnAt).getTime() <= now;
  if (minute) return { label: t(solve ? 'sla.solveDueNow' : 'sla.replyDueNow'), short: time, tone: warn ? 'warn' : 'calm', title };
  return { label: t(solve ? 'sla.solveDue' : 'sla.replyDue', { time }), short: time, tone: warn ? 'warn' : 'calm', title };
}

/** One line of the conversation's SLA panel: a target, where it stands, and how that looks. */
export interface SlaLine {
  target: SlaTargetName;
  name: string;
  state: string;
  tone: SlaTone | 'met';
}

const ORDER: SlaTargetName[] = ['firstResponse', 'nextResponse', 'resolution'];

/**
 * Every target of the conversation's policy and where it stands: met at a time, missed by
 * how much, due when (amber from its warning, red past due), or paused with what is left.
 */
export function slaLines(sla: Conversation['sla'], now = Date.now()): SlaLine[] {
  if (!sla) return [];
  return ORDER.flatMap((target): SlaLine[] => {
    const x = sla.targets[target];
    if (!x) return [];
    const name = t(`sla.target.${target}`);
    const left = Math.max(0, Math.round(x.remainingMinutes ?? 0)) * 60_000;
    if (x.status === 'met') return [{ target, name, state: x.stoppedAt ? t('sla.line.metAt', { time: messageTime(x.stoppedAt, new Date(now)) }) : t('sla.line.met'), tone: 'met' }];
    if (x.status === 'missed') return [{ target, name, state: t('sla.line.missed', { time: shortSpan(-(x.remainingMinutes ?? 0) * 60_000) }), tone: 'breached' }];
    if (x.status === 'paused' || !x.dueAt) return [{ target, name, state: t('sla.line.paused', { time: shortSpan(left) }), tone: 'calm' }];
    const until = new Date(x.dueAt).getTime() - now;
    const at = messageTime(x.dueAt, new Date(now));
    if (until <= 0) return [{ target, name, state: until > -60_000 ? t('sla.line.overdueNow', { at }) : t('sla.line.overdue', { at, time: shortSpan(until) }), tone: 'breached' }];
    const warn = x.warnAt !== null && new Date(x.warnAt).getTime() <= now;
    return [{ target, name, state: until < 60_000 ? t('sla.line.dueNow', { at }) : t('sla.line.due', { at, time: shortSpan(until) }), tone: warn ? 'warn' : 'calm' }];
  });
}
