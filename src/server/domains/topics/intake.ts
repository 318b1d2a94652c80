import crypto from 'node:crypto';
import type { Executor } from '../../db/client.js';
import { type FieldError, Invalid } from '../../core/errors.js';
import { conversationHistory } from '../../core/events/record-event.js';
import { readEvent } from '../../core/events/types.js';
import { problemWith, valueFromText } from '../custom-fields/service.js';
import { type IntakeField, type Topic, topicOfConversation } from './service.js';

/**
 * A topic's intake in one round: which of its fields are still unknown, reading the answers a
 * form or an e-mail gives, and the signed link to the one-page form.
 */

/** What Heard knows already: the conversation's custom fields, and the customer's e-mail address. */
export interface Known {
  customFields?: Record<string, unknown>;
  contactEmail?: string | null;
}

const given = (v: unknown) => v !== undefined && v !== null && v !== '';

/** The value Heard has for a field: the conversation's own, or for an e-mail field the customer's address. */
function knownValue(f: IntakeField, known: Known): unknown {
  const v = known.customFields?.[f.key];
  if (given(v)) return v;
  if (f.type === 'email' && known.contactEmail) return known.contactEmail;
  return undefined;
}

/** The values the topic's fields take from what is known (e.g. an e-mail field from the customer's address). */
export function knownValues(fields: IntakeField[], known: Known): Record<string, unknown> {
  return Object.fromEntries(fields.flatMap((f) => (given(knownValue(f, known)) && !given(known.customFields?.[f.key]) ? [[f.key, knownValue(f, known)]] : [])));
}

/** The fields still to ask, required or not: never one whose value is known. */
export function fieldsToAsk(fields: IntakeField[], known: Known): IntakeField[] {
  return fields.filter((f) => !given(knownValue(f, known)));
}

/** The required fields still missing. */
export function missingRequired(fields: IntakeField[], known: Known): IntakeField[] {
  return fieldsToAsk(fields, known).filter((f) => f.required);
}

/**
 * A customer's answers to a topic's intake form (texts as typed, by field key), checked at
 * once: every missing required field and every wrong value is named in one Invalid (under
 * `<prefix>.<key>`), so the customer fixes everything in one go. Returns the values to store,
 * with what was known already filled in.
 */
export function readIntakeAnswers(topic: Pick<Topic, 'fields'>, answers: Record<string, unknown>, known: Known, prefix = 'fields'): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const f of fieldsToAsk(topic.fields, known)) {
    const raw = answers[f.key];
    const value = typeof raw === 'string' ? valueFromText(f, raw) : (raw ?? null);
    const problem = problemWith({ ...f, required: f.required }, value);
    if (problem) errors.push({ field: `${prefix}.${f.key}`, reason: value === null ? 'is required' : problem });
    else if (value !== null) values[f.key] = value;
  }
  if (errors.length) throw new Invalid(errors);
  return { ...knownValues(topic.fields, known), ...values };
}

const LINE = /^[\s>*•-]*([^:：\n]{1,200}?)\s*[:：]\s*(.+?)\s*$/;

/**
 * The answers in a customer's words, one per line as the request listed them
 * ("Order number: 12345"), matched by label or key, ignoring case. A value that does not fit
 * its field is left out: the field stays missing rather than holding something wrong.
 */
/** Whether a text has any "Label: value" line at all, so that it may answer a request. */
export function hasAnswerLines(text: string): boolean {
  return text.split(/\r?\n/).some((line) => LINE.test(line));
}

export function answersInText(fields: IntakeField[], text: string): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (!m) continue;
    // The request's own line, "Order number (on your receipt):", filled in.
    const name = m[1].replace(/\s*\(.*$/, '').trim().toLowerCase();
    const f = fields.find((x) => x.label.toLowerCase() === name || x.key === name);
    if (!f || f.key in found) continue;
    const value = valueFromText(f, m[2]);
    if (value !== null && !problemWith(f, value)) found[f.key] = value;
  }
  return found;
}

/**
 * The fields a conversation asks of its customer: its topic's intake form, then those an
 * agent asked for ("We need more information"), each once, in that order.
 */
export async function askedFields(db: Executor, c: { id: string; workspaceId: string; topic: string | null }, all: IntakeField[]): Promise<IntakeField[]> {
  const topic = await topicOfConversation(db, c.workspaceId, c.topic);
  const fields = [...(topic?.fields ?? [])];
  for (const e of await conversationHistory(db, c.id, ['conversation.info_requested'])) {
    const t = readEvent(e);
    if (t?.type !== 'conversation.info_requested') continue;
    for (const key of t.data.fieldKeys) {
      const f = all.find((x) => x.key === key);
      if (f && !fields.some((x) => x.key === key)) fields.push(f);
    }
  }
  return fields;
}

/** How long an intake link works: long enough for a customer back from a holiday. */
export const INTAKE_LINK_DAYS = 30;

const mac = (secret: string, body: string) => crypto.createHmac('sha256', secret).update(`intake:${body}`).digest('base64url').slice(0, 32);

/**
 * The token of a conversation's intake link, `in1.<conversation id>.<expiry, seconds base 36>.<mac>`,
 * signed with the instance secret: it needs no row, and cannot be forged or stretched.
 */
export function intakeToken(secret: string, conversationId: string, now = Date.now()): string {
  const body = `${conversationId}.${Math.floor(now / 1000 + INTAKE_LINK_DAYS * 86_400).toString(36)}`;
  return `in1.${body}.${mac(secret, body)}`;
}

/** The conversation a token opens; `expired` once past its time; undefined for anything forged or malformed. */
export function readIntakeToken(secret: string, token: string, now = Date.now()): { conversationId: string } | 'expired' | undefined {
  const m = /^in1\.([0-9a-f-]{36})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return undefined;
  const expected = mac(secret, `${m[1]}.${m[2]}`);
  if (!crypto.timingSafeEqual(Buffer.from(m[3]), Buffer.from(expected))) return undefined;
  return parseInt(m[2], 36) * 1000 < now ? 'expired' : { conversationId: m[1] };
}

export const intakeUrl = (publicUrl: string, token: string) => `${publicUrl}/intake/${token}`;

/**
 * The part of a message that asks for fields: one line per field, as "Label (help):" so a reply can
 * fill it in, then the link to the form that does the same.
 */
export function intakeRequestText(t: { intro: string; outro: string }, fields: IntakeField[], url: string): string {
  const lines = fields.map((f) => `${f.label}${f.helpText ? ` (${f.helpText})` : ''}:`);
  return [t.intro, lines.join('\n'), `${t.outro}\n${url}`].join('\n\n');
}
