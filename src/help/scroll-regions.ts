import { debounce } from './debounce';

/**
 * An article's wide table or long code line scrolls sideways inside the article on a
 * narrow screen; keyboard users reach it (and scroll it with the arrow keys) once it
 * can take focus. Only the ones that do scroll are made focusable, so the others stay
 * out of the tab order.
 */
export function focusableScrollRegions() {
  const regions = [...document.querySelectorAll<HTMLElement>('.prose table, .prose pre')];
  if (!regions.length) return;
  const update = () => {
    for (const el of regions) {
      if (el.scrollWidth > el.clientWidth + 1) el.setAttribute('tabindex', '0');
      else el.removeAttribute('tabindex');
    }
  };
  update();
  window.addEventListener('resize', debounce(update, 200));
}
