import { useEffect, useRef } from 'react';
import { actionFor, type KeyAction } from './keys';

type Handler = (action: KeyAction, e: KeyboardEvent) => boolean | void;
const handlers: { current: Handler }[] = [];

function inField(el: EventTarget | null) {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

window.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.isComposing) return;
  const action = actionFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, shiftKey: e.shiftKey, inField: inField(e.target) });
  if (!action) return;
  if (document.querySelector('[role="dialog"]') && action !== 'back') return;
  for (let i = handlers.length - 1; i >= 0; i--) {
    if (handlers[i].current(action, e) === true) {
      e.preventDefault();
      return;
    }
  }
});

/** Receives keyboard actions; the most recently mounted handler is asked first and returns true when it acted. */
export function useShortcuts(handler: Handler) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const entry = { current: (a: KeyAction, e: KeyboardEvent) => ref.current(a, e) };
    handlers.push(entry);
    return () => {
      handlers.splice(handlers.indexOf(entry), 1);
    };
  }, []);
}
