import { h, marked } from './dom';
import { moveActive } from './listbox';
import { createSuggester } from './suggester';
import type { Suggestion } from './suggestions';

/** How many suggestions a search box shows. */
const LIMIT = 6;

interface Option {
  el: HTMLElement;
  /** Where it leads; none for the last option, which runs the search itself. */
  url?: string;
}

/**
 * A search box (form[data-suggest], its value the JSON endpoint) becomes a combobox
 * with a list of suggestions under it (the WAI-ARIA combobox pattern, list popup):
 * arrow keys move through the suggestions while focus stays in the box, Enter opens
 * the active one, Escape closes the list, the mouse works too, and a status line tells
 * screen readers how many there are. The last option searches for what was typed.
 */
export function searchCombobox(form: HTMLFormElement) {
  const input = form.querySelector<HTMLInputElement>('input[name="q"]');
  const endpoint = form.dataset.suggest;
  if (!input || !endpoint) return;
  const submitText = form.querySelector('button[type="submit"]')?.textContent?.trim() ?? '';
  const label = form.dataset.labelSuggestions ?? '';
  const kinds: Record<Suggestion['kind'], string> = { article: form.dataset.labelArticle ?? '', thread: form.dataset.labelThread ?? '' };

  const listId = `${input.id || 'q'}-listbox`;
  const list = h('ul', { id: listId, role: 'listbox', class: 'suggestions' });
  if (label) list.setAttribute('aria-label', label);
  list.hidden = true;
  form.append(list);
  // The live region that says how many suggestions there are: added once the box is used,
  // early enough to be announced, and absent from pages where nobody searches.
  let status: HTMLElement | undefined;
  const liveRegion = () => {
    if (!status) form.append((status = h('p', { class: 'visually-hidden', role: 'status' })));
    return status;
  };
  form.classList.add('has-suggestions');
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('aria-expanded', 'false');

  let options: Option[] = [];
  let active = -1;
  let shownFor = '';

  const setActive = (i: number) => {
    active = i;
    options.forEach((o, n) => o.el.setAttribute('aria-selected', String(n === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', options[i].el.id);
      options[i].el.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const open = () => {
    if (!options.length) return;
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const close = () => {
    setActive(-1);
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
  };
  const clear = () => {
    close();
    options = [];
    shownFor = '';
    list.replaceChildren();
    if (status) status.textContent = '';
  };

  const render = (q: string, items: Suggestion[]) => {
    if (!items.length || document.activeElement !== input) {
      clear();
      return;
    }
    options = items.map((s, i) => {
      const el = h('li', { id: `${listId}-${i}`, role: 'option', class: `suggestion suggestion-${s.kind}` });
      if (kinds[s.kind]) el.append(h('span', { class: 'suggestion-kind', 'aria-hidden': 'true' }, kinds[s.kind]));
      el.append(h('span', { class: 'suggestion-title' }, marked(s.titleHighlight)));
      // The passage is for the eye; a screen reader hears the title (and can open it to read on).
      if (s.snippet) el.append(h('span', { class: 'suggestion-snippet', 'aria-hidden': 'true' }, marked(s.snippet)));
      return { el, url: s.url };
    });
    if (submitText) options.push({ el: h('li', { id: `${listId}-all`, role: 'option', class: 'suggestion suggestion-all' }, `${submitText}: “${q}”`) });
    list.replaceChildren(...options.map((o) => o.el));
    shownFor = q;
    setActive(-1);
    open();
    liveRegion().textContent = label ? `${label}: ${items.length}` : String(items.length);
  };

  const suggester = createSuggester({ endpoint, limit: LIMIT, base: location.href, onResult: (q, list) => render(q, list.items), onClear: clear });

  const choose = (i: number, newTab = false) => {
    const o = options[i];
    if (!o) return;
    if (!o.url) {
      close();
      form.requestSubmit();
    } else if (newTab) window.open(o.url, '_blank', 'noopener');
    else location.assign(o.url);
  };

  input.addEventListener('input', () => {
    liveRegion();
    suggester.update(input.value);
  });
  input.addEventListener('keydown', (e) => {
    if (e.isComposing) return;
    const expanded = !list.hidden;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!options.length) return;
      e.preventDefault();
      if (!expanded) open();
      setActive(moveActive(active, options.length, e.key));
    } else if (e.key === 'Enter' && expanded && active >= 0) {
      e.preventDefault();
      choose(active, e.ctrlKey || e.metaKey);
    } else if (e.key === 'Escape' && expanded) {
      // The first Escape closes the list and keeps the text (a search field would clear it).
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') close();
  });
  input.addEventListener('focus', () => {
    liveRegion();
    if (options.length && shownFor) open();
  });
  input.addEventListener('blur', close);
  // A press on the list keeps the focus in the box, so the click lands before the list closes.
  list.addEventListener('mousedown', (e) => e.preventDefault());
  list.addEventListener('mousemove', (e) => {
    const i = indexOf(e.target);
    if (i >= 0 && i !== active) setActive(i);
  });
  list.addEventListener('click', (e) => choose(indexOf(e.target), e.ctrlKey || e.metaKey || e.shiftKey));
  list.addEventListener('auxclick', (e) => {
    if (e.button === 1) choose(indexOf(e.target), true);
  });
  // Back from a suggestion (the page restored from the cache): the list is not left open.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) close();
  });

  function indexOf(target: EventTarget | null) {
    const li = target instanceof Element ? target.closest('[role="option"]') : null;
    return options.findIndex((o) => o.el === li);
  }
}
