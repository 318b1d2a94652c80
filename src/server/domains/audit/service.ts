import { and, desc, eq, lt } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Records an admin action in the caller's transaction, so the log and the change stand or
 * fall together. It names the member who really acted: for a token an owner made for
 * someone else, the owner, on behalf of the token's member.
 */
export async function recordAudit(
  tx: Executor,
  actor: Pick<Actor, 'workspaceId' | 'memberId' | 'madeBy'> | { workspaceId: string; memberId: null; madeBy?: undefined },
  e: AuditEntry,
) {
  await tx.insert(auditLog).values({
    workspaceId: actor.workspaceId,
    actorMemberId: actor.madeBy ?? actor.memberId,
    onBehalfOfMemberId: actor.madeBy ? actor.memberId : null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    data: e.data ?? {},
    ip: e.ip ?? null,
  });
}

export async function listAudit(db: Executor, actor: Actor, opts: { before?: Date; limit: number }) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, actor.workspaceId), opts.before ? lt(auditLog.createdAt, opts.before) : undefined))
    .orderBy(desc(auditLog.createdAt))
    .limit(opts.limit);
}
