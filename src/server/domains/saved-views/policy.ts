import { type Actor, canAdminister, hasScope, isAdmin } from '../../core/actor.js';

interface SavedViewLike {
  ownerMemberId: string | null;
  teamId: string | null;
}

/**
 * Who may do what with a saved view, given the teams the member belongs to. A personal view
 * is its owner's alone. A team view is seen by the team's members and by admins, and
 * changed by the team's members and by admins.
 */
export const savedViewPolicy = {
  read: (a: Actor, v: SavedViewLike, myTeamIds: readonly string[]) =>
    hasScope(a, 'read') && (v.ownerMemberId !== null ? v.ownerMemberId === a.memberId : isAdmin(a) || myTeamIds.includes(v.teamId!)),
  write: (a: Actor, v: SavedViewLike, myTeamIds: readonly string[]) =>
    v.ownerMemberId !== null
      ? hasScope(a, 'write') && v.ownerMemberId === a.memberId
      : canAdminister(a) || (hasScope(a, 'write') && myTeamIds.includes(v.teamId!)),
};
