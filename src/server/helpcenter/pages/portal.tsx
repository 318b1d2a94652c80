/** @jsxImportSource preact */
import type { listPortalConversations, portalConversation } from '../../channels/portal/conversations.js';
import { FieldError, FormGuard, formatDate, formatDateTime, Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

export function SignInPage({ ctx, email, returnTo, error, sentTo, minutes }: { ctx: PageContext; email?: string; returnTo: string; error?: string; sentTo?: string; minutes: number }) {
  const { t, base } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: sentTo ? t('portal.checkTitle') : t('portal.signInTitle'), noindex: true, section: 'portal' }}>
      <div class="narrow">
        {sentTo ? (
          <>
            <h1>{t('portal.checkTitle')}</h1>
            <p role="status">{t('portal.check', { email: sentTo, minutes })}</p>
            <p class="muted">{t('portal.checkAgain')}</p>
            <p>
              <a href={`${base}/portal/sign-in?return=${encodeURIComponent(returnTo)}`}>{t('portal.newLink')}</a>
            </p>
          </>
        ) : (
          <>
            <h1>{t('portal.signInTitle')}</h1>
            <p>{t('portal.signInLead')}</p>
            <form method="post" action={`${base}/portal/sign-in`} class="stack form" novalidate>
              <FormGuard ctx={ctx} />
              <input type="hidden" name="return" value={returnTo} />
              <div class="field">
                <label for="email">{t('portal.email')}</label>
                <input id="email" name="email" type="email" autocomplete="email" required value={email} aria-describedby="email-error" aria-invalid={error ? 'true' : undefined} />
                <FieldError id="email" error={error} />
              </div>
              <div>
                <button type="submit">{t('portal.sendLink')}</button>
              </div>
            </form>
          </>
        )}
      </div>
    </Layout>
  );
}

/** The page a sign-in link opens: one button, so a mail scanner that fetches the link does not use it up. */
export function AuthPage({ ctx, token, state, email }: { ctx: PageContext; token: string; state: 'valid' | 'used' | 'expired' | 'unknown'; email?: string }) {
  const { t, base, hc } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: t('portal.authTitle'), noindex: true, section: 'portal' }}>
      <div class="narrow">
        <h1>{t('portal.authTitle')}</h1>
        {state === 'valid' ? (
          <form method="post" action={`${base}/portal/auth/${token}`} class="stack">
            <FormGuard ctx={ctx} />
            <p>{t('portal.authLead', { title: hc.title, email: email ?? '' })}</p>
            <div>
              <button type="submit">{t('portal.authButton')}</button>
            </div>
          </form>
        ) : (
          <>
            <p class="notice notice-warn" role="alert">
              {t(`portal.link.${state}`)}
            </p>
            <p>
              <a class="button" href={`${base}/portal/sign-in`}>
                {t('portal.newLink')}
              </a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}

type Item = Awaited<ReturnType<typeof listPortalConversations>>[number];

/** Everything the customer has had with the workspace: every channel, newest first. */
export function PortalListPage({ ctx, items }: { ctx: PageContext; items: Item[] }) {
  const { t, base } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: t('portal.title'), noindex: true, section: 'portal' }}>
      <div class="title-row">
        <div>
          <h1>{t('portal.title')}</h1>
          <p class="lead">{t('portal.lead')}</p>
        </div>
        <a class="button" href={`${base}/contact`}>
          {t('portal.newRequest')}
        </a>
      </div>
      <SignedIn ctx={ctx} />
      {items.length === 0 ? (
        <p class="empty">{t('portal.empty')}</p>
      ) : (
        <ul class="requests">
          {items.map((c) => (
            <li>
              <a href={`${base}/portal/conversations/${c.number}`} class="request">
                <span class="request-top">
                  <span class="request-subject">{c.subject || t('portal.number', { number: c.number })}</span>
                  <span class={`status status-${c.status}`}>{t(`portal.status.${c.status}`)}</span>
                </span>
                <span class="muted small">
                  #{c.number} · {t(`portal.channel.${c.channel}`)} · {t('portal.updated', { date: formatDate(ctx.lang, c.lastMessageAt) })}
                </span>
                {c.preview && (
                  <span class="request-preview">
                    {c.lastFrom === 'agent' ? `${t('portal.team')}: ` : `${t('portal.you')}: `}
                    {c.preview}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function SignedIn({ ctx }: { ctx: PageContext }) {
  const { t, base } = ctx;
  return (
    <form method="post" action={`${base}/portal/sign-out`} class="signed-in muted small">
      <FormGuard ctx={ctx} />
      <span>{t('portal.signedInAs', { name: ctx.viewer.customer?.name ?? '' })}</span> <button type="submit" class="link-button">{t('portal.signOut')}</button>
    </form>
  );
}

type Conversation = Awaited<ReturnType<typeof portalConversation>>;

/** One conversation's whole public history, and the reply box (which reopens a solved or closed one). */
export function PortalConversationPage({ ctx, data, reply }: { ctx: PageContext; data: Conversation; reply?: { text?: string; error?: string; sent?: boolean } }) {
  const { t, base } = ctx;
  const c = data.conversation;
  const path = `${base}/portal/conversations/${c.number}`;
  const closed = c.status === 'closed';
  return (
    <Layout ctx={ctx} meta={{ title: c.subject || t('portal.number', { number: c.number }), noindex: true, section: 'portal' }}>
      <nav aria-label={t('breadcrumb.label')} class="crumbs">
        <a href={`${base}/portal`}>{t('portal.back')}</a>
      </nav>
      <div class="title-row">
        <div>
          <h1>{c.subject || t('portal.number', { number: c.number })}</h1>
          <p class="muted small">
            #{c.number} · {t(`portal.channel.${data.channel}`)} · <span class={`status status-${c.status}`}>{t(`portal.status.${c.status}`)}</span>
          </p>
        </div>
      </div>
      {data.mergedInto !== null ? (
        <p class="notice">
          <a href={`${base}/portal/conversations/${data.mergedInto}`}>{t('portal.merged', { number: data.mergedInto })}</a>
        </p>
      ) : (
        <>
          <ol class="timeline">
            {data.messages.map((m) => (
              <li class={`bubble ${m.from === 'agent' ? 'from-team' : 'from-customer'}`} id={`m-${m.id}`}>
                <p class="bubble-head">
                  <strong>{m.from === 'agent' ? (m.name ?? t('portal.team')) : m.mine ? t('portal.you') : (m.name ?? t('portal.you'))}</strong>
                  {m.from === 'agent' && !m.automatic && <span class="badge badge-staff">{t('thread.staff')}</span>}
                  <span class="muted small">
                    {' '}
                    <time datetime={m.createdAt.toISOString()}>{formatDateTime(ctx.lang, m.createdAt)}</time>
                    {m.channel !== data.channel && <> · {t('portal.via', { channel: t(`portal.channel.${m.channel}`) })}</>}
                    {m.automatic && <> · {t('portal.automatic')}</>}
                  </span>
                </p>
                {m.call ? (
                  <p class="call">
                    {t('portal.call', { direction: t(`portal.call.${m.call.direction}`), outcome: t(`portal.outcome.${m.call.outcome}`) })}
                    {m.call.outcome === 'answered' && m.call.durationSeconds > 0 && <>, {t('portal.callMinutes', { minutes: Math.max(1, Math.round(m.call.durationSeconds / 60)) })}</>}
                  </p>
                ) : (
                  <div class="bubble-text">{m.text}</div>
                )}
                {m.files.length > 0 && (
                  <ul class="files">
                    {m.files.map((f) => (
                      <li>
                        <a href={`${base}/portal/files/${f.id}`}>{f.filename}</a> <span class="muted small">({Math.max(1, Math.round(f.size / 1024))} KB)</span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
          {reply?.sent && (
            <p class="notice notice-brand" role="status">
              {t('portal.sent')}
            </p>
          )}
          <form method="post" action={`${path}/replies`} enctype="multipart/form-data" class="stack form reply-form" novalidate>
            <FormGuard ctx={ctx} />
            {closed && <p class="notice">{t('portal.closedNote')}</p>}
            {c.status === 'solved' && <p class="muted small">{t('portal.solvedNote')}</p>}
            {closed && <input type="hidden" name="reopen" value="1" />}
            <label for="reply">{t('portal.replyLabel')}</label>
            <textarea id="reply" name="text" rows={5} maxLength={20_000} aria-describedby="reply-error" aria-invalid={reply?.error ? 'true' : undefined}>
              {reply?.text}
            </textarea>
            <FieldError id="reply" error={reply?.error} />
            <label for="files" class="small">
              {t('portal.files')}
            </label>
            <input id="files" name="files" type="file" multiple />
            <div>
              <button type="submit">{closed ? t('portal.reopen') : t('portal.sendReply')}</button>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
}
