import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Real `heard start` processes for tests that need a whole server: several nodes, a crash and a restart. */

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const heardBin = path.join(root, 'bin/heard.js');

export interface Node {
  name: string;
  url: string;
  child: ChildProcess;
  output: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Two ports free right now (both held open while the second is picked, so they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function startNode(name: string, port: number, env: NodeJS.ProcessEnv): Node {
  const child = spawn(process.execPath, [heardBin, 'start'], { cwd: root, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const node: Node = {
    name,
    url: `http://127.0.0.1:${port}`,
    child,
    output: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  const keep = (chunk: Buffer) => {
    node.output = (node.output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return node;
}

/** Resolves when the node answers /healthz; rejects when it exits first or after `ms`. */
export async function waitHealthy(node: Node, ms = 60_000) {
  let exited = false;
  void node.exited.then(() => (exited = true));
  const end = Date.now() + ms;
  for (;;) {
    if (exited) throw new Error(`${node.name} exited before it was healthy:\n${node.output}`);
    try {
      const res = await fetch(`${node.url}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > end) throw new Error(`${node.name} not healthy after ${ms} ms:\n${node.output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM, then SIGKILL when the process has not exited after `ms`. Resolves with how it exited. */
export async function stopNode(node: Node, ms = 10_000) {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), ms);
  try {
    return await node.exited;
  } finally {
    clearTimeout(timer);
  }
}

