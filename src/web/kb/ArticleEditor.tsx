import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useBlocker, useNavigate, useParams } from 'react-router';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { api } from '../lib/api';
import { type HelpCenter, publicAddress, useHelpCenter } from '../lib/help-center';
import { slugify } from '../lib/slug';
import { fieldError, otherError } from '../settings/EmailForm';
import { cls, ErrorNote, isAdminRole } from '../settings/ui';
import { useSession } from '../lib/session';
import { ArticleFacts } from './ArticleFacts';
import { type ArticleFull, type ArticleStatus, kbk, useArticle, useCategories } from './data';
import { MarkdownField } from './MarkdownField';
import { BackLink, ExternalLink, StatusBadge, useCanWrite } from './ui';

/** What the writer edits; the status changes only through the actions. */
interface Draft {
  title: string;
  body: string;
  categoryId: string;
  slug: string;
}

const FIELDS = ['title', 'body', 'categoryId', 'slug'] as const;
const EMPTY: Draft = { title: '', body: '', categoryId: '', slug: '' };
const draftOf = (a: ArticleFull): Draft => ({ title: a.title, body: a.body, categoryId: a.categoryId ?? '', slug: a.slug });
const differs = (a: Draft, b: Draft) => FIELDS.some((f) => a[f] !== b[f]);

/** After a save: what was typed meanwhile stays; what was sent becomes what the server made of it (a trimmed title, a made slug). */
function settle(current: Draft, sent: Draft, saved: Draft): Draft {
  const pick = <K extends keyof Draft>(k: K) => (current[k] === sent[k] ? saved[k] : current[k]);
  return { title: pick('title'), body: pick('body'), categoryId: pick('categoryId'), slug: pick('slug') };
}

/** The address readers will find the article at, as it will be once saved. */
function addressOf(hc: HelpCenter, slug: string, title: string) {
  return publicAddress(hc, `/help/${hc.slug}/articles/${slug.trim() || slugify(title) || '…'}`);
}

/** Asks before leaving with unsaved changes: another page of the app, a reload, closing the tab. */
function useLeaveGuard(dirty: boolean) {
  const guard = useRef(dirty);
  guard.current = dirty;
  const blocker = useBlocker(({ currentLocation, nextLocation }) => guard.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(t('kb.editor.leave'))) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  /** Lets the next navigation through (after a save or a delete, when nothing is lost). */
  return () => {
    guard.current = false;
  };
}

/**
 * /app/kb/articles/new and /app/kb/articles/:id: title, category, address, the Markdown with
 * its preview and images; Save (Ctrl+S or Cmd+S), publish, archive, delete; beside it what
 * readers did with the article.
 */
export default function ArticleEditor() {
  const { id } = useParams();
  const me = useSession();
  const admin = isAdminRole(me.member.role);
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const hc = useHelpCenter().data;
  const categories = useCategories().data ?? [];
  const loaded = useArticle(id);
  const article = id ? loaded.data : undefined;

  const [base, setBase] = useState<Draft>(EMPTY);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [loadedId, setLoadedId] = useState<string | null>(null);
  // The version the draft was made from: a save says so, and the server refuses it (409) if someone saved since.
  const [baseVersion, setBaseVersion] = useState<string | null>(null);
  if (article && loadedId !== article.id) {
    setLoadedId(article.id);
    setBaseVersion(article.updatedAt);
    setBase(draftOf(article));
    setDraft(draftOf(article));
  }
  const [uploading, setUploading] = useState(false);
  const dirty = differs(draft, base);
  const letThrough = useLeaveGuard(dirty);
  const form = useRef<HTMLFormElement>(null);
  const titleId = useId();
  const slugId = useId();
  const categoryId = useId();

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setBody = useCallback((u: string | ((b: string) => string)) => setDraft((d) => ({ ...d, body: typeof u === 'function' ? u(d.body) : u })), []);

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: kbk.articles });
    void qc.invalidateQueries({ queryKey: kbk.stats });
    void qc.invalidateQueries({ queryKey: kbk.categories });
  };

  const save = useMutation({
    mutationFn: ({ values, status }: { values: Draft; status?: ArticleStatus }) => {
      const body = {
        title: values.title.trim(),
        body: values.body,
        categoryId: values.categoryId || null,
        ...(values.slug.trim() ? { slug: values.slug.trim() } : {}),
        ...(status ? { status } : {}),
        ...(id && baseVersion ? { baseUpdatedAt: baseVersion } : {}),
      };
      return id ? api<ArticleFull>(`/kb/articles/${id}`, { method: 'PATCH', body }) : api<ArticleFull>('/kb/articles', { method: 'POST', body });
    },
    onSuccess: (saved, { values }) => {
      setBaseVersion(saved.updatedAt);
      qc.setQueryData(kbk.article(saved.id), saved);
      refresh();
      const next = draftOf(saved);
      setBase(next);
      setDraft((d) => settle(d, values, next));
      if (!id) {
        setLoadedId(saved.id);
        letThrough();
        navigate(`/kb/articles/${saved.id}`, { replace: true });
      }
    },
  });

  const remove = useMutation({
    mutationFn: () => api(`/kb/articles/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      qc.removeQueries({ queryKey: kbk.article(id!) });
      refresh();
      letThrough();
      navigate('/kb');
    },
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!canWrite || save.isPending || uploading) return;
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const status = (submitter?.value || undefined) as ArticleStatus | undefined;
    save.mutate({ values: draft, status });
  };

  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        form.current?.requestSubmit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canWrite]);

  if (id && !article) {
    return (
      <div className="min-h-0 flex-1 overflow-y-auto bg-canvas px-6 py-6">
        <BackLink />
        {loaded.error ? (
          <p role="alert" className="mt-4 text-sm text-ink-2">
            {t('kb.editor.notFound')}
          </p>
        ) : (
          <p role="status" className="mt-4 text-sm text-ink-3">
            {t('app.loading')}
          </p>
        )}
      </div>
    );
  }

  const status = article?.status ?? 'draft';
  const error = save.error ?? remove.error;
  const busy = save.isPending || uploading;
  const state = save.isPending ? t('kb.editor.saving') : dirty ? t('kb.editor.unsaved') : article ? t('kb.editor.saved') : '';
  const address = hc ? addressOf(hc, draft.slug, draft.title) : '';

  return (
    <form ref={form} onSubmit={submit} aria-label={t('kb.editor.label')} className="flex min-h-0 min-w-0 flex-1 flex-col bg-canvas">
      <header className="flex items-center gap-3 border-b border-line bg-surface px-6 py-2.5 whitespace-nowrap">
        <Link to="/kb" className="inline-flex shrink-0 items-center gap-1 rounded text-sm text-ink-2 hover:text-ink">
          <Icon name="back" size={14} />
          {t('kb.editor.back')}
        </Link>
        {/* Below 1280 px the title field says it already; the heading stays for screen readers. */}
        <span className="hidden text-ink-3 xl:inline" aria-hidden="true">
          /
        </span>
        <h1 className="sr-only max-w-[40ch] min-w-0 shrink truncate text-sm font-semibold text-ink xl:not-sr-only">{article?.title || t('kb.editor.new')}</h1>
        <StatusBadge status={status} />
        <span role="status" className={`shrink-0 text-xs ${dirty ? 'text-warn' : 'text-ink-3'}`}>
          {state}
        </span>
        <span className="min-w-0 flex-1" />
        {article && (
          <ExternalLink href={article.url} className="shrink-0 rounded px-1 text-sm text-accent hover:underline">
            {t('kb.editor.view')}
          </ExternalLink>
        )}
        {canWrite && (
          <>
            <button type="submit" className={`${cls.secondary} shrink-0`} disabled={busy} title={`${t('kb.editor.save')} (${t('kb.editor.saveKeys')})`}>
              {article ? t('kb.editor.save') : t('kb.editor.saveDraft')}
              <kbd className="ml-2 hidden rounded border border-line px-1 font-sans text-[11px] text-ink-3 xl:inline">{t('kb.editor.saveKeys')}</kbd>
            </button>
            {status === 'published' ? (
              <button type="submit" name="status" value="draft" className={`${cls.secondary} shrink-0`} disabled={busy} title={t('kb.editor.unpublishHint')}>
                {t('kb.editor.unpublish')}
              </button>
            ) : (
              <button type="submit" name="status" value="published" className={`${cls.primary} shrink-0`} disabled={busy} title={t('kb.editor.publishHint')}>
                {t('kb.editor.publish')}
              </button>
            )}
          </>
        )}
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex w-full max-w-6xl items-start gap-6 px-6 py-5">
          <div className="min-w-0 flex-1 space-y-4">
            {!canWrite && <p className="rounded-md bg-accent-soft px-3 py-2 text-sm text-ink-2">{t('kb.readOnly')}</p>}
            <ErrorNote error={otherError(error, [...FIELDS])} />
            <div>
              <label htmlFor={titleId} className={cls.label}>
                {t('kb.editor.title')}
              </label>
              <input
                id={titleId}
                required
                maxLength={200}
                readOnly={!canWrite}
                autoFocus={!id}
                placeholder={t('kb.editor.titlePlaceholder')}
                aria-invalid={fieldError(save.error, 'title') ? true : undefined}
                aria-describedby={fieldError(save.error, 'title') ? `${titleId}-error` : undefined}
                className={`${cls.input} py-2 text-lg font-semibold`}
                value={draft.title}
                onChange={(e) => set({ title: e.target.value })}
              />
              {fieldError(save.error, 'title') && (
                <p id={`${titleId}-error`} className="mt-1 text-xs text-danger">
                  {fieldError(save.error, 'title')}
                </p>
              )}
            </div>
            <div className="flex flex-wrap items-start gap-x-6 gap-y-3">
              <div>
                <label htmlFor={categoryId} className={cls.label}>
                  {t('kb.editor.category')}
                </label>
                <select id={categoryId} disabled={!canWrite} className={`${cls.select} min-w-52`} value={draft.categoryId} onChange={(e) => set({ categoryId: e.target.value })}>
                  <option value="">{t('kb.editor.noCategory')}</option>
                  {categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
                {fieldError(save.error, 'categoryId') && <p className="mt-1 text-xs text-danger">{fieldError(save.error, 'categoryId')}</p>}
              </div>
              <details className="min-w-0 flex-1 pt-0.5" open={!!fieldError(save.error, 'slug') || undefined}>
                <summary className="cursor-pointer rounded text-sm font-medium text-ink-2 hover:text-ink">{t('kb.editor.address')}</summary>
                <p className="mt-1 truncate font-mono text-xs text-ink-2" title={address}>
                  {address}
                </p>
                <div className="mt-2 max-w-sm">
                  <label htmlFor={slugId} className={cls.label}>
                    {t('kb.editor.slug')}
                  </label>
                  <input
                    id={slugId}
                    readOnly={!canWrite}
                    maxLength={80}
                    pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?"
                    placeholder={slugify(draft.title)}
                    aria-invalid={fieldError(save.error, 'slug') ? true : undefined}
                    aria-describedby={`${slugId}-hint`}
                    className={`${cls.input} font-mono`}
                    value={draft.slug}
                    onChange={(e) => set({ slug: e.target.value })}
                  />
                  <p id={`${slugId}-hint`} className="mt-1 text-xs text-ink-3">
                    {t('kb.editor.slugHint')} {status === 'published' && t('kb.editor.slugWarning')}
                  </p>
                  {fieldError(save.error, 'slug') && <p className="mt-1 text-xs text-danger">{fieldError(save.error, 'slug')}</p>}
                </div>
              </details>
            </div>
            <MarkdownField value={draft.body} setValue={setBody} disabled={!canWrite} error={fieldError(save.error, 'body')} onBusyChange={setUploading} />
          </div>
          <ArticleFacts article={article}>
            {article && canWrite && (
              <div className="mt-3 flex flex-wrap gap-2 border-t border-line pt-3">
                {status === 'archived' ? (
                  <button type="submit" name="status" value="draft" className={cls.secondary} disabled={busy} title={t('kb.editor.restoreHint')}>
                    {t('kb.editor.restore')}
                  </button>
                ) : (
                  <button type="submit" name="status" value="archived" className={cls.secondary} disabled={busy} title={t('kb.editor.archiveHint')}>
                    {t('kb.editor.archive')}
                  </button>
                )}
                {admin && (
                  <button
                    type="button"
                    className={cls.danger}
                    disabled={remove.isPending}
                    onClick={() => window.confirm(t('kb.editor.confirmDelete', { title: article.title })) && remove.mutate()}
                  >
                    {t('kb.editor.delete')}
                  </button>
                )}
              </div>
            )}
          </ArticleFacts>
        </div>
      </div>
    </form>
  );
}
