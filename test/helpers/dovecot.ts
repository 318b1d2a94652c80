import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePorts } from './heard-process.js';

/**
 * A private Dovecot IMAP server for tests: Debian's `dovecot` binary (`apt-get install
 * dovecot-imapd`; `.ci/run` installs it) run in the foreground with a configuration of its
 * own in a temporary folder — its own base_dir, state, log, users file and Maildir — on a
 * free port of 127.0.0.1, plaintext login, no TLS. No system service or file is touched.
 *
 * As root (CI), Dovecot refuses to run its login process or to store mail as uid 0, so
 * logins run as Debian's `dovenull` and mail belongs to the `dovecot` user; as anyone
 * else, everything runs as that user.
 */
export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The temporary folder holding configuration, log and Maildir. */
  dir: string;
  /** Stores a message in a folder (INBOX by default; created when missing) and answers its UID. */
  append(raw: Buffer | string, opts?: { seen?: boolean; folder?: string }): Promise<number>;
  /** Stores many messages over one connection, in order; answers their UIDs. */
  appendMany(raws: (Buffer | string)[], opts?: { seen?: boolean; folder?: string }): Promise<number[]>;
  /** The UIDs in a folder, ascending. */
  listUids(folder?: string): Promise<number[]>;
  /** How many messages of a folder are flagged \\Seen, and how many it holds. */
  countSeen(folder?: string): Promise<{ seen: number; total: number }>;
  /** The flags of one message (e.g. `\\Seen`). */
  flags(folder: string, uid: number): Promise<string[]>;
  /** The folder's current UIDVALIDITY. */
  uidValidity(folder?: string): Promise<number>;
  /** Creates a folder (no error if it exists). */
  createFolder(folder: string): Promise<void>;
  /**
   * Makes the server forget the folder's UIDs: it is stopped, the folder's UID list and
   * indexes are removed, and it is started again, so the same messages come back under a
   * new UIDVALIDITY, as after a server migration or a rebuilt mailbox.
   */
  resetUidValidity(folder?: string): Promise<void>;
  /** An outage: the server and its open sessions die at once; the port and the Maildir are kept for `up()`. */
  down(): Promise<void>;
  /** Ends an outage: starts again on the same port with the same mail. */
  up(): Promise<void>;
  /** `down()` then `up()`. */
  restart(): Promise<void>;
  /** The end of the server log, for failure messages. */
  log(): string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

const DOVECOT = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';

/** uid and gid of a user from /etc/passwd, or undefined. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Who the server's processes and mail run as (see the note on `Dovecot`). */
function identities() {
  const me = os.userInfo();
  if (me.uid !== 0) return { internal: me.username, internalGroup: groupName(me.gid), login: me.username, mailUid: me.uid, mailGid: me.gid };
  const mail = systemUser('dovecot');
  if (!mail || !systemUser('dovenull')) throw new Error('As root, Dovecot needs the users dovecot and dovenull (apt-get install dovecot-imapd creates them)');
  return { internal: 'root', internalGroup: 'root', login: 'dovenull', mailUid: mail.uid, mailGid: mail.gid };
}

function groupName(gid: number): string {
  const line = fs
    .readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? String(gid);
}

function configuration(dir: string, port: number, ids: ReturnType<typeof identities>): string {
  return `# A private Dovecot for Heard's tests (test/helpers/dovecot.ts)
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = heard-test-${port}
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${ids.internal}
default_internal_group = ${ids.internalGroup}
default_login_user = ${ids.login}
first_valid_uid = ${Math.min(ids.mailUid, 100)}
first_valid_gid = 0
mail_location = maildir:${dir}/mail/%u
mail_fsync = never
mail_max_userip_connections = 200
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${ids.mailUid} gid=${ids.mailGid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

/** Starts a private Dovecot and waits until its test user can log in. */
export async function startDovecot(): Promise<Dovecot> {
  if (!fs.existsSync(DOVECOT)) throw new Error(`${DOVECOT} is missing: apt-get install -y dovecot-imapd (or set DOVECOT_PATH)`);
  const ids = identities();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-dovecot-'));
  // The login process (dovenull as root) must reach the sockets under base_dir.
  fs.chmodSync(dir, 0o711);
  fs.mkdirSync(path.join(dir, 'mail'));
  fs.mkdirSync(path.join(dir, 'state'));
  if (os.userInfo().uid === 0) fs.chownSync(path.join(dir, 'mail'), ids.mailUid, ids.mailGid);
  const user = 'support';
  const password = 'imap-secret';
  fs.writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
  const port = (await freePorts(1))[0];
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, configuration(dir, port, ids));

  let child: ChildProcess | undefined;
  const logFile = path.join(dir, 'dovecot.log');
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '(no log)');
  const killGroup = (proc: ChildProcess, signal: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => child && killGroup(child, 'SIGKILL');

  const client = () =>
    new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user, pass: password },
      logger: false,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 30_000,
      disableAutoIdle: true,
    });

  async function withClient<T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> {
    const c = client();
    c.on('error', () => {});
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  }

  async function up() {
    if (child) return;
    let output = '';
    // A process group of its own: an outage ends the master and every session it started.
    const proc = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child = proc;
    process.once('exit', killOnExit);
    let exited = false;
    proc.once('exit', () => {
      exited = true;
      if (child === proc) child = undefined;
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (exited) throw new Error(`dovecot exited at start:\n${output}\n${log()}`);
      try {
        await withClient(async () => {});
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`dovecot did not accept a login on port ${port}: ${(err as Error).message}\n${output}\n${log()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async function down() {
    const proc = child;
    if (!proc) return;
    child = undefined;
    process.off('exit', killOnExit);
    const exited = proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // As a crash or a pulled cable would: the master and every session it started, at once
    // (logged-in sessions would outlive a gentle stop of the master).
    killGroup(proc, 'SIGKILL');
    await exited;
  }

  async function ensureFolder(c: ImapFlow, folder: string) {
    if (folder.toUpperCase() === 'INBOX') return;
    const list = await c.list();
    if (!list.some((m) => m.path === folder)) await c.mailboxCreate(folder);
  }

  async function appendMany(raws: (Buffer | string)[], opts: { seen?: boolean; folder?: string } = {}) {
    const folder = opts.folder ?? 'INBOX';
    return withClient(async (c) => {
      await ensureFolder(c, folder);
      const uids: number[] = [];
      for (const raw of raws) {
        const res = await c.append(folder, typeof raw === 'string' ? Buffer.from(raw) : raw, opts.seen ? ['\\Seen'] : []);
        if (!res || !res.uid) throw new Error(`APPEND to ${folder} gave no UID`);
        uids.push(res.uid);
      }
      return uids;
    });
  }

  /** The folder's Maildir++ directory: INBOX is the root, others are `.Name`. */
  const folderDir = (folder: string) => path.join(dir, 'mail', user, folder.toUpperCase() === 'INBOX' ? '' : `.${folder}`);

  await up();

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    append: async (raw, opts) => (await appendMany([raw], opts))[0],
    appendMany,
    listUids: (folder = 'INBOX') =>
      withClient(async (c) => {
        await c.mailboxOpen(folder, { readOnly: true });
        const uids = await c.search({ all: true }, { uid: true });
        return (uids || []).sort((a, b) => a - b);
      }),
    countSeen: (folder = 'INBOX') =>
      withClient(async (c) => {
        const box = await c.mailboxOpen(folder, { readOnly: true });
        const seen = await c.search({ seen: true }, { uid: true });
        return { seen: (seen || []).length, total: box.exists };
      }),
    flags: (folder, uid) =>
      withClient(async (c) => {
        await c.mailboxOpen(folder, { readOnly: true });
        const msg = await c.fetchOne(String(uid), { flags: true }, { uid: true });
        if (!msg) throw new Error(`no message with UID ${uid} in ${folder}`);
        return [...(msg.flags ?? [])];
      }),
    uidValidity: (folder = 'INBOX') =>
      withClient(async (c) => Number((await c.mailboxOpen(folder, { readOnly: true })).uidValidity)),
    createFolder: (folder) => withClient((c) => ensureFolder(c, folder)),
    async resetUidValidity(folder = 'INBOX') {
      const before = await withClient(async (c) => Number((await c.mailboxOpen(folder, { readOnly: true })).uidValidity));
      await down();
      const d = folderDir(folder);
      for (const name of fs.readdirSync(d)) {
        if (name === 'dovecot-uidlist' || name.startsWith('dovecot.index')) fs.rmSync(path.join(d, name), { force: true });
      }
      // Dovecot derives a new UIDVALIDITY from the clock: make sure it moved on.
      await new Promise((r) => setTimeout(r, 1100));
      await up();
      const after = await withClient(async (c) => Number((await c.mailboxOpen(folder, { readOnly: true })).uidValidity));
      if (after === before) throw new Error(`UIDVALIDITY of ${folder} did not change (${before})`);
    },
    down,
    up,
    async restart() {
      await down();
      await up();
    },
    log,
    async stop() {
      await down();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
