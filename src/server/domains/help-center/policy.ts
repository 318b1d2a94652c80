import { type Actor, canAdminister, hasScope } from '../../core/actor.js';

/**
 * Who may do what with the help center and what is in it. Everyone in the workspace
 * reads; agents and admins write articles and moderate the community (light members,
 * such as an executive, read only); admins change the help center's settings.
 */
export const helpCenterPolicy = {
  read: (a: Actor) => hasScope(a, 'read'),
  write: (a: Actor) => a.role !== 'light' && hasScope(a, 'write'),
  moderate: (a: Actor) => a.role !== 'light' && hasScope(a, 'write'),
  /** Deleting an article or a category loses work for good: an admin act (core/actor.ts). Others archive. */
  delete: canAdminister,
  configure: canAdminister,
};
