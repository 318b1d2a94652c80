import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import { eq, and, asc } from 'drizzle-orm';
import { contactIdentities } from '../../db/schema/index.js';
import { ContactFormSchema, contactFormIntake, contactFormValues, submitContactForm } from '../../channels/portal/contact-form.js';
import { PORTAL_FILE_MAX_BYTES, PORTAL_FILES_PER_MESSAGE } from '../../channels/portal/conversations.js';
import { fieldErrors, invalidToErrors, readMultipartForm } from '../form-body.js';
import { type ContactForm, ContactPage, ContactSentPage } from '../pages/contact.js';
import { sendPage } from '../render.js';
import type { SiteRequest } from '../context.js';
import { siteOf, submitLimit } from './shared.js';

/** The contact form: a conversation in the portal inbox, a confirmation by e-mail, suggestions as the subject is typed. */
export const contactPages: FastifyPluginAsync = async (app) => {
  const limit = submitLimit(app);

  /** What a signed-in customer need not type again. */
  const known = async (site: SiteRequest): Promise<ContactForm> => {
    const c = site.ctx.viewer.customer;
    if (!c) return {};
    const [email] = await app.ctx.db
      .select({ value: contactIdentities.value })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.contactId, c.id), eq(contactIdentities.kind, 'email')))
      .orderBy(asc(contactIdentities.createdAt))
      .limit(1);
    return { name: c.name || undefined, email: email?.value };
  };

  app.get('/:site/contact', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const site = siteOf(req);
    const q = req.query as { subject?: string; topic?: string };
    const intake = await contactFormIntake(app.ctx.db, site.hc);
    return sendPage(reply, h(ContactPage, { ctx: site.ctx, intake, form: { ...(await known(site)), subject: q.subject?.slice(0, 200), topic: q.topic?.slice(0, 60) } }));
  });

  app.post('/:site/contact', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    const { t } = site.ctx;
    const { fields, files, form, fileErrors } = await readMultipartForm(app, req, { files: PORTAL_FILES_PER_MESSAGE, fileBytes: PORTAL_FILE_MAX_BYTES }, t);
    const mine = await known(site);
    // A signed-in customer writes from their own address.
    const input = { ...fields, email: mine.email ?? fields.email, topic: fields.topic || undefined };
    const intake = await contactFormIntake(app.ctx.db, site.hc);
    // The chosen topic's fields, posted as field.<topic>.<key>.
    const prefix = `field.${input.topic}.`;
    const answers = Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (input.topic && k.startsWith(prefix) && typeof v === 'string' ? [[k.slice(prefix.length), v]] : [])));
    const again = (extra: Partial<ContactForm>, status = 422) =>
      sendPage(reply, h(ContactPage, { ctx: site.ctx, intake, form: { ...input, message: fields.message, values: fields as Record<string, string>, ...extra } }), status);
    // The trap was filled: a bot. It is thanked like a person, and nothing is stored.
    if (form.trapped) return sendPage(reply, h(ContactSentPage, { ctx: site.ctx, name: fields.name ?? '', email: fields.email ?? '', number: null }));
    const parsed = ContactFormSchema.safeParse(input, { reportInput: true });
    const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error, t)), ...fileErrors };
    if (input.topic && !site.hc.topics.some((x) => x.id === input.topic)) errors.topic = t('field.invalid');
    // The topic's fields are checked with the rest, so one round names every missing one.
    else await contactFormValues(app.ctx.db, site.hc, input.topic, answers, input.email ?? '').catch((err) => {
      const e = invalidToErrors(err, t);
      if (!e) throw err;
      Object.assign(errors, e);
    });
    // Empty or wrong fields are said first: a person who sent too soon needs those more
    // than the "too quick" notice, which only a complete form sent too fast gets.
    if (!parsed.success || Object.keys(errors).length) return again({ errors });
    if (form.spam) return again({ notice: t('contact.tooFast') }, 200);
    try {
      const r = await submitContactForm(app.ctx, site.hc, { ...parsed.data, formId: form.id, files, answers });
      return sendPage(reply, h(ContactSentPage, { ctx: site.ctx, name: parsed.data.name, email: parsed.data.email, number: r.conversationNumber }));
    } catch (err) {
      const e = invalidToErrors(err, t);
      if (e) return again({ errors: e });
      throw err;
    }
  });
};
