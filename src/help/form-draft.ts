import { DRAFT_FIELDS, type Draft, draftKey, draftToRestore, parseDraft, serializeDraft } from './draft';

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * Keeps what the customer typed into the contact form in sessionStorage (this tab
 * only), so a suggestion they open and the way back ("No, back to my message") loses
 * nothing. Sending the form forgets it. Storage may be off: then nothing is kept.
 */
export function keepDraft(form: HTMLFormElement) {
  const key = draftKey(location.pathname);
  const fields = new Map<(typeof DRAFT_FIELDS)[number], Field>();
  for (const name of DRAFT_FIELDS) {
    const el = form.elements.namedItem(name);
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) fields.set(name, el);
  }
  const values = (): Draft => Object.fromEntries([...fields].map(([name, el]) => [name, el.value]));

  let storage: Storage;
  try {
    storage = window.sessionStorage;
    const restore = draftToRestore(parseDraft(storage.getItem(key)), values());
    for (const [name, value] of Object.entries(restore) as [keyof Draft, string][]) {
      const el = fields.get(name);
      if (!el || ('readOnly' in el && el.readOnly)) continue;
      if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === value)) continue;
      el.value = value;
    }
  } catch {
    return;
  }
  const save = () => {
    try {
      const s = serializeDraft(values());
      if (s) storage.setItem(key, s);
      else storage.removeItem(key);
    } catch {
      // Full or refused: the form still works, it only forgets.
    }
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  form.addEventListener('submit', () => {
    try {
      storage.removeItem(key);
    } catch {
      // As above.
    }
  });
}
