import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../lib/api';
import { qk } from '../lib/queries';
import type { AssignmentMode, Availability, Channel, MacroActions } from '../lib/types';
import type { Rule } from './rules';
import type { OutreachRuleFields } from '../lib/outreach-rules';

/** The settings pages' view of the API (docs/api.md); the app's shared caches (members, teams, inboxes) are reused. */

export type Role = 'owner' | 'admin' | 'agent' | 'light';
export const ROLES: Role[] = ['owner', 'admin', 'agent', 'light'];

export interface SettingsMember {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  signature: string | null;
  teamIds: string[];
  avatarUrl?: string | null;
  availability: Availability;
  capacity: number | null;
}

export interface SettingsTeam {
  id: string;
  name: string;
  memberIds: string[];
  assignmentMode: AssignmentMode;
  assignOnlineOnly: boolean;
}

export interface SettingsInbox {
  id: string;
  name: string;
  channel: Channel;
  teamId: string | null;
  callbackUrl?: string;
  /** API inboxes: the network their messages come from (x, instagram… or a display name). */
  network?: string;
  address?: string;
  signingSecret?: string;
  /** E-mail, widget and portal inboxes: the satisfaction survey sent when a conversation is solved. */
  satisfaction?: { enabled: boolean; delayMinutes: number };
  archived: boolean;
  createdAt: string;
}

export interface Tag {
  id: string;
  name: string;
  color: string | null;
  count: number;
}

export interface Canned {
  id: string;
  title: string;
  body: string;
  shortcut: string | null;
  shared: boolean;
  ownerMemberId: string | null;
  actions: MacroActions | null;
}

export type CustomFieldType = 'text' | 'long_text' | 'number' | 'date' | 'email' | 'order_number' | 'select' | 'checkbox';
export const FIELD_TYPES: CustomFieldType[] = ['text', 'long_text', 'number', 'date', 'email', 'order_number', 'select', 'checkbox'];

export interface CustomField {
  id: string;
  entity: 'conversation' | 'contact';
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[] | null;
  required: boolean;
  /** What a customer reads under the field when a topic's intake form asks for it. */
  helpText: string;
}

/** A field of a topic's intake form: the custom field, and whether the topic requires it. */
export interface TopicField {
  customFieldId: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  helpText: string;
  required: boolean;
}

export interface Topic {
  id: string;
  key: string;
  name: string;
  position: number;
  fields: TopicField[];
}

export interface Token {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  memberId: string;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface AuditEntry {
  id: string;
  actorMemberId: string | null;
  /** The member whose token was used, when an owner made it for them and so acted. */
  onBehalfOfMemberId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  createdAt: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** One opening, as wall times in the calendar's zone; "24:00" ends at midnight. */
export interface OpenInterval {
  from: string;
  to: string;
}

/** A business-hours calendar (docs/sla.md): what SLA targets and the chat widget count in. */
export interface BusinessHours {
  id: string;
  name: string;
  timeZone: string;
  hours: Partial<Record<Weekday, OpenInterval[]>>;
  holidays: { date: string; name?: string }[];
}

export type SlaTargetName = 'firstResponse' | 'nextResponse' | 'resolution';
export const SLA_TARGETS: SlaTargetName[] = ['firstResponse', 'nextResponse', 'resolution'];
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

export interface SlaConditions {
  inboxIds?: string[];
  teamIds?: string[];
  priorities?: Priority[];
  tags?: string[];
  contactAttribute?: { key: string; value: string | number | boolean };
}

/** An SLA policy: the first enabled one in position order whose conditions match applies. */
export interface SlaPolicy {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  conditions: SlaConditions;
  targets: Partial<Record<SlaTargetName, { minutes: number; businessHoursId: string | null } | null>>;
  warnBeforeMinutes: number | null;
}

/** A workspace webhook endpoint (GET /api/v1/webhooks); its secret only in the answer that made or rotated it. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
  secret?: string;
}

export interface WebhookAttempt {
  id: string;
  createdAt: string;
  manual: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

/** One event sent to one endpoint, with its attempts, newest first. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: string | null;
  createdAt: string;
  requestBody: string;
  attempts: WebhookAttempt[];
}

export const sk = {
  tags: ['settings', 'tags'] as const,
  canned: qk.canned,
  tokens: ['settings', 'tokens'] as const,
  audit: ['settings', 'audit'] as const,
  invites: ['settings', 'invites'] as const,
  fields: ['settings', 'custom-fields'] as const,
  topics: ['settings', 'topics'] as const,
  rules: ['settings', 'rules'] as const,
  businessHours: ['settings', 'business-hours'] as const,
  slaPolicies: ['settings', 'sla-policies'] as const,
  webhooks: ['settings', 'webhooks'] as const,
  webhookKinds: ['settings', 'webhooks', 'event-types'] as const,
  outreachRules: ['settings', 'outreach-rules'] as const,
};

const items = <T>(path: string) => api<{ items: T[] }>(path).then((r) => r.items);

export const useSettingsMembers = () => useQuery({ queryKey: qk.members, queryFn: () => items<SettingsMember>('/members') });
export const useSettingsTeams = () => useQuery({ queryKey: qk.teams, queryFn: () => items<SettingsTeam>('/teams') });
export const useSettingsInboxes = () => useQuery({ queryKey: qk.inboxes, queryFn: () => items<SettingsInbox>('/inboxes') });
export const useTags = () => useQuery({ queryKey: sk.tags, queryFn: () => items<Tag>('/tags') });
export const useCannedList = () => useQuery({ queryKey: sk.canned, queryFn: () => items<Canned>('/canned-responses') });
export const useCustomFields = () => useQuery({ queryKey: sk.fields, queryFn: () => items<CustomField>('/custom-fields') });
export const useTopics = () => useQuery({ queryKey: sk.topics, queryFn: () => items<Topic>('/topics') });
export const useRules = () => useQuery({ queryKey: sk.rules, queryFn: () => items<Rule>('/rules') });
export const useBusinessHours = () => useQuery({ queryKey: sk.businessHours, queryFn: () => items<BusinessHours>('/business-hours') });
export const useSlaPolicies = () => useQuery({ queryKey: sk.slaPolicies, queryFn: () => items<SlaPolicy>('/sla-policies') });
/**
 * An outreach rule (docs/outreach.md): N hours or days after an event, a follow-up task for a
 * team or an agent; as the API returns it, the fields the form edits, its id and whether it is on.
 */
export interface OutreachRule extends OutreachRuleFields {
  id: string;
  enabled: boolean;
}
export const useOutreachRules = () => useQuery({ queryKey: sk.outreachRules, queryFn: () => items<OutreachRule>('/outreach/rules') });
export const useTokens = () => useQuery({ queryKey: sk.tokens, queryFn: () => items<Token>('/tokens') });
export const useWebhooks = () => useQuery({ queryKey: sk.webhooks, queryFn: () => items<WebhookEndpoint>('/webhooks'), retry: false });
export const useWebhookKinds = () => useQuery({ queryKey: sk.webhookKinds, queryFn: () => items<string>('/webhooks/event-types'), staleTime: Infinity, retry: false });
export const useWebhookDeliveries = (id: string, limit: number) =>
  useQuery({ queryKey: [...sk.webhooks, id, 'deliveries', limit], queryFn: () => items<WebhookDelivery>(`/webhooks/${id}/deliveries?limit=${limit}`), refetchInterval: 10_000 });
export const useAudit = () => useQuery({ queryKey: sk.audit, queryFn: () => items<AuditEntry>('/audit-log?limit=100'), retry: false });

/** A write that refreshes the given caches when it succeeds. */
export function useWrite<I, O = unknown>(fn: (input: I) => Promise<O>, refresh: readonly (readonly string[])[]) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all(refresh.map((queryKey) => qc.invalidateQueries({ queryKey })));
    },
  });
}

/**
 * Changes to one record, sent one after another. Quick clicks each PATCH a whole field (a team's
 * member list); sent at once they could arrive out of order, or the next be built from a list the
 * server had not answered yet, and a member ticked a moment earlier would be lost. Changes made
 * while one is on its way wait, merged field by field, and go next. `shown` is what the controls
 * display until the server's answer has been read back.
 */
export function usePatchQueue<B extends object>(fn: (body: Partial<B>) => Promise<unknown>, refresh: readonly (readonly string[])[]) {
  const qc = useQueryClient();
  const [shown, setShown] = useState<Partial<B> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const queue = useRef<{ busy: boolean; waiting: Partial<B> | null }>({ busy: false, waiting: null });
  const run = async () => {
    const q = queue.current;
    q.busy = true;
    while (q.waiting) {
      const body = q.waiting;
      q.waiting = null;
      try {
        await fn(body);
        setError(null);
      } catch (e) {
        setError(e);
      }
      if (!q.waiting) await Promise.all(refresh.map((queryKey) => qc.invalidateQueries({ queryKey })));
    }
    q.busy = false;
    setShown(null);
  };
  const patch = (body: Partial<B>) => {
    setShown((s) => ({ ...s, ...body }));
    queue.current.waiting = { ...queue.current.waiting, ...body };
    if (!queue.current.busy) void run();
  };
  return { patch, shown, error, busy: shown !== null };
}

export const send = <O = unknown>(method: string, path: string, body?: unknown) => api<O>(path, { method, body });
