/** @jsxImportSource preact */
import type { threadView } from '../../domains/community/service.js';
import { plural } from '../i18n/index.js';
import { FieldError, FormGuard, formatDate, Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { StoredHtml } from '../render.js';
import { SuggestionCheck } from './suggestion-check.js';

export interface ThreadListItem {
  number: number;
  title: string;
  authorName: string;
  answerCount: number;
  score: number;
  accepted: boolean;
  locked: boolean;
  hidden: boolean;
  lastActivityAt: Date;
  createdAt: Date;
}

export type CommunityFilter = 'all' | 'unanswered' | 'answered' | 'moderated';

/** The community's questions, most recently active first, with a filter and the way to ask. */
export function CommunityPage({ ctx, threads, filter, page, hasMore }: { ctx: PageContext; threads: ThreadListItem[]; filter: CommunityFilter; page: number; hasMore: boolean }) {
  const { t, base } = ctx;
  const filters: CommunityFilter[] = ['all', 'unanswered', 'answered', ...(ctx.viewer.member ? (['moderated'] as const) : [])];
  const link = (f: CommunityFilter, p = 1) => `${base}/community${f === 'all' && p === 1 ? '' : `?${new URLSearchParams({ ...(f !== 'all' ? { filter: f } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`}`;
  return (
    <Layout ctx={ctx} meta={{ title: t('community.title'), description: t('community.lead'), canonical: page === 1 && filter === 'all' ? `${base}/community` : undefined, section: 'community' }}>
      <div class="title-row">
        <div>
          <h1>{t('community.title')}</h1>
          <p class="lead">{t('community.lead')}</p>
        </div>
        <a class="button" href={`${base}/community/ask`}>
          {t('community.ask')}
        </a>
      </div>
      <nav aria-label={t('community.filter')} class="tabs">
        {filters.map((f) => (
          <a href={link(f)} aria-current={f === filter ? 'page' : undefined}>
            {t(`community.filter.${f}`)}
          </a>
        ))}
      </nav>
      {threads.length === 0 ? (
        <p class="empty">{t('community.empty')}</p>
      ) : (
        <ul class="threads">
          {threads.map((th) => (
            <li class="thread-row">
              <div class="counts" aria-hidden="true">
                <span>
                  <strong>{th.score}</strong> {plural(t, 'community.votes', th.score).replace(/^\d+\s*/, '')}
                </span>
                <span class={th.accepted ? 'answered' : ''}>
                  <strong>{th.answerCount}</strong> {plural(t, 'community.answers', th.answerCount).replace(/^\d+\s*/, '')}
                </span>
              </div>
              <div>
                <h2 class="h3">
                  <a href={`${base}/community/${th.number}`}>{th.title}</a>
                </h2>
                <p class="muted small">
                  {th.accepted && <span class="badge badge-ok">{t('community.answered')}</span>}
                  {th.locked && <span class="badge">{t('community.locked')}</span>}
                  {th.hidden && <span class="badge badge-warn">{t('community.hidden')}</span>}
                  <span class="visually-hidden">
                    {plural(t, 'community.votes', th.score)}, {plural(t, 'community.answers', th.answerCount)}.{' '}
                  </span>
                  {t('community.askedBy', { name: th.authorName || t('community.anonymous'), date: formatDate(ctx.lang, th.createdAt) })}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {(page > 1 || hasMore) && (
        <nav class="pager" aria-label={t('search.pages')}>
          {page > 1 && <a href={link(filter, page - 1)}>{t('community.newer')}</a>}
          {hasMore && <a href={link(filter, page + 1)}>{t('community.older')}</a>}
        </nav>
      )}
    </Layout>
  );
}

export interface AskForm {
  title?: string;
  body?: string;
  displayName?: string;
  errors?: Record<string, string>;
}

/** The form to ask a question; a customer who is not signed in is sent to sign in first. */
export function AskPage({ ctx, form, needsName }: { ctx: PageContext; form: AskForm; needsName: boolean }) {
  const { t, base } = ctx;
  const e = form.errors ?? {};
  const signedIn = Boolean(ctx.viewer.customer || ctx.viewer.member);
  return (
    <Layout ctx={ctx} meta={{ title: t('ask.title'), noindex: true, section: 'community' }}>
      <nav aria-label={t('breadcrumb.label')} class="crumbs">
        <a href={`${base}/community`}>{t('community.title')}</a>
      </nav>
      <h1>{t('ask.title')}</h1>
      {!signedIn ? (
        <div class="notice">
          <p>{t('ask.signIn')}</p>
          <a class="button" href={`${base}/portal/sign-in?return=${encodeURIComponent(`${base}/community/ask`)}`}>
            {t('nav.signIn')}
          </a>
        </div>
      ) : (
        <form method="post" action={`${base}/community`} class="stack form" novalidate data-similar={`${base}/search.json?kinds=thread`}>
          <FormGuard ctx={ctx} />
          {/* A notice about the whole form (sent too quickly) is said as it is; field errors are marked below. */}
          {e.form ? (
            <p class="notice notice-warn" role="alert">
              {e.form}
            </p>
          ) : (
            Object.keys(e).length > 0 && (
              <p class="form-error" role="alert">
                {t('form.errors')}
              </p>
            )
          )}
          <p class="muted small">{t('ask.public')}</p>
          <div class="field">
            <label for="title">{t('ask.titleLabel')}</label>
            <input id="title" name="title" required maxLength={200} value={form.title} aria-describedby="title-hint title-error" aria-invalid={e.title ? 'true' : undefined} />
            <p class="hint" id="title-hint">
              {t('ask.titleHint')}
            </p>
            <FieldError id="title" error={e.title} />
          </div>
          <div class="suggest" data-suggest-for="title" aria-live="polite" hidden>
            <p class="small">{t('ask.similar')}</p>
            <ul class="links" />
          </div>
          <div class="field">
            <label for="body">{t('ask.bodyLabel')}</label>
            <textarea id="body" name="body" required rows={8} maxLength={10_000} aria-describedby="body-hint body-error" aria-invalid={e.body ? 'true' : undefined}>
              {form.body}
            </textarea>
            <p class="hint" id="body-hint">
              {t('ask.bodyHint')}
            </p>
            <FieldError id="body" error={e.body} />
          </div>
          {needsName && <DisplayNameField ctx={ctx} value={form.displayName} error={e.displayName} />}
          <div>
            <button type="submit">{t('ask.submit')}</button>
          </div>
        </form>
      )}
    </Layout>
  );
}

type View = Awaited<ReturnType<typeof threadView>>;

/** One question with its answers: votes, the accepted answer first, staff badges, moderation notes, and (for staff) the controls. */
export function ThreadPage({
  ctx,
  view,
  answer,
  needsName,
  deflection,
}: {
  ctx: PageContext;
  view: View;
  answer?: { body?: string; displayName?: string; errors?: Record<string, string> };
  needsName: boolean;
  /** Opened from a contact-form suggestion: the page asks whether it solved the question. */
  deflection?: { id: string; solved: boolean };
}) {
  const { t, base } = ctx;
  const th = view.thread;
  const path = `${base}/community/${th.number}`;
  const staff = Boolean(ctx.viewer.member);
  // Light members (an executive, say) read what the team reads, but answer and moderate nothing here.
  const moderator = Boolean(ctx.viewer.member?.moderates);
  const customer = ctx.viewer.customer;
  const asker = Boolean(customer && th.authorContactId === customer.id);
  const e = answer?.errors ?? {};
  const name = (a: { name: string; staff: boolean }) => a.name || t('community.anonymous');
  const visiblePosts = view.posts.filter((p) => !p.post.deletedAt || staff);
  return (
    <Layout ctx={ctx} meta={{ title: th.title, description: th.deletedAt ? undefined : th.plain.slice(0, 160), canonical: th.hiddenAt || th.deletedAt ? undefined : path, noindex: Boolean(th.hiddenAt || th.deletedAt), section: 'community', ogType: 'article' }}>
      <nav aria-label={t('breadcrumb.label')} class="crumbs">
        <a href={`${base}/community`}>{t('community.title')}</a>
      </nav>
      {deflection && <SuggestionCheck ctx={ctx} deflection={deflection} />}
      {th.hiddenAt && <p class="notice notice-warn">{t('thread.hiddenNote', { reason: th.hiddenReason ?? '' })}</p>}
      {th.deletedAt && <p class="notice notice-warn">{t('thread.deletedNote', { reason: th.deletedReason ?? '' })}</p>}
      {view.article && (
        <p class="notice notice-brand">
          {t('thread.becameArticle')} <a href={`${base}/articles/${view.article.slug}`}>{view.article.title}</a>
        </p>
      )}
      {staff && view.draftArticle && <p class="notice">{t('thread.draftArticle', { title: view.draftArticle.title })}</p>}
      <article class="post question" id={`post-${th.id}`}>
        <Vote ctx={ctx} targetId={th.id} score={th.score} voted={view.voted} own={asker} returnTo={path} />
        <div class="post-body">
          <h1>{th.title}</h1>
          <p class="muted small">
            <Byline ctx={ctx} name={name(view.author)} staff={view.author.staff} /> · {formatDate(ctx.lang, th.createdAt)}
          </p>
          {/* A deleted question's words are gone from every page, the team's too: its reason stands in their place. */}
          {!th.deletedAt && <StoredHtml html={th.html} className="prose" />}
          {moderator && <ThreadModeration ctx={ctx} view={view} />}
        </div>
      </article>

      <section aria-labelledby="answers-h">
        <h2 id="answers-h">{view.posts.length ? plural(t, 'thread.answers', th.answerCount) : t('thread.noAnswers')}</h2>
        {visiblePosts.map(({ post: p, author, voted, accepted }) => (
          <article class={`post answer${accepted ? ' accepted' : ''}${p.hiddenAt || p.deletedAt ? ' moderated' : ''}`} id={`post-${p.id}`}>
            <Vote ctx={ctx} targetId={p.id} score={p.score} voted={voted} own={Boolean(customer && p.authorContactId === customer.id)} returnTo={`${path}#post-${p.id}`} />
            <div class="post-body">
              {accepted && <p class="badge badge-ok">{t('thread.accepted')}</p>}
              {p.hiddenAt && <p class="notice notice-warn">{t('thread.hiddenNote', { reason: p.hiddenReason ?? '' })}</p>}
              {p.deletedAt ? <p class="notice notice-warn">{t('thread.deletedNote', { reason: p.deletedReason ?? '' })}</p> : <StoredHtml html={p.html} className="prose" />}
              <p class="muted small">
                <Byline ctx={ctx} name={name(author)} staff={author.staff} /> · {formatDate(ctx.lang, p.createdAt)}
              </p>
              {!p.deletedAt && !p.hiddenAt && (moderator || asker) && (
                <form method="post" action={`${path}/accept`} class="inline-form">
                  <FormGuard ctx={ctx} />
                  <input type="hidden" name="postId" value={accepted ? '' : p.id} />
                  <button type="submit" class="button-quiet">
                    {accepted ? t('thread.unaccept') : t('thread.accept')}
                  </button>
                </form>
              )}
              {moderator && !p.deletedAt && <PostModeration ctx={ctx} threadPath={path} postId={p.id} hidden={Boolean(p.hiddenAt)} />}
            </div>
          </article>
        ))}
      </section>

      <section class="answer-form" aria-labelledby="your-answer-h">
        {th.lockedAt ? (
          <p class="notice">{t('thread.lockedNote', { reason: th.lockedReason ?? '' })}</p>
        ) : customer || moderator ? (
          <form method="post" action={`${path}/answers`} class="stack form" novalidate>
            <FormGuard ctx={ctx} />
            <h2 id="your-answer-h" class="h3">
              {moderator ? t('thread.staffAnswer') : t('thread.yourAnswer')}
            </h2>
            <label for="answer" class="visually-hidden">
              {t('thread.yourAnswer')}
            </label>
            <textarea id="answer" name="body" rows={6} maxLength={10_000} required aria-describedby="answer-hint answer-error" aria-invalid={e.body ? 'true' : undefined}>
              {answer?.body}
            </textarea>
            <p class="hint" id="answer-hint">
              {t('ask.bodyHint')}
            </p>
            <FieldError id="answer" error={e.body} />
            {needsName && !moderator && <DisplayNameField ctx={ctx} value={answer?.displayName} error={e.displayName} />}
            <div>
              <button type="submit">{t('thread.postAnswer')}</button>
            </div>
          </form>
        ) : (
          <p>
            <a class="button" href={`${base}/portal/sign-in?return=${encodeURIComponent(path)}`}>
              {t('thread.signInToAnswer')}
            </a>
          </p>
        )}
      </section>
    </Layout>
  );
}

/** The name a customer will go by in the community, asked on their first post. */
function DisplayNameField({ ctx, value, error }: { ctx: PageContext; value?: string; error?: string }) {
  return (
    <div class="field">
      <label for="displayName">{ctx.t('ask.displayName')}</label>
      <input id="displayName" name="displayName" required maxLength={100} value={value} aria-describedby="displayName-error" aria-invalid={error ? 'true' : undefined} />
      <FieldError id="displayName" error={error} />
    </div>
  );
}

function Byline({ ctx, name, staff }: { ctx: PageContext; name: string; staff: boolean }) {
  return (
    <span class="byline">
      {name}
      {staff && <span class="badge badge-staff">{ctx.t('thread.staff')}</span>}
    </span>
  );
}

/** The up-vote: a form, so it works without script; your own post shows its score only. */
function Vote({ ctx, targetId, score, voted, own, returnTo }: { ctx: PageContext; targetId: string; score: number; voted: boolean; own: boolean; returnTo: string }) {
  const { t, base } = ctx;
  const label = t('thread.score', { count: score });
  if (!ctx.viewer.customer || own) {
    // The score as text ("3 votes"): a div has no role that could carry an aria-label.
    return (
      <div class="vote">
        <span class="vote-score">{score}</span> <span class="vote-label">{plural(t, 'community.votes', score).replace(/^\d+\s*/, '')}</span>
      </div>
    );
  }
  return (
    <form method="post" action={`${base}/community/votes`} class="vote">
      <FormGuard ctx={ctx} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="return" value={returnTo} />
      <button type="submit" aria-pressed={voted ? 'true' : 'false'} aria-label={`${voted ? t('thread.unvote') : t('thread.vote')} (${label})`} class={voted ? 'voted' : ''}>
        ▲
      </button>
      <span class="vote-score" aria-hidden="true">
        {score}
      </span>
    </form>
  );
}

function ThreadModeration({ ctx, view }: { ctx: PageContext; view: View }) {
  const { t, base } = ctx;
  const th = view.thread;
  const path = `${base}/community/${th.number}`;
  if (th.deletedAt) return null;
  return (
    <details class="moderation">
      <summary>{t('thread.moderate')}</summary>
      <form method="post" action={`${path}/moderate`} class="stack">
        <FormGuard ctx={ctx} />
        <label for="reason-thread">{t('thread.reason')}</label>
        <input id="reason-thread" name="reason" maxLength={500} />
        <div class="button-row">
          <button type="submit" name="action" value={th.hiddenAt ? 'unhide' : 'hide'}>
            {th.hiddenAt ? t('thread.unhide') : t('thread.hide')}
          </button>
          <button type="submit" name="action" value={th.lockedAt ? 'unlock' : 'lock'}>
            {th.lockedAt ? t('thread.unlock') : t('thread.lock')}
          </button>
          <button type="submit" name="action" value="delete" class="danger">
            {t('thread.delete')}
          </button>
        </div>
      </form>
      {!th.articleId && (
        <form method="post" action={`${path}/article`}>
          <FormGuard ctx={ctx} />
          <button type="submit" class="button-quiet">
            {t('thread.toArticle')}
          </button>
        </form>
      )}
    </details>
  );
}

function PostModeration({ ctx, threadPath, postId, hidden }: { ctx: PageContext; threadPath: string; postId: string; hidden: boolean }) {
  const { t } = ctx;
  return (
    <details class="moderation">
      <summary>{t('thread.moderate')}</summary>
      <form method="post" action={`${threadPath}/posts/${postId}/moderate`} class="stack">
        <FormGuard ctx={ctx} />
        <label for={`reason-${postId}`}>{t('thread.reason')}</label>
        <input id={`reason-${postId}`} name="reason" maxLength={500} />
        <div class="button-row">
          <button type="submit" name="action" value={hidden ? 'unhide' : 'hide'}>
            {hidden ? t('thread.unhide') : t('thread.hide')}
          </button>
          <button type="submit" name="action" value="delete" class="danger">
            {t('thread.delete')}
          </button>
        </div>
      </form>
    </details>
  );
}
