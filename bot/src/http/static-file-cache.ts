import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { ContentCoding } from './choose-content-encoding';

const gzip = promisify(zlib.gzip);
const brotliCompress = promisify(zlib.brotliCompress);

/** Larger files are read for each request and sent as they are (the tab's largest chunk is about 150 KB). */
const MAX_CACHED_FILE_BYTES = 4 * 1024 * 1024;
/** Bytes kept in all, files and their compressed forms (the built tab is about 0.4 MB); least recently read go first. */
const MAX_CACHED_BYTES = 32 * 1024 * 1024;
/** Smaller files are sent as they are: compressing them saves about what its headers add. */
const MIN_COMPRESSED_BYTES = 1024;
/**
 * Brotli quality 5, not the maximum 11: on the built tab (350 KB of JS) it gives 88 KB against
 * gzip's 94 KB for about 25 ms of CPU, where 11 gives 81 KB for about 640 ms, which the first
 * request after every start would wait for.
 */
const BROTLI_QUALITY = 5;

export interface StaticFile {
  body: Buffer;
  /** A hash of the content, the same for each coding of it: the opaque part of its ETags. */
  hash: string;
  /** The body in `coding`, compressed at the first ask and kept; undefined when that is not smaller. */
  encoded(coding: ContentCoding): Promise<Buffer | undefined>;
}

export interface StaticFileCache {
  /**
   * The file as it is on disk now (one stat per call; read again when it changed); rejects with fs's error.
   * `immutable`: the name changes whenever the content does (a build's hashed asset), so a kept copy is
   * served without asking the disk again.
   */
  read(file: string, options?: { immutable?: boolean }): Promise<StaticFile>;
}

interface Entry {
  version: string;
  file: Promise<StaticFile>;
  bytes: number;
}

/**
 * Static files kept in memory with their gzip and brotli forms, made on first request on libuv's
 * thread pool, so a file is compressed once per process and per version, not per request.
 */
export function staticFileCache(options: { maxBytes?: number } = {}): StaticFileCache {
  const entries = new LRUCache<string, Entry>({ maxSize: options.maxBytes ?? MAX_CACHED_BYTES });
  /** Adds bytes kept for an entry; lru-cache then drops the least recently read entries past maxBytes. */
  const count = (path: string, entry: Entry, bytes: number) => {
    // Dropped meanwhile (changed on disk, or crowded out): nothing of it is kept.
    if (entries.peek(path) !== entry) return;
    entry.bytes += bytes;
    entries.set(path, entry, { size: entry.bytes });
  };

  const load = async (path: string, entry: Entry): Promise<StaticFile> => {
    const body = await fs.readFile(path);
    const codings = new Map<ContentCoding, Promise<Buffer | undefined>>();
    return {
      body,
      hash: hashOf(body),
      encoded(coding) {
        let done = codings.get(coding);
        if (!done) {
          done =
            body.length < MIN_COMPRESSED_BYTES
              ? Promise.resolve(undefined)
              : compress(coding, body).then(
                  (out) => {
                    if (out.length >= body.length) return undefined;
                    count(path, entry, out.length);
                    return out;
                  },
                  () => undefined,
                );
          codings.set(coding, done);
        }
        return done;
      },
    };
  };

  return {
    async read(path, options = {}) {
      if (options.immutable) {
        const kept = entries.get(path);
        if (kept) return kept.file;
      }
      const stat = await fs.stat(path);
      if (stat.size > MAX_CACHED_FILE_BYTES) {
        const body = await fs.readFile(path);
        return { body, hash: hashOf(body), encoded: async () => undefined };
      }
      const version = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      const known = entries.get(path);
      if (known?.version === version) return known.file;
      // The body counts from the start, by its size on disk (lru-cache wants a size above 0).
      const entry: Entry = { version, bytes: Math.max(1, stat.size), file: undefined as never };
      entries.set(path, entry, { size: entry.bytes });
      entry.file = load(path, entry);
      entry.file.catch(() => {
        if (entries.peek(path) === entry) entries.delete(path);
      });
      return entry.file;
    },
  };
}

function compress(coding: ContentCoding, body: Buffer): Promise<Buffer> {
  if (coding === 'gzip') return gzip(body, { level: zlib.constants.Z_BEST_COMPRESSION });
  return brotliCompress(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

function hashOf(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 22);
}
