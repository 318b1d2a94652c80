import { h, marked } from './dom';
import { createSuggester } from './suggester';
import type { Suggestion } from './suggestions';

const LIMIT = 5;

/**
 * Suggestions under a form field, in the form's `.suggest[data-suggest-for=<field id>]`
 * block: articles and threads that may already answer what is being typed. The block
 * stays hidden while there are none. `link` says where a suggestion leads: the contact
 * form's go through the help center's counter (suggestionUrl: the page asks "did this
 * solve it?"), the ask form's straight to the thread (url).
 */
export function suggestBlock(form: HTMLFormElement, fieldId: string, endpoint: string | undefined, link: 'url' | 'suggestionUrl') {
  const field = form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${fieldId}`);
  const block = form.querySelector<HTMLElement>(`.suggest[data-suggest-for="${fieldId}"]`);
  const ul = block?.querySelector('ul');
  if (!field || !block || !ul || !endpoint) return;
  let shown = '';

  const show = (_q: string, items: Suggestion[]) => {
    const key = items.map((s) => s.url).join('\n');
    // The block is a live region: it is rewritten (and read out) only when what it lists
    // changes; otherwise only the links' addresses follow the query (suggestionUrl names it).
    if (key === shown) {
      ul.querySelectorAll('a').forEach((a, i) => a.setAttribute('href', items[i][link]));
      return;
    }
    shown = key;
    ul.replaceChildren(
      ...items.map((s) => {
        const li = h('li', {}, h('a', { href: s[link] }, marked(s.titleHighlight)));
        if (s.snippet) li.append(h('span', { class: 'snippet' }, marked(s.snippet)));
        return li;
      }),
    );
    block.hidden = items.length === 0;
  };
  const suggester = createSuggester({ endpoint, limit: LIMIT, base: location.href, onResult: (q, list) => show(q, list.items), onClear: () => show('', []) });
  field.addEventListener('input', () => suggester.update(field.value));
  if (field.value) suggester.update(field.value);
}
