import { useState } from 'react';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import { shortDate } from '../lib/time';
import { type Attribute, formatMoney, formatValue, type Product, useAttributes, useDebounced, useLinkOrder, useOrders, useProductSearch } from './data';

const heading = 'text-[11px] font-semibold tracking-wide text-ink-3 uppercase';

/** A product as the sidebar shows it: name (a link to its page), SKU and price, and every attribute it has. */
export function ProductCard({ product, attributes }: { product: Product; attributes: Attribute[] }) {
  const values = attributes.filter((a) => product.attributes[a.key] !== undefined);
  return (
    <article className="rounded-md border border-line bg-canvas p-2 text-[13px]" aria-label={product.name}>
      <div className="flex items-start gap-1">
        <h4 className="min-w-0 flex-1 leading-snug font-medium">
          {product.url ? (
            <a href={product.url} target="_blank" rel="noreferrer noopener" className="hover:underline">
              {product.name}
            </a>
          ) : (
            product.name
          )}
        </h4>
        {product.price !== null && <span className="shrink-0 text-xs font-medium">{formatMoney(product.price, product.currency)}</span>}
      </div>
      <p className="truncate font-mono text-[11px] text-ink-3">{product.sku}</p>
      {values.length > 0 && (
        <dl className="mt-1 grid grid-cols-[auto_minmax(0,1fr)] gap-x-2 gap-y-0.5 text-xs">
          {values.map((a) => (
            <div key={a.key} className="contents">
              <dt className="text-ink-3">{a.label}</dt>
              <dd className="min-w-0 break-words">{formatValue(a, product.attributes[a.key], t('catalog.yes'), t('catalog.no'))}</dd>
            </div>
          ))}
        </dl>
      )}
    </article>
  );
}

/** Searches the catalog from beside the conversation: words, and filters on attributes (length>=1200, wheels:yes). */
export function ProductsPanel() {
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 250);
  const attributes = useAttributes().data ?? [];
  const found = useProductSearch(query);
  const items = query ? (found.data?.items ?? []) : [];
  const error = found.error instanceof ApiError ? (found.error.errors[0]?.reason ?? found.error.detail) : found.error?.message;
  const example = attributes.find((a) => a.type === 'number') ?? attributes[0];
  return (
    <section className="border-t border-line p-4" aria-labelledby="products-title">
      <h3 id="products-title" className={`mb-2 ${heading}`}>
        {t('catalog.products')}
      </h3>
      <input
        type="search"
        aria-label={t('catalog.search')}
        aria-describedby="products-hint"
        placeholder={t('catalog.search')}
        className="h-8 w-full rounded-md border border-line bg-canvas px-2 text-[13px] outline-none focus:border-accent"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <p id="products-hint" className="mt-1 text-[11px] text-ink-3">
        {example ? t('catalog.searchHint', { example: example.type === 'number' ? `${example.key}>=100` : `${example.key}:…` }) : t('catalog.searchHintPlain')}
      </p>
      {error && (
        <p role="alert" className="mt-1 text-xs text-danger">
          {error}
        </p>
      )}
      {query && found.isSuccess && !items.length && !error && <p className="mt-2 text-xs text-ink-3">{t('catalog.noProducts')}</p>}
      {found.data?.fuzzy && items.length > 0 && <p className="mt-2 text-xs text-ink-3">{t('catalog.fuzzy')}</p>}
      {items.length > 0 && (
        <ul className="mt-2 flex flex-col gap-1.5" aria-label={t('catalog.results')}>
          {items.map((p) => (
            <li key={p.id}>
              <ProductCard product={p} attributes={attributes} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The customer's orders with their lines; beside a conversation, an agent links the one it is about. */
export function OrdersPanel({ conversationId, contactId, canLink = false }: { conversationId?: string; contactId: string; canLink?: boolean }) {
  const orders = useOrders(conversationId ? { conversationId } : { contactId });
  const link = useLinkOrder(conversationId ?? '');
  const list = orders.data ?? [];
  return (
    <section className="border-t border-line p-4" aria-labelledby="orders-title">
      <h3 id="orders-title" className={`mb-2 ${heading}`}>
        {t('catalog.orders')}
      </h3>
      {orders.isPending && <p className="text-xs text-ink-3">{t('app.loading')}</p>}
      {orders.isError && (
        <p role="alert" className="text-xs text-danger">
          {orders.error.message}
        </p>
      )}
      {orders.isSuccess && !list.length && <p className="text-xs text-ink-3">{t('catalog.noOrders')}</p>}
      <ul className="flex flex-col gap-2" aria-label={t('catalog.orders')}>
        {list.map((o) => (
          <li key={o.id} className="rounded-md border border-line bg-canvas p-2 text-[13px]" aria-label={t('catalog.order', { id: o.externalId })}>
            <div className="flex items-center gap-1.5">
              <span className="min-w-0 flex-1 truncate font-medium" title={o.externalId}>
                {o.externalId}
              </span>
              <span className="shrink-0 rounded bg-hover px-1.5 py-px text-[11px] text-ink-2">{o.status}</span>
            </div>
            <p className="text-[11px] text-ink-3">
              {shortDate(o.placedAt)} · {formatMoney(o.total, o.currency)}
            </p>
            <ul className="mt-1 flex flex-col gap-0.5 text-xs">
              {o.lines.map((l, i) => (
                <li key={i} className="flex gap-1">
                  <span className="shrink-0 text-ink-3">{l.qty} ×</span>
                  <span className="min-w-0 flex-1 truncate" title={`${l.name || l.sku} (${l.sku})`}>
                    {l.name || l.sku}
                  </span>
                  <span className="shrink-0 text-ink-2">{formatMoney(l.price, o.currency)}</span>
                </li>
              ))}
            </ul>
            {o.linked ? (
              <p className="mt-1 flex items-center gap-1 text-xs text-ok">
                <Icon name="check" size={12} />
                {t('catalog.linked')}
              </p>
            ) : (
              canLink &&
              conversationId && (
                <button
                  type="button"
                  disabled={link.isPending}
                  onClick={() => link.mutate(o.id)}
                  aria-label={t('catalog.linkWho', { id: o.externalId })}
                  className="mt-1 rounded px-1.5 py-0.5 text-xs text-accent hover:bg-hover"
                >
                  {t('catalog.link')}
                </button>
              )
            )}
          </li>
        ))}
      </ul>
      {link.error && (
        <p role="alert" className="mt-2 text-xs text-danger">
          {link.error instanceof ApiError && link.error.status === 403 ? t('error.forbidden') : link.error.message}
        </p>
      )}
    </section>
  );
}
