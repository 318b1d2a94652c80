import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { communityThreads, helpCenters, inboxes, kbArticles, workspaces } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import type { Config } from '../../config.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { FileStore } from '../../core/files/file-store.js';
import { sniffImage } from '../../core/files/content-types.js';
import { renderMarkdown } from '../../core/markdown.js';
import { slugify } from '../../../shared/slug.js';
import { recordAudit } from '../audit/service.js';
import { emailSettings } from '../../channels/email/settings.js';
import { ensureTopics } from '../topics/service.js';
import type { HelpCenterUpdate } from './schema.js';

export type HelpCenter = typeof helpCenters.$inferSelect;

export const LOGO_MAX_BYTES = 1024 * 1024;

/** Paths under /help that are Heard's own, never a help center's slug. */
const RESERVED = new Set(['assets', 'files', 'api', 'static', 'sitemap', 'robots']);

/** Where a help center is served. */
export const helpCenterPath = (hc: Pick<HelpCenter, 'slug'>) => `/help/${hc.slug}`;

/** The logo's address: the version in the query lets browsers keep it until it changes. */
export const logoUrl = (hc: Pick<HelpCenter, 'slug' | 'logoSha256'>) => (hc.logoSha256 ? `${helpCenterPath(hc)}/logo?v=${hc.logoSha256.slice(0, 16)}` : null);

export function presentHelpCenter(hc: HelpCenter, config: Pick<Config, 'publicUrl'>, canSendMail: boolean) {
  return {
    slug: hc.slug,
    url: `${config.publicUrl}${helpCenterPath(hc)}`,
    title: hc.title,
    published: hc.published,
    color: hc.color,
    logoUrl: logoUrl(hc),
    footer: hc.footer,
    locale: hc.locale as 'en' | 'de',
    language: hc.language,
    portalInboxId: hc.portalInboxId,
    topics: hc.topics,
    communityEnabled: hc.communityEnabled,
    canSendMail,
    updatedAt: hc.updatedAt,
  };
}

/** A slug no other help center has: the workspace's name, then with -2, -3… */
async function freeSlug(db: Executor, base: string): Promise<string> {
  const root = slugify(base, 50) || 'help';
  for (let n = 1; ; n++) {
    const candidate = n === 1 && !RESERVED.has(root) ? root : `${root}-${n}`;
    const [taken] = await db.select({ id: helpCenters.workspaceId }).from(helpCenters).where(eq(helpCenters.slug, candidate));
    if (!taken) return candidate;
  }
}

/**
 * The workspace's help center, made with defaults the first time it is asked for (named
 * after the workspace, unpublished). Safe when two requests make it at once.
 */
export async function ensureHelpCenter(db: Executor, workspaceId: string): Promise<HelpCenter> {
  const [found] = await db.select().from(helpCenters).where(eq(helpCenters.workspaceId, workspaceId));
  if (found) return found;
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!ws) throw new NotFound('Workspace');
  await db
    .insert(helpCenters)
    .values({ workspaceId, slug: await freeSlug(db, ws.name), title: ws.name })
    .onConflictDoNothing();
  const [made] = await db.select().from(helpCenters).where(eq(helpCenters.workspaceId, workspaceId));
  if (!made) throw new Conflict('the help center was being created by another request; retry');
  return made;
}

/** The workspace's help center when it has one (never made here): what its public pages look like and speak. */
export async function helpCenterOf(db: Executor, workspaceId: string): Promise<HelpCenter | undefined> {
  const [found] = await db.select().from(helpCenters).where(eq(helpCenters.workspaceId, workspaceId));
  return found;
}

/** The help center at /help/<slug>; NotFound when there is none. Whether it is published is the caller's to check. */
export async function helpCenterBySlug(db: Executor, slug: string): Promise<HelpCenter> {
  const [hc] = await db.select().from(helpCenters).where(eq(helpCenters.slug, slug.toLowerCase()));
  if (!hc) throw new NotFound('Help center');
  return hc;
}

/** The help center that had this address before (links to it are redirected), if any. */
export async function helpCenterMovedFrom(db: Executor, slug: string): Promise<HelpCenter | undefined> {
  const [hc] = await db.select().from(helpCenters).where(sql`${helpCenters.previousSlugs} @> array[${slug.toLowerCase()}]::text[]`);
  return hc;
}

/** The email inbox that sends the help center's mail (sign-in links, confirmations, answers): the oldest one that can send. */
export async function helpMailInbox(db: Executor, config: Pick<Config, 'SMTP_URL'>, workspaceId: string) {
  const rows = await db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.channel, 'email'), isNull(inboxes.archivedAt)))
    .orderBy(asc(inboxes.createdAt));
  return rows.find((i) => emailSettings(i).smtp || config.SMTP_URL);
}

/** The portal inbox the contact form writes to: the chosen one, else the oldest, else a new "Help center" inbox. */
export async function ensurePortalInbox(tx: Executor, hc: HelpCenter) {
  if (hc.portalInboxId) {
    const [chosen] = await tx.select().from(inboxes).where(and(eq(inboxes.id, hc.portalInboxId), isNull(inboxes.archivedAt)));
    if (chosen) return chosen;
  }
  let [inbox] = await tx
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, hc.workspaceId), eq(inboxes.channel, 'portal'), isNull(inboxes.archivedAt)))
    .orderBy(asc(inboxes.createdAt))
    .limit(1);
  if (!inbox) [inbox] = await tx.insert(inboxes).values({ workspaceId: hc.workspaceId, name: 'Help center', channel: 'portal' }).returning();
  await tx.update(helpCenters).set({ portalInboxId: inbox.id }).where(eq(helpCenters.workspaceId, hc.workspaceId));
  return inbox;
}

/** Changes the help center's settings (admins). A new language re-indexes every article and question in it. */
export async function updateHelpCenter(tx: Executor, actor: Actor, input: HelpCenterUpdate): Promise<HelpCenter> {
  const hc = await ensureHelpCenter(tx, actor.workspaceId);
  const patch: Partial<typeof helpCenters.$inferInsert> = { updatedAt: new Date() };
  if (input.slug !== undefined && input.slug !== hc.slug) {
    if (RESERVED.has(input.slug)) throw new Invalid('slug', `"${input.slug}" is reserved`);
    const [taken] = await tx.select({ id: helpCenters.workspaceId }).from(helpCenters).where(and(eq(helpCenters.slug, input.slug), ne(helpCenters.workspaceId, hc.workspaceId)));
    if (taken) throw new Invalid('slug', 'is the address of another help center');
    patch.slug = input.slug;
    // The old address keeps leading here; one that another help center used to have is this one's now.
    patch.previousSlugs = [...hc.previousSlugs.filter((s) => s !== input.slug), hc.slug].slice(-10);
    await tx
      .update(helpCenters)
      .set({ previousSlugs: sql`array_remove(${helpCenters.previousSlugs}, ${input.slug})` })
      .where(and(ne(helpCenters.workspaceId, hc.workspaceId), sql`${helpCenters.previousSlugs} @> array[${input.slug}]::text[]`));
  }
  if (input.portalInboxId) {
    const [inbox] = await tx.select().from(inboxes).where(and(eq(inboxes.id, input.portalInboxId), eq(inboxes.workspaceId, actor.workspaceId)));
    if (!inbox || inbox.channel !== 'portal') throw new Invalid('portalInboxId', 'must be a portal inbox of this workspace');
    if (inbox.archivedAt) throw new Invalid('portalInboxId', 'is archived; restore it or choose another');
    patch.portalInboxId = inbox.id;
  } else if (input.portalInboxId === null) patch.portalInboxId = null;
  for (const key of ['title', 'published', 'color', 'locale', 'topics', 'communityEnabled'] as const) {
    if (input[key] !== undefined) Object.assign(patch, { [key]: input[key] });
  }
  // The form offers workspace topics by key: a new one becomes a topic, whose intake form admins then set.
  if (input.topics) await ensureTopics(tx, hc.workspaceId, input.topics);
  if (input.footer !== undefined) Object.assign(patch, { footer: input.footer, footerHtml: renderMarkdown(input.footer, 'staff').html });
  if (input.language !== undefined && input.language !== hc.language) {
    patch.language = input.language;
    await tx.update(kbArticles).set({ language: input.language }).where(eq(kbArticles.workspaceId, hc.workspaceId));
    await tx.update(communityThreads).set({ language: input.language }).where(eq(communityThreads.workspaceId, hc.workspaceId));
  }
  const [row] = await tx.update(helpCenters).set(patch).where(eq(helpCenters.workspaceId, hc.workspaceId)).returning();
  // A published help center needs somewhere for its contact form to write.
  if (row.published) await ensurePortalInbox(tx, row);
  await recordAudit(tx, actor, { action: 'help_center.update', targetType: 'help_center', targetId: hc.workspaceId, data: { ...input, footer: input.footer === undefined ? undefined : '(changed)' } });
  const [fresh] = await tx.select().from(helpCenters).where(eq(helpCenters.workspaceId, hc.workspaceId));
  return fresh;
}

/** Sets the logo: a PNG, JPEG, WebP or GIF of at most 1 MB, recognised by its bytes. */
export async function setHelpCenterLogo(tx: Executor, actor: Actor, store: FileStore, bytes: Buffer): Promise<HelpCenter> {
  if (bytes.length > LOGO_MAX_BYTES) throw new Invalid('file', 'must be at most 1 MB');
  const type = sniffImage(bytes);
  if (!type) throw new Invalid('file', 'must be a PNG, JPEG, WebP or GIF image');
  await ensureHelpCenter(tx, actor.workspaceId);
  const stored = await store.put(bytes);
  const [row] = await tx
    .update(helpCenters)
    .set({ logoSha256: stored.sha256, logoContentType: type, updatedAt: new Date() })
    .where(eq(helpCenters.workspaceId, actor.workspaceId))
    .returning();
  await recordAudit(tx, actor, { action: 'help_center.logo', targetType: 'help_center', targetId: actor.workspaceId });
  return row;
}

export async function removeHelpCenterLogo(tx: Executor, actor: Actor): Promise<HelpCenter> {
  await ensureHelpCenter(tx, actor.workspaceId);
  const [row] = await tx.update(helpCenters).set({ logoSha256: null, logoContentType: null, updatedAt: new Date() }).where(eq(helpCenters.workspaceId, actor.workspaceId)).returning();
  await recordAudit(tx, actor, { action: 'help_center.logo_removed', targetType: 'help_center', targetId: actor.workspaceId });
  return row;
}

/** Members of the workspace see an unpublished help center (to preview it); the public does not. */
export function visibleTo(hc: HelpCenter, memberWorkspaceId: string | null | undefined) {
  return hc.published || memberWorkspaceId === hc.workspaceId;
}
