import type { ActorSystem } from './events/types.js';

/** Roles, from most to least powerful. A light member (e.g. an executive) answers what is assigned to them. */
export const ROLES = ['owner', 'admin', 'agent', 'light'] as const;
export type Role = (typeof ROLES)[number];

/** What an API token may do; a token never exceeds its member's role. `events` only records business events (POST /events). */
export const SCOPES = ['read', 'write', 'admin', 'events'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is acting: a signed-in member, or an API token acting as one. Every service takes one. */
export interface Actor {
  workspaceId: string;
  memberId: string;
  userId: string;
  role: Role;
  via: 'session' | 'token';
  /** Token scopes; a session has all of them. */
  scopes: readonly Scope[];
  /**
   * For a token an owner made for another member: that owner. The token has the member's
   * powers, but the audit log names the owner as the one who acted, on the member's behalf.
   */
  madeBy?: string;
}

export const isAdmin = (a: Pick<Actor, 'role'>): boolean => a.role === 'owner' || a.role === 'admin';
export const hasScope = (a: Pick<Actor, 'scopes'>, s: Scope): boolean => a.scopes.includes(s);

/**
 * The one rule for admin acts: changing the workspace's set-up (inboxes, teams, members,
 * tags, fields, the help center) or destroying its content for good. An owner or admin,
 * and through a token only when it carries the admin scope: a read/write token of an
 * admin's, handed to an integration, can never delete what people wrote.
 */
export const canAdminister = (a: Pick<Actor, 'role' | 'scopes'>): boolean => isAdmin(a) && hasScope(a, 'admin');

/**
 * A job or rule acting on a conversation in a workspace: no member, no role. Only the
 * conversation commands take one, and skip for it the checks meant for people (it acts
 * by the workspace's own set-up); the events it writes name it (events.actor_system).
 */
export interface SystemActor {
  workspaceId: string;
  system: ActorSystem;
}

export const systemActor = {
  rule: (workspaceId: string, id: string, name: string): SystemActor => ({ workspaceId, system: { kind: 'rule', id, name } }),
  sla: (workspaceId: string): SystemActor => ({ workspaceId, system: { kind: 'sla' } }),
  job: (workspaceId: string, name: Extract<ActorSystem, { kind: 'job' }>['name']): SystemActor => ({ workspaceId, system: { kind: 'job', name } }),
};

export const isSystemActor = (a: Actor | SystemActor): a is SystemActor => 'system' in a;

/** Who an event names as having acted: the member, or what acted in their stead. */
export const eventActor = (a: Actor | SystemActor) => (isSystemActor(a) ? { actorMemberId: null, actorSystem: a.system } : { actorMemberId: a.memberId });
