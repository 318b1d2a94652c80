import { type MessageKey, t } from '../i18n';
import { type BusinessHours, type OpenInterval, SLA_TARGETS, type SlaPolicy, type Weekday, WEEKDAYS } from './data';

// How the business-hours and SLA settings pages write durations, opening hours and policies in words.

/** Minutes as people say them: 15m, 2h, 1h 30m (hours, not days: a business-hours "day" is not 24 hours). */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return `${m}m`;
  return m ? `${h}h ${m}m` : `${h}h`;
}

/**
 * A duration typed by a person: "1h 30m", "1h30", "90m", "2 hours", or a bare number of
 * minutes. Blank is null (not tracked); anything else it cannot read is undefined.
 */
export function parseDuration(text: string): number | null | undefined {
  const s = text.trim().toLowerCase();
  if (!s) return null;
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*(?:m(?:in(?:ute)?s?)?)?)?$/.exec(s);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

const range = (r: OpenInterval) => `${r.from}–${r.to}`;
const dayShort = (d: Weekday) => t(`day.short.${d}` as MessageKey);

/** A week's opening hours in one line: days with the same hours grouped, "Mon–Fri 09:00–17:00 · Sat 10:00–14:00". */
export function hoursSummary(hours: BusinessHours['hours']): string {
  const key = (d: Weekday) => (hours[d] ?? []).map(range).join(', ');
  const groups: { from: Weekday; to: Weekday; text: string }[] = [];
  for (const d of WEEKDAYS) {
    const text = key(d);
    if (!text) continue;
    const last = groups.at(-1);
    if (last && last.text === text && WEEKDAYS.indexOf(last.to) === WEEKDAYS.indexOf(d) - 1) last.to = d;
    else groups.push({ from: d, to: d, text });
  }
  if (!groups.length) return t('settings.hours.neverOpen');
  return groups.map((g) => `${dayShort(g.from)}${g.to !== g.from ? `–${dayShort(g.to)}` : ''} ${g.text}`).join(' · ');
}

/** Names for the ids a policy mentions: what the settings pages already loaded. */
export interface Names {
  inboxes: { id: string; name: string }[];
  teams: { id: string; name: string }[];
  calendars: { id: string; name: string }[];
}

const nameOf = (list: { id: string; name: string }[], id: string) => list.find((x) => x.id === id)?.name ?? '?';
const either = (xs: string[]) => xs.join(t('settings.sla.or'));

/** What a policy's conditions cover, in words; "Every conversation" when it has none. */
export function conditionsSummary(c: SlaPolicy['conditions'], names: Names): string[] {
  const parts: string[] = [];
  if (c.inboxIds?.length) parts.push(t('settings.sla.sum.inbox', { list: either(c.inboxIds.map((id) => nameOf(names.inboxes, id))) }));
  if (c.teamIds?.length) parts.push(t('settings.sla.sum.team', { list: either(c.teamIds.map((id) => nameOf(names.teams, id))) }));
  if (c.priorities?.length) parts.push(t('settings.sla.sum.priority', { list: either(c.priorities.map((p) => t(`priority.${p}`).toLowerCase())) }));
  if (c.tags?.length) parts.push(t('settings.sla.sum.tags', { list: either(c.tags) }));
  if (c.contactAttribute) parts.push(t('settings.sla.sum.contact', { key: c.contactAttribute.key, value: String(c.contactAttribute.value) }));
  return parts.length ? parts : [t('settings.sla.sum.everyConversation')];
}

/** Each target a policy tracks: "First reply 15m (business hours: Berlin office)". */
export function targetsSummary(targets: SlaPolicy['targets'], names: Names): string[] {
  const parts = SLA_TARGETS.flatMap((target) => {
    const spec = targets[target];
    if (!spec) return [];
    const clock = spec.businessHoursId ? t('settings.sla.sum.inHours', { name: nameOf(names.calendars, spec.businessHoursId) }) : t('settings.sla.sum.aroundTheClock');
    return [`${t(`sla.target.${target}`)} ${formatDuration(spec.minutes)} (${clock})`];
  });
  return parts.length ? parts : [t('settings.sla.sum.noTargets')];
}

/** A policy in one line: name · conditions · targets. */
export function policySummary(p: Pick<SlaPolicy, 'name' | 'conditions' | 'targets'>, names: Names): string {
  return [p.name, ...conditionsSummary(p.conditions, names), ...targetsSummary(p.targets, names)].join(' · ');
}
