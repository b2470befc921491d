// Spell-check for agents who have it switched on, with the account's custom dictionary kept in
// step on every process: each ponte instance runs one checker thread, subscribes on first use
// to `spellcheck:dictionary` (live events reach every process) and reloads the words when they
// change; as a fallback for a lost event, each request re-reads the dictionary's version number
// when the last read is more than DICTIONARY_RECHECK_MS old.

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
  readonly #thread = new CheckThread();
  /** The dictionary version and thread generation whose words were last sent to the thread. */
  #sent = { version: -1, generation: -1 };
  #checkedAt = 0;
  #subscription: Promise<() => void> | undefined;

  constructor(private readonly deps: Deps) {}

  async check(agentId: string, text: string): Promise<Misspelling[]> {
    const agent = await getAgent(this.deps.db, agentId);
    if (!agent) throw new NotFoundError('agent', agentId);
    if (!agent.spellcheck) {
      throw new PonteError('SPELLCHECK_DISABLED', `spell-check is switched off for agent ${agentId} (PUT /v1/agents/${agentId} with spellcheck: true)`, {
        status: 403, details: [{ path: 'agentId', message: 'spell-check is off for this agent' }],
      });
    }
    await this.#ensureFresh();
    return this.#thread.check(text);
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
