import type { Ctx } from '../../core/context.js';
import { inTransaction } from '../../core/context.js';
import type { Actor } from '../../core/actor.js';
import { HeardError } from '../../core/errors.js';
import type { BulkUpdate } from './schema.js';
import { updateConversation } from './service.js';

/**
 * Applies one change to many conversations, each in a transaction of its own through
 * updateConversation and its rules: one refused conversation does not stop the others.
 */
export async function bulkUpdateConversations(ctx: Ctx, actor: Actor, input: BulkUpdate) {
  let updated = 0;
  const failed: { id: string; reason: string }[] = [];
  for (const id of new Set(input.ids)) {
    try {
      await inTransaction(ctx, (tx) => updateConversation(tx, actor, id, input.update));
      updated++;
    } catch (err) {
      if (!(err instanceof HeardError)) throw err;
      failed.push({ id, reason: err.message });
    }
  }
  return { updated, failed };
}
