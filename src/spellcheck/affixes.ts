// Hunspell's affix expansion, as far as suggestions need it: the word forms a .dic/.aff pair
// yields (stems and their suffixed forms), read straight from the dictionary files.

/** One PFX/SFX line: remove `strip`, add `add`, when the stem matches `condition`. */
interface AffixEntry {
  strip: string;
  add: string;
  condition: RegExp;
}

interface AffixRule {
  kind: 'PFX' | 'SFX';
  entries: AffixEntry[];
}

export interface AffixFile {
  rules: Map<string, AffixRule>;
  /** Flags of stems Hunspell never suggests (NOSUGGEST) or rejects (FORBIDDENWORD). */
  excluded: Set<string>;
  /** REP pairs: common misspellings of a part of a word ("ss" for "ç"), as Hunspell's suggest uses them. */
  replacements: Array<[from: string, to: string]>;
  /** The strings prefix rules add ("re", "des", "anti"…): a misspelling may carry one. */
  prefixes: string[];
}

export function parseAffixes(text: string): AffixFile {
  const rules = new Map<string, AffixRule>();
  const excluded = new Set<string>();
  const replacements: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/u);
    const [directive, flag, third, fourth] = fields;
    if ((directive === 'NOSUGGEST' || directive === 'FORBIDDENWORD') && flag) excluded.add(flag);
    if (directive === 'REP' && flag && third) replacements.push([flag, third]);
    if ((directive !== 'PFX' && directive !== 'SFX') || !flag || third === undefined || fourth === undefined) continue;
    const rule = rules.get(flag);
    if (!rule) {
      // The header line: "SFX A Y 12". Cross products (prefix and suffix together) are not
      // expanded: the suggester tries a known prefix itself, and Hunspell checks the result.
      rules.set(flag, { kind: directive, entries: [] });
      continue;
    }
    // Continuation flags ("add/B") would need a second expansion; this dictionary has none.
    const add = fourth.split('/')[0] ?? '';
    const condition = fields[4] ?? '.';
    rule.entries.push({
      strip: third === '0' ? '' : third,
      add: add === '0' ? '' : add,
      condition: new RegExp(directive === 'SFX' ? `${condition}$` : `^${condition}`, 'u'),
    });
  }
  const prefixes = new Set<string>();
  for (const rule of rules.values()) {
    if (rule.kind === 'PFX') for (const entry of rule.entries) if (entry.strip === '' && entry.add.length >= 2) prefixes.add(entry.add);
  }
  return { rules, excluded, replacements, prefixes: [...prefixes].sort((a, b) => b.length - a.length) };
}

/**
 * Every stem of the .dic and its suffixed forms, except forms Hunspell would not suggest,
 * forms with a suffix that adds a hyphen (enclitic pronouns: "vetaram-nas", about 70% of
 * this dictionary's 8 million forms, answered by correcting the part before the hyphen) and
 * abbreviations with dots. `stem` tells whether the form is written as such in the .dic.
 */
export function* wordForms(dic: string, affixes: AffixFile): Generator<{ form: string; stem: boolean }> {
  const lines = dic.split('\n');
  // The first line is the entry count.
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const slash = line.indexOf('/');
    const stem = slash < 0 ? line : line.slice(0, slash);
    const flags = slash < 0 ? [] : [...line.slice(slash + 1)];
    if (stem.includes('.') || flags.some((flag) => affixes.excluded.has(flag))) continue;
    yield { form: stem, stem: true };
    for (const flag of flags) {
      const rule = affixes.rules.get(flag);
      if (rule?.kind !== 'SFX') continue;
      for (const entry of rule.entries) {
        if (entry.add.includes('-') || !stem.endsWith(entry.strip) || !entry.condition.test(stem)) continue;
        yield { form: stem.slice(0, stem.length - entry.strip.length) + entry.add, stem: false };
      }
    }
  }
}
