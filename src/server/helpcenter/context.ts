import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { members, users } from '../db/schema/index.js';
import { SESSION_COOKIE } from '../core/http/authenticate.js';
import { actorFromSession } from '../domains/auth/service.js';
import { type HelpCenter, helpCenterBySlug, helpCenterPath, visibleTo } from '../domains/help-center/service.js';
import type { Actor } from '../core/actor.js';
import { NotFound } from '../core/errors.js';
import { portalSessionOf } from '../channels/portal/sign-in.js';
import { communityNameOf } from '../domains/community/service.js';
import { hasWall } from '../domains/feedback/service.js';
import { helpCenterPolicy } from '../domains/help-center/policy.js';
import { formCookie, issueFormToken } from './forms.js';
import { catalog, htmlLang } from './i18n/index.js';
import type { PageContext, Viewer } from './page-context.js';

export const PORTAL_COOKIE = 'heard_portal';

export interface SiteRequest {
  hc: HelpCenter;
  ctx: PageContext;
  /** The member behind the agent app's session cookie, when they belong to this help center's workspace. */
  member: Actor | null;
  portalToken: string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    site?: SiteRequest;
  }
}

/**
 * Works out which help center a request is for and who is looking: a customer signed in
 * to its portal, a member of its workspace signed in to the agent app (who sees staff
 * controls and the unpublished help center), or anyone. Anonymous readers cost no query
 * but the help center's own and whether its feedback wall has anything (for the navigation).
 */
export async function loadSite(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, assets: { css: string; js: string }): Promise<SiteRequest> {
  const slug = (req.params as { site?: string }).site ?? '';
  const hc = await helpCenterBySlug(app.ctx.db, slug);
  const sessionCookie = req.cookies[SESSION_COOKIE];
  const actor = sessionCookie ? await actorFromSession(app.ctx.db, sessionCookie) : null;
  const member = actor && actor.workspaceId === hc.workspaceId ? actor : null;
  if (!visibleTo(hc, member?.workspaceId)) throw new NotFound('Help center');

  const portalToken = req.cookies[PORTAL_COOKIE];
  const portal = portalToken ? await portalSessionOf(app.ctx.db, hc, portalToken) : null;
  const viewer: Viewer = {
    customer: portal ? { id: portal.contact.id, name: portal.contact.name, sessionId: portal.session.id, communityName: communityNameOf(portal.contact) } : null,
    member: member ? { id: member.memberId, name: await memberName(app, member.memberId), moderates: helpCenterPolicy.moderate(member) } : null,
  };
  const cookie = formCookie(req, reply, app.ctx.config.secureCookies);
  const ctx: PageContext = {
    hc,
    t: catalog(hc.locale),
    base: helpCenterPath(hc),
    publicUrl: app.ctx.config.publicUrl,
    lang: htmlLang(hc.locale),
    viewer,
    formToken: () => issueFormToken(app.ctx.secret, cookie),
    assets,
    path: req.url.split('?')[0],
    feedbackWall: await hasWall(app.ctx.db, hc.workspaceId),
  };
  const { csrfToken: _csrf, ...memberActor } = (member ?? {}) as Actor & { csrfToken?: string };
  return { hc, ctx, member: member ? (memberActor as Actor) : null, portalToken };
}

async function memberName(app: FastifyInstance, memberId: string) {
  const [m] = await app.ctx.db.select({ name: users.name }).from(members).innerJoin(users, eq(users.id, members.userId)).where(eq(members.id, memberId));
  return m?.name ?? '';
}
