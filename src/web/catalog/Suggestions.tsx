import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { type Product, useDebounced, useSuggestions } from './data';

/** What a suggestion puts in the reply: its name and its address, on a line of its own. */
export const articleLink = (a: { title: string; url: string }) => `${a.title}: ${a.url}`;
export const productLink = (p: Pick<Product, 'name' | 'sku' | 'url'>) => (p.url ? `${p.name}: ${p.url}` : `${p.name} (${p.sku})`);

/**
 * Knowledge-base articles and products that match the customer's last message and the
 * draft (asked again once typing pauses), beside the composer: each a button that puts
 * its link in the reply. Tab reaches them from the text box.
 */
export function Suggestions({ conversationId, draft, onInsert }: { conversationId: string; draft: string; onInsert: (text: string) => void }) {
  const settled = useDebounced(draft.trim(), 600);
  const s = useSuggestions(conversationId, settled).data;
  const items = [
    ...(s?.articles ?? []).map((a) => ({ key: `a-${a.id}`, icon: 'book' as const, title: a.title, detail: a.snippet, label: t('suggest.insertArticle', { title: a.title }), text: articleLink(a) })),
    ...(s?.products ?? []).map((p) => ({ key: `p-${p.id}`, icon: 'tag' as const, title: p.name, detail: p.sku, label: t('suggest.insertProduct', { title: p.name }), text: productLink(p) })),
  ];
  if (!items.length) return null;
  return (
    <div className="mt-2 flex items-center gap-1.5 max-split:overflow-x-auto split:flex-wrap" role="group" aria-label={t('suggest.title')}>
      <span className="shrink-0 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('suggest.title')}</span>
      {items.map((i) => (
        <button
          key={i.key}
          type="button"
          aria-label={i.label}
          title={`${i.title}\n${i.detail}\n${t('suggest.hint')}`}
          onClick={() => onInsert(i.text)}
          className="flex max-w-[min(16rem,100%)] shrink-0 items-center gap-1 rounded-full max-split:py-1.5 border border-line bg-canvas px-2 py-0.5 text-xs text-ink-2 hover:border-accent hover:text-ink focus-visible:border-accent"
        >
          <Icon name={i.icon} size={12} className="shrink-0" />
          <span className="min-w-0 truncate">{i.title}</span>
          <Icon name="plus" size={11} className="shrink-0" />
        </button>
      ))}
    </div>
  );
}
