// The client panel of the chat screen (seed 001 "Detalhes"): company, client code, CPF/CNPJ,
// contact, satisfaction, contact count, subject, markers and product versions of the
// department's systems (both asked from the ERP too, see client-facts.ts), and the client's ERP
// products and open cases. The ERP part is best effort (the panel waits at most 3 s): a
// connector failure leaves those lists empty with `erpError`, the panel still answers.

import type { Deps } from '../deps.js';
import { checkTaxId } from '../domain/tax-id.js';
import { normalizeClientCode } from '../domain/integration-request.js';
import type { ErpClient, ErpCriticalFactor, ErpProduct } from '../connectors/contract.js';
import { getDepartment } from '../store/departments.js';
import { clientMarkers, clientStats, productVersions } from '../store/chat-client-stats.js';
import { loadChat } from './chat-change.js';
import { pullClientMarkers, pullProductVersions, withinBudget } from './client-facts.js';

interface ErpFacts { client: ErpClient | null; products: ErpProduct[]; criticalFactors: ErpCriticalFactor[]; error?: { code: string; message: string } }

async function erpFacts(deps: Deps, code: string): Promise<ErpFacts> {
  const [client, products, criticalFactors] = await Promise.allSettled([
    withinBudget(deps.lookups.client(code)),
    withinBudget(deps.lookups.clientProducts(code)),
    withinBudget(deps.lookups.criticalFactors(code)),
  ]);
  const failed = [client, products, criticalFactors].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const reason = failed?.reason as { code?: string; message?: string } | undefined;
  if (failed) deps.log.warn({ err: failed.reason, clientCode: code }, 'chat details: ERP lookup failed');
  return {
    client: client.status === 'fulfilled' ? client.value : null,
    products: products.status === 'fulfilled' ? products.value : [],
    criticalFactors: criticalFactors.status === 'fulfilled' ? criticalFactors.value : [],
    ...(failed ? { error: { code: reason?.code ?? 'ERP_UNAVAILABLE', message: reason?.message ?? 'the ERP lookup failed' } } : {}),
  };
}

export async function chatDetails(deps: Deps, chatId: string) {
  const row = await loadChat(deps.db, chatId);
  const code = row.client_code ?? (row.client.clientCode ? normalizeClientCode(row.client.clientCode) : null);
  const department = await getDepartment(deps.db, row.department_id);
  const systems = department?.systems ?? [];
  const [stats, markers, versions, erp] = await Promise.all([
    clientStats(deps.db, { email: row.client_email, code }),
    code ? pullClientMarkers(deps, code).then(() => clientMarkers(deps.db, code)) : Promise.resolve(null),
    code ? pullProductVersions(deps, code).then(() => productVersions(deps.db, code, systems)) : Promise.resolve([]),
    code ? erpFacts(deps, code) : Promise.resolve<ErpFacts>({ client: null, products: [], criticalFactors: [] }),
  ]);
  const delinquent = markers?.delinquent ?? false;
  return {
    chatId: row.id,
    status: row.status,
    companyName: erp.client?.companyName ?? row.client.companyName ?? null,
    clientCode: code,
    taxId: checkTaxId(row.client.taxId ?? erp.client?.taxId),
    contact: { name: row.client.name, email: row.client.email ?? row.client_email },
    phone: row.client.phone ?? null,
    satisfactionAverage: stats.satisfactionAverage,
    ratedChats: stats.ratedChats,
    contactCount: stats.contactCount,
    subject: row.subject,
    delinquent,
    markers,
    alerts: delinquent ? [{ code: 'DELINQUENT', message: 'Cliente inadimplente', since: markers?.since ?? null }] : [],
    productVersions: { systems, items: versions },
    products: erp.products,
    criticalFactors: erp.criticalFactors,
    ...(erp.error ? { erpError: erp.error } : {}),
  };
}
