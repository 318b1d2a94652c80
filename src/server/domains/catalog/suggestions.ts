import type { Executor } from '../../db/client.js';
import type { Actor } from '../../core/actor.js';
import { lastCustomerText } from '../conversations/queries.js';
import { getConversationRow } from '../conversations/service.js';
import { MARK_END, MARK_START, searchHelpCenter } from '../help-center/search.js';
import { helpCenterOf } from '../help-center/service.js';
import { articlePath } from '../knowledge-base/service.js';
import { searchProducts } from './search.js';

const SUGGESTED = 3;
const unmark = (s: string) => s.replaceAll(MARK_START, '').replaceAll(MARK_END, '');

/**
 * What may help an agent answer: published knowledge-base articles (the help center's own
 * search, any of the words, in its language) and catalog products that match the
 * customer's last message and the agent's draft, the best three of each, each with the
 * address to link to in the reply.
 */
export async function suggestForConversation(db: Executor, actor: Actor, conversationId: string, draft: string, publicUrl: string) {
  const c = await getConversationRow(db, actor, conversationId);
  const text = `${await lastCustomerText(db, actor.workspaceId, c.id)}\n${draft}`.slice(-1000).trim();
  if (!text) return { articles: [], products: [] };
  const hc = await helpCenterOf(db, actor.workspaceId);
  const found = hc ? await searchHelpCenter(db, hc, text, { match: 'any', kinds: ['article'], limit: SUGGESTED }) : { hits: [] };
  const articles = hc
    ? found.hits.map((h) => ({ id: h.id, title: h.title, snippet: unmark(h.snippet), url: `${publicUrl}${articlePath(hc, { slug: h.slug })}` }))
    : [];
  // Attribute filters are the agent's to type in the products panel: a customer's "size:large" is words here.
  const products = await searchProducts(db, actor, { q: text.replace(/[:<>=]/g, ' '), match: 'any', limit: SUGGESTED });
  return { articles, products: products.items };
}
