import { useSyncExternalStore } from 'react';

/** The width from which the list, the conversation and the rail sit side by side (`split:` in styles.css). */
export const SPLIT_QUERY = '(min-width: 900px)';

function useMedia(query: MediaQueryList) {
  return useSyncExternalStore(
    (l) => {
      query.addEventListener('change', l);
      return () => query.removeEventListener('change', l);
    },
    () => query.matches,
  );
}

const split = window.matchMedia(SPLIT_QUERY);

/** True from 900 px on; below, the app shows one pane at a time. */
export function useSplit() {
  return useMedia(split);
}

/** The list pane's width in pixels: its bounds, and where it starts. */
export const LIST_WIDTH = { min: 280, max: 640, initial: 380, step: 16 };

const listWidthKey = (memberId: string) => `heard.listWidth.${memberId}`;

/** The list pane's width an agent chose (on this browser), within its bounds. */
export function savedListWidth(memberId: string): number {
  const n = Number(localStorage.getItem(listWidthKey(memberId)));
  return Number.isFinite(n) && n > 0 ? clampListWidth(n) : LIST_WIDTH.initial;
}

export function saveListWidth(memberId: string, width: number) {
  localStorage.setItem(listWidthKey(memberId), String(Math.round(width)));
}

export function clampListWidth(n: number) {
  return Math.min(LIST_WIDTH.max, Math.max(LIST_WIDTH.min, Math.round(n)));
}
