import assert from 'node:assert/strict';
import { composePartitionKey, decodeAzureKey, encodeAzureKey, splitPartitionKey, tablePartitionRange } from '../../src/store/azure-key-codec';

// What Azure refuses in PartitionKey/RowKey, plus % and ' that break some of its operations.
// eslint-disable-next-line no-control-regex -- control characters are among what Azure refuses
const refused = /[\x00-\x1f\x7f-\x9f/\\#?%']/;
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Every ASCII and C1 character, a few beyond, and the escape characters around each run.
const alphabet = [...Array.from({ length: 0xa2 }, (_, c) => String.fromCharCode(c)), 'é', '€', '😀'];

function randomKey(random: () => number): string {
  const length = Math.floor(random() * 6);
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('Azure key codec', () => {
  it('leaves ordinary keys as they are', () => {
    assert.equal(encodeAzureKey('PROJ-123'), 'PROJ-123');
    assert.equal(encodeAzureKey('8:orgid:1f0e2d3c-4b5a'), '8:orgid:1f0e2d3c-4b5a');
  });

  it('encodes Teams ids without refused characters and decodes them back', () => {
    for (const key of ['19:abc@thread.tacv2', '29:1a-B/c?d#e%f', "a'b\\c\u0000d\u009fe", ' ~[>."']) {
      const encoded = encodeAzureKey(key);
      assert.doesNotMatch(encoded, refused, key);
      assert.equal(decodeAzureKey(encoded), key);
    }
  });

  it('keeps code-point order for every pair of random keys, and round-trips them', () => {
    const random = seeded(42);
    const keys = Array.from({ length: 3000 }, () => randomKey(random));
    for (const key of keys) {
      assert.doesNotMatch(encodeAzureKey(key), refused);
      assert.equal(decodeAzureKey(encodeAzureKey(key)), key);
    }
    // Azure compares keys ordinally; the encoding must sort as SQLite sorts the originals.
    const sortedOriginals = [...keys].sort(byCodePoint);
    const sortedEncoded = keys.map(encodeAzureKey).sort(ordinal).map(decodeAzureKey);
    assert.deepEqual(sortedEncoded, sortedOriginals);
  });

  it('keeps each table in one PartitionKey range, ordered by partition, apart from tables it prefixes', () => {
    const random = seeded(7);
    const tables = ['things', 'thing', 'things\u0000', 'things ', 'things!', 'thingsA'];
    const rows = tables.flatMap((table) => Array.from({ length: 200 }, () => ({ table, partition: randomKey(random) })));
    const { from, to } = tablePartitionRange('things');
    const inRange = rows
      .map((r) => composePartitionKey(r.table, r.partition))
      .filter((pk) => pk >= from && pk < to)
      .sort(ordinal)
      .map(splitPartitionKey);
    const expected = rows.filter((r) => r.table === 'things').sort((a, b) => byCodePoint(a.partition, b.partition));
    assert.deepEqual(inRange, expected);
  });

  it('refuses to decode what it did not encode', () => {
    assert.throws(() => decodeAzureKey('a.'), /Not an encoded store key/);
    assert.throws(() => splitPartitionKey('no-separator'), /Not a store PartitionKey/);
  });
});
