// Every route plugin of the API, in one place.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { sessionRoutes } from './sessions.js';
import { integrationRoutes } from './integrations.js';
import { chatRoutes } from './chats.js';
import { adminRoutes } from './admin.js';
import { returnRoutes } from './returns.js';
import { webhookRoutes } from './webhooks.js';
import { chatToolRoutes } from './chat-tools.js';
import { caseworkRoutes } from './returns-casework.js';
import { inboundRoutes } from './inbound.js';
import { helpdeskAdminRoutes } from './helpdesk-admin.js';

export async function registerRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(sessionRoutes, { deps });
  await app.register(integrationRoutes, { deps });
  await app.register(chatRoutes, { deps });
  await app.register(adminRoutes, { deps });
  await app.register(returnRoutes, { deps });
  await app.register(webhookRoutes, { deps });
  await app.register(chatToolRoutes, { deps });
  await app.register(caseworkRoutes, { deps });
  await app.register(inboundRoutes, { deps });
  await app.register(helpdeskAdminRoutes, { deps });
}
