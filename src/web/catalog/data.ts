import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { numberFormat } from '../lib/time';

/** The catalog as the app sees it (docs/catalog.md): attribute definitions, products, orders, suggestions. */

export type AttributeType = 'text' | 'number' | 'boolean' | 'choice' | 'dimensions';
export const ATTRIBUTE_TYPES: AttributeType[] = ['text', 'number', 'boolean', 'choice', 'dimensions'];

export interface Attribute {
  id: string;
  key: string;
  label: string;
  type: AttributeType;
  unit: string | null;
  options: string[];
  axes: string[];
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  url: string | null;
  price: number | null;
  currency: string | null;
  attributes: Record<string, unknown>;
}

export interface Order {
  id: string;
  externalId: string;
  status: string;
  currency: string | null;
  total: number;
  placedAt: string;
  linked?: boolean;
  lines: { sku: string; productId: string | null; name: string; qty: number; price: number }[];
}

export interface Suggestions {
  articles: { id: string; title: string; snippet: string; url: string }[];
  products: Product[];
}

export interface ImportCheck {
  rows: number;
  create: number;
  update: number;
  errors: { line: number; column: string; reason: string }[];
  errorCount: number;
  preview: { line: number; action: 'create' | 'update'; sku: string; name: string; price: number | null; currency: string | null; attributes: Record<string, unknown> }[];
  imported: boolean;
}

export const ck = {
  attributes: ['catalog', 'attributes'] as const,
  products: (q: string) => ['catalog', 'products', q] as const,
  orders: (conversationId: string) => ['catalog', 'orders', conversationId] as const,
  contactOrders: (contactId: string) => ['catalog', 'contact-orders', contactId] as const,
  suggestions: (conversationId: string, draft: string) => ['catalog', 'suggestions', conversationId, draft] as const,
};

export function useAttributes() {
  return useQuery({ queryKey: ck.attributes, queryFn: () => api<{ items: Attribute[] }>('/catalog/attributes').then((r) => r.items), staleTime: 60_000 });
}

/** A value of `deferMs` ago: what was typed once the typing paused. */
export function useDebounced<T>(value: T, deferMs: number) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), deferMs);
    return () => clearTimeout(timer);
  }, [value, deferMs]);
  return settled;
}

export function useProductSearch(q: string) {
  return useQuery({
    queryKey: ck.products(q),
    queryFn: ({ signal }) => api<{ items: Product[]; hasMore: boolean; fuzzy: boolean }>('/products', { query: { q, limit: 10 }, signal }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

/** The orders of a conversation's customer (each saying whether it is linked to it), or of a contact. */
export function useOrders(of: { conversationId: string } | { contactId: string }) {
  return useQuery({
    queryKey: 'conversationId' in of ? ck.orders(of.conversationId) : ck.contactOrders(of.contactId),
    queryFn: () => api<{ items: Order[] }>('conversationId' in of ? `/conversations/${of.conversationId}/orders` : `/contacts/${of.contactId}/orders`).then((r) => r.items),
  });
}

export function useLinkOrder(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (orderId: string) => api<{ linked: boolean }>(`/conversations/${conversationId}/orders`, { method: 'POST', body: { orderId } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ck.orders(conversationId) });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
    },
  });
}

/** Articles and products for the customer's last message and the draft (the draft as it was once typing paused). */
export function useSuggestions(conversationId: string, draft: string) {
  return useQuery({
    queryKey: ck.suggestions(conversationId, draft),
    queryFn: ({ signal }) => api<Suggestions>(`/conversations/${conversationId}/suggestions`, { query: { draft: draft.slice(0, 2000) }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** An attribute's value as people read it: "1,250 mm", "Yes", "1340 × 480 × 300 mm". */
export function formatValue(a: Attribute | undefined, v: unknown, yes: string, no: string): string {
  if (v === true) return yes;
  if (v === false) return no;
  if (a?.type === 'dimensions' && v && typeof v === 'object') return `${a.axes.map((axis) => (v as Record<string, number>)[axis]).join(' × ')}${a.unit ? ` ${a.unit}` : ''}`;
  if (typeof v === 'number') return `${numberFormat().format(v)}${a?.unit ? ` ${a.unit}` : ''}`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function formatMoney(amount: number | null, currency: string | null) {
  if (amount === null) return '';
  if (!currency) return amount.toFixed(2);
  try {
    return numberFormat({ style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}
