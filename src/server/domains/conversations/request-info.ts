import type { Executor } from '../../db/client.js';
import type { Actor } from '../../core/actor.js';
import { Invalid } from '../../core/errors.js';
import { conversationHistory, recordEvent } from '../../core/events/record-event.js';
import { catalog } from '../../helpcenter/i18n/index.js';
import { listCustomFields } from '../custom-fields/service.js';
import { helpCenterOf } from '../help-center/service.js';
import { intakeRequestText, intakeToken, intakeUrl } from '../topics/intake.js';
import type { InfoRequest } from '../topics/schema.js';
import { addAgentMessage } from './add-message.js';
import { getConversationRow } from './service.js';

/**
 * "We need more information": one reply to the customer that lists every field asked (each
 * a "Label:" line their answer can fill in) with the link to a form that fills them, the
 * conversation set pending, and a `conversation.info_requested` event counting the round.
 * Fields the conversation holds already are refused: asking again is what wears customers out.
 */
export async function requestInfo(tx: Executor, actor: Actor, id: string, input: InfoRequest, link: { publicUrl: string; secret: string }) {
  const c = await getConversationRow(tx, actor, id);
  const defs = await listCustomFields(tx, actor, { entity: 'conversation' });
  const keys = [...new Set(input.fieldKeys)];
  const fields = keys.map((key, i) => {
    const f = defs.find((d) => d.key === key);
    if (!f) throw new Invalid(`fieldKeys.${i}`, `${key} is not a conversation custom field`);
    const v = c.customFields[key];
    if (v !== undefined && v !== null && v !== '') throw new Invalid(`fieldKeys.${i}`, `${f.label} is known already`);
    return { customFieldId: f.id, key: f.key, label: f.label, type: f.type, options: f.options, helpText: f.helpText, required: true };
  });
  const t = catalog((await helpCenterOf(tx, c.workspaceId))?.locale ?? 'en');
  const url = intakeUrl(link.publicUrl, intakeToken(link.secret, c.id));
  const text = intakeRequestText({ intro: input.text || t('intake.request.intro'), outro: t('intake.outro') }, fields, url);
  const message = await addAgentMessage(tx, actor, c.id, { kind: 'reply', text, status: 'pending' });
  const round = (await conversationHistory(tx, c.id, ['conversation.info_requested'])).length + 1;
  await recordEvent(tx, {
    workspaceId: c.workspaceId,
    conversationId: c.id,
    type: 'conversation.info_requested',
    actorMemberId: actor.memberId,
    data: { fieldKeys: fields.map((f) => f.key), messageId: message.id, round, topic: c.topic },
  });
  return { message, round };
}

/** How many times the team asked this conversation's customer for more information. */
export async function infoRequestRounds(db: Executor, conversationId: string) {
  return (await conversationHistory(db, conversationId, ['conversation.info_requested'])).length;
}
