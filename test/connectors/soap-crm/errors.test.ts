import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/errors.js';
import { answerShape, faultOf } from '../../../connectors/soap-crm/envelope.js';
import { checkAnswer, classifyFailure, type ExpectedAnswer } from '../../../connectors/soap-crm/errors.js';

const NS = 'urn:ponte:crm:v1';
const expected: ExpectedAnswer = { operation: 'GetClient', element: 'GetClientResponse', namespace: NS };
const envelope = (body: string, header = '') =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${header}<s:Body>${body}</s:Body></s:Envelope>`;
/** What node-soap rejects with when an answer arrived. */
const answered = (status: number, body: string, extra: Record<string, unknown> = {}) => ({ response: { status, data: body }, body, ...extra });
const fault11 = (code: string) => ({ Envelope: { Body: { Fault: { faultcode: code, faultstring: 'why' } } } });

describe('the soap-crm error table', () => {
  it.each([
    ['a 401 with a Client fault', answered(401, envelope('<s:Fault/>'), { root: fault11('soap:Client') }), 'permanent', 'SOAP_AUTH_REJECTED'],
    ['a bare 403', answered(403, 'Forbidden'), 'permanent', 'SOAP_AUTH_REJECTED'],
    ['a dotted Client subcode', answered(500, envelope('<s:Fault/>'), { root: fault11('soap:Client.InvalidData') }), 'permanent', 'SOAP_CLIENT_FAULT'],
    ['an application fault code', answered(500, envelope('<s:Fault/>'), { root: fault11('tns:BusinessRule') }), 'permanent', 'SOAP_CLIENT_FAULT'],
    ['a Server fault', answered(500, envelope('<s:Fault/>'), { root: fault11('Server') }), 'transient', 'SOAP_SERVER_FAULT'],
    ['a MustUnderstand fault', answered(500, envelope('<s:Fault/>'), { root: fault11('s:MustUnderstand') }), 'permanent', 'SOAP_CONTRACT_MISMATCH'],
    ['a 404 text page', answered(404, 'Not Found'), 'permanent', 'SOAP_HTTP_REJECTED'],
    ['a 503 text page', answered(503, 'Service Unavailable'), 'transient', 'SOAP_BAD_RESPONSE'],
    ['a 200 JSON body', answered(200, '{"ok":true}'), 'transient', 'SOAP_BAD_RESPONSE'],
    ['a broken envelope', answered(200, '<s:Envelope xmlns:s="x"><s:Body>', { Fault: { faultstring: 'Invalid XML', detail: 'Error: Unclosed root tag\nLine: 0' } }), 'transient', 'SOAP_MALFORMED_RESPONSE'],
    ['ECONNREFUSED', { code: 'ECONNREFUSED' }, 'transient', 'SOAP_UNREACHABLE'],
    ['ECONNABORTED (axios timeout)', { code: 'ECONNABORTED' }, 'transient', 'SOAP_TIMEOUT'],
    ['an untrusted certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'permanent', 'SOAP_TLS'],
    ['a throw before sending', new TypeError('cannot serialise'), 'permanent', 'SOAP_REQUEST_INVALID'],
  ])('%s is %s %s', (_what, err, kind, code) => {
    const error = classifyFailure(err, expected);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind, code, retryable: kind === 'transient' });
  });

  it('accepts only the promised element in the promised namespace as a success', () => {
    expect(checkAnswer(envelope(`<GetClientResponse xmlns="${NS}"/>`), 200, expected)).toBeUndefined();
    expect(checkAnswer(envelope(`<t:GetClientResponse xmlns:t="${NS}"><t:Id>1</t:Id></t:GetClientResponse>`), 200, expected)).toBeUndefined();
    expect(checkAnswer(envelope(`<ListProductsResponse xmlns="${NS}"/>`), 200, expected)?.code).toBe('SOAP_CONTRACT_MISMATCH');
    expect(checkAnswer(envelope('<GetClientResponse/>'), 200, expected)?.code).toBe('SOAP_CONTRACT_MISMATCH');
    expect(checkAnswer(envelope(''), 200, expected)?.code).toBe('SOAP_CONTRACT_MISMATCH');
    expect(checkAnswer('', 200, expected)?.code).toBe('SOAP_BAD_RESPONSE');
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
    expect(faultOf(fault11('soap:Server.Database'))).toEqual({ code: 'Server', reason: 'why' });
    const soap12 = { Envelope: { Body: { Fault: { Code: { Value: 'env:Sender' }, Reason: { Text: { attributes: { 'xml:lang': 'en' }, $value: 'bad' } } } } } };
    expect(faultOf(soap12)).toEqual({ code: 'Sender', reason: 'bad' });
    expect(faultOf({ Envelope: { Body: {} } })).toBeUndefined();
  });
});
