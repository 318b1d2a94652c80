import { markedSegments } from './highlight';

/** An element with attributes and children; children are text nodes or elements, never parsed HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** Highlighted text (search markers) as text nodes and <mark>s. */
export function marked(text: string): DocumentFragment {
  const f = document.createDocumentFragment();
  for (const s of markedSegments(text)) f.append(s.marked ? h('mark', {}, s.text) : s.text);
  return f;
}
