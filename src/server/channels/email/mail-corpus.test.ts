import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, mailHolds, messages } from '../../db/schema/index.js';
import { buildMember } from '../../../../test/factories.js';
import { corpus, type MailExpectation } from '../../../../test/fixtures/mail/build.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { type ReceiveResult, receiveEmail } from './receive.js';

/**
 * Every message of the corpus (test/fixtures/mail, built by its build.ts) goes through
 * receiveEmail() as the MIME endpoint hands it over, and what an agent then sees is
 * compared with expected.json: sender, subject, the new text without quoted history or
 * signature, the history behind "show quoted", files and inline images, the automated
 * flag, threading headers. Nothing may crash, and nothing may be lost: mail that cannot
 * be read is held raw for an admin.
 */

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/mail');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, MailExpectation>;
const files = Object.keys(expected).sort();

/** What a person reads: tags gone, entities decoded, white space collapsed. */
function visible(html: string | null | undefined): string {
  return (html ?? '')
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}
const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('the mail corpus, as an agent sees it', () => {
  let h: TestHeard;
  let inboxId: string;
  const results = new Map<string, ReceiveResult>();

  beforeAll(async () => {
    h = await startTestHeard({ HEARD_IMAP_POLL_SECONDS: '0' });
    const owner = await buildMember(h.ctx, { name: 'Ann Agent' });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Support', channel: 'email', address: 'support@acme.example' } });
    expect(res.statusCode, res.body).toBe(201);
    inboxId = json(res).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('holds at least 45 messages, exactly as build.ts makes them', () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
    const built = corpus();
    expect(built.expected, 'expected.json is out of date: npx tsx test/fixtures/mail/build.ts').toEqual(expected);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()).toEqual([...built.files.keys()].sort());
    for (const [file, raw] of built.files) expect(fs.readFileSync(path.join(dir, file)).equals(raw), `${file} differs from what build.ts makes`).toBe(true);
  });

  // In file order: the second of two messages sharing a Message-ID comes after the first.
  it.each(files)('%s', async (file) => {
    const e = expected[file];
    const raw = fs.readFileSync(path.join(dir, file));
    const result = await receiveEmail(h.ctx, h.app.files, { inboxId, raw, source: 'http' });
    results.set(file, result);

    if (e.outcome === 'kept') expect(['ingested', 'held'], `${file}: ${e.about}`).toContain(result.outcome);
    else expect(result.outcome, `${file}: ${e.about} (${result.detail ?? ''})`).toBe(e.outcome);

    if (result.outcome === 'held') {
      // Never lost: the hold exists and its raw bytes are in the file store, byte for byte.
      const [hold] = await h.ctx.db.select().from(mailHolds).where(eq(mailHolds.id, result.holdId!));
      expect(hold, 'a held message has its hold').toBeTruthy();
      const chunks: Buffer[] = [];
      for await (const c of await h.app.files.get(hold.rawSha256)) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(raw)).toBe(true);
      return;
    }
    if (result.outcome !== 'ingested') return;

    const [m] = await h.ctx.db.select().from(messages).where(eq(messages.id, result.messageId!));
    const files = await h.ctx.db.select().from(attachments).where(eq(attachments.messageId, m.id));
    const email = m.email!;
    const text = norm(m.text);
    const shown = `${text} ${norm(visible(m.html))}`;
    const quoted = `${norm(email.quotedText)} ${norm(visible(email.quotedHtml))}`;

    if (e.from) expect.soft(email.from?.address, 'from').toBe(e.from);
    if (e.subject) expect.soft(norm(email.subject), 'subject').toBe(e.subject);
    if (e.subjectIncludes) expect.soft(email.subject, 'subject').toContain(e.subjectIncludes);
    for (const phrase of e.text) expect.soft(text, 'the new text').toContain(norm(phrase));
    for (const phrase of e.notText) expect.soft(shown, 'the new text (quoted history, signature, mojibake cut)').not.toContain(norm(phrase));
    for (const phrase of e.quoted ?? []) expect.soft(quoted, 'the quoted history ("show quoted")').toContain(norm(phrase));
    expect.soft(Boolean(email.automated), `automated (${email.automated ?? 'not marked'})`).toBe(e.automated);
    if (e.inReplyTo) expect.soft(email.inReplyTo, 'In-Reply-To').toBe(e.inReplyTo);
    if (e.messageId) expect.soft(email.messageId, 'Message-ID').toBe(e.messageId);

    const listed = files.filter((f) => !f.contentId);
    const inline = files.filter((f) => f.contentId);
    expect.soft(inline.length, 'inline images').toBe(e.inlineImages);
    expect.soft(
      listed.map((f) => `${f.filename} (${f.contentType})`),
      'attachments',
    ).toHaveLength(e.attachments.length);
    const unmatched = [...listed];
    for (const want of e.attachments) {
      const i = unmatched.findIndex(
        (f) => (!want.name || f.filename === want.name) && (!want.nameEndsWith || f.filename.endsWith(want.nameEndsWith)) && (!want.contentType || f.contentType.startsWith(want.contentType)),
      );
      expect.soft(i, `an attachment like ${JSON.stringify(want)} among ${JSON.stringify(unmatched.map((f) => [f.filename, f.contentType]))}`).toBeGreaterThanOrEqual(0);
      if (i >= 0) {
        expect.soft(unmatched[i].filename.trim(), 'every file has a name to show').not.toBe('');
        unmatched.splice(i, 1);
      }
    }

    if (e.sameMessageIdAs) {
      const first = results.get(e.sameMessageIdAs);
      expect(first?.outcome, 'the first of the pair').toBe('ingested');
      expect(first?.messageId, 'a second message, not the first one again').not.toBe(result.messageId);
    }
  });

  it('took every message in: none was lost between ingested and held', async () => {
    const stored = await h.ctx.db.select({ id: messages.id }).from(messages).where(eq(messages.inboxId, inboxId));
    const held = await h.ctx.db.select({ id: mailHolds.id }).from(mailHolds).where(eq(mailHolds.inboxId, inboxId));
    const outcomes = [...results.values()];
    expect(outcomes).toHaveLength(files.length);
    expect(stored.length).toBe(outcomes.filter((r) => r.outcome === 'ingested').length);
    expect(held.length).toBe(outcomes.filter((r) => r.outcome === 'held').length);
  });
});
