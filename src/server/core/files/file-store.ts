import crypto from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Invalid, NotFound } from '../errors.js';

export interface StoredFile {
  sha256: string;
  size: number;
}

/**
 * Where file contents live, by their SHA-256: the same bytes are stored once, and a
 * stored file never changes. The database keeps names and types (attachments, avatars);
 * this keeps bytes. Behind an interface so an S3 store can take the local one's place.
 */
export interface FileStore {
  /** Stores the bytes; a stream longer than `maxBytes` is refused (422 naming `field`) and nothing is kept. */
  put(data: Buffer | Readable, opts?: { maxBytes?: number; field?: string }): Promise<StoredFile>;
  /** The bytes of a stored file; NotFound when there is none. */
  get(sha256: string): Promise<Readable>;
}

const SHA256 = /^[0-9a-f]{64}$/;

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Files on the local disk under `root` (HEARD_DATA_DIR/files), fanned out as ab/cd/abcd…, written atomically. */
export class LocalFileStore implements FileStore {
  // Folders made by this process: every mail stores its raw bytes, and each file system call
  // counts at that rate. One that disappeared (someone cleaned up) is made again on ENOENT.
  private readonly made = new Set<string>();

  constructor(private readonly root: string) {}

  private pathOf(sha256: string) {
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  private async folder(dir: string) {
    if (this.made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.made.add(dir);
  }

  /** Runs `write` once its folders exist, and once more after making them again if one has gone. */
  private async inFolders<T>(dirs: string[], write: () => Promise<T>): Promise<T> {
    for (const dir of dirs) await this.folder(dir);
    try {
      return await write();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      for (const dir of dirs) this.made.delete(dir);
      for (const dir of dirs) await this.folder(dir);
      return write();
    }
  }

  async put(data: Buffer | Readable, opts: { maxBytes?: number; field?: string } = {}): Promise<StoredFile> {
    const tmpDir = path.join(this.root, 'tmp');
    if (Buffer.isBuffer(data)) return this.putBuffer(data, tmpDir, opts);
    await this.folder(tmpDir);
    const tmp = path.join(tmpDir, crypto.randomUUID());
    const hash = crypto.createHash('sha256');
    let size = 0;
    const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new Invalid(opts.field ?? 'file', `must be at most ${max} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Buffer.isBuffer(data) ? Readable.from([data]) : data, count, createWriteStream(tmp));
      const sha256 = hash.digest('hex');
      const final = this.pathOf(sha256);
      // Same bytes, same name: when the file is there already, the copy just replaces it.
      await this.inFolders([path.dirname(final)], () => rename(tmp, final));
      return { sha256, size };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * Bytes in memory (a mail and its parts): hashed at once, and written only when the store
   * does not hold them yet (files are never changed or removed, so one that is there is
   * whole); otherwise to a temporary file renamed into place, so nobody reads half a file.
   */
  private async putBuffer(data: Buffer, tmpDir: string, opts: { maxBytes?: number; field?: string }): Promise<StoredFile> {
    const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    if (data.length > max) throw new Invalid(opts.field ?? 'file', `must be at most ${max} bytes`);
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    const final = this.pathOf(sha256);
    const stored = { sha256, size: data.length };
    if (await exists(final)) return stored;
    const tmp = path.join(tmpDir, crypto.randomUUID());
    try {
      await this.inFolders([tmpDir, path.dirname(final)], async () => {
        await writeFile(tmp, data);
        await rename(tmp, final);
      });
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return stored;
  }

  async get(sha256: string): Promise<Readable> {
    if (!SHA256.test(sha256)) throw new NotFound('File');
    const file = this.pathOf(sha256);
    try {
      await stat(file);
    } catch {
      throw new NotFound('File');
    }
    return createReadStream(file);
  }
}
