import { z } from 'zod';
import { ContactRefSchema } from '../contacts/schema.js';

export const StatusSchema = z.enum(['open', 'pending', 'on_hold', 'solved', 'closed']);
export const PrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export const ChannelSchema = z.enum(['api', 'email', 'widget', 'portal', 'phone']);
export const ViewSchema = z.enum(['mine', 'unassigned', 'open', 'mentions', 'snoozed', 'solved', 'breaching']);
export type View = z.infer<typeof ViewSchema>;
export const SortSchema = z.enum(['newest', 'waiting', 'priority', 'due']);
const tag = z.string().trim().min(1).max(50).regex(/^[^,]+$/, 'must not contain a comma');

export const ConversationListQuerySchema = z.object({
  status: z
    .string()
    .max(200)
    .optional()
    .describe('One status or several, comma-separated (open,pending).')
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = s.split(',').map((x) => x.trim());
      for (const v of list) {
        if (!StatusSchema.safeParse(v).success) {
          ctx.addIssue({ code: 'custom', message: `unknown status "${v}"; use ${StatusSchema.options.join(', ')}` });
          return z.NEVER;
        }
      }
      return list as z.infer<typeof StatusSchema>[];
    }),
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional().describe('A member id, "me" or "none".'),
  team: z.union([z.literal('none'), z.uuid()]).optional(),
  inbox: z.uuid().optional(),
  contact: z.uuid().optional(),
  tag: tag.optional(),
  priority: PrioritySchema.optional(),
  channel: ChannelSchema.optional().describe("The inbox's channel."),
  snoozed: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'))
    .describe('true: only snoozed conversations; false: none of them.'),
  view: ViewSchema.optional().describe(
    'A named view, combined with the other filters: mine (assigned to me, open or pending), unassigned (open), open, mentions, snoozed, solved. Team and inbox views: view=open&team=… or &inbox=….',
  ),
  sort: SortSchema.default('newest')
    .describe('newest: latest activity first; waiting: waiting longest first; priority: urgent first, then newest; due: the soonest SLA due time first, those without one last.'),
  breachingWithin: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_080)
    .optional()
    .describe('Breaching soon: a running SLA target is due within this many minutes, or past due and still unmet.'),
  q: z.string().trim().max(200).optional().describe('Full-text query over subjects and messages (web search syntax: "exact phrase", -not, or).'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().describe('From the previous page: nextCursor.'),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;

/** The list's filters that narrow which conversations match: what a saved view keeps, besides its sort. */
export type ConversationFilters = Partial<Pick<ConversationListQuery, 'status' | 'assignee' | 'team' | 'inbox' | 'channel' | 'contact' | 'priority' | 'snoozed' | 'tag'>>;

const ConversationUpdateFields = z.object({
    status: StatusSchema.optional(),
    priority: PrioritySchema.optional(),
    assigneeId: z.uuid().nullable().optional(),
    teamId: z.uuid().nullable().optional(),
    tags: z.array(tag).max(50).optional().describe('Replaces all tags.'),
    addTags: z.array(tag).max(50).optional(),
    removeTags: z.array(tag).max(50).optional(),
    subject: z.string().trim().max(500).optional(),
    topic: z.string().trim().max(100).nullable().optional(),
    customFields: z.record(z.string().max(100), z.unknown()).optional().describe('Merged into the existing custom fields; a null value removes a field.'),
    snoozedUntil: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe('Snooze until then (a future time): hidden from open views until then or until the customer writes; null wakes it.'),
});
export const ConversationUpdateSchema = ConversationUpdateFields.refine((u) => !(u.tags && (u.addTags || u.removeTags)), { message: 'use tags, or addTags/removeTags, not both', path: ['tags'] });
export type ConversationUpdate = z.infer<typeof ConversationUpdateSchema>;

export const BulkUpdateSchema = z.object({
  ids: z.array(z.uuid()).min(1).max(500),
  update: ConversationUpdateFields.pick({ status: true, priority: true, assigneeId: true, teamId: true, addTags: true, removeTags: true }).strict(),
});
export type BulkUpdate = z.infer<typeof BulkUpdateSchema>;

export const MessageCreateSchema = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(100_000),
  kind: z.enum(['reply', 'note']).default('reply'),
  status: StatusSchema.optional().describe('Set the conversation status in the same step (e.g. reply and mark pending).'),
  sendAt: z.iso.datetime({ offset: true }).optional().describe('Send the reply later, at this future time; cancelled if the customer writes first.'),
  lastSeenMessageId: z.uuid().optional().describe('The newest message the agent saw: a newer reply by someone else answers 409 with newerMessages.'),
  force: z.boolean().optional().describe('Send even when someone else replied since lastSeenMessageId.'),
  attachmentIds: z.array(z.uuid()).max(10).optional().describe('Pending attachments (POST /attachments) to send with the message.'),
  replyAll: z.boolean().optional().describe("E-mail: also send to the conversation's participants (Cc)."),
  cc: z.array(z.email().max(320)).max(50).optional().describe('E-mail: further addresses in copy.'),
  bcc: z.array(z.email().max(320)).max(50).optional().describe('E-mail: addresses in blind copy.'),
});
export type MessageCreate = z.infer<typeof MessageCreateSchema>;

export const CallSchema = z.object({
  direction: z.enum(['inbound', 'outbound']),
  number: z.string().trim().regex(/^\+?[0-9 ().-]{3,30}$/, 'must be a phone number'),
  durationSeconds: z.number().int().min(0).max(86_400),
  outcome: z.enum(['answered', 'no_answer', 'voicemail', 'busy', 'failed']),
  notes: z.string().trim().max(20_000).optional(),
});
export type CallLog = z.infer<typeof CallSchema>;

export const CallConversationSchema = CallSchema.extend({
  inboxId: z.uuid().describe('A phone inbox.'),
  contact: ContactRefSchema,
  subject: z.string().trim().max(500).optional(),
});
export type CallConversation = z.infer<typeof CallConversationSchema>;

export const MergeSchema = z.object({ sourceId: z.uuid().describe('The conversation merged into this one; it is closed and points here.') });
export type Merge = z.infer<typeof MergeSchema>;

export const ParticipantAddSchema = z
  .object({
    contactId: z.uuid().optional(),
    email: z.email().max(320).optional(),
    name: z.string().trim().max(200).optional(),
  })
  .refine((p) => (p.contactId ? !p.email : !!p.email), { message: 'give contactId, or email (and name)', path: ['contactId'] });
export type ParticipantAdd = z.infer<typeof ParticipantAddSchema>;

/** A conversation the team begins: the first message goes out to the customer (e-mail or API channel inbox). */
export const ConversationStartSchema = z.object({
  inboxId: z.uuid().describe('An e-mail or API channel inbox: a channel that can write first.'),
  contactId: z.uuid().optional().describe('The customer, by id; or give contact.'),
  contact: ContactRefSchema.optional().describe('The customer as a channel names them (found or created), when there is no contactId.'),
  subject: z.string().trim().min(1, 'must not be empty').max(500),
  text: z.string().trim().min(1, 'must not be empty').max(100_000),
  status: z.enum(['open', 'pending']).default('pending').describe('pending (default): waiting on the customer; open: still the team\'s to do.'),
}).refine((s) => !!s.contactId !== !!s.contact, { message: 'give contactId or contact, not both', path: ['contactId'] });
export type ConversationStart = z.infer<typeof ConversationStartSchema>;
