/**
 * The contact form's intake fields: only the chosen topic's group is shown (and sent), so the
 * customer sees just what that topic needs. Without script every group shows, each named
 * after its topic, and the server reads only the chosen topic's.
 */
export function topicFields(form: HTMLFormElement) {
  const select = form.querySelector<HTMLSelectElement>('select[name="topic"]');
  const groups = [...form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-topic-fields]')];
  if (!select || !groups.length) return;
  const show = () => {
    for (const g of groups) {
      const on = g.dataset.topicFields === select.value;
      g.hidden = !on;
      g.disabled = !on;
    }
  };
  select.addEventListener('change', show);
  show();
}
