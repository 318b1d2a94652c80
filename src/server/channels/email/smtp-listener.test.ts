import dns from 'node:dns';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

/** Talks SMTP over a plain socket: each command's full reply, the greeting first. */
async function converse(port: number, commands: string[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  let buffered = '';
  const replies: string[] = [];
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        // A reply ends with a line whose code is followed by a space.
        const end = /(^|\r\n)\d{3} [^\r\n]*\r\n/.exec(buffered);
        if (!end) return;
        const reply = buffered.slice(0, end.index + end[0].length);
        buffered = buffered.slice(reply.length);
        socket.off('data', onData);
        socket.off('error', reject);
        resolve(reply);
      };
      const onData = (c: Buffer) => {
        buffered += c.toString('latin1');
        check();
      };
      socket.on('data', onData);
      socket.on('error', reject);
      check();
    });
  replies.push(await next());
  for (const c of commands) {
    socket.write(`${c}\r\n`);
    replies.push(await next());
  }
  socket.destroy();
  return replies;
}

describe('the SMTP listener', () => {
  let h: TestHeard;

  beforeAll(async () => {
    h = await startTestHeard({ HEARD_MAIL_DOMAIN: 'mail.heard.test' }, { smtpPort: 0 });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await h?.stop();
  });

  it('does not look up the reverse DNS name of a connecting client', async () => {
    // A resolver that would name the client: had the listener asked, the name would show.
    const reverse = vi.spyOn(dns, 'reverse').mockImplementation(((_ip: string, cb: (err: null, names: string[]) => void) => cb(null, ['ptr.customer.example'])) as never);
    const [greeting, ehlo] = await converse(h.smtp!.port, ['EHLO client.customer.example', 'QUIT']);
    reverse.mockRestore();
    expect(greeting).toMatch(/^220 /);
    expect(ehlo).toContain('[127.0.0.1]');
    expect(ehlo).not.toContain('ptr.customer.example');
    expect(reverse).not.toHaveBeenCalled();
  });
});
