// What a slip costs in Portuguese typing: a missing accent or cedilla almost nothing, a doubled
// or undoubled letter and a neighbouring key less than any other edit. Pure rules on char codes.

export const COST = {
  /** Any insertion, deletion, substitution or swap of two neighbours. */
  edit: 10,
  /** A key next to the intended one on a Brazilian (ABNT2) keyboard: "sistena" for "sistema". */
  near: 7,
  /** A letter typed twice or once too few: "impresora", "atendimentoo". */
  double: 4,
  /** The same letter without (or with the wrong) accent or cedilla: "tambem", "nao", "configuraçao". */
  accent: 1,
  /** The same letter in the other case. */
  case: 1,
} as const;

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjklç', 'zxcvbnm'];

const lowerTable = new Int32Array(256);
const baseTable = new Int32Array(256);
for (let code = 0; code < 256; code += 1) {
  const char = String.fromCharCode(code);
  const lower = char.toLowerCase();
  lowerTable[code] = lower.length === 1 ? lower.charCodeAt(0) : code;
  const bare = lower.normalize('NFD').charAt(0);
  baseTable[code] = bare.length === 1 ? bare.charCodeAt(0) : lowerTable[code]!;
}
baseTable['ç'.charCodeAt(0)] = 'c'.charCodeAt(0);
baseTable['Ç'.charCodeAt(0)] = 'c'.charCodeAt(0);

const neighbours = new Set<number>();
for (let row = 0; row < KEYBOARD_ROWS.length; row += 1) {
  const keys = KEYBOARD_ROWS[row]!;
  for (let col = 0; col < keys.length; col += 1) {
    const here = baseOf(keys.charCodeAt(col));
    for (const [r, c] of [[row, col - 1], [row, col + 1], [row - 1, col], [row - 1, col + 1], [row + 1, col], [row + 1, col - 1]] as const) {
      const other = KEYBOARD_ROWS[r]?.charCodeAt(c);
      if (other !== undefined && !Number.isNaN(other)) neighbours.add(here * 65_536 + baseOf(other));
    }
  }
}

/** Lower case without accents or cedilla; characters beyond Latin-1 are their own base. */
export function baseOf(code: number): number {
  return code < 256 ? baseTable[code]! : code;
}

function lowerOf(code: number): number {
  return code < 256 ? lowerTable[code]! : code;
}

export function substitutionCost(written: number, meant: number): number {
  if (written === meant) return 0;
  const a = baseOf(written);
  const b = baseOf(meant);
  if (a === b) return lowerOf(written) === lowerOf(meant) ? COST.case : COST.accent;
  return neighbours.has(a * 65_536 + b) ? COST.near : COST.edit;
}

/** Inserting or deleting `code` next to `neighbour` (-1 when there is none). */
export function indelCost(code: number, neighbour: number): number {
  return neighbour >= 0 && baseOf(code) === baseOf(neighbour) ? COST.double : COST.edit;
}

/** Weighted edit distance between two words (as char codes), for short lists such as custom words. */
export function editCost(written: ArrayLike<number>, meant: ArrayLike<number>): number {
  let previous = new Int32Array(written.length + 1);
  let before = new Int32Array(written.length + 1);
  let current = new Int32Array(written.length + 1);
  for (let j = 1; j <= written.length; j += 1) previous[j] = previous[j - 1]! + indelCost(written[j - 1]!, j >= 2 ? written[j - 2]! : -1);
  for (let i = 1; i <= meant.length; i += 1) {
    nextRow(written, meant[i - 1]!, i >= 2 ? meant[i - 2]! : -1, previous, before, current);
    [before, previous, current] = [previous, current, before];
  }
  return previous[written.length]!;
}

/**
 * One row of the distance table: `previous` is the row of the meant word's prefix without
 * `char`, `before` the row one shorter still (for swaps), `prior` the char before `char`.
 * Returns the row's smallest cost, so a caller walking a word list can stop early.
 */
export function nextRow(written: ArrayLike<number>, char: number, prior: number, previous: Int32Array, before: Int32Array, into: Int32Array): number {
  into[0] = previous[0]! + indelCost(char, prior);
  let smallest = into[0]!;
  for (let j = 1; j <= written.length; j += 1) {
    const w = written[j - 1]!;
    let cost = previous[j - 1]! + substitutionCost(w, char);
    const insert = previous[j]! + indelCost(char, prior);
    if (insert < cost) cost = insert;
    const drop = into[j - 1]! + indelCost(w, j >= 2 ? written[j - 2]! : -1);
    if (drop < cost) cost = drop;
    if (j >= 2 && prior >= 0 && baseOf(w) === baseOf(prior) && baseOf(written[j - 2]!) === baseOf(char) && baseOf(w) !== baseOf(char)) {
      const swap = before[j - 2]! + COST.edit;
      if (swap < cost) cost = swap;
    }
    into[j] = cost;
    if (cost < smallest) smallest = cost;
  }
  return smallest;
}

/**
 * The costs of one misspelling against any Latin-1 char, looked up instead of computed: the
 * index walk evaluates millions of table cells per search, so each must be a few array reads.
 */
export class QueryCosts {
  readonly length: number;
  readonly #bases: Int32Array;
  /** [j * 256 + char]: substituting `char` for the misspelling's j-th char. */
  readonly #substitutions: Int32Array;
  /** [j]: dropping the misspelling's j-th char. */
  readonly #drops: Int32Array;

  constructor(written: string) {
    const codes = Int32Array.from(written, (char) => char.charCodeAt(0));
    this.length = codes.length;
    this.#bases = codes.map(baseOf);
    this.#substitutions = new Int32Array(codes.length * 256);
    this.#drops = new Int32Array(codes.length);
    codes.forEach((code, j) => {
      for (let char = 0; char < 256; char += 1) this.#substitutions[j * 256 + char] = substitutionCost(code, char);
      this.#drops[j] = indelCost(code, j > 0 ? codes[j - 1]! : -1);
    });
  }

  /** The row of the empty prefix: dropping every char so far. */
  firstRow(): Int32Array {
    const row = new Int32Array(this.length + 1);
    for (let j = 1; j <= this.length; j += 1) row[j] = row[j - 1]! + this.#drops[j - 1]!;
    return row;
  }

  /** As nextRow above, for a Latin-1 `char` (and `prior`, -1 at the start). */
  nextRow(char: number, prior: number, previous: Int32Array, before: Int32Array, into: Int32Array): number {
    const base = baseTable[char]!;
    const priorBase = prior >= 0 ? baseTable[prior]! : -1;
    const insert = base === priorBase ? COST.double : COST.edit;
    const subs = this.#substitutions;
    const bases = this.#bases;
    const drops = this.#drops;
    let left = previous[0]! + insert;
    into[0] = left;
    let smallest = left;
    for (let j = 1; j <= this.length; j += 1) {
      let cost = previous[j - 1]! + subs[(j - 1) * 256 + char]!;
      const up = previous[j]! + insert;
      if (up < cost) cost = up;
      const side = left + drops[j - 1]!;
      if (side < cost) cost = side;
      if (j >= 2 && bases[j - 1] === priorBase && bases[j - 2] === base && base !== priorBase) {
        const swap = before[j - 2]! + COST.edit;
        if (swap < cost) cost = swap;
      }
      into[j] = cost;
      left = cost;
      if (cost < smallest) smallest = cost;
    }
    return smallest;
  }
}
