import { z } from 'zod';
import { ROLES } from '../actor.js';

/**
 * Every kind of event on the timeline and the data it carries: one schema each, so that
 * recordEvent is typed at every call site, and processors, rules and clients read typed
 * fields (`readEvent`) instead of guessing at a bag of values.
 */

const Id = z.string().min(1);
/** A time as recorded (a Date) or as read back from JSON (an ISO string). */
const Instant = z.union([z.date(), z.string()]);
const DeliveryStatus = z.enum(['received', 'queued', 'sent', 'failed', 'scheduled', 'cancelled']);

const SlaAlert = z.object({ target: z.enum(['firstResponse', 'nextResponse', 'resolution']), dueAt: Instant, policyId: Id, policyName: z.string() });

/** An item of the feedback wall: which, and whether a compliment or a complaint. */
const FeedbackEvent = z.object({ feedbackId: Id, kind: z.enum(['compliment', 'complaint']) });

/** A goodwill action (domains/goodwill): which, of what kind, how much (minor units) in which currency. */
const GoodwillEvent = z.object({
  actionId: Id,
  kind: z.enum(['credit', 'refund', 'replacement', 'discount']),
  amountMinor: z.number().int(),
  currency: z.string(),
  /** Why it was given, or (approved, denied) why the supervisor decided so. */
  reason: z.string().optional(),
  /** The action goes to the order system now (one is configured). */
  deliver: z.boolean().optional(),
});

/** What changed on a conversation: each field's value before and after; participants may list those added. */
const Changes = z.record(z.string(), z.object({ from: z.unknown().optional(), to: z.unknown().optional(), added: z.array(Id).optional() }));

/** The jobs that act on conversations by themselves, each named in the timeline. */
export const SYSTEM_JOBS = ['wake-snoozed', 'send-scheduled', 'auto-assign'] as const;

/**
 * What acted when no person did: a rule (named as it was when it fired), the SLA engine,
 * or one of Heard's jobs. Stored beside the event (events.actor_system).
 */
export const ACTOR_SYSTEM = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rule'), id: Id, name: z.string() }),
  z.object({ kind: z.literal('sla') }),
  z.object({ kind: z.literal('job'), name: z.enum(SYSTEM_JOBS) }),
]);
export type ActorSystem = z.infer<typeof ACTOR_SYSTEM>;

export const EVENT_DATA = {
  'conversation.created': z.object({
    number: z.number().int(),
    inboxId: Id,
    channel: z.string(),
    /** A conversation split from another: which one, and the message that began it. */
    splitFromId: Id.optional(),
    splitFromNumber: z.number().int().optional(),
    messageId: Id.optional(),
  }),
  'conversation.updated': z.object({ changes: Changes }),
  'conversation.merged': z.object({ sourceId: Id, sourceNumber: z.number().int(), targetId: Id, targetNumber: z.number().int(), messages: z.number().int() }),
  'conversation.split': z.object({ messageId: Id, newConversationId: Id, newNumber: z.number().int() }),
  'conversation.read': z.object({ lastReadAt: Instant }),
  /**
   * "We need more information": an agent asked the customer for these fields (custom field
   * keys) in one message; `round` counts the requests on this conversation, 1 for the first.
   */
  'conversation.info_requested': z.object({ fieldKeys: z.array(z.string()), messageId: Id, round: z.number().int().min(1), topic: z.string().nullable() }),
  'message.created': z.object({
    messageId: Id,
    direction: z.enum(['in', 'out', 'note']),
    deliveryStatus: DeliveryStatus.optional(),
    /** An automatic acknowledgement (e-mail auto-reply, contact-form confirmation). */
    autoAck: z.literal(true).optional(),
    /** A logged phone call. */
    call: z.literal(true).optional(),
    /** A reply scheduled for later. */
    sendAt: z.string().optional(),
    /** Where the customer wrote it (recorded since 2026-12 for messages in): lets a processor pass by the channels it does not serve without reading the message. */
    channel: z.string().optional(),
  }),
  'message.delivery': z.union([
    z.object({
      messageId: Id,
      deliveryStatus: DeliveryStatus,
      deliveryError: z.string().nullable().optional(),
      /** A scheduled reply whose time came. */
      scheduled: z.literal(true).optional(),
      /** A widget answer sent by e-mail to a visitor who left, or why it could not be. */
      emailedTo: z.string().optional(),
      emailError: z.string().optional(),
      /** Attempts made so far; with nextAttemptAt, a failed attempt that will be retried then. */
      attempts: z.number().int().optional(),
      nextAttemptAt: Instant.optional(),
      /** A member asked to try again now ("retry now"): the delivery job is queued for `due`, afresh from `since`. */
      retry: z.object({ due: z.string(), since: z.string() }).optional(),
      /** The failed reply was sent again as this e-mail ("send by e-mail instead"). */
      replacedById: Id.optional(),
    }),
    /** The visitor saw the team's answers up to this one. */
    z.object({ seenUpTo: Id, messageIds: z.array(Id), seenAt: Instant.nullable() }),
  ]),
  'contact.updated': z.object({ contactId: Id }),
  'contact.merged': z.object({ targetId: Id, sourceId: Id }),
  'member.updated': z.object({ memberId: Id, role: z.enum(ROLES).optional(), active: z.boolean().optional() }),
  'member.mentioned': z.object({ memberId: Id, conversationId: Id, messageId: Id }),
  /** An automation rule's actions were applied to the conversation (domains/rules). */
  'rule.fired': z.object({
    ruleId: Id,
    ruleName: z.string(),
    trigger: z.string(),
    /** The event that triggered it, or for a time rule the state it matched. */
    occasion: z.string(),
    actions: z.array(z.string()),
  }),
  /**
   * A rule's actions could not be applied (a member since deactivated, a template deleted):
   * none of them were, and the rules after it ran as if it had not matched.
   */
  'rule.failed': z.object({ ruleId: Id, ruleName: z.string(), trigger: z.string(), occasion: z.string(), reason: z.string() }),
  'mail.held': z.object({ holdId: Id, reason: z.string(), inboxId: Id, conversationId: Id.nullish() }),
  /** An SLA target of the conversation comes due soon (docs/sla.md), or came due unmet. */
  'sla.warning': SlaAlert,
  'sla.breached': SlaAlert,
  /** The customer answered the conversation's satisfaction survey, or changed their answer (domains/satisfaction). */
  'satisfaction.rated': z.object({
    surveyId: Id,
    rating: z.enum(['good', 'okay', 'bad']),
    comment: z.string().optional(),
    /** The rating replaced a different one the customer gave before. */
    changed: z.boolean(),
  }),
  /** The public feedback wall (domains/feedback): the customer was asked to let their words be shown, and what became of it. */
  'feedback.requested': FeedbackEvent,
  'feedback.consented': FeedbackEvent.extend({ anonymous: z.boolean() }),
  'feedback.declined': FeedbackEvent,
  'feedback.published': FeedbackEvent,
  'feedback.unpublished': FeedbackEvent,
  'feedback.withdrawn': FeedbackEvent,
  /** A goodwill action within the agent's limit: given at once. */
  'goodwill.issued': GoodwillEvent,
  /** A goodwill action above the agent's limit: it waits for a supervisor. */
  'goodwill.requested': GoodwillEvent,
  'goodwill.approved': GoodwillEvent,
  'goodwill.denied': GoodwillEvent,
  /** What the order system made of an approved action: delivered (with its reference) or failed for good. */
  'goodwill.delivery': z.object({
    actionId: Id,
    deliveryStatus: z.enum(['delivered', 'failed']),
    deliveryError: z.string().nullable().optional(),
    externalRef: z.string().nullable().optional(),
  }),
  /** A business event (a purchase, a delivery …) arrived for a contact (domains/business-events). */
  'business_event.recorded': z.object({ businessEventId: Id, contactId: Id, type: z.string() }),
  /** An outreach task was made, or done, snoozed or dismissed (domains/outreach). */
  'outreach_task.changed': z.object({
    taskId: Id,
    status: z.enum(['open', 'done', 'dismissed']),
    change: z.enum(['created', 'done', 'snoozed', 'dismissed']),
    conversationId: Id.nullish(),
  }),
  /** An agent linked one of the customer's orders to the conversation (domains/catalog). */
  'order.linked': z.object({ orderId: Id, externalId: z.string() }),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

/** The data of an event of kind T, as a call site gives it. */
export type EventData<T extends EventType> = z.input<(typeof EVENT_DATA)[T]>;

/** An event as read back (dates are ISO strings then): a union that narrows on `type`. */
export type TypedEvent = { [T in EventType]: { type: T; data: z.output<(typeof EVENT_DATA)[T]> } }[EventType];

/**
 * Reads a stored event's data by its kind's schema: the typed event, or undefined for a
 * kind this version does not know or data that does not fit (written by an older Heard).
 */
export function readEvent(e: { type: string; data: unknown }): TypedEvent | undefined {
  const schema = (EVENT_DATA as Record<string, z.ZodType>)[e.type];
  const parsed = schema?.safeParse(e.data);
  return parsed?.success ? ({ type: e.type, data: parsed.data } as TypedEvent) : undefined;
}
