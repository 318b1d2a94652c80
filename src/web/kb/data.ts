import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../lib/api';
import type { Page } from '../lib/types';

/** The knowledge base and community as the API answers them (src/server/domains/knowledge-base, community, help-center). */

export type ArticleStatus = 'draft' | 'published' | 'archived';
export const ARTICLE_STATUSES: ArticleStatus[] = ['published', 'draft', 'archived'];

export interface Person {
  id: string;
  name: string;
}

export interface Article {
  id: string;
  slug: string;
  title: string;
  status: ArticleStatus;
  categoryId: string | null;
  excerpt: string;
  /** Its path in the help center, /help/<slug>/articles/<slug>; members see drafts there too. */
  url: string;
  author: Person | null;
  updatedBy: Person | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  views: number;
  helpfulYes: number;
  helpfulNo: number;
  /** Times it was suggested on the contact form and the customer said it answered their question. */
  deflections: number;
  sourceThreadId: string | null;
}

/** GET /kb/articles/:id: with the Markdown and the HTML it renders to. */
export interface ArticleFull extends Article {
  body: string;
  html: string;
}

export interface Category {
  id: string;
  slug: string;
  name: string;
  description: string;
  position: number;
  /** Articles in it that are not archived. */
  articleCount: number;
  publishedCount: number;
  updatedAt: string;
}

export interface Feedback {
  helpfulYes: number;
  helpfulNo: number;
  items: { id: string; helpful: boolean; comment: string | null; contact: { id: string; name: string } | null; createdAt: string }[];
}

export interface HelpStats {
  articles: { published: number; drafts: number; views: number; helpfulYes: number; helpfulNo: number; commentsLast30Days: number };
  suggestionsLast30Days: { opened: number; solved: number };
  community: { threads: number; unanswered: number; accepted: number };
}

export type ThreadFilter = 'all' | 'unanswered' | 'answered' | 'moderated';
export const THREAD_FILTERS: ThreadFilter[] = ['all', 'unanswered', 'answered', 'moderated'];

export interface Thread {
  id: string;
  number: number;
  title: string;
  /** Its public page, /help/<slug>/community/<number>, where staff answer, accept and moderate. */
  url: string;
  author: { name: string; staff: boolean };
  answerCount: number;
  score: number;
  views: number;
  accepted: boolean;
  locked: boolean;
  hidden: boolean;
  hiddenReason: string | null;
  lockedReason: string | null;
  articleId: string | null;
  lastActivityAt: string;
  createdAt: string;
}

export interface ArticleQuery {
  status?: ArticleStatus;
  categoryId?: string;
  q?: string;
}

export const kbk = {
  all: ['kb'] as const,
  articles: ['kb', 'articles'] as const,
  list: (q: ArticleQuery) => ['kb', 'articles', q] as const,
  article: (id: string) => ['kb', 'article', id] as const,
  feedback: (id: string) => ['kb', 'feedback', id] as const,
  categories: ['kb', 'categories'] as const,
  stats: ['kb', 'stats'] as const,
  threads: (filter: ThreadFilter) => ['kb', 'threads', filter] as const,
};

const PAGE = 50;

export function useArticles(q: ArticleQuery) {
  return useInfiniteQuery({
    queryKey: kbk.list(q),
    queryFn: ({ pageParam, signal }) => api<Page<Article>>('/kb/articles', { query: { ...q, limit: PAGE, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 10_000,
  });
}

export function useArticle(id: string | undefined) {
  return useQuery({ queryKey: kbk.article(id ?? ''), queryFn: () => api<ArticleFull>(`/kb/articles/${id}`), enabled: !!id, staleTime: 10_000 });
}

export function useFeedback(id: string | undefined) {
  return useQuery({ queryKey: kbk.feedback(id ?? ''), queryFn: () => api<Feedback>(`/kb/articles/${id}/feedback`, { query: { comments: 1 } }), enabled: !!id, staleTime: 30_000 });
}

export function useCategories() {
  return useQuery({ queryKey: kbk.categories, queryFn: () => api<{ items: Category[] }>('/kb/categories').then((r) => r.items), staleTime: 30_000 });
}

export function useHelpStats() {
  return useQuery({ queryKey: kbk.stats, queryFn: () => api<HelpStats>('/help-center/stats'), staleTime: 30_000 });
}

export function useThreads(filter: ThreadFilter) {
  return useInfiniteQuery({
    queryKey: kbk.threads(filter),
    queryFn: ({ pageParam, signal }) => api<{ items: Thread[]; hasMore: boolean }>('/community/threads', { query: { filter, page: pageParam, limit: 30 }, signal }),
    initialPageParam: 1,
    getNextPageParam: (last, pages) => (last.hasMore ? pages.length + 1 : undefined),
    staleTime: 10_000,
  });
}

/** POST /kb/images: one image, answered with its address and the Markdown that shows it. */
export function uploadImage(file: File) {
  const form = new FormData();
  form.append('file', file, file.name || 'image.png');
  return api<{ id: string; url: string; markdown: string }>('/kb/images', { method: 'POST', form });
}

/** POST /kb/preview: the HTML the body renders to, as readers will see it. */
export function previewHtml(body: string, signal?: AbortSignal) {
  return api<{ html: string }>('/kb/preview', { method: 'POST', body: { body }, signal }).then((r) => r.html);
}
