import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { apiTokens, members } from '../../db/schema/index.js';
import { type Actor, hasScope, isAdmin, type Scope } from '../../core/actor.js';
import { Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/ids.js';
import { recordAudit } from '../audit/service.js';

const PREFIX = 'heard_pat_';

/**
 * Creates an API token acting as `memberId` (default: the actor). The token is returned
 * once; only its hash is stored. A token is made for oneself; only an owner makes one for
 * another member, and the audit log then names the owner for all that token does. A token
 * never carries more than its member's role allows, nor, made by a token, more scopes than
 * the token that made it.
 */
export async function createToken(tx: Executor, actor: Actor, input: { name: string; scopes: Scope[]; memberId?: string }) {
  const memberId = input.memberId ?? actor.memberId;
  const forOther = memberId !== actor.memberId;
  // An owner's own token made for someone else would let its holder act twice removed: no.
  if (forOther && (actor.role !== 'owner' || actor.madeBy)) throw new Forbidden('Only an owner makes a token for another member');
  const missing = input.scopes.filter((s) => !hasScope(actor, s));
  if (missing.length) throw new Invalid('scopes', `this token cannot make a token with scopes it lacks (${missing.join(', ')})`);
  const [member] = await tx.select().from(members).where(and(eq(members.id, memberId), eq(members.workspaceId, actor.workspaceId), eq(members.active, true)));
  if (!member) throw new NotFound('Member');
  if (input.scopes.includes('admin') && !isAdmin(member)) throw new Invalid('scopes', 'admin scope needs an admin or owner member');
  const token = randomToken(PREFIX, 32);
  const [row] = await tx
    .insert(apiTokens)
    .values({
      workspaceId: actor.workspaceId,
      memberId,
      createdByMemberId: actor.madeBy ?? actor.memberId,
      name: input.name,
      tokenHash: sha256(token),
      prefix: token.slice(0, PREFIX.length + 6),
      scopes: [...new Set(input.scopes)],
    })
    .returning();
  await recordAudit(tx, actor, { action: 'token.create', targetType: 'api_token', targetId: row.id, data: { name: input.name, scopes: row.scopes, memberId } });
  return { token, row };
}

export async function listTokens(db: Executor, actor: Actor) {
  return db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, actor.workspaceId), isAdmin(actor) ? undefined : eq(apiTokens.memberId, actor.memberId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeToken(tx: Executor, actor: Actor, id: string) {
  const [row] = await tx.select().from(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.workspaceId, actor.workspaceId)));
  if (!row || (row.memberId !== actor.memberId && !isAdmin(actor))) throw new NotFound('Token');
  await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
  await recordAudit(tx, actor, { action: 'token.revoke', targetType: 'api_token', targetId: id });
}

export function presentToken(t: typeof apiTokens.$inferSelect) {
  return { id: t.id, name: t.name, prefix: t.prefix, scopes: t.scopes, memberId: t.memberId, createdByMemberId: t.createdByMemberId, lastUsedAt: t.lastUsedAt, createdAt: t.createdAt };
}
