import { t, tn } from '../i18n';
import { formatMoney } from './goodwill';
import { fullTime, messageTime } from './time';
import type { ActorSystem, Member, TimelineEvent } from './types';

function memberName(id: unknown, members: Member[]) {
  return typeof id === 'string' ? (members.find((m) => m.id === id)?.name ?? t('event.someone')) : '';
}

function statusLabel(v: unknown) {
  return typeof v === 'string' ? t(`status.${v}` as 'status.open') : String(v);
}

/** The name of what acted when no member did; Heard's own jobs are Heard. */
export function systemName(s: ActorSystem | null | undefined) {
  if (s?.kind === 'rule') return t('event.actor.rule', { name: s.name });
  if (s?.kind === 'sla') return t('event.actor.sla');
  return undefined;
}

/** A goodwill action given, asked for, decided or delivered, as one line of the timeline. */
function describeGoodwill(e: TimelineEvent, actor: string): string {
  const d = e.data ?? {};
  const what = t(`goodwill.noun.${String(d.kind)}` as 'goodwill.noun.credit');
  const amount = typeof d.amountMinor === 'number' && typeof d.currency === 'string' ? formatMoney(d.amountMinor, d.currency) : '';
  const reason = typeof d.reason === 'string' ? d.reason : '';
  if (e.type === 'goodwill.issued') return t('event.goodwillIssued', { actor, what, amount, reason });
  if (e.type === 'goodwill.requested') return t('event.goodwillRequested', { actor, what, amount, reason });
  if (e.type === 'goodwill.approved') return t(reason ? 'event.goodwillApprovedReason' : 'event.goodwillApproved', { actor, what, amount, reason });
  if (e.type === 'goodwill.denied') return t('event.goodwillDenied', { actor, what, amount, reason });
  if (d.deliveryStatus === 'delivered') return d.externalRef ? t('event.goodwillDeliveredRef', { ref: String(d.externalRef) }) : t('event.goodwillDelivered');
  return t('event.goodwillFailed', { error: String(d.deliveryError ?? '') });
}

/** The sentences an event line says: one per change. `customers` names the contacts it may mention (cc'd customers). */
export function describeEvent(e: TimelineEvent, members: Member[], teams: { id: string; name: string }[], customers: Record<string, string> = {}): string[] {
  const actor = e.actorName ?? systemName(e.actorSystem) ?? (e.actorMemberId ? t('event.someone') : e.actorContactId ? t('msg.customer') : t('event.system'));
  if (e.actorSystem?.kind === 'job' && e.actorSystem.name === 'wake-snoozed' && e.type === 'conversation.updated') return [t('event.snoozeEnded')];
  if (e.type === 'conversation.created') {
    if (typeof e.data?.splitFromNumber === 'number') return [t('event.splitFrom', { actor, number: e.data.splitFromNumber })];
    return [t('event.created', { actor: e.actorName ?? t('msg.customer') })];
  }
  if (e.type === 'conversation.split') return [t('event.split', { actor, number: String(e.data?.newNumber ?? '?') })];
  // A rule's firing shows as the changes it made, each naming the rule.
  if (e.type === 'message.delivery' || e.type === 'rule.fired') return [];
  // A rule that could not act says so where the agent looks, with the reason.
  if (e.type === 'rule.failed') return [t('event.ruleFailed', { name: String(e.data?.ruleName ?? ''), reason: String(e.data?.reason ?? '') })];
  if (e.type === 'sla.warning' || e.type === 'sla.breached') {
    const target = t(`sla.target.${String(e.data?.target)}` as 'sla.target.firstResponse');
    const vars = { target, policy: String(e.data?.policyName ?? ''), time: typeof e.data?.dueAt === 'string' ? messageTime(e.data.dueAt) : '' };
    return [t(e.type === 'sla.warning' ? 'event.slaWarning' : 'event.slaBreached', vars)];
  }
  if (e.type === 'satisfaction.rated') {
    const rating = t(`rating.${String(e.data?.rating)}` as 'rating.good');
    const comment = typeof e.data?.comment === 'string' ? e.data.comment : '';
    const key = e.data?.changed ? (comment ? 'event.reratedComment' : 'event.rerated') : comment ? 'event.ratedComment' : 'event.rated';
    return [t(key, { rating, comment })];
  }
  if (e.type.startsWith('feedback.')) {
    const kind = t(e.data?.kind === 'complaint' ? 'feedback.kind.complaint' : 'feedback.kind.compliment');
    if (e.type === 'feedback.requested') return [t('event.feedbackRequested', { actor, kind })];
    if (e.type === 'feedback.consented') return [t(e.data?.anonymous ? 'event.feedbackConsentedAnonymous' : 'event.feedbackConsented', { kind })];
    if (e.type === 'feedback.declined') return [t('event.feedbackDeclined', { kind })];
    if (e.type === 'feedback.published') return [t('event.feedbackPublished', { actor, kind })];
    if (e.type === 'feedback.unpublished') return [t('event.feedbackUnpublished', { actor, kind })];
    if (e.type === 'feedback.withdrawn') return [t('event.feedbackWithdrawn', { kind })];
  }
  if (e.type.startsWith('goodwill.')) return [describeGoodwill(e, actor)];

  if (e.type === 'conversation.info_requested') {
    const keys = Array.isArray(e.data?.fieldKeys) ? (e.data.fieldKeys as string[]) : [];
    return [t('event.infoRequested', { actor, round: Number(e.data?.round ?? 1), fields: keys.join(', ') })];
  }
  if (e.type === 'order.linked') return [t('event.orderLinked', { actor, id: String(e.data?.externalId ?? '') })];
  if (e.type === 'member.mentioned') return [t('event.mentioned', { actor, to: memberName(e.data?.memberId, members) })];
  if (e.type === 'conversation.merged' || e.type === 'conversation.merge')
    return [typeof e.data?.sourceNumber === 'number' ? t('event.mergedFrom', { actor, number: e.data.sourceNumber }) : t('event.merged', { actor })];
  const changes = (e.data?.changes ?? {}) as Record<string, { from: unknown; to: unknown }>;
  if (e.type !== 'conversation.updated' || !Object.keys(changes).length) return [t('event.other', { actor, type: e.type })];
  const out: string[] = [];
  for (const [field, { from, to }] of Object.entries(changes)) {
    switch (field) {
      case 'status':
        out.push(t('event.status', { actor, to: statusLabel(to) }));
        break;
      case 'priority':
        out.push(t('event.priority', { actor, to: t(`priority.${String(to)}` as 'priority.low') }));
        break;
      case 'assigneeId':
        // Someone who takes a conversation (a reply assigns it to them) took it: not "assigned it to" themself.
        if (to && to === e.actorMemberId) out.push(t('event.took', { actor }));
        else out.push(to ? t('event.assigned', { actor, to: memberName(to, members) }) : t('event.unassigned', { actor }));
        break;
      case 'teamId':
        out.push(to ? t('event.team', { actor, to: teams.find((x) => x.id === to)?.name ?? '?' }) : t('event.noTeam', { actor }));
        break;
      case 'tags': {
        const a = Array.isArray(from) ? (from as string[]) : [];
        const b = Array.isArray(to) ? (to as string[]) : [];
        const added = b.filter((x) => !a.includes(x));
        const removed = a.filter((x) => !b.includes(x));
        if (added.length) out.push(t('event.tagsAdded', { actor, tags: added.map((x) => `#${x}`).join(', ') }));
        if (removed.length) out.push(t('event.tagsRemoved', { actor, tags: removed.map((x) => `#${x}`).join(', ') }));
        break;
      }
      case 'subject':
        out.push(t('event.subject', { actor, to: String(to ?? '') }));
        break;
      case 'participants': {
        const a = Array.isArray(from) ? (from as string[]) : [];
        const b = Array.isArray(to) ? (to as string[]) : [];
        // E-mail brought people in copy: {added} (contact ids), counted; an agent's change is {from, to}, named.
        const brought = (changes.participants as { added?: unknown }).added;
        if (Array.isArray(brought)) {
          if (brought.length) out.push(tn('email.event.ccAdded', brought.length, { actor }));
          break;
        }
        const name = (id: string) => customers[id] || t('event.aCustomer');
        for (const id of b.filter((x) => !a.includes(x))) out.push(t('event.ccAdded', { actor, name: name(id) }));
        for (const id of a.filter((x) => !b.includes(x))) out.push(t('event.ccRemoved', { actor, name: name(id) }));
        break;
      }
      case 'mergedIntoId':
        out.push(t('event.mergedInto', { actor }));
        break;
      case 'customFields': {
        const a = (from ?? {}) as Record<string, unknown>;
        const b = (to ?? {}) as Record<string, unknown>;
        const keys = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
        const removed = Object.keys(a).filter((k) => !(k in b));
        if (keys.length) out.push(t('event.fieldsSet', { actor, fields: keys.join(', ') }));
        if (removed.length) out.push(t('event.fieldsCleared', { actor, fields: removed.join(', ') }));
        break;
      }
      case 'snoozedUntil':
        out.push(to ? t('event.snoozed', { actor, to: fullTime(String(to)) }) : t('event.woke', { actor }));
        break;
      default:
        out.push(t('event.other', { actor, type: field }));
    }
  }
  return out;
}

