import type { SystemActor } from '../../core/actor.js';
import type { Tx } from '../../db/client.js';
import { renderCannedResponse } from '../canned-responses/service.js';
import { addAgentMessage } from '../conversations/add-message.js';
import { updateConversation } from '../conversations/service.js';
import type { ConversationUpdate } from '../conversations/schema.js';
import { type OnlineMembers, pickAssignee } from '../teams/assignment.js';
import type { Action } from './schema.js';

/**
 * Applies a rule's actions to a conversation through the conversations domain's commands,
 * in the caller's transaction. Webhooks are returned to be called after commit.
 */
export async function applyActions(tx: Tx, actor: SystemActor, conversationId: string, actions: Action[], online?: OnlineMembers) {
  const webhooks: string[] = [];
  for (const a of actions) {
    switch (a.type) {
      case 'webhook':
        webhooks.push(a.url);
        break;
      case 'add_note':
        await addAgentMessage(tx, actor, conversationId, { kind: 'note', text: a.text });
        break;
      case 'reply_template': {
        const { text } = await renderCannedResponse(tx, actor, a.cannedResponseId, conversationId);
        await addAgentMessage(tx, actor, conversationId, { kind: 'reply', text });
        break;
      }
      case 'assign_within_team': {
        const memberId = await pickAssignee(tx, actor.workspaceId, a.teamId, { mode: 'round_robin', online });
        await updateConversation(tx, actor, conversationId, { teamId: a.teamId, ...(memberId ? { assigneeId: memberId } : {}) });
        break;
      }
      default:
        await updateConversation(tx, actor, conversationId, updateOf(a));
    }
  }
  return { webhooks };
}

function updateOf(a: Exclude<Action, { type: 'webhook' | 'add_note' | 'reply_template' | 'assign_within_team' }>): ConversationUpdate {
  switch (a.type) {
    case 'assign_member':
      return { assigneeId: a.memberId };
    case 'assign_team':
      return { teamId: a.teamId };
    case 'set_priority':
      return { priority: a.priority };
    case 'set_status':
      return { status: a.status };
    case 'add_tags':
      return { addTags: a.tags };
    case 'remove_tags':
      return { removeTags: a.tags };
    case 'set_custom_field':
      return { customFields: { [a.key]: a.value } };
  }
}
