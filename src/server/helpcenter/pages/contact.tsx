/** @jsxImportSource preact */
import { FieldError, FormGuard, Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import type { IntakeField } from '../../domains/topics/service.js';
import { IntakeInputs } from './intake.js';

export interface ContactForm {
  name?: string;
  email?: string;
  topic?: string;
  subject?: string;
  message?: string;
  /** What was typed into the topics' intake fields (field.<topic>.<key>), shown again after an error. */
  values?: Record<string, string>;
  errors?: Record<string, string>;
  notice?: string;
}

/**
 * The contact form. As the customer types the subject, the page's script shows articles
 * and threads that may answer it (opened through /suggestions/, which counts them).
 * Without script it is a plain form that works the same. Each topic's intake fields sit in
 * their own group, which the script shows only for the chosen topic; the server checks only
 * the chosen topic's, all at once with the rest of the form.
 */
export function ContactPage({ ctx, form, intake = {} }: { ctx: PageContext; form: ContactForm; intake?: Record<string, IntakeField[]> }) {
  const { t, base, hc } = ctx;
  const e = form.errors ?? {};
  const customer = ctx.viewer.customer;
  const invalid = (f: string) => (e[f] ? 'true' : undefined);
  return (
    <Layout ctx={ctx} meta={{ title: t('contact.title'), description: t('contact.lead'), canonical: `${base}/contact`, section: 'contact' }}>
      <div class="narrow">
        <h1>{t('contact.title')}</h1>
        <p class="lead">{t('contact.lead')}</p>
        {form.notice && (
          <p class="notice notice-warn" role="alert">
            {form.notice}
          </p>
        )}
        {Object.keys(e).length > 0 && (
          <p class="form-error" role="alert">
            {t('form.errors')}
          </p>
        )}
        <form method="post" action={`${base}/contact`} enctype="multipart/form-data" class="stack form" novalidate data-deflect={`${base}/search.json`} data-suggestion-base={`${base}/suggestions`}>
          <FormGuard ctx={ctx} />
          <div class="field">
            <label for="name">{t('contact.name')}</label>
            <input id="name" name="name" autocomplete="name" required maxLength={200} value={form.name} aria-invalid={invalid('name')} aria-describedby="name-error" />
            <FieldError id="name" error={e.name} />
          </div>
          <div class="field">
            <label for="email">{t('contact.email')}</label>
            <input id="email" name="email" type="email" autocomplete="email" required maxLength={320} value={form.email} aria-invalid={invalid('email')} aria-describedby="email-hint email-error" readOnly={Boolean(customer && form.email)} />
            {customer && form.email && (
              <p class="hint" id="email-hint">
                {t('contact.signedInAs', { email: form.email })}
              </p>
            )}
            <FieldError id="email" error={e.email} />
          </div>
          {hc.topics.length > 0 && (
            <div class="field">
              <label for="topic">{t('contact.topic')}</label>
              <select id="topic" name="topic" aria-invalid={invalid('topic')} aria-describedby="topic-error">
                <option value="">{t('contact.topicNone')}</option>
                {hc.topics.map((tp) => (
                  <option value={tp.id} selected={form.topic === tp.id}>
                    {tp.name}
                  </option>
                ))}
              </select>
              <FieldError id="topic" error={e.topic} />
            </div>
          )}
          {hc.topics
            .filter((tp) => intake[tp.id]?.length)
            .map((tp) => (
              <fieldset class="topic-fields stack" data-topic-fields={tp.id}>
                <legend>{t('contact.details', { topic: tp.name })}</legend>
                <IntakeInputs t={t} fields={intake[tp.id]} prefix={`field.${tp.id}`} values={form.values ?? {}} errors={e} />
              </fieldset>
            ))}
          <div class="field">
            <label for="subject">{t('contact.subject')}</label>
            <input id="subject" name="subject" required maxLength={200} value={form.subject} autocomplete="off" aria-invalid={invalid('subject')} aria-describedby="subject-error" />
            <FieldError id="subject" error={e.subject} />
          </div>
          <div class="suggest" data-suggest-for="subject" aria-live="polite" hidden>
            <p class="small">{t('contact.suggestions')}</p>
            <ul class="links" />
          </div>
          <div class="field">
            <label for="message">{t('contact.message')}</label>
            <textarea id="message" name="message" required rows={8} maxLength={20_000} aria-invalid={invalid('message')} aria-describedby="message-error">
              {form.message}
            </textarea>
            <FieldError id="message" error={e.message} />
          </div>
          <div class="field">
            <label for="files">{t('contact.files')}</label>
            <input id="files" name="files" type="file" multiple aria-invalid={invalid('files')} aria-describedby="files-error" />
            <FieldError id="files" error={e.files} />
          </div>
          <div>
            <button type="submit">{t('contact.submit')}</button>
          </div>
        </form>
      </div>
    </Layout>
  );
}

export function ContactSentPage({ ctx, name, email, number }: { ctx: PageContext; name: string; email: string; number: number | null }) {
  const { t, base } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: t('contact.sentTitle'), noindex: true, section: 'contact' }}>
      <div class="narrow">
        <h1>{t('contact.sentTitle')}</h1>
        <p role="status">{number !== null ? t('contact.sent', { name, email, number }) : t('contact.sent', { name, email, number: '…' })}</p>
        <p>
          <a class="button" href={`${base}/portal${number !== null ? `/conversations/${number}` : ''}`}>
            {t('contact.sentPortal')}
          </a>
        </p>
      </div>
    </Layout>
  );
}
