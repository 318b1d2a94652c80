import crypto from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
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

/** Files on the local disk under `root` (HEARD_DATA_DIR/files), fanned out as ab/cd/abcd…, written atomically. */
export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string) {
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(data: Buffer | Readable, opts: { maxBytes?: number; field?: string } = {}): Promise<StoredFile> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
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
      await mkdir(path.dirname(final), { recursive: true });
      // Same bytes, same name: when the file is there already, the copy just replaces it.
      await rename(tmp, final);
      return { sha256, size };
    } finally {
      await rm(tmp, { force: true });
    }
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
