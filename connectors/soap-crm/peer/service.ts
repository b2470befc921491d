// The peer's SOAP operations (fixtures/crm.wsdl) over its state. It validates like a real service:
// an unknown code or a missing field is a soap:Client fault whose faultstring names the field.

import type { IServices } from 'soap';
import type { PeerProcess, PeerState } from './state.js';

type Args = Record<string, unknown>;

export const SERVICE = 'CrmService';
export const PORT = 'CrmSoapPort';

/** A SOAP 1.1 Client fault, as node-soap's server sends it. */
function refuse(field: string, message: string): { Fault: { faultcode: string; faultstring: string; statusCode: number } } {
  return { Fault: { faultcode: 'soap:Client', faultstring: `${field}: ${message}`, statusCode: 500 } };
}

function optional(args: Args | null, field: string): string | undefined {
  const v = args?.[field];
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw refuse(field, 'is not a valid date');
    return v.toISOString().slice(0, 10);
  }
  return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number' ? String(v) : undefined;
}

function required(args: Args | null, field: string): string {
  const v = optional(args, field);
  if (v === undefined) throw refuse(field, 'is required');
  return v;
}

function bool(args: Args | null, field: string): boolean {
  const v = args?.[field];
  if (typeof v === 'boolean') return v;
  throw refuse(field, 'is required (true or false)');
}

/** A repeated element as node-soap parses it: absent, one value, or a list. */
function list(args: Args | null, field: string): string[] {
  const v = args?.[field];
  const values = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  return values.map((x) => String(x).trim()).filter(Boolean);
}

function known<T>(map: Map<string, T>, field: string, id: string, what: string): T {
  const found = map.get(id);
  if (!found) throw refuse(field, `unknown ${what} ${id}`);
  return found;
}

const now = () => new Date().toISOString();

export function crmService(state: PeerState): IServices {
  const process = (args: Args | null): PeerProcess => known(state.processes, 'ProcessNumber', required(args, 'ProcessNumber'), 'process');
  const client = (args: Args | null, field = 'ClientCode') => known(state.clients, field, required(args, field), 'client');
  const product = (id: string) => {
    const p = state.products.get(id)!;
    return { Id: p.id, Name: p.name, Active: p.active };
  };

  const operations: Record<string, (args: Args | null) => Promise<Args>> = {
    async GetClient(args) {
      const c = state.clients.get(required(args, 'Code'));
      return c ? { Id: c.id, Code: c.code, CompanyName: c.companyName, ShortName: c.shortName, TaxId: c.taxId } : {};
    },
    async ListProducts() {
      return { Product: [...state.products.keys()].map(product) };
    },
    async ListCaseTypes() {
      return {
        CaseType: [...state.caseTypes.values()].map((t) => ({ Id: t.id, Name: t.name, StandardOpinion: t.standardOpinions.map((o) => ({ Id: o.id, Text: o.text })) })),
      };
    },
    async ListUsers() {
      return { User: [...state.users.values()].map((u) => ({ Id: u.id, Name: u.name, SpySystemLogin: u.spySystemLogin })) };
    },
    async ListResponsibilityCenters() {
      return { ResponsibilityCenter: [...state.responsibilityCenters.values()].map((c) => ({ Id: c.id, Name: c.name })) };
    },
    async GetProcess(args) {
      const p = state.processes.get(required(args, 'Number'));
      return p ? { Number: p.number, Status: p.status, NextContactDate: p.nextContactDate, NextContactUserId: p.nextContactUserId } : {};
    },
    async FindCaseByExternalRef(args) {
      const p = state.processByExternalRef(required(args, 'ExternalRef'));
      return p ? { Number: p.number } : {};
    },
    async CreateCase(args) {
      const c = client(args);
      const p = known(state.products, 'ProductId', required(args, 'ProductId'), 'product');
      if (!p.active) throw refuse('ProductId', `product ${p.id} is inactive`);
      const caseTypeId = known(state.caseTypes, 'CaseTypeId', required(args, 'CaseTypeId'), 'case type').id;
      const centerId = optional(args, 'ResponsibilityCenterId');
      if (centerId) known(state.responsibilityCenters, 'ResponsibilityCenterId', centerId, 'responsibility center');
      const userId = optional(args, 'NextContactUserId');
      if (userId) known(state.users, 'NextContactUserId', userId, 'user');
      const priority = bool(args, 'Priority');
      if (priority && !userId) throw refuse('NextContactUserId', 'a priority case needs a next-contact user');
      const externalRef = required(args, 'ExternalRef');
      const existing = state.processByExternalRef(externalRef);
      if (existing) throw refuse('ExternalRef', `already used by process ${existing.number}`);
      const record: PeerProcess = {
        number: '',
        clientCode: c.code,
        productId: p.id,
        caseTypeId,
        subject: required(args, 'Subject'),
        status: bool(args, 'Close') ? 'Closed' : 'Open',
        openedAt: now(),
        contactPerson: optional(args, 'ContactPerson'),
        responsibilityCenterId: centerId,
        nextContactDate: optional(args, 'NextContactDate'),
        nextContactUserId: userId,
        priority,
        externalRef,
        opinions: [],
        notifications: [],
        updates: [],
      };
      // Validated in full before a number is taken: a refused case leaves no gap.
      record.opinions.push({ text: required(args, 'Opinion'), externalRef, at: record.openedAt });
      record.number = state.nextProcessNumber();
      state.processes.set(record.number, record);
      return { Number: record.number };
    },
    async HasOpinion(args) {
      const externalRef = required(args, 'ExternalRef');
      return { Exists: process(args).opinions.some((o) => o.externalRef === externalRef) };
    },
    async AddOpinion(args) {
      const p = process(args);
      const text = required(args, 'Text');
      const externalRef = required(args, 'ExternalRef');
      if (p.opinions.some((o) => o.externalRef === externalRef)) throw refuse('ExternalRef', `already used by an opinion of process ${p.number}`);
      p.opinions.push({ text, externalRef, at: now() });
      return {};
    },
    async Notify(args) {
      const p = process(args);
      const logins = list(args, 'SpySystemLogin');
      const emails = list(args, 'Email');
      const externalRef = required(args, 'ExternalRef');
      const users = new Set([...state.users.values()].map((u) => u.spySystemLogin));
      const unknown = logins.find((l) => !users.has(l));
      if (unknown) throw refuse('SpySystemLogin', `unknown login ${unknown}`);
      const invalid = emails.find((e) => !/^[^@\s]+@[^@\s]+$/.test(e));
      if (invalid) throw refuse('Email', `invalid address ${invalid}`);
      if (!logins.length && !emails.length) throw refuse('SpySystemLogin', 'no recipient (neither a login nor an e-mail)');
      p.notifications.push({ spySystemLogins: logins, emails, externalRef, at: now() });
      return {};
    },
    async UpdateProcess(args) {
      const p = process(args);
      const externalRef = required(args, 'ExternalRef');
      const centerId = optional(args, 'ResponsibilityCenterId');
      if (centerId) known(state.responsibilityCenters, 'ResponsibilityCenterId', centerId, 'responsibility center');
      const userId = optional(args, 'NextContactUserId');
      if (userId) known(state.users, 'NextContactUserId', userId, 'user');
      const close = args?.Close;
      const priority = args?.Priority;
      if (typeof close === 'boolean') p.status = close ? 'Closed' : 'Open';
      if (centerId) p.responsibilityCenterId = centerId;
      const date = optional(args, 'NextContactDate');
      if (date) p.nextContactDate = date;
      if (userId) p.nextContactUserId = userId;
      if (typeof priority === 'boolean') p.priority = priority;
      p.updates.push({ externalRef, close: typeof close === 'boolean' ? close : undefined, responsibilityCenterId: centerId, nextContactDate: date, nextContactUserId: userId, priority: typeof priority === 'boolean' ? priority : undefined, at: now() });
      return { Number: p.number };
    },
    async FindNotification(args) {
      const externalRef = required(args, 'ExternalRef');
      return { Exists: process(args).notifications.some((n) => n.externalRef === externalRef) };
    },
    async ListClientProducts(args) {
      return { Product: client(args).productIds.map(product) };
    },
    async ListProductVersions(args) {
      const versions = client(args).versions ?? [];
      return { ProductVersion: versions.map((v) => ({ System: v.system, ...(v.used ? { Used: v.used } : {}), ...(v.entitled ? { Entitled: v.entitled } : {}), ...(v.downloaded ? { Downloaded: v.downloaded } : {}) })) };
    },
    async ListCriticalFactors(args) {
      const code = client(args).code;
      const open = [...state.processes.values()].filter((p) => p.clientCode === code && p.status === 'Open');
      return { CriticalFactor: open.map((p) => ({ Number: p.number, Subject: p.subject, OpenedAt: p.openedAt })) };
    },
    async GetMarkers(args) {
      const c = state.clients.get(required(args, 'ClientCode'));
      if (!c) return {};
      const listed = (c.markers ?? []).map((m) => ({ Code: m.code, Label: m.label, ...(m.since ? { Since: m.since } : {}), ...(m.delinquency ? { Delinquency: true } : {}) }));
      return { ...(c.delinquent ? { Delinquent: true, Since: c.delinquent.since, Reason: c.delinquent.reason } : { Delinquent: false }), ...(listed.length ? { Marker: listed } : {}) };
    },
  };
  return { [SERVICE]: { [PORT]: operations } };
}
