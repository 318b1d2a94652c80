import { type MessageKey, t, tn } from '../i18n';
import { ApiError } from '../lib/api';
import type { Channel, Priority, Status } from '../lib/types';

/**
 * The Rules screen's model of an automation rule (src/server/domains/rules/schema.ts is the
 * contract): the labels and one-line summary people read, the editor's rows and how they
 * become the API's body, and the position changes that move a rule in the list.
 */

export const TRIGGERS = [
  'conversation.created',
  'message.received',
  'status.changed',
  'priority.changed',
  'assignee.changed',
  'team.changed',
  'tags.changed',
  'sla.warning',
  'sla.breached',
  'time',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const CONDITION_FIELDS = [
  'subject',
  'text',
  'inbox',
  'channel',
  'status',
  'priority',
  'assignee',
  'team',
  'tags',
  'contact.email',
  'contact.domain',
  'contact.attribute',
  'hours_since_customer_message',
  'hours_since_update',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export type Operator = 'is' | 'is_not' | 'contains' | 'not_contains' | 'more_than' | 'less_than';

/** The operators a field takes, as the server's schema allows them. */
export function operatorsOf(field: ConditionField): Operator[] {
  if (field === 'tags' || field === 'subject' || field === 'text') return ['contains', 'not_contains'];
  if (field === 'hours_since_customer_message' || field === 'hours_since_update') return ['more_than', 'less_than'];
  return ['is', 'is_not'];
}

export interface Condition {
  field: ConditionField;
  operator: Operator;
  value: string | number | null;
  key?: string;
}

export interface Conditions {
  match: 'all' | 'any';
  conditions: Condition[];
}

export const ACTION_TYPES = [
  'add_tags',
  'remove_tags',
  'set_priority',
  'set_status',
  'assign_member',
  'assign_team',
  'assign_within_team',
  'set_custom_field',
  'add_note',
  'reply_template',
  'webhook',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export type Action =
  | { type: 'assign_member'; memberId: string | null }
  | { type: 'assign_team'; teamId: string | null }
  | { type: 'assign_within_team'; teamId: string }
  | { type: 'set_priority'; priority: Priority }
  | { type: 'set_status'; status: Status }
  | { type: 'add_tags' | 'remove_tags'; tags: string[] }
  | { type: 'set_custom_field'; key: string; value: string | number | boolean | null }
  | { type: 'add_note'; text: string }
  | { type: 'reply_template'; cannedResponseId: string }
  | { type: 'webhook'; url: string };

export interface Rule {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  trigger: Trigger;
  conditions: Conditions;
  actions: Action[];
}

export type RuleBody = Pick<Rule, 'name' | 'enabled' | 'trigger' | 'conditions' | 'actions'>;

export const triggerLabel = (x: Trigger) => t(`settings.rules.trigger.${x}` as MessageKey);
export const fieldLabel = (f: ConditionField) => t(`settings.rules.field.${f}` as MessageKey);
export const operatorLabel = (o: Operator) => t(`settings.rules.op.${o}` as MessageKey);
export const actionLabel = (a: ActionType) => t(`settings.rules.action.${a}` as MessageKey);
export const modeLabel = (mode: string | undefined) => t(mode === 'least_open' ? 'settings.rules.mode.least_open' : 'settings.rules.mode.round_robin');

/** What a summary needs to say names instead of ids; an id it does not know reads "a removed …". */
export interface Names {
  members: Map<string, string>;
  teams: Map<string, { name: string; assignmentMode?: string }>;
  inboxes: Map<string, string>;
  canned: Map<string, string>;
  fields: Map<string, string>;
}

const quoted = (v: unknown) => `‘${String(v)}’`;

function conditionText(c: Condition, names: Names): string {
  const op = operatorLabel(c.operator);
  const named = (map: Map<string, string>, none: MessageKey, gone: MessageKey) => (c.value === null ? t(none) : (map.get(String(c.value)) ?? t(gone)));
  switch (c.field) {
    case 'hours_since_customer_message':
    case 'hours_since_update':
      return t(`settings.rules.sum.${c.field}.${c.operator as 'more_than' | 'less_than'}`, { n: Number(c.value) });
    case 'tags':
      return t(`settings.rules.sum.tags.${c.operator as 'contains' | 'not_contains'}`, { value: quoted(c.value) });
    case 'contact.attribute':
      return t('settings.rules.sum.attribute', { key: c.key ?? '', op, value: quoted(c.value) });
    default: {
      const value =
        c.field === 'inbox'
          ? named(names.inboxes, 'settings.rules.sum.removedInbox', 'settings.rules.sum.removedInbox')
          : c.field === 'assignee'
            ? named(names.members, 'settings.rules.sum.nobody', 'settings.rules.sum.removedMember')
            : c.field === 'team'
              ? c.value === null
                ? t('settings.rules.sum.noTeam')
                : (names.teams.get(String(c.value))?.name ?? t('settings.rules.sum.removedTeam'))
              : c.field === 'status'
                ? t(`status.${c.value as Status}`)
                : c.field === 'priority'
                  ? t(`priority.${c.value as Priority}`)
                  : c.field === 'channel'
                    ? t(`channel.${c.value as Channel}`)
                    : quoted(c.value);
      return t('settings.rules.sum.condition', { field: t(`settings.rules.sum.field.${c.field}` as MessageKey), op, value });
    }
  }
}

function actionText(a: Action, names: Names): string {
  switch (a.type) {
    case 'assign_member':
      return a.memberId === null ? t('settings.rules.sum.unassign') : t('settings.rules.sum.assign', { name: names.members.get(a.memberId) ?? t('settings.rules.sum.removedMember') });
    case 'assign_team':
      return a.teamId === null ? t('settings.rules.sum.removeTeam') : t('settings.rules.sum.assignTeam', { name: names.teams.get(a.teamId)?.name ?? t('settings.rules.sum.removedTeam') });
    case 'assign_within_team': {
      const team = names.teams.get(a.teamId);
      return t('settings.rules.sum.assignWithin', { name: team?.name ?? t('settings.rules.sum.removedTeam'), mode: modeLabel(team?.assignmentMode) });
    }
    case 'set_priority':
      return t('settings.rules.sum.priority', { value: t(`priority.${a.priority}`) });
    case 'set_status':
      return t('settings.rules.sum.status', { value: t(`status.${a.status}`) });
    case 'add_tags':
      return tn('settings.rules.sum.addTags', a.tags.length, { tags: a.tags.join(', ') });
    case 'remove_tags':
      return tn('settings.rules.sum.removeTags', a.tags.length, { tags: a.tags.join(', ') });
    case 'set_custom_field': {
      const field = names.fields.get(a.key) ?? a.key;
      if (a.value === null || a.value === '') return t('settings.rules.sum.clearField', { field });
      const value = typeof a.value === 'boolean' ? t(a.value ? 'settings.rules.yes' : 'settings.rules.no') : quoted(a.value);
      return t('settings.rules.sum.setField', { field, value });
    }
    case 'add_note':
      return t('settings.rules.sum.note');
    case 'reply_template':
      return t('settings.rules.sum.reply', { title: names.canned.get(a.cannedResponseId) ?? t('settings.rules.sum.removedCanned') });
    case 'webhook':
      return t('settings.rules.sum.webhook', { url: a.url });
  }
}

/** A rule in one line, as people say it: "When a customer writes · if subject contains ‘invoice’ · add tag billing, set priority High". */
export function summarize(rule: Pick<Rule, 'trigger' | 'conditions' | 'actions'>, names: Names): string {
  const parts = [t(`settings.rules.when.${rule.trigger}` as MessageKey)];
  const conditions = rule.conditions.conditions.map((c) => conditionText(c, names));
  if (conditions.length) parts.push(`${t('settings.rules.sum.if')} ${conditions.join(` ${t(rule.conditions.match === 'any' ? 'settings.rules.sum.or' : 'settings.rules.sum.and')} `)}`);
  parts.push(rule.actions.map((a) => actionText(a, names)).join(', '));
  return parts.join(' · ');
}

// The editor's rows: every value is the text of its control; `toBody` makes the API's types of them.

let lastRowId = 0;
const rowId = () => ++lastRowId;

export interface ConditionRow {
  id: number;
  field: ConditionField;
  operator: Operator;
  /** An id, an enum value, a text or a number of hours; '' is "none" for assignee and team. */
  value: string;
  /** The contact attribute's name. */
  key: string;
}

export interface ActionRow {
  id: number;
  type: ActionType;
  /** The member, team, priority, status, comma-separated tags, field value, note, canned response or URL. */
  value: string;
  /** The custom field's key. */
  key: string;
}

export interface Draft {
  name: string;
  enabled: boolean;
  trigger: Trigger;
  match: 'all' | 'any';
  conditions: ConditionRow[];
  actions: ActionRow[];
}

/** The first choice offered for a new row, so that a row is complete as soon as it is added where it can be. */
export interface Defaults {
  inboxId: string;
  memberId: string;
  teamId: string;
  cannedId: string;
  fieldKey: string;
}

export function newCondition(field: ConditionField, d: Defaults): ConditionRow {
  const value: Partial<Record<ConditionField, string>> = {
    inbox: d.inboxId,
    channel: 'email',
    status: 'open',
    priority: 'high',
    hours_since_customer_message: '24',
    hours_since_update: '24',
  };
  return { id: rowId(), field, operator: operatorsOf(field)[0], value: value[field] ?? '', key: '' };
}

export function newAction(type: ActionType, d: Defaults): ActionRow {
  const value: Partial<Record<ActionType, string>> = {
    assign_member: d.memberId,
    assign_team: d.teamId,
    assign_within_team: d.teamId,
    set_priority: 'high',
    set_status: 'pending',
    reply_template: d.cannedId,
  };
  return { id: rowId(), type, value: value[type] ?? '', key: type === 'set_custom_field' ? d.fieldKey : '' };
}

export const emptyDraft = (d: Defaults): Draft => ({ name: '', enabled: true, trigger: 'message.received', match: 'all', conditions: [], actions: [newAction('add_tags', d)] });

export function draftOf(rule: Rule): Draft {
  return {
    name: rule.name,
    enabled: rule.enabled,
    trigger: rule.trigger,
    match: rule.conditions.match,
    conditions: rule.conditions.conditions.map((c) => ({ id: rowId(), field: c.field, operator: c.operator, value: c.value === null ? '' : String(c.value), key: c.key ?? '' })),
    actions: rule.actions.map((a) => ({ id: rowId(), type: a.type, ...actionValue(a) })),
  };
}

function actionValue(a: Action): { value: string; key: string } {
  switch (a.type) {
    case 'assign_member':
      return { value: a.memberId ?? '', key: '' };
    case 'assign_team':
    case 'assign_within_team':
      return { value: a.teamId ?? '', key: '' };
    case 'set_priority':
      return { value: a.priority, key: '' };
    case 'set_status':
      return { value: a.status, key: '' };
    case 'add_tags':
    case 'remove_tags':
      return { value: a.tags.join(', '), key: '' };
    case 'set_custom_field':
      return { value: a.value === null ? '' : String(a.value), key: a.key };
    case 'add_note':
      return { value: a.text, key: '' };
    case 'reply_template':
      return { value: a.cannedResponseId, key: '' };
    case 'webhook':
      return { value: a.url, key: '' };
  }
}

export const splitTags = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** The body the API takes for the editor's conditions. What is wrong in them the server says, by field. */
export function conditionsOf(d: Pick<Draft, 'match' | 'conditions'>): Conditions {
  return {
    match: d.match,
    conditions: d.conditions.map((c) => {
      const value = c.field.startsWith('hours_') ? (c.value.trim() === '' ? null : Number(c.value)) : (c.field === 'assignee' || c.field === 'team') && c.value === '' ? null : c.value;
      return c.field === 'contact.attribute' ? { field: c.field, operator: c.operator, key: c.key, value } : { field: c.field, operator: c.operator, value };
    }),
  };
}

/** The body the API takes for the editor's draft; `fieldTypes` turns a custom field's value into its type (a number, yes or no). */
export function toBody(d: Draft, fieldTypes: Map<string, string>): RuleBody {
  return { name: d.name, enabled: d.enabled, trigger: d.trigger, conditions: conditionsOf(d), actions: d.actions.map((a) => actionOf(a, fieldTypes)) };
}

function actionOf(a: ActionRow, fieldTypes: Map<string, string>): Action {
  switch (a.type) {
    case 'assign_member':
      return { type: a.type, memberId: a.value || null };
    case 'assign_team':
      return { type: a.type, teamId: a.value || null };
    case 'assign_within_team':
      return { type: a.type, teamId: a.value };
    case 'set_priority':
      return { type: a.type, priority: a.value as Priority };
    case 'set_status':
      return { type: a.type, status: a.value as Status };
    case 'add_tags':
    case 'remove_tags':
      return { type: a.type, tags: splitTags(a.value) };
    case 'set_custom_field': {
      const type = fieldTypes.get(a.key);
      const value = type === 'number' ? (a.value.trim() === '' ? null : Number(a.value)) : type === 'checkbox' ? (a.value === '' ? null : a.value === 'true') : a.value === '' && type ? null : a.value;
      return { type: a.type, key: a.key, value };
    }
    case 'add_note':
      return { type: a.type, text: a.value };
    case 'reply_template':
      return { type: a.type, cannedResponseId: a.value };
    case 'webhook':
      return { type: a.type, url: a.value.trim() };
  }
}

/** Moves the item at `from` to `to`. */
export function moved<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

/**
 * The position changes that move the rule at `from` to `to` in the list as it runs
 * (position ascending). Where every position is distinct, two neighbours swap theirs;
 * otherwise (equal positions, which the API allows) the list is numbered 0, 1, 2, … anew
 * so the order is exact, and only the rules whose position changes are written.
 */
export function positionChanges(rules: Pick<Rule, 'id' | 'position'>[], from: number, to: number): { id: string; position: number }[] {
  if (to < 0 || to >= rules.length || from === to) return [];
  const distinct = rules.every((r, i) => i === 0 || r.position > rules[i - 1].position);
  if (distinct && Math.abs(from - to) === 1) {
    return [
      { id: rules[from].id, position: rules[to].position },
      { id: rules[to].id, position: rules[from].position },
    ];
  }
  return moved(rules, from, to)
    .map((r, i) => ({ id: r.id, position: i, was: r.position }))
    .filter((r) => r.position !== r.was)
    .map(({ id, position }) => ({ id, position }));
}

/** The server's reasons by field (problem+json `errors[]`, e.g. `actions.0.memberId`), without the `body.` some carry. */
export function errorsByField(error: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (error instanceof ApiError) for (const e of error.errors) out.set(e.field.replace(/^body\./, ''), e.reason);
  return out;
}

/**
 * The reasons for one row of the editor, by the part of the row they name: `key` (an
 * attribute's or custom field's key), `value` (whatever else the row holds), or the row as
 * a whole (`conditions.conditions.1` itself, its field, operator or type).
 */
export function rowErrors(errors: Map<string, string>, prefix: string): { key?: string; value?: string; row?: string } {
  const out: { key?: string; value?: string; row?: string } = {};
  for (const [field, reason] of errors) {
    if (field === prefix || ['field', 'operator', 'type'].some((p) => field === `${prefix}.${p}`)) out.row ??= reason;
    else if (field === `${prefix}.key`) out.key ??= reason;
    else if (field.startsWith(`${prefix}.`)) out.value ??= reason;
  }
  return out;
}

/** Whether the editor shows this field's error somewhere; the rest go in the note under the form. */
export function isPlaced(field: string): boolean {
  return ['name', 'trigger', 'enabled', 'conditions.match', 'actions', 'conditions.conditions'].includes(field) || /^(conditions\.conditions|actions)\.\d+(\.|$)/.test(field);
}
