// How the SOAP kind reads what came back before any rule does: the answer's shape (envelope,
// element, namespace), faults of SOAP 1.1 and 1.2, and node-soap's rejections told apart.

import { describe, expect, it } from 'vitest';
import { answerShape, faultOf } from '../../../connectors/soap/envelope.js';
import { failureOf, checkShape } from '../../../connectors/soap/transport.js';
import type { OperationContract } from '../../../connectors/soap/client.js';

const NS = 'urn:ponte:crm:v1';
const contract: OperationContract = { operation: 'GetClient', element: 'GetClientResponse', namespace: NS, input: {}, output: {} };
const envelope = (body: string, header = '') =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${header}<s:Body>${body}</s:Body></s:Envelope>`;
/** What node-soap rejects with when an answer arrived. */
const answered = (status: number, body: string, extra: Record<string, unknown> = {}) => ({ response: { status, data: body }, body, ...extra });
const fault11 = (code: string) => ({ Envelope: { Body: { Fault: { faultcode: code, faultstring: 'why', detail: { Campo: 'Assunto' } } } } });

describe('what a failed SOAP call came back with', () => {
  it.each([
    ['a 401 with a Client fault', answered(401, envelope('<s:Fault/>'), { root: fault11('soap:Client') }), { status: 401 }],
    ['a bare 403', answered(403, 'Forbidden'), { status: 403 }],
    ['a dotted Client subcode', answered(500, envelope('<s:Fault/>'), { root: fault11('soap:Client.InvalidData') }), { status: 500, fault: { code: 'Client', reason: 'why', detail: { Campo: 'Assunto' } } }],
    ['an application fault code', answered(500, envelope('<s:Fault/>'), { root: fault11('tns:BusinessRule') }), { fault: { code: 'BusinessRule' } }],
    ['a 404 text page', answered(404, 'Not Found'), { status: 404, answer: 'not-envelope' }],
    ['a 200 JSON body', answered(200, '{"ok":true}'), { status: 200, answer: 'not-envelope' }],
    ['a broken envelope', answered(200, '<s:Envelope xmlns:s="x"><s:Body>', { Fault: { faultstring: 'Invalid XML', detail: 'Error: Unclosed root tag\nLine: 0' } }), { answer: 'malformed' }],
    ['ECONNREFUSED', { code: 'ECONNREFUSED' }, { network: 'ECONNREFUSED' }],
    ['our own deadline', { code: 'ERR_CANCELED' }, { network: 'ERR_CANCELED', why: 'GetClient: no answer before the call deadline' }],
    ['a throw before sending', new TypeError('cannot serialise'), { answer: 'request-invalid' }],
  ])('%s', (_what, err, expected) => {
    expect(failureOf(err, contract)).toMatchObject(expected);
  });

  it('accepts only the promised element in the promised namespace as a success', () => {
    expect(checkShape(envelope(`<GetClientResponse xmlns="${NS}"/>`), contract)).toBeUndefined();
    expect(checkShape(envelope(`<t:GetClientResponse xmlns:t="${NS}"><t:Id>1</t:Id></t:GetClientResponse>`), contract)).toBeUndefined();
    expect(checkShape(envelope(`<ListProductsResponse xmlns="${NS}"/>`), contract)?.answer).toBe('unexpected-element');
    expect(checkShape(envelope('<GetClientResponse/>'), contract)?.answer).toBe('unexpected-element');
    expect(checkShape(envelope(''), contract)?.answer).toBe('unexpected-element');
    expect(checkShape('', contract)?.answer).toBe('not-envelope');
  });
});

describe('reading a SOAP answer', () => {
  it('finds the first Body element and its namespace, past a Header and comments', () => {
    const xml = envelope(`<!-- note --> <x:GetClientResponse xmlns:x="${NS}"/>`, '<s:Header><x:Body xmlns:x="urn:h"/></s:Header>');
    expect(answerShape(xml)).toEqual({ kind: 'envelope', element: { name: 'GetClientResponse', namespace: NS } });
  });

  it('resolves a prefix declared on the Envelope, and reports an empty Body', () => {
    const declared = `<soap:Envelope xmlns:soap="e" xmlns:tns="${NS}"><soap:Body><tns:A/></soap:Body></soap:Envelope>`;
    expect(answerShape(declared)).toEqual({ kind: 'envelope', element: { name: 'A', namespace: NS } });
    expect(answerShape('<soap:Envelope xmlns:soap="e"><soap:Body/></soap:Envelope>')).toEqual({ kind: 'envelope' });
    expect(answerShape('<html><body>Bad Gateway</body></html>')).toEqual({ kind: 'not-soap' });
  });

  it('reads SOAP 1.1 and SOAP 1.2 faults as node-soap parses them', () => {
    expect(faultOf(fault11('soap:Server.Database'))).toEqual({ code: 'Server', reason: 'why', detail: { Campo: 'Assunto' } });
    const soap12 = { Envelope: { Body: { Fault: { Code: { Value: 'env:Sender' }, Reason: { Text: { attributes: { 'xml:lang': 'en' }, $value: 'bad' } } } } } };
    expect(faultOf(soap12)).toEqual({ code: 'Sender', reason: 'bad' });
    expect(faultOf({ Envelope: { Body: {} } })).toBeUndefined();
  });
});
