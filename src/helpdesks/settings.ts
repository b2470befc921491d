// A helpdesk's settings: Chatwoot's and Zammad's come from the validated Config; a third
// helpdesk's are read the same way under the prefix its descriptor names.

import { helpdeskSettings, readSettings, type Config, type HelpdeskSettings } from '../config.js';
import type { HelpdeskDescriptor } from './descriptor.js';

const BUILT_IN = { chatwoot: 'chatwoot', zammad: 'zammad' } as const;

export function settingsFor(descriptor: HelpdeskDescriptor, config: Config, env: NodeJS.ProcessEnv): HelpdeskSettings {
  const builtIn = BUILT_IN[descriptor.name as keyof typeof BUILT_IN];
  if (builtIn && descriptor.settingsPrefix === builtIn.toUpperCase()) return config[builtIn];
  const read = readSettings(helpdeskSettings(descriptor.settingsPrefix, 'helpdesk', descriptor.label), env) as { helpdesk: HelpdeskSettings };
  return { ...read.helpdesk, mapping: {} };
}

/** The API is usable when both its URL and its token are set. */
export function apiConfigured(settings: HelpdeskSettings): settings is HelpdeskSettings & { url: string; apiToken: string } {
  return Boolean(settings.url && settings.apiToken);
}
