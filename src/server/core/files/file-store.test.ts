import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../ids.js';
import { LocalFileStore } from './file-store.js';

describe('local file store', () => {
  let root: string;
  let store: LocalFileStore;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'heard-files-'));
    store = new LocalFileStore(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('stores bytes under their SHA-256, once, and gives them back', async () => {
    const a = await store.put(Buffer.from('hello'));
    expect(a).toEqual({ sha256: sha256('hello'), size: 5 });
    const b = await store.put(Readable.from([Buffer.from('hel'), Buffer.from('lo')]));
    expect(b).toEqual(a);
    expect(await text(await store.get(a.sha256))).toBe('hello');
    expect(await readdir(path.join(root, a.sha256.slice(0, 2), a.sha256.slice(2, 4)))).toEqual([a.sha256]);
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('keeps storing when its folders were removed behind its back, and refuses bytes over the limit', async () => {
    const a = await store.put(Buffer.from('first'));
    await rm(path.join(root, a.sha256.slice(0, 2)), { recursive: true });
    await rm(path.join(root, 'tmp'), { recursive: true });
    expect(await store.put(Buffer.from('first'))).toEqual(a);
    expect(await text(await store.get(a.sha256))).toBe('first');
    await expect(store.put(Buffer.alloc(20), { maxBytes: 10, field: 'attachment' })).rejects.toMatchObject({ status: 422, errors: [{ field: 'attachment' }] });
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('refuses a stream over the limit and keeps nothing of it', async () => {
    const big = Readable.from([Buffer.alloc(600, 1), Buffer.alloc(600, 2)]);
    await expect(store.put(big, { maxBytes: 1000, field: 'avatar' })).rejects.toMatchObject({ status: 422, errors: [{ field: 'avatar' }] });
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    await expect(store.get(sha256(Buffer.concat([Buffer.alloc(600, 1), Buffer.alloc(600, 2)])))).rejects.toMatchObject({ status: 404 });
  });

  it('answers NotFound for unknown or malformed ids, never a path outside the store', async () => {
    await expect(store.get('0'.repeat(64))).rejects.toMatchObject({ status: 404 });
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ status: 404 });
  });
});
