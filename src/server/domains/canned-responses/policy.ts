import { type Actor, canAdminister, hasScope } from '../../core/actor.js';

interface CannedResponseLike {
  ownerMemberId: string | null;
}

/**
 * Who may do what with a canned response. Everyone reads the shared ones and their own;
 * a personal one is its owner's alone, and shared ones are written by admins.
 */
export const cannedResponsePolicy = {
  read: (a: Actor, r: CannedResponseLike) => hasScope(a, 'read') && (r.ownerMemberId === null || r.ownerMemberId === a.memberId),
  write: (a: Actor, r: CannedResponseLike) =>
    r.ownerMemberId === null ? canAdminister(a) : hasScope(a, 'write') && r.ownerMemberId === a.memberId,
};
