/**
 * Reversible, order-preserving encoding of store keys into Azure Tables PartitionKey/RowKey.
 *
 * Azure refuses `/ \ # ?` and the control characters U+0000-U+001F and U+007F-U+009F in keys,
 * and `%` and `'` break some of its operations (and Azurite's), while Teams conversation ids
 * carry several of them. Each run of such characters, together with one allowed neighbour (the
 * escape character), is mapped to two-character codes: the escape character followed by a digit
 * giving the position within the run. A run and its escape character are contiguous code points,
 * so every code sorts exactly where the original character did, and the codes are prefix-free,
 * so encoded strings compare as the originals do (code-point order, as SQLite's BINARY collation).
 * Every other character stands for itself.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

interface Run {
  from: number;
  to: number;
  /** The neighbour that opens every code of the group; the same character before or after the run. */
  escape: number;
}

// Escape characters are chosen among the neighbours for being rare in Teams and Jira ids.
const RUNS: readonly Run[] = [
  { from: 0x00, to: 0x1f, escape: 0x20 }, // control characters, escaped by the space after them
  { from: 0x23, to: 0x27, escape: 0x22 }, // # $ % & ' by "
  { from: 0x2f, to: 0x2f, escape: 0x2e }, // / by .
  { from: 0x3f, to: 0x3f, escape: 0x3e }, // ? by >
  { from: 0x5c, to: 0x5c, escape: 0x5b }, // \ by [
  { from: 0x7f, to: 0x9f, escape: 0x7e }, // DEL and C1 controls by ~
];

const encodeTable = new Map<string, string>();
const decodeTable = new Map<string, string>();
for (const run of RUNS) {
  const lo = Math.min(run.from, run.escape);
  const hi = Math.max(run.to, run.escape);
  for (let c = lo; c <= hi; c++) {
    const code = String.fromCharCode(run.escape) + DIGITS[c - lo];
    encodeTable.set(String.fromCharCode(c), code);
    decodeTable.set(code, String.fromCharCode(c));
  }
}
const escapes = new Set(RUNS.map((r) => String.fromCharCode(r.escape)));
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be encoded
const needsEncoding = /[\x00-\x20"-'./>?[\\~-\x9f]/;

/**
 * Separates the logical table from the partition inside the PartitionKey. It is a code no
 * character encodes to ('!' sorts before every digit) and sorts before every code, so a table's
 * partitions stay contiguous and in partition order.
 */
const TABLE_SEPARATOR = ' !';
/** The smallest string above every PartitionKey of a table: the separator's last character plus one. */
const TABLE_END = ' "';

export function encodeAzureKey(key: string): string {
  if (!needsEncoding.test(key)) return key;
  let out = '';
  for (const ch of key) out += encodeTable.get(ch) ?? ch;
  return out;
}

export function decodeAzureKey(encoded: string): string {
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i];
    if (!escapes.has(ch)) {
      out += ch;
      continue;
    }
    const original = decodeTable.get(encoded.slice(i, i + 2));
    if (original === undefined) throw new Error(`Not an encoded store key: ${JSON.stringify(encoded)}`);
    out += original;
    i++;
  }
  return out;
}

/**
 * The logical table leads the PartitionKey: Azure table names cannot carry it exactly (azure-table-names),
 * and earlier versions kept every logical table in one Azure table.
 */
export function composePartitionKey(table: string, partition: string): string {
  return encodeAzureKey(table) + TABLE_SEPARATOR + encodeAzureKey(partition);
}

export function splitPartitionKey(partitionKey: string): { table: string; partition: string } {
  // The separator cannot occur inside an encoded table name, so its first occurrence is the boundary.
  const at = partitionKey.indexOf(TABLE_SEPARATOR);
  if (at < 0) throw new Error(`Not a store PartitionKey: ${JSON.stringify(partitionKey)}`);
  return {
    table: decodeAzureKey(partitionKey.slice(0, at)),
    partition: decodeAzureKey(partitionKey.slice(at + TABLE_SEPARATOR.length)),
  };
}

/** PartitionKeys of one logical table are exactly those in [from, to). */
export function tablePartitionRange(table: string): { from: string; to: string } {
  const prefix = encodeAzureKey(table);
  return { from: prefix + TABLE_SEPARATOR, to: prefix + TABLE_END };
}
