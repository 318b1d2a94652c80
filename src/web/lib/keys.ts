/** The keyboard map of the agent app: which key does what. Pure, so it can be tested and listed in the ? dialog. */

export type KeyAction = 'next' | 'prev' | 'open' | 'reply' | 'note' | 'assignMe' | 'solve' | 'snooze' | 'search' | 'back' | 'help' | 'select';

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  /** True when the focus is in a text field, where single letters are typing, not commands. */
  inField?: boolean;
}

/** The shortcuts as shown to the agent, in order. */
export const SHORTCUTS: { keys: string[]; action: KeyAction }[] = [
  { keys: ['j'], action: 'next' },
  { keys: ['k'], action: 'prev' },
  { keys: ['Enter', 'o'], action: 'open' },
  { keys: ['x'], action: 'select' },
  { keys: ['r'], action: 'reply' },
  { keys: ['n'], action: 'note' },
  { keys: ['a'], action: 'assignMe' },
  { keys: ['s'], action: 'solve' },
  { keys: ['z'], action: 'snooze' },
  { keys: ['/', 'Ctrl K'], action: 'search' },
  { keys: ['Esc'], action: 'back' },
  { keys: ['?'], action: 'help' },
];

const single: Record<string, KeyAction> = {
  j: 'next',
  k: 'prev',
  o: 'open',
  Enter: 'open',
  x: 'select',
  r: 'reply',
  n: 'note',
  a: 'assignMe',
  s: 'solve',
  z: 'snooze',
  '/': 'search',
  '?': 'help',
  ArrowDown: 'next',
  ArrowUp: 'prev',
};

/** The action of a key press, or null when it is not a shortcut (or is typing in a field). */
export function actionFor(e: KeyInput): KeyAction | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') return 'search';
  if (e.key === 'Escape') return 'back';
  if (e.inField || e.ctrlKey || e.metaKey || e.altKey) return null;
  return single[e.key] ?? null;
}
