import type { ReactNode } from 'react';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { fullTime, shortDate } from '../lib/time';
import { type Article, useFeedback } from './data';
import { StatusBadge, number } from './ui';

function Fact({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="py-1.5">
      <dt className="text-xs text-ink-3">{label}</dt>
      <dd className="text-sm text-ink">{children}</dd>
      {hint && <dd className="text-xs text-ink-3">{hint}</dd>}
    </div>
  );
}

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={fullTime(iso)}>
      {shortDate(iso)}
    </time>
  );
}

/** What readers wrote under "Was this helpful?", newest first. */
function Comments({ articleId }: { articleId: string }) {
  const q = useFeedback(articleId);
  const items = q.data?.items ?? [];
  return (
    <section aria-labelledby="kb-comments" className="mt-5">
      <h2 id="kb-comments" className="text-sm font-semibold text-ink">
        {t('kb.comments.title')}
      </h2>
      {q.isSuccess && items.length === 0 && <p className="mt-1 text-sm text-ink-3">{t('kb.comments.empty')}</p>}
      <ul className="mt-2 space-y-2">
        {items.map((c) => (
          <li key={c.id} className="rounded-md border border-line bg-canvas px-3 py-2">
            <p className="flex items-center gap-1.5 text-xs text-ink-2">
              <Icon name={c.helpful ? 'check' : 'x'} size={13} className={c.helpful ? 'text-ok' : 'text-danger'} />
              <span className="font-medium">{c.helpful ? t('kb.comments.helpful') : t('kb.comments.notHelpful')}</span>
              <span aria-hidden="true">·</span>
              <When iso={c.createdAt} />
            </p>
            {c.comment && <p className="mt-1 text-sm break-words whitespace-pre-line text-ink">{c.comment}</p>}
            <p className="mt-1 text-xs text-ink-3">{c.contact?.name || t('kb.comments.anonymous')}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The side panel of the editor: status, who wrote and changed it, what readers did with it, and their comments. */
export function ArticleFacts({ article, children }: { article: Article | undefined; children?: ReactNode }) {
  return (
    <aside aria-label={t('kb.facts.label')} className="w-64 shrink-0 xl:w-72">
      <div className="rounded-lg border border-line bg-surface p-4">
        {!article ? (
          <p className="text-sm text-ink-2">{t('kb.facts.new')}</p>
        ) : (
          <dl className="divide-y divide-line">
            <Fact label={t('kb.facts.status')}>
              <StatusBadge status={article.status} />
            </Fact>
            {article.author && <Fact label={t('kb.facts.author')}>{article.author.name}</Fact>}
            <Fact label={t('kb.facts.created')}>
              <When iso={article.createdAt} />
            </Fact>
            <Fact label={t('kb.facts.updated')}>{article.updatedBy ? t('kb.facts.by', { time: shortDate(article.updatedAt), name: article.updatedBy.name }) : <When iso={article.updatedAt} />}</Fact>
            <Fact label={t('kb.facts.published')}>{article.publishedAt ? <When iso={article.publishedAt} /> : t('kb.facts.notPublished')}</Fact>
            <Fact label={t('kb.facts.views')}>{number.format(article.views)}</Fact>
            <Fact label={t('kb.facts.helpful')}>{t('kb.facts.helpfulCounts', { yes: number.format(article.helpfulYes), no: number.format(article.helpfulNo) })}</Fact>
            <Fact label={t('kb.facts.deflections')} hint={t('kb.facts.deflectionsHint')}>
              {number.format(article.deflections)}
            </Fact>
          </dl>
        )}
        {children}
      </div>
      {article && <Comments articleId={article.id} />}
    </aside>
  );
}
