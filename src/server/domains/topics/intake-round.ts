import type { Executor } from '../../db/client.js';
import { contactEmail } from '../contacts/service.js';
import { setCustomerFields } from '../conversations/commands.js';
import { conversationForIntake } from '../conversations/queries.js';
import { conversationFieldDefs } from '../custom-fields/service.js';
import type { Translate } from '../../helpcenter/i18n/index.js';
import { answersInText, askedFields, hasAnswerLines, fieldsToAsk, intakeRequestText, intakeToken, intakeUrl, type Known, knownValues, readIntakeAnswers } from './intake.js';

/**
 * One round of intake on a conversation that exists: what its customer is still asked (its
 * topic's form and the fields an agent requested, minus what is known), and the answers that
 * come back by the link's form or in a reply. Values land through the conversations commands.
 */

/** The conversation and the fields its customer is still asked, required first as listed; undefined for no such conversation. */
export async function openIntake(db: Executor, conversationId: string) {
  const c = await conversationForIntake(db, conversationId);
  if (!c) return undefined;
  const defs = await conversationFieldDefs(db, c.workspaceId);
  // A field an agent asked for is one the customer must give.
  const all = defs.map((f) => ({ customFieldId: f.id, key: f.key, label: f.label, type: f.type, options: f.options, helpText: f.helpText, required: true }));
  const asked = await askedFields(db, c, all);
  const known: Known = { customFields: c.customFields, contactEmail: await contactEmail(db, c.contactId) };
  return { conversation: c, asked, known, fields: fieldsToAsk(asked, known) };
}

/**
 * The intake page's answers: every missing required field and wrong value refused at once
 * (Invalid under `field.<key>`), else stored. Returns the keys set.
 */
export async function answerIntake(tx: Executor, conversationId: string, answers: Record<string, string>) {
  const open = await openIntake(tx, conversationId);
  if (!open) return [];
  const values = readIntakeAnswers({ fields: open.asked }, answers, open.known, 'field');
  return setCustomerFields(tx, open.conversation, values);
}

/** A customer's reply that answers the request line by line ("Order number: 12345"): the fields it fills. */
export async function answerFromReply(tx: Executor, conversationId: string, text: string) {
  // Most replies answer nothing; they need not read the conversation's form.
  if (!hasAnswerLines(text)) return [];
  const open = await openIntake(tx, conversationId);
  if (!open?.fields.length) return [];
  const found = answersInText(open.fields, text);
  if (!Object.keys(found).length) return [];
  return setCustomerFields(tx, open.conversation, found);
}

/**
 * The e-mail acknowledgement's request: the conversation's missing fields as lines to fill in,
 * and the form's link; undefined when nothing is missing. What is known already (an e-mail
 * field from the sender's address) is set on the conversation now, so nobody asks for it.
 */
export async function intakeForAcknowledgement(tx: Executor, conversationId: string, t: Translate, link: { publicUrl: string; secret: string }) {
  const open = await openIntake(tx, conversationId);
  if (!open) return undefined;
  const known = knownValues(open.asked, open.known);
  if (Object.keys(known).length) await setCustomerFields(tx, open.conversation, known);
  if (!open.fields.length) return undefined;
  const url = intakeUrl(link.publicUrl, intakeToken(link.secret, conversationId));
  return intakeRequestText({ intro: t('intake.ack.intro'), outro: t('intake.outro') }, open.fields, url);
}
