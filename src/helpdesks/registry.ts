// The helpdesks ponte hears: every descriptor of mappings/helpdesks/ with its settings, and the
// draft mapper they share. Built once at start; a bad file or setting stops the start.

import type { Config, HelpdeskSettings } from '../config.js';
import { loadDescriptors, type HelpdeskDescriptor } from './descriptor.js';
import { DraftMapper } from './draft.js';
import { settingsFor } from './settings.js';

export interface Helpdesk {
  descriptor: HelpdeskDescriptor;
  settings: HelpdeskSettings;
}

export class HelpdeskRegistry {
  private constructor(private readonly byName: Map<string, Helpdesk>, readonly drafts: DraftMapper, readonly timeoutMs: number) {}

  static async create(config: Config, env: NodeJS.ProcessEnv, dir?: string): Promise<HelpdeskRegistry> {
    const descriptors = await loadDescriptors(dir);
    const byName = new Map(descriptors.map((d) => [d.name, { descriptor: d, settings: settingsFor(d, config, env) }]));
    return new HelpdeskRegistry(byName, await DraftMapper.create(), config.helpdeskTimeoutMs);
  }

  get(name: string): Helpdesk | undefined {
    return this.byName.get(name);
  }

  list(): Helpdesk[] {
    return [...this.byName.values()];
  }
}
