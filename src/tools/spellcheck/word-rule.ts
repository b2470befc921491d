// Pure rule of the custom dictionary: what a word may look like, and the one form it is stored
// in (composed accents, ASCII apostrophe: the spelling the Hunspell dictionary uses).

export const MAX_WORD_LENGTH = 60;

// Letters (with combining marks), joined by single inner hyphens or apostrophes: "Bimer",
// "pré-nota", "d'água". Digits, spaces and other signs are not words Hunspell can hold.
const WORD = /^[\p{L}][\p{L}\p{M}]*(?:['-][\p{L}][\p{L}\p{M}]*)*$/u;

export function dictionaryForm(raw: string): string {
  return raw.trim().normalize('NFC').replace(/[’‘]/gu, "'");
}

/** The stored form of `raw`, or why it is not a word the dictionary accepts. */
export function checkDictionaryWord(raw: string): { word: string } | { problem: string } {
  const word = dictionaryForm(raw);
  if (word.length === 0) return { problem: 'is empty' };
  if (word.length > MAX_WORD_LENGTH) return { problem: `is longer than ${MAX_WORD_LENGTH} characters` };
  if (!WORD.test(word)) return { problem: 'may hold only letters, with single hyphens or apostrophes between them' };
  return { word };
}
