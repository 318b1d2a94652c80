/**
 * The mail the e-mail benchmark sends: a realistic mix of what a support address receives,
 * the same for every part and every run (seeded). About:
 *  45% short plain-text questions from new senders,
 *  25% replies from an earlier sender, HTML with Gmail-style quoted history (they thread),
 *  15% with a 200 KB PDF attached,
 *  10% HTML with an inline (cid:) screenshot,
 *   5% auto-replies (out of office).
 */
import crypto from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { rng } from './workload.js';

export const MAIL_TO = 'support@bench.example';

export interface BenchMail {
  kind: 'question' | 'reply' | 'attachment' | 'inline' | 'auto-reply';
  from: string;
  messageId: string;
  raw: Buffer;
}

const QUESTIONS = [
  'Hi, my order has not arrived yet. The tracking page says "label created" since Monday.',
  'Hello! I was charged twice for the same subscription this month.',
  'I cannot log in to my account since this morning; the reset link says it expired.',
  'Can I change the delivery address of order 48213 before it ships?',
  'The zipper on the jacket I bought three weeks ago broke. What can I do?',
];

export class MailMix {
  private random: () => number;
  private senders: { address: string; lastId: string; subject: string }[] = [];
  private n = 0;
  private pdf: Buffer;
  private png: Buffer;

  constructor(seed: number, private readonly prefix: string) {
    this.random = rng(seed);
    const bytes = (len: number) => {
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = Math.floor(this.random() * 256);
      return b;
    };
    this.pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), bytes(200 * 1024)]);
    this.png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), bytes(30 * 1024)]);
  }

  async next(): Promise<BenchMail> {
    const i = this.n++;
    const r = this.random();
    const question = QUESTIONS[Math.floor(this.random() * QUESTIONS.length)];
    const messageId = `<${this.prefix}-${i}-${crypto.createHash('sha1').update(`${this.prefix}${i}`).digest('hex').slice(0, 8)}@customer.example>`;
    const earlier = this.senders.length ? this.senders[Math.floor(this.random() * this.senders.length)] : undefined;
    const fresh = `customer-${this.prefix}-${i}@customer.example`;
    let kind: BenchMail['kind'];
    let options: ConstructorParameters<typeof MailComposer>[0];
    if (r < 0.25 && earlier) {
      kind = 'reply';
      const quoted = `<div class="gmail_quote"><div>On Mon, 23 Nov 2026 at 10:02, Support &lt;${MAIL_TO}&gt; wrote:</div><blockquote class="gmail_quote">${'<p>Thank you for writing to us. We are looking into it and will get back to you.</p>'.repeat(6)}</blockquote></div>`;
      options = {
        from: earlier.address,
        to: MAIL_TO,
        subject: `Re: ${earlier.subject}`,
        inReplyTo: earlier.lastId,
        references: [earlier.lastId],
        text: `Thanks, any news on this?\n\nOn Mon, 23 Nov 2026 at 10:02, Support <${MAIL_TO}> wrote:\n> Thank you for writing to us.`,
        html: `<div dir="ltr">Thanks, any news on this?</div><br>${quoted}`,
      };
      earlier.lastId = messageId;
      return this.build(kind, earlier.address, messageId, options);
    }
    if (r < 0.4) {
      kind = 'attachment';
      options = { from: fresh, to: MAIL_TO, subject: 'Invoice question', text: `${question}\nThe invoice is attached.`, attachments: [{ filename: 'invoice-2026-11.pdf', content: this.pdf, contentType: 'application/pdf' }] };
    } else if (r < 0.5) {
      kind = 'inline';
      options = {
        from: fresh,
        to: MAIL_TO,
        subject: 'Error on the checkout page',
        html: `<p>${question}</p><p>Here is what I see:</p><p><img src="cid:shot@customer.example" alt="screenshot"></p>`,
        attachments: [{ filename: 'screenshot.png', content: this.png, contentType: 'image/png', cid: 'shot@customer.example' }],
      };
    } else if (r < 0.55) {
      kind = 'auto-reply';
      options = { from: fresh, to: MAIL_TO, subject: 'Automatic reply: your order', text: 'I am out of the office until Monday.', headers: { 'Auto-Submitted': 'auto-replied' } };
    } else {
      kind = 'question';
      options = { from: fresh, to: MAIL_TO, subject: question.split(/[.!?;]/)[0].slice(0, 60), text: `${question}\n\nBest,\nA customer` };
    }
    this.senders.push({ address: fresh, lastId: messageId, subject: String(options.subject) });
    return this.build(kind, fresh, messageId, options);
  }

  private async build(kind: BenchMail['kind'], from: string, messageId: string, options: ConstructorParameters<typeof MailComposer>[0]): Promise<BenchMail> {
    const raw = await new MailComposer({ ...options, messageId, date: new Date('2026-11-23T10:00:00Z') }).compile().build();
    return { kind, from, messageId: messageId.slice(1, -1), raw };
  }
}
