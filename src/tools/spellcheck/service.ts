// Spell-check for agents who have it switched on, with the account's custom dictionary kept in
// step on every process: each ponte instance runs one checker thread, subscribes on first use
// to `spellcheck:dictionary` (live events reach every process) and reloads the words when they
// change; as a fallback for a lost event, each request re-reads the dictionary's version number
// when the last read is more than DICTIONARY_RECHECK_MS old.
// Bounded work: each check may look up suggestions for SPELLCHECK_SUGGEST_WORDS new words
// within SPELLCHECK_BUDGET_MS (the rest come without), and one API key may have at most
// SPELLCHECK_MAX_PENDING_PER_KEY checks waiting for the thread, so no caller fills its queue.

import path from 'node:path';
import type { Deps } from '../../deps.js';
import { NotFoundError, PonteError } from '../../errors.js';
import { getAgent } from '../../store/agents.js';
import type { Misspelling } from '../../spellcheck/spellchecker.js';
import { CheckThread } from './check-thread-client.js';
import { dictionarySnapshot, dictionaryVersion } from './dictionary-store.js';

export const DICTIONARY_TOPIC = 'spellcheck:dictionary';
export const DICTIONARY_CHANGED = 'dictionary.changed';
export const DICTIONARY_RECHECK_MS = 2_000;

export class SpellcheckService {
  readonly #thread: CheckThread;
  /** The dictionary version and thread generation whose words were last sent to the thread. */
  #sent = { version: -1, generation: -1 };
  #checkedAt = 0;
  #subscription: Promise<() => void> | undefined;
  readonly #pending = new Map<string, number>();

  constructor(private readonly deps: Deps) {
    this.#thread = new CheckThread(path.resolve(deps.config.spellcheckIndexDir ?? path.join(deps.config.dataDir, 'spellcheck')));
  }

  /** `caller` is whose queue share this check uses (the API key). */
  async check(agentId: string, text: string, caller: string): Promise<Misspelling[]> {
    const waiting = this.#pending.get(caller) ?? 0;
    if (waiting >= this.deps.config.spellcheckMaxPendingPerKey) {
      throw new PonteError('SPELLCHECK_BUSY', `this key has ${waiting} spell-checks waiting already; send the next when one answers`, { status: 429, retryable: true });
    }
    this.#pending.set(caller, waiting + 1);
    try {
      return await this.#check(agentId, text);
    } finally {
      const left = (this.#pending.get(caller) ?? 1) - 1;
      if (left > 0) this.#pending.set(caller, left);
      else this.#pending.delete(caller);
    }
  }

  async #check(agentId: string, text: string): Promise<Misspelling[]> {
    const agent = await getAgent(this.deps.db, agentId);
    if (!agent) throw new NotFoundError('agent', agentId);
    if (!agent.spellcheck) {
      throw new PonteError('SPELLCHECK_DISABLED', `spell-check is switched off for agent ${agentId} (PUT /v1/agents/${agentId} with spellcheck: true)`, {
        status: 403, details: [{ path: 'agentId', message: 'spell-check is off for this agent' }],
      });
    }
    await this.#ensureFresh();
    return this.#thread.check(text, { newWords: this.deps.config.spellcheckSuggestWords, ms: this.deps.config.spellcheckBudgetMs });
  }

  /**
   * Sends the dictionary's current words to the thread unless it already has that version.
   * The counter only grows and the thread applies messages in order, so concurrent reloads
   * cannot leave an older list in place.
   */
  async reload(): Promise<void> {
    const generation = this.#thread.start();
    const snapshot = await dictionarySnapshot(this.deps.db);
    this.#checkedAt = Date.now();
    if (generation === this.#sent.generation && snapshot.version <= this.#sent.version) return;
    if (generation !== this.#thread.generation) return this.reload();
    this.#sent = { version: snapshot.version, generation };
    await this.#thread.setWords(snapshot.words);
  }

  async close(): Promise<void> {
    const unsubscribe = await this.#subscription?.catch(() => undefined);
    unsubscribe?.();
    await this.#thread.close();
  }

  async #ensureFresh(): Promise<void> {
    this.#subscription ??= this.deps.live.subscribe(DICTIONARY_TOPIC, (event) => {
      if (Number(event.data.version) === this.#sent.version) return;
      this.reload().catch((err) => this.deps.log.warn({ err }, 'custom dictionary not reloaded after a change; the next requests retry'));
    }).catch((err) => {
      // Without live events the version re-check below still catches up, only later.
      this.deps.log.warn({ err }, 'not subscribed to custom dictionary changes');
      this.#subscription = undefined;
      return () => undefined;
    });
    await this.#subscription;
    if (this.#thread.start() !== this.#sent.generation) return this.reload();
    if (Date.now() - this.#checkedAt < DICTIONARY_RECHECK_MS) return;
    this.#checkedAt = Date.now();
    if ((await dictionaryVersion(this.deps.db)) !== this.#sent.version) await this.reload();
  }
}

const services = new WeakMap<Deps, SpellcheckService>();

/** This ponte instance's spell-check service (its thread starts on the first check). */
export function spellcheckService(deps: Deps): SpellcheckService {
  let service = services.get(deps);
  if (!service) services.set(deps, (service = new SpellcheckService(deps)));
  return service;
}

/** Reloads the words where a service runs already; starts nothing. */
export async function reloadDictionary(deps: Deps): Promise<void> {
  await services.get(deps)?.reload();
}

export async function closeSpellcheck(deps: Deps): Promise<void> {
  const service = services.get(deps);
  services.delete(deps);
  await service?.close();
}
