import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The embedded database (PGlite) can be opened by one process only, so while `heard start`
 * runs, `heard admin create` and `heard token create` cannot open it themselves. The
 * running server takes those commands instead, over a Unix socket in a folder of the data
 * directory that only its owner can enter: whoever can reach the socket could read the
 * database files anyway.
 *
 * One request per connection: a line of JSON `{ command, options }`, answered by a line
 * `{ output }` or `{ error }`.
 */

export type ControlCommand = (command: string, options: Record<string, unknown>) => Promise<string>;

/** Unix socket paths are limited to about 107 bytes; a longer data directory gets no socket. */
const MAX_SOCKET_PATH = 100;

export function controlSocketPath(dataDir: string) {
  return path.join(dataDir, 'run', 'heard.sock');
}

/** Thrown by callControl when the server answered with an error: the message is the command's own. */
export class ControlCommandError extends Error {}

/**
 * Listens on the control socket until the returned close() is called. Returns undefined
 * (and serves nothing) when the path is too long for a Unix socket.
 */
export async function serveControl(dataDir: string, run: ControlCommand, onFault: (err: unknown) => void): Promise<(() => Promise<void>) | undefined> {
  const socketPath = controlSocketPath(dataDir);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) return undefined;
  const dir = path.dirname(socketPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // An existing folder keeps its mode through mkdir: make sure it is private.
  fs.chmodSync(dir, 0o700);
  // This process holds the database lock, so a socket left here is a dead server's.
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > 64 * 1024) return socket.destroy();
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      void answer(buffered.slice(0, end)).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
  });
  const answer = async (line: string): Promise<{ output: string } | { error: string }> => {
    let request: { command?: unknown; options?: unknown };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      return { error: 'the request is not JSON' };
    }
    if (typeof request.command !== 'string' || typeof request.options !== 'object' || request.options === null) return { error: 'the request names no command' };
    try {
      return { output: await run(request.command, request.options as Record<string, unknown>) };
    } catch (err) {
      if (err instanceof ControlCommandError) return { error: err.message };
      onFault(err);
      return { error: err instanceof Error ? err.message : String(err) };
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      fs.rmSync(socketPath, { force: true });
    });
}

/**
 * Sends a command to the server running on this data directory. Resolves with its output;
 * rejects with ControlCommandError for the command's own error, or with the connection's
 * error (ENOENT, ECONNREFUSED) when no server listens.
 */
export function callControl(dataDir: string, command: string, options: Record<string, unknown>, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(controlSocketPath(dataDir));
    let buffered = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`the running server did not answer within ${timeoutMs / 1000} s`)));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`${JSON.stringify({ command, options })}\n`));
    socket.on('data', (chunk: string) => (buffered += chunk));
    socket.on('end', () => {
      try {
        const reply = JSON.parse(buffered) as { output?: string; error?: string };
        if (typeof reply.error === 'string') reject(new ControlCommandError(reply.error));
        else resolve(reply.output ?? '');
      } catch {
        reject(new Error('the running server gave no answer'));
      }
    });
  });
}
