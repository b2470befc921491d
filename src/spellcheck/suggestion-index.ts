// A dictionary's word forms as one sorted run of Latin-1 bytes, walked as if it were a trie: the
// candidates within a few edits of a misspelling are found without reading most of the list.

import { COST, QueryCosts } from './edit-costs.js';

const MAGIC = 'ponte-suggestion-index/1\n';
const NEWLINE = 0x0a;

export interface Candidate {
  word: string;
  cost: number;
  /** Written as such in the .dic (not an inflected form): the likelier meaning on a tie. */
  stem: boolean;
}

/**
 * 2.2 million forms of the pt-BR dictionary take ~27 MB of bytes plus 9 MB of offsets; a
 * symmetric-delete index of the same forms at distance 2 would need hundreds of millions of
 * entries. The walk keeps one row of the edit-distance table per depth of the current word
 * and skips, by binary search, every word below a prefix already too far from the misspelling.
 */
export class SuggestionIndex {
  readonly #bytes: Uint8Array;
  readonly #starts: Uint32Array;
  readonly #stems: Uint8Array;

  private constructor(bytes: Uint8Array, stems: Uint8Array) {
    this.#bytes = bytes;
    this.#stems = stems;
    let count = 0;
    for (const byte of bytes) if (byte === NEWLINE) count += 1;
    this.#starts = new Uint32Array(count + 1);
    let at = 1;
    for (let i = 0; i < bytes.length; i += 1) if (bytes[i] === NEWLINE) this.#starts[at++] = i + 1;
  }

  get size(): number {
    return this.#starts.length - 1;
  }

  /** Memory held by the index, in bytes. */
  get byteLength(): number {
    return this.#bytes.byteLength + this.#starts.byteLength + this.#stems.byteLength;
  }

  static build(forms: Iterable<{ form: string; stem: boolean }>): SuggestionIndex {
    // The marker sorts below every letter, so keyed order is the forms' byte order, and a stem
    // comes before the same form produced by a suffix.
    const keyed: string[] = [];
    for (const { form, stem } of forms) {
      if (form !== '' && isLatin1(form)) keyed.push(form + (stem ? '\u0001' : '\u0002'));
    }
    keyed.sort();
    const unique: string[] = [];
    const stems: boolean[] = [];
    let last = '';
    for (const key of keyed) {
      const form = key.slice(0, -1);
      if (form === last) continue;
      last = form;
      unique.push(form);
      stems.push(key.endsWith('\u0001'));
    }
    const bits = new Uint8Array(Math.ceil(unique.length / 8));
    stems.forEach((stem, i) => {
      if (stem) bits[i >> 3]! |= 1 << (i & 7);
    });
    return new SuggestionIndex(Buffer.from(unique.length ? `${unique.join('\n')}\n` : '', 'latin1'), bits);
  }

  /** The file form: a header naming `source` (what the index was built from), then the bytes. */
  serialize(source: string): Buffer {
    const header = Buffer.from(`${MAGIC}${JSON.stringify({ source, bytes: this.#bytes.length, stems: this.#stems.length })}\n`);
    return Buffer.concat([header, this.#bytes, this.#stems]);
  }

  /** The index in `file` if it was built from `source` and is whole; otherwise undefined. */
  static deserialize(file: Buffer, source: string): SuggestionIndex | undefined {
    if (file.subarray(0, MAGIC.length).toString() !== MAGIC) return undefined;
    const end = file.indexOf(NEWLINE, MAGIC.length);
    if (end < 0) return undefined;
    let header: { source?: unknown; bytes?: unknown; stems?: unknown };
    try {
      header = JSON.parse(file.subarray(MAGIC.length, end).toString()) as typeof header;
    } catch {
      return undefined;
    }
    const { bytes, stems } = header;
    if (header.source !== source || typeof bytes !== 'number' || typeof stems !== 'number') return undefined;
    if (file.length !== end + 1 + bytes + stems || (bytes > 0 && file[end + bytes] !== NEWLINE)) return undefined;
    return new SuggestionIndex(file.subarray(end + 1, end + 1 + bytes), file.subarray(end + 1 + bytes));
  }

  has(word: string): boolean {
    if (!isLatin1(word)) return false;
    const target = Buffer.from(word, 'latin1');
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = this.#compare(mid, target);
      if (order === 0) return true;
      if (order < 0) low = mid + 1;
      else high = mid;
    }
    return false;
  }

  /** Every form within `maxCost` (see edit-costs.ts) of `written`, in no particular order. */
  search(written: string, maxCost: number): Candidate[] {
    const costs = new QueryCosts(written);
    const m = costs.length;
    const width = m + 1;
    const rows: Int32Array[] = [costs.firstRow()];
    const longest = m + Math.floor(maxCost / COST.double);
    const found: Candidate[] = [];
    const bytes = this.#bytes;
    const starts = this.#starts;
    let index = 0;
    let path = -1;
    let valid = 0;
    while (index < this.size) {
      const start = starts[index]!;
      const length = starts[index + 1]! - start - 1;
      let depth = 0;
      const shared = Math.min(valid, length);
      while (path >= 0 && depth < shared && bytes[start + depth] === bytes[path + depth]) depth += 1;
      path = start;
      valid = depth;
      let pruned = false;
      for (; depth < length; depth += 1) {
        const row = (rows[depth + 1] ??= new Int32Array(width));
        const smallest = costs.nextRow(bytes[start + depth]!, depth > 0 ? bytes[start + depth - 1]! : -1, rows[depth]!, rows[depth - 1] ?? rows[depth]!, row);
        if (smallest > maxCost || depth + 1 > longest) {
          index = this.#pastPrefix(index + 1, start, depth + 1);
          pruned = true;
          break;
        }
        valid = depth + 1;
      }
      if (pruned) continue;
      const cost = rows[length]![m]!;
      if (cost <= maxCost) found.push({ word: this.#word(index), cost, stem: this.#isStem(index) });
      index += 1;
    }
    return found;
  }

  /** The first index from `from` on whose word does not start with the `length` bytes at `start`. */
  #pastPrefix(from: number, start: number, length: number): number {
    let low = from;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const at = this.#starts[mid]!;
      let same = this.#starts[mid + 1]! - at - 1 >= length;
      for (let k = 0; same && k < length; k += 1) same = this.#bytes[at + k] === this.#bytes[start + k];
      if (same) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #compare(index: number, target: Uint8Array): number {
    const at = this.#starts[index]!;
    const length = this.#starts[index + 1]! - at - 1;
    for (let k = 0; k < Math.min(length, target.length); k += 1) {
      const diff = this.#bytes[at + k]! - target[k]!;
      if (diff !== 0) return diff;
    }
    return length - target.length;
  }

  #word(index: number): string {
    return Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset + this.#starts[index]!, this.#starts[index + 1]! - this.#starts[index]! - 1).toString('latin1');
  }

  #isStem(index: number): boolean {
    return ((this.#stems[index >> 3]! >> (index & 7)) & 1) === 1;
  }
}

function isLatin1(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) if (word.charCodeAt(i) > 0xff || word.charCodeAt(i) === NEWLINE) return false;
  return true;
}
