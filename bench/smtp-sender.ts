import net from 'node:net';

/**
 * A minimal SMTP client for the benchmarks' load: one connection, one message at a time,
 * MAIL FROM, RCPT TO and DATA sent together (PIPELINING, which the listener offers), the
 * message dot-stuffed beforehand. A full client (nodemailer) costs several times the CPU
 * per message, and on a small machine that CPU is taken from the server being measured.
 * Every reply code is checked: a message counts only when DATA is answered 250.
 */
export class SmtpSender {
  private buffered = '';
  private waiting: { resolve: (reply: string) => void; reject: (err: Error) => void }[] = [];
  private failed: Error | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('latin1');
      // A reply is complete at a line "NNN text" (a space, not a hyphen, after the code).
      for (;;) {
        const end = this.buffered.search(/^\d{3} [^\n]*\n/m);
        if (end < 0) break;
        const lineEnd = this.buffered.indexOf('\n', end);
        const reply = this.buffered.slice(0, lineEnd + 1);
        this.buffered = this.buffered.slice(lineEnd + 1);
        this.waiting.shift()?.resolve(reply.trimEnd());
      }
    });
    const fail = (err: Error) => {
      this.failed ??= err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the SMTP connection closed')));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<SmtpSender> {
    const socket = net.connect(port, host);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const s = new SmtpSender(socket);
    await s.expect(s.reply(), 220, 'greeting');
    socket.write('EHLO bench.example\r\n');
    const ehlo = await s.expect(s.reply(), 250, 'EHLO');
    if (!/PIPELINING/i.test(ehlo)) throw new Error('the listener does not offer PIPELINING');
    return s;
  }

  private reply(): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private async expect(reply: Promise<string>, code: number, step: string): Promise<string> {
    const text = await reply;
    if (!text.startsWith(String(code))) throw new Error(`${step}: ${text}`);
    return text;
  }

  /** Sends one message (already dot-stuffed and ending in CRLF, see stuff()); resolves on the 250 after DATA. */
  async send(from: string, to: string, stuffed: Buffer): Promise<void> {
    const replies = [this.reply(), this.reply(), this.reply()];
    this.socket.write(`MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`);
    await this.expect(replies[0], 250, 'MAIL FROM');
    await this.expect(replies[1], 250, 'RCPT TO');
    await this.expect(replies[2], 354, 'DATA');
    const done = this.reply();
    this.socket.write(stuffed);
    this.socket.write('.\r\n');
    await this.expect(done, 250, 'end of data');
  }

  close() {
    this.socket.end('QUIT\r\n');
  }
}

/** A message as DATA carries it: CRLF line ends, a dot doubled at the start of a line, and a final CRLF. */
export function stuff(raw: Buffer): Buffer {
  let text = raw.toString('latin1').replace(/\r?\n/g, '\r\n');
  if (!text.endsWith('\r\n')) text += '\r\n';
  text = text.replace(/^\./gm, '..');
  return Buffer.from(text, 'latin1');
}
