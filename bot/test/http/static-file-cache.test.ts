import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sinon from 'sinon';
import { staticFileCache } from '../../src/http/static-file-cache';

describe('static file cache', () => {
  let dir: string;
  const write = (name: string, text: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'static-file-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compresses a file once per coding and keeps it until the file changes', async () => {
    const text = 'const a = 1;\n'.repeat(500);
    const file = write('a.js', text);
    const cache = staticFileCache();
    const first = await cache.read(file);
    const br = await first.encoded('br');
    assert.equal(zlib.brotliDecompressSync(br!).toString(), text);
    assert.equal(zlib.gunzipSync((await first.encoded('gzip'))!).toString(), text);
    const second = await cache.read(file);
    assert.equal(second, first, 'kept');
    assert.equal(await second.encoded('br'), br, 'compressed once');

    write('a.js', `${text}// changed\n`);
    const changed = await cache.read(file);
    assert.notEqual(changed.hash, first.hash);
    assert.match(changed.body.toString(), /changed/);
  });

  it('serves a kept immutable file (a hashed build asset) without asking the disk again, and reads it when not kept', async () => {
    const file = write('app-Bx7f3kLq.js', 'export const built = 1;\n');
    const cache = staticFileCache();
    const stat = sinon.spy(fs.promises, 'stat');
    try {
      const first = await cache.read(file, { immutable: true });
      assert.equal(stat.callCount, 1, 'the first read looks at the disk');
      fs.rmSync(file);
      assert.equal(await cache.read(file, { immutable: true }), first, 'kept, without a stat');
      assert.equal(stat.callCount, 1);
      await assert.rejects(cache.read(file), { code: 'ENOENT' }, 'a file that may change is still checked');
      await assert.rejects(staticFileCache().read(file, { immutable: true }), { code: 'ENOENT' }, 'nothing kept: read from disk');
    } finally {
      stat.restore();
    }
  });

  it('keeps at most maxBytes, files and their compressed forms, dropping the least recently read', async () => {
    const cache = staticFileCache({ maxBytes: 4_010 });
    const [a, b, c] = ['a', 'b', 'c'].map((name) => write(`${name}.txt`, name.repeat(2_000)));
    const first = { a: await cache.read(a), b: await cache.read(b) };
    assert.equal(await cache.read(a), first.a, 'both fit');
    // c crowds out b, read least recently; a stays.
    const kept = await cache.read(c);
    assert.equal(await cache.read(a), first.a, 'a kept');
    // Then c's gzip form (some 30 bytes), made for a request of c, crowds out a.
    assert.ok(await kept.encoded('gzip'));
    assert.equal(await cache.read(c), kept);
    assert.notEqual(await cache.read(a), first.a, 'a read again from disk');
    assert.notEqual(await cache.read(b), first.b, 'b read again from disk');
  });

  it('forgets a read that failed, so the next request reads the file again', async () => {
    const file = write('a.js', 'x'.repeat(2_000));
    const cache = staticFileCache();
    const readFile = sinon.stub(fs.promises, 'readFile').rejects(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }));
    try {
      await assert.rejects(cache.read(file), /EMFILE/);
    } finally {
      readFile.restore();
    }
    assert.equal((await cache.read(file)).body.length, 2_000);
  });

  it('sends a small file and one that does not shrink as they are', async () => {
    const cache = staticFileCache();
    assert.equal(await (await cache.read(write('small.js', 'x()'))).encoded('br'), undefined);
    const random = write('random.bin', randomBytes(4_096));
    assert.equal(await (await cache.read(random)).encoded('gzip'), undefined);
  });
});
