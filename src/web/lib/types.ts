import type { MessageEmail } from './email';

/** The API's shapes as the app uses them (see /api/openapi.json). Fields added by newer servers are optional. */

export type Status = 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'api' | 'email' | 'widget' | 'portal' | 'phone';
export const STATUSES: Status[] = ['open', 'pending', 'on_hold', 'solved', 'closed'];
export const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
export const CHANNELS: Channel[] = ['email', 'widget', 'api', 'portal', 'phone'];

export interface Me {
  user: { id: string; email: string; name: string; avatarUrl?: string | null };
  member: { id: string; role: 'owner' | 'admin' | 'agent' | 'light'; signature: string | null; availability?: Availability; locale?: string; timeFormat?: string };
  workspace: { id: string; name: string };
  csrfToken?: string;
}

/** Away: automatic assignment passes the member by (their own switch). */
export type Availability = 'available' | 'away';

export interface Member {
  id: string;
  name: string;
  email: string;
  role: string;
  active?: boolean;
  availability?: Availability;
  /** The most open conversations automatic assignment gives them; null: no limit. */
  capacity?: number | null;
  teamIds?: string[];
  avatarUrl?: string | null;
}

export type AssignmentMode = 'manual' | 'round_robin' | 'least_open';
export const ASSIGNMENT_MODES: AssignmentMode[] = ['manual', 'round_robin', 'least_open'];

export interface Team {
  id: string;
  name: string;
  memberIds?: string[];
  assignmentMode?: AssignmentMode;
  assignOnlineOnly?: boolean;
}

/** A saved view's filters: a subset of the list's query (status may be several; 'me' is whoever looks). */
export interface SavedViewFilters {
  status?: Status[];
  channel?: Channel;
  priority?: Priority;
  tag?: string;
  assignee?: string;
  team?: string;
  inbox?: string;
  snoozed?: boolean;
  sort?: 'newest' | 'waiting' | 'priority' | 'due';
}

/** A named set of filters in the rail: the member's own (personal) or a team's. */
export interface SavedView {
  id: string;
  name: string;
  filters: SavedViewFilters;
  personal: boolean;
  ownerMemberId: string | null;
  teamId: string | null;
  position: number;
  /** Whether I may rename, change or delete it. */
  editable: boolean;
}

export interface Inbox {
  id: string;
  name: string;
  channel: Channel;
  /** An API inbox's network (x, instagram… or a display name). */
  network?: string;
  archived?: boolean;
  teamId?: string | null;
}

export type Rating = 'good' | 'okay' | 'bad';

export interface Conversation {
  id: string;
  number: number;
  inboxId: string;
  contactId: string;
  contact?: { id: string; name: string };
  subject: string;
  status: Status;
  priority: Priority;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  preview?: string;
  channel?: Channel;
  /** An API inbox's network (x, instagram… or a display name): shown instead of "API". */
  network?: string;
  unread?: boolean;
  snoozedUntil?: string | null;
  mergedIntoId?: string | null;
  /** Further customers on the conversation (cc); only GET /conversations/:id lists them. */
  participants?: Participant[];
  /** A widget conversation: where the visitor is and what they use (only GET /conversations/:id). */
  visitor?: VisitorContext | null;
  lastMessageAt: string;
  waitingSince: string | null;
  /** The SLA that applies (docs/sla.md), or null. */
  sla?: ConversationSla | null;
  /** The customer's answer to the satisfaction survey, or null (only GET /conversations/:id). */
  satisfaction?: { surveyId: string; rating: Rating; comment: string | null; ratedAt: string } | null;
  /** In a contact's history: the customer's rating of it, or null. */
  rating?: Rating | null;
  /** What it is about (a topic's name), or null. */
  topic?: string | null;
  /** Custom field values by key (a topic's intake answers among them). */
  customFields?: Record<string, unknown>;
  /** How many times the team asked the customer for more information (only GET /conversations/:id). */
  infoRequests?: number;
  createdAt: string;
  updatedAt: string;
}

export type SlaTargetName = 'firstResponse' | 'nextResponse' | 'resolution';

export interface ConversationSla {
  policy: { id: string; name: string | null };
  dueAt: string | null;
  pausedAt: string | null;
  targets: Partial<
    Record<SlaTargetName, { dueAt: string | null; warnAt: string | null; status: 'running' | 'paused' | 'met' | 'missed'; met: boolean; breached: boolean; remainingMinutes: number | null; stoppedAt: string | null }>
  >;
}

export interface VisitorContext {
  url?: string;
  title?: string;
  referrer?: string;
  locale?: string;
  timezone?: string;
  userAgent?: string;
  lastSeenAt?: string;
}

export interface Participant {
  contactId: string;
  name: string;
  role: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export const CALL_OUTCOMES = ['answered', 'no_answer', 'voicemail', 'busy', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface CallLog {
  number?: string;
  durationSeconds?: number;
  outcome?: CallOutcome;
  notes?: string;
}

export interface Message {
  id: string;
  conversationId: string;
  direction: 'in' | 'out' | 'note';
  channel: Channel;
  authorMemberId: string | null;
  authorName?: string | null;
  contactId: string | null;
  text: string;
  html: string | null;
  deliveryStatus: string;
  /** The channel's own words for the last failed attempt. */
  deliveryError: string | null;
  /** Attempts made to hand a reply to its channel. */
  deliveryAttempts?: number;
  /** While a failed attempt waits to be retried: when the next one is due. */
  deliveryNextAt?: string | null;
  /** A failed reply sent again by e-mail: the message that took its place. */
  replacedById?: string | null;
  /** A chat reply: when the visitor saw it. */
  seenAt?: string | null;
  attachments: Attachment[];
  call?: CallLog | null;
  /** Mail that came or went by e-mail: its addresses and quoted history. */
  email?: MessageEmail | null;
  sendAt?: string | null;
  createdAt: string;
}

/** What acted when no member did: a rule, the SLA engine or one of Heard's jobs (server: ACTOR_SYSTEM). */
export type ActorSystem = { kind: 'rule'; id: string; name: string } | { kind: 'sla' } | { kind: 'job'; name: string };

export interface TimelineEvent {
  id: string;
  /** Another conversation's for an event of one merged into this one. */
  conversationId?: string | null;
  type: string;
  actorMemberId: string | null;
  /** The customer acted (answered an intake form, a request for more information). */
  actorContactId?: string | null;
  actorName: string | null;
  actorSystem?: ActorSystem | null;
  data: Record<string, unknown>;
}

export type TimelineItem = { type: 'message'; at: string; message: Message } | { type: 'event'; at: string; event: TimelineEvent };

export interface Timeline {
  conversation: Conversation;
  items: TimelineItem[];
  /** A failed reply here could go by e-mail instead: the customer has an address and the workspace an e-mail inbox. */
  emailFallback?: boolean;
}

/** A reply the customer has not got (GET /delivery-problems). */
export interface DeliveryProblem {
  message: Message;
  conversation: { id: string; number: number; subject: string | null };
  recipient: { contactId: string; name: string; address: string | null };
  channel: Channel;
  attempts: number;
  nextAttemptAt: string | null;
  reason: string | null;
  canRetry: boolean;
  canEmailInstead: boolean;
}

export interface Contact {
  id: string;
  name: string;
  company: { id: string; name: string } | null;
  attributes: Record<string, unknown>;
  identities: { id: string; kind: string; value: string }[];
  createdAt: string;
  conversations?: Conversation[];
}

export interface RealtimeEvent {
  id: string;
  type: string;
  conversationId?: string | null;
  actorMemberId: string | null;
  actorSystem?: ActorSystem | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** What a macro changes besides giving its text (server: MacroActionsSchema); absent keys stay as they are. */
export interface MacroActions {
  status?: Status;
  priority?: Priority;
  /** A member, or null to unassign. */
  assigneeId?: string | null;
  /** A team, or null for none. */
  teamId?: string | null;
  addTags?: string[];
  removeTags?: string[];
}

export interface CannedResponse {
  id: string;
  title: string;
  body: string;
  shortcut?: string | null;
  /** Makes it a macro. */
  actions?: MacroActions | null;
}

export type FeedbackKind = 'compliment' | 'complaint';
export type FeedbackState = 'draft' | 'consent_requested' | 'consented' | 'declined' | 'published' | 'withdrawn' | 'unpublished';

/** An item proposed for the public feedback wall (GET /feedback). */
export interface FeedbackItem {
  id: string;
  conversationId: string;
  contactId: string;
  messageId: string | null;
  surveyId: string | null;
  kind: FeedbackKind;
  state: FeedbackState;
  quote: string;
  displayName: string;
  anonymous: boolean;
  response: string | null;
  consentRequestedAt: string | null;
  consentedAt: string | null;
  publishedAt: string | null;
  withdrawnAt: string | null;
  createdAt: string;
}
