import * as Dialog from '@radix-ui/react-dialog';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { Icon, channelIcon } from '../components/Icon';
import { t } from '../i18n';
import { api } from '../lib/api';
import { shortAge } from '../lib/time';
import type { Contact, Conversation, Page } from '../lib/types';
import type { Article } from '../kb/data';

type Result = { kind: 'conversation'; c: Conversation } | { kind: 'contact'; c: Contact } | { kind: 'article'; c: Article };

const GROUP_LABEL = { conversation: 'search.conversations', contact: 'search.contacts', article: 'search.articles' } as const;

/** Ctrl/Cmd+K: conversations, contacts and knowledge-base articles as you type. */
export function SearchDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const dq = useDeferredValue(q.trim());
  const navigate = useNavigate();
  const enabled = open && dq.length > 0;
  const convs = useQuery({
    queryKey: ['search', 'conversations', dq],
    queryFn: ({ signal }) => api<Page<Conversation>>('/conversations', { query: { q: dq, limit: 8 }, signal }),
    enabled,
    staleTime: 10_000,
    placeholderData: (prev) => prev,
  });
  const contacts = useQuery({
    queryKey: ['search', 'contacts', dq],
    queryFn: ({ signal }) => api<{ items: Contact[] }>('/contacts', { query: { q: dq, limit: 5 }, signal }),
    enabled,
    staleTime: 10_000,
    placeholderData: (prev) => prev,
  });
  const articles = useQuery({
    queryKey: ['search', 'articles', dq],
    queryFn: ({ signal }) => api<{ items: Article[] }>('/kb/articles', { query: { q: dq, limit: 4 }, signal }),
    enabled,
    staleTime: 10_000,
    placeholderData: (prev) => prev,
  });
  const results: Result[] = enabled
    ? [
        ...(convs.data?.items ?? []).map((c) => ({ kind: 'conversation' as const, c })),
        ...(contacts.data?.items ?? []).map((c) => ({ kind: 'contact' as const, c })),
        ...(articles.data?.items ?? []).map((c) => ({ kind: 'article' as const, c })),
      ]
    : [];
  useEffect(() => setActive(0), [dq]);
  useEffect(() => {
    if (!open) setQ('');
  }, [open]);

  function go(r: Result) {
    onOpenChange(false);
    if (r.kind === 'conversation') navigate(`/inbox/open/${r.c.number}`);
    else if (r.kind === 'contact') navigate(`/contacts/${r.c.id}`);
    else navigate(`/kb/articles/${r.c.id}`);
  }

  const loading = enabled && (convs.isFetching || contacts.isFetching || articles.isFetching);

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/30" />
        <Dialog.Content
          aria-label={t('search.label')}
          className="fixed top-[10%] left-1/2 z-50 flex max-h-[75vh] w-[min(40rem,94vw)] -translate-x-1/2 flex-col overflow-hidden rounded-xl border border-line bg-raised shadow-xl"
        >
          <Dialog.Title className="sr-only">{t('search.label')}</Dialog.Title>
          <Dialog.Description className="sr-only">{t('search.hint')}</Dialog.Description>
          <div className="flex items-center gap-2 border-b border-line px-4">
            <Icon name="search" className="text-ink-3" />
            <input
              autoFocus
              role="combobox"
              aria-expanded={results.length > 0}
              aria-controls="search-results"
              aria-activedescendant={results[active] ? `search-r-${active}` : undefined}
              aria-label={t('search.label')}
              placeholder={t('search.placeholder')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1)), e.preventDefault();
                if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0)), e.preventDefault();
                if (e.key === 'Enter' && results[active]) go(results[active]);
              }}
              className="h-12 flex-1 bg-transparent text-[15px] outline-none"
            />
            {loading && <span className="text-xs text-ink-3">{t('app.loading')}</span>}
          </div>
          <ul id="search-results" role="listbox" aria-label={t('search.label')} className="overflow-y-auto py-1">
            {!enabled && <li className="px-4 py-6 text-center text-sm text-ink-3">{t('search.hint')}</li>}
            {enabled && !loading && results.length === 0 && (
              <li className="px-4 py-6 text-center text-sm text-ink-3">
                <p>{t('search.none', { q: dq })}</p>
                <p className="mt-1">{t('search.where')}</p>
              </li>
            )}
            {results.map((r, i) => (
              <li key={`${r.kind}-${r.c.id}`} role="presentation">
                {i === 0 || results[i - 1].kind !== r.kind ? (
                  <div className="px-4 pt-2 pb-1 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t(GROUP_LABEL[r.kind])}</div>
                ) : null}
                <div
                  id={`search-r-${i}`}
                  role="option"
                  aria-selected={i === active}
                  onMouseMove={() => setActive(i)}
                  onClick={() => go(r)}
                  className={`mx-1 flex cursor-pointer items-center gap-3 rounded-md px-3 py-2 ${i === active ? 'bg-selected' : ''}`}
                >
                  {r.kind === 'conversation' ? (
                    <>
                      <Icon name={channelIcon[r.c.channel ?? 'email'] ?? 'mail'} className="shrink-0 text-ink-3" />
                      <div className="min-w-0 flex-1">
                        <div className="truncate text-sm">
                          <span className="text-ink-3">#{r.c.number}</span> {r.c.subject || t('list.noSubject')}
                        </div>
                        <div className="truncate text-xs text-ink-3">
                          {r.c.contact?.name} · {t(`status.${r.c.status}`)}
                          {r.c.preview ? ` · ${r.c.preview}` : ''}
                        </div>
                      </div>
                      <span className="text-xs text-ink-3">{shortAge(r.c.lastMessageAt)}</span>
                    </>
                  ) : r.kind === 'article' ? (
                    <>
                      <Icon name="book" className="shrink-0 text-ink-3" />
                      <div className="min-w-0 flex-1">
                        <div className="truncate text-sm">{r.c.title}</div>
                        <div className="truncate text-xs text-ink-3">
                          {t(`kb.status.${r.c.status}`)}
                          {r.c.excerpt ? ` · ${r.c.excerpt}` : ''}
                        </div>
                      </div>
                    </>
                  ) : (
                    <>
                      <Icon name="user" className="shrink-0 text-ink-3" />
                      <div className="min-w-0 flex-1">
                        <div className="truncate text-sm">{r.c.name}</div>
                        <div className="truncate text-xs text-ink-3">
                          {[r.c.company?.name, ...r.c.identities.map((x) => x.value)].filter(Boolean).join(' · ')}
                        </div>
                      </div>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
