// Everything under the admin role: the integration and audit API, API keys, /metrics (also role metrics), the
// admin page at /admin and the queue board at /admin/queues (registered with one line in routes.ts).
// Not encapsulated (fastify-plugin) only so the metrics plugin's timing hook reaches every route.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { adminIntegrationRoutes } from './admin-integrations.js';
import { adminDashboardRoutes } from './admin-dashboard.js';
import { adminAuditRoutes } from './admin-audit.js';
import { adminKeyRoutes } from './admin-keys.js';
import { adminPageRoutes } from './admin-page.js';
import { adminQueueRoutes } from './admin-queues.js';
import { metricsRoutes } from './metrics.js';
import { adminDataSubjectRoutes } from './admin-data-subjects.js';

async function admin(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  await app.register(metricsRoutes, { deps });
  await app.register(adminIntegrationRoutes, { deps });
  await app.register(adminDashboardRoutes, { deps });
  await app.register(adminAuditRoutes, { deps });
  await app.register(adminDataSubjectRoutes, { deps });
  await app.register(adminKeyRoutes, { deps });
  await app.register(adminPageRoutes);
  await app.register(adminQueueRoutes, { deps });
}

export const adminRoutes = fp(admin, { name: 'ponte-admin', fastify: '5.x' });
