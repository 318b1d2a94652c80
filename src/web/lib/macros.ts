import { t, tn } from '../i18n';
import type { MacroActions, Priority, Status } from './types';

/** How a macro's member and team ids read; an id it does not know reads as "someone" / "a team". */
export interface MacroNames {
  member: (id: string) => string | undefined;
  team: (id: string) => string | undefined;
}

/** Whether a canned response is a macro: it changes something besides giving its text. */
export function isMacro(actions: MacroActions | null | undefined): actions is MacroActions {
  return !!actions && Object.values(actions).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0));
}

/**
 * A macro's changes as phrases, in the order the conversation header shows its fields:
 * `summary` says what it will do ("sets Solved", "adds tag refund"), for the settings list
 * and the picker; `applied` says what it did ("Solved", "tag refund"), for the notice after
 * applying it.
 */
export function macroPhrases(a: MacroActions, names: MacroNames, form: 'summary' | 'applied'): string[] {
  const out: string[] = [];
  const summary = form === 'summary';
  const member = (id: string) => names.member(id) ?? t('event.someone');
  const team = (id: string) => names.team(id) ?? t('macro.someTeam');
  if (a.status) out.push(t(summary ? 'macro.setsStatus' : 'macro.status', { status: t(`status.${a.status}`) }));
  if (a.priority) out.push(t(summary ? 'macro.setsPriority' : 'macro.priority', { priority: t(`priority.${a.priority}`) }));
  if (a.assigneeId !== undefined) {
    if (a.assigneeId === null) out.push(t(summary ? 'macro.unassigns' : 'macro.unassigned'));
    else out.push(t(summary ? 'macro.assigns' : 'macro.assigned', { name: member(a.assigneeId) }));
  }
  if (a.teamId !== undefined) {
    if (a.teamId === null) out.push(t(summary ? 'macro.removesTeam' : 'macro.noTeam'));
    else out.push(t(summary ? 'macro.movesToTeam' : 'macro.team', { name: team(a.teamId) }));
  }
  if (a.addTags?.length) out.push(tn(summary ? 'macro.addsTags' : 'macro.tagsAdded', a.addTags.length, { tags: a.addTags.join(', ') }));
  if (a.removeTags?.length) out.push(tn(summary ? 'macro.removesTags' : 'macro.tagsRemoved', a.removeTags.length, { tags: a.removeTags.join(', ') }));
  return out;
}

/** The "Also change" part of the canned response form: '' leaves a field as it is, `none` clears it. */
export interface MacroDraft {
  status: Status | '';
  priority: Priority | '';
  /** A member's id, `none` to unassign, or '' to leave the assignee. */
  assignee: string;
  /** A team's id, `none` for no team, or '' to leave the team. */
  team: string;
  /** Tags to add, separated by commas. */
  addTags: string;
  /** Tags to remove, separated by commas. */
  removeTags: string;
}

export const NONE = 'none';

export const emptyMacroDraft: MacroDraft = { status: '', priority: '', assignee: '', team: '', addTags: '', removeTags: '' };

/** "refund, vip ,, refund" → ["refund", "vip"]: trimmed, without blanks or repeats. */
export function parseTags(s: string): string[] {
  return [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))];
}

export function draftFromActions(a: MacroActions | null | undefined): MacroDraft {
  if (!a) return emptyMacroDraft;
  return {
    status: a.status ?? '',
    priority: a.priority ?? '',
    assignee: a.assigneeId === undefined ? '' : (a.assigneeId ?? NONE),
    team: a.teamId === undefined ? '' : (a.teamId ?? NONE),
    addTags: (a.addTags ?? []).join(', '),
    removeTags: (a.removeTags ?? []).join(', '),
  };
}

/** The actions to save for a draft; null when it changes nothing, so the response is no macro. */
export function actionsFromDraft(d: MacroDraft): MacroActions | null {
  const a: MacroActions = {};
  if (d.status) a.status = d.status;
  if (d.priority) a.priority = d.priority;
  if (d.assignee) a.assigneeId = d.assignee === NONE ? null : d.assignee;
  if (d.team) a.teamId = d.team === NONE ? null : d.team;
  const add = parseTags(d.addTags);
  const remove = parseTags(d.removeTags);
  if (add.length) a.addTags = add;
  if (remove.length) a.removeTags = remove;
  return Object.keys(a).length ? a : null;
}
