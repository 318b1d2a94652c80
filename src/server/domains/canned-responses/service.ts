import { and, asc, eq, ilike, isNull, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { cannedResponses, contacts, type MacroActions, members, users, workspaces } from '../../db/schema/index.js';
import { type Actor, isSystemActor, type SystemActor } from '../../core/actor.js';
import { Forbidden, mustRefer, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';
import { addAgentMessage } from '../conversations/add-message.js';
import { getConversationRow, presentConversation, updateConversation } from '../conversations/service.js';
import { getMember } from '../members/service.js';
import { getTeam } from '../teams/service.js';
import { cannedResponsePolicy } from './policy.js';
import type { CannedResponseCreate, CannedResponseUpdate } from './schema.js';

type CannedResponseRow = typeof cannedResponses.$inferSelect;

export function presentCannedResponse(r: CannedResponseRow) {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    shortcut: r.shortcut,
    actions: r.actions,
    shared: r.ownerMemberId === null,
    ownerMemberId: r.ownerMemberId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The shared canned responses and the caller's own, by title; `q` narrows by title or shortcut. */
export async function listCannedResponses(db: Executor, actor: Actor, opts: { q?: string } = {}) {
  const like = opts.q ? `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const rows = await db
    .select()
    .from(cannedResponses)
    .where(
      and(
        eq(cannedResponses.workspaceId, actor.workspaceId),
        or(isNull(cannedResponses.ownerMemberId), eq(cannedResponses.ownerMemberId, actor.memberId)),
        like ? or(ilike(cannedResponses.title, like), ilike(cannedResponses.shortcut, like)) : undefined,
      ),
    )
    .orderBy(asc(cannedResponses.title), asc(cannedResponses.id));
  return rows.map(presentCannedResponse);
}

/** A canned response the caller may read; another member's personal one is as unknown as another workspace's. */
async function getReadable(db: Executor, actor: Actor | SystemActor, id: string) {
  const [r] = await db.select().from(cannedResponses).where(and(eq(cannedResponses.id, id), eq(cannedResponses.workspaceId, actor.workspaceId)));
  // A rule reads the workspace's shared responses only: a personal one is its owner's alone.
  const readable = r && (isSystemActor(actor) ? r.ownerMemberId === null : cannedResponsePolicy.read(actor, r));
  if (!readable) throw new NotFound('Canned response');
  return r;
}

/** One of the workspace's shared canned responses (what a rule may send); NotFound for a personal one. */
export async function getSharedCannedResponse(db: Executor, workspaceId: string, id: string) {
  const [r] = await db
    .select()
    .from(cannedResponses)
    .where(and(eq(cannedResponses.id, id), eq(cannedResponses.workspaceId, workspaceId), isNull(cannedResponses.ownerMemberId)));
  if (!r) throw new NotFound('Canned response');
  return presentCannedResponse(r);
}

export async function getCannedResponse(db: Executor, actor: Actor, id: string) {
  return presentCannedResponse(await getReadable(db, actor, id));
}

/** A macro's member and team must be the workspace's (they are checked again when it is applied). */
async function checkActions(db: Executor, actor: Actor, actions: MacroActions | null | undefined) {
  if (!actions) return null;
  if (actions.assigneeId) await mustRefer('actions.assigneeId', 'no such member', () => getMember(db, actor, actions.assigneeId!));
  if (actions.teamId) await mustRefer('actions.teamId', 'no such team', () => getTeam(db, actor, actions.teamId!));
  return actions;
}

/** Saves a canned response: personal unless `shared`, which only admins may create. */
export async function createCannedResponse(tx: Executor, actor: Actor, input: CannedResponseCreate) {
  const ownerMemberId = input.shared ? null : actor.memberId;
  if (!cannedResponsePolicy.write(actor, { ownerMemberId })) throw new Forbidden('Only admins create shared canned responses');
  const [r] = await tx
    .insert(cannedResponses)
    .values({ workspaceId: actor.workspaceId, ownerMemberId, title: input.title, body: input.body, shortcut: input.shortcut ?? null, actions: await checkActions(tx, actor, input.actions) })
    .returning();
  if (input.shared) await recordAudit(tx, actor, { action: 'canned_response.create', targetType: 'canned_response', targetId: r.id, data: { title: r.title } });
  return presentCannedResponse(r);
}

/** Changes a canned response: its owner for a personal one, admins for a shared one. */
export async function updateCannedResponse(tx: Executor, actor: Actor, id: string, input: CannedResponseUpdate) {
  const r = await getReadable(tx, actor, id);
  if (!cannedResponsePolicy.write(actor, r)) throw new Forbidden('Only admins change shared canned responses');
  const patch: Partial<typeof cannedResponses.$inferInsert> = { updatedAt: new Date() };
  if (input.title !== undefined) patch.title = input.title;
  if (input.body !== undefined) patch.body = input.body;
  if (input.shortcut !== undefined) patch.shortcut = input.shortcut;
  if (input.actions !== undefined) patch.actions = await checkActions(tx, actor, input.actions);
  const [updated] = await tx.update(cannedResponses).set(patch).where(eq(cannedResponses.id, r.id)).returning();
  if (r.ownerMemberId === null) await recordAudit(tx, actor, { action: 'canned_response.update', targetType: 'canned_response', targetId: r.id, data: input });
  return presentCannedResponse(updated);
}

/** Deletes a canned response, under the same rule as changing it. */
export async function deleteCannedResponse(tx: Executor, actor: Actor, id: string) {
  const r = await getReadable(tx, actor, id);
  if (!cannedResponsePolicy.write(actor, r)) throw new Forbidden('Only admins delete shared canned responses');
  await tx.delete(cannedResponses).where(eq(cannedResponses.id, r.id));
  if (r.ownerMemberId === null) await recordAudit(tx, actor, { action: 'canned_response.delete', targetType: 'canned_response', targetId: r.id, data: { title: r.title } });
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? '';

/** `{{ name }}` placeholders; names are letters, digits, `_` and dots. */
const VARIABLE = /\{\{\s*([a-z0-9_.]+)\s*\}\}/gi;

/**
 * Fills a body's variables from a conversation. A variable that is unknown, or has no
 * value (a contact without a name), stays visible as written and is listed in
 * `missing`, so the agent sees what to fill in by hand.
 */
export function fillVariables(body: string, values: Record<string, string>) {
  const missing = new Set<string>();
  const text = body.replace(VARIABLE, (whole, name: string) => {
    const value = values[name.toLowerCase()];
    if (value) return value;
    missing.add(name);
    return whole;
  });
  return { text, missing: [...missing] };
}

/** A canned response's body with its variables filled for one conversation, ready for the composer. */
export async function renderCannedResponse(db: Executor, actor: Actor | SystemActor, id: string, conversationId: string) {
  const r = await getReadable(db, actor, id);
  const c = await getConversationRow(db, actor, conversationId);
  const [contact] = await db.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, c.contactId));
  const [ws] = await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, actor.workspaceId));
  // A rule sending a template acts as no member: the agent variables stay unfilled.
  const memberId = isSystemActor(actor) ? undefined : actor.memberId;
  const [agent] = memberId ? await db.select({ name: users.name }).from(members).innerJoin(users, eq(users.id, members.userId)).where(eq(members.id, memberId)) : [];
  const contactName = contact?.name.trim() ?? '';
  const { text, missing } = fillVariables(r.body, {
    'contact.name': contactName,
    'contact.first_name': firstName(contactName),
    'agent.name': agent?.name ?? '',
    'agent.first_name': firstName(agent?.name ?? ''),
    'conversation.number': String(c.number),
    'workspace.name': ws.name,
  });
  return { text, missing };
}

/**
 * Applies a macro to a conversation: its text (sent as a reply, or returned as a draft) and
 * its changes, all in the caller's transaction through the conversation commands, so either
 * everything lands or nothing does.
 */
export async function applyMacro(tx: Executor, actor: Actor, conversationId: string, id: string, opts: { send: boolean; lastSeenMessageId?: string }) {
  const { text } = await renderCannedResponse(tx, actor, id, conversationId);
  const r = await getReadable(tx, actor, id);
  // Sent with what the agent last saw, a reply by a teammate since is a collision (409) as
  // for any reply, and then none of the macro's changes are made either.
  const seen = opts.lastSeenMessageId ? { lastSeenMessageId: opts.lastSeenMessageId } : {};
  const message = opts.send ? await addAgentMessage(tx, actor, conversationId, { kind: 'reply', text, ...seen }) : undefined;
  const conversation = r.actions ? await updateConversation(tx, actor, conversationId, r.actions) : presentConversation(await getConversationRow(tx, actor, conversationId));
  return { conversation, ...(message ? { message } : { draft: text }) };
}
