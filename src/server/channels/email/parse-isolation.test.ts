import { afterAll, describe, expect, it } from 'vitest';
import { MailParser, ParseFailed } from './parser-pool.js';

/** An HTML e-mail of about `mb` megabytes: a table of thousands of styled rows, as newsletters and reports send. */
function heavyMail(mb: number): Buffer {
  const row = '<tr><td style="padding:4px;color:#333"><b>Item</b> <i>description</i> <a href="https://shop.example/p">link</a></td><td>12.00</td></tr>\n';
  const rows = row.repeat(Math.ceil((mb * 1024 * 1024) / row.length));
  return Buffer.from(
    ['From: Reports <reports@shop.example>', 'To: support@acme.test', 'Subject: Your monthly report', 'Message-ID: <heavy@shop.example>', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', `<html><body><table>${rows}</table></body></html>`, ''].join('\r\n'),
  );
}

describe('mail parsing off the main thread', () => {
  const parser = new MailParser(60_000);
  afterAll(() => parser.close());

  it('parses a 5 MB message while the main event loop keeps ticking', async () => {
    const raw = heavyMail(5);
    await parser.parse(Buffer.from('From: a@b.example\r\nSubject: warm-up\r\n\r\nhi\r\n'));
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const mail = await parser.parse(raw);
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(mail.subject).toBe('Your monthly report');
    expect(mail.text.length).toBeGreaterThan(1000);
    // The parse itself is long; the main thread never waited for it (structured-clone copies aside).
    expect(took).toBeGreaterThan(worstGap * 3);
    expect(worstGap).toBeLessThan(250);
  });

  it('gives up on a parse that runs past the limit, and the pool keeps working', async () => {
    const impatient = new MailParser(100);
    try {
      await expect(impatient.parse(heavyMail(5))).rejects.toBeInstanceOf(ParseFailed);
      await expect(impatient.parse(heavyMail(5))).rejects.toThrow(/longer than 100 ms/);
    } finally {
      await impatient.close();
    }
    const ok = await parser.parse(Buffer.from('From: a@b.example\r\nSubject: after\r\n\r\nstill here\r\n'));
    expect(ok.text).toBe('still here');
  });
});
