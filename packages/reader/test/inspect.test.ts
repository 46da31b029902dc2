import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EncodedCbor, encodeCbor, fromHex, toBase64Url } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import {
  detectInputFormat,
  type InspectNode,
  inspectionToJson,
  inspectMdoc,
  renderInspectionText,
} from '@mdlkit/reader/inspect';
import { describe, expect, it } from 'vitest';

const VECTORS = path.resolve(process.env.MDLKIT_VECTORS ?? path.resolve(process.cwd(), '../shared/vectors'));
const read = (rel: string): Uint8Array => new Uint8Array(readFileSync(path.join(VECTORS, rel)));
const hexOf = (rel: string): Uint8Array => fromHex(new TextDecoder().decode(read(rel)).replace(/\s+/g, ''));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function find(n: InspectNode, pred: (n: InspectNode) => boolean): InspectNode | undefined {
  if (pred(n)) return n;
  for (const c of n.children ?? []) {
    const hit = find(c, pred);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function codeOf(fn: () => unknown): { code: string; looksLike: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MdlError);
    const m = e as MdlError;
    return { code: m.code, looksLike: m.details['looksLike'], message: m.message };
  }
  throw new Error('expected an error');
}

describe('inspectMdoc: every structure kind in the shared vectors', () => {
  const cases: [string, string][] = [
    ['iso-18013-5-annex-d/device-response.hex', 'DeviceResponse'],
    ['iso-18013-5-annex-d/issuer-auth.hex', 'IssuerAuth'],
    ['iso-18013-5-annex-d/device-request.hex', 'DeviceRequest'],
    ['iso-18013-5-annex-d/ed2-draft-extended-device-request.hex', 'DeviceRequest'],
    ['iso-18013-5-annex-d/items-request.hex', 'ItemsRequest'],
    ['iso-18013-5-annex-d/device-engagement.hex', 'DeviceEngagement'],
    ['iso-18013-5-annex-d/device-engagement-nfc.hex', 'DeviceEngagement'],
    ['iso-18013-5-annex-d/session-transcript-bytes.hex', 'SessionTranscriptBytes'],
    ['iso-18013-5-annex-d/session-establishment.hex', 'SessionEstablishment'],
    ['iso-18013-5-annex-d/session-data.hex', 'SessionData'],
    ['iso-18013-5-annex-d/session-termination.hex', 'SessionData'],
    ['iso-18013-5-annex-d/device-auth.hex', 'DeviceAuth'],
    ['iso-18013-5-annex-d/device-authentication-bytes.hex', 'DeviceAuthenticationBytes'],
    ['iso-18013-5-annex-d/reader-authentication-bytes.hex', 'ReaderAuthenticationBytes'],
    ['iso-18013-5-annex-d/reader-auth.hex', 'COSE_Sign1'],
    ['iso-18013-5-annex-d/issuer-auth-sig-structure.hex', 'Sig_structure'],
    ['iso-18013-5-annex-d/mac-structure.hex', 'MAC_structure'],
    ['iso-18013-5-annex-d/e-device-key-bytes.hex', 'COSE_KeyBytes'],
    ['iso-18013-5-annex-d/portrait.hex', 'Image'],
    ['iso-18013-5-annex-d/ds-cert.pem', 'X.509 certificate'],
    ['aamva-vical/aamva-vical-2025-11-18.hex', 'VICAL'],
    ['real-world/06-payground-oid4vp-dcapi.device-response.hex', 'DeviceResponse'],
    ['real-world/06-payground-oid4vp-dcapi.session-transcript.hex', 'SessionTranscript'],
    ['real-world/auth0-example1.device-response.hex', 'DeviceResponse'],
  ];
  it.each(cases)('%s is a %s', (file, kind) => {
    const r = inspectMdoc(read(file), { name: file });
    expect(r.kind).toBe(kind);
    if (kind === 'Image') expect(r.root.media?.type).toBe('image/jpeg');
    else expect(r.root.children?.length ?? 0).toBeGreaterThan(0);
    if (r.sizesExact && kind !== 'Image' && kind !== 'X.509 certificate')
      expect(r.root.size).toBe(r.byteLength);
    expect(renderInspectionText(r)).toContain(kind);
    expect(() => JSON.stringify(inspectionToJson(r))).not.toThrow();
  });

  it('labels Annex D elements, finds the portrait as JPEG, and reports structure sizes exactly', () => {
    const bytes = hexOf('iso-18013-5-annex-d/device-response.hex');
    const r = inspectMdoc(bytes);
    expect(r.format).toBe('binary');
    const portrait = find(r.root, (n) => n.element?.identifier === 'portrait' && n.label === 'elementValue');
    expect(portrait?.media?.type).toBe('image/jpeg');
    expect(portrait?.media?.bytes.length).toBe(hexOf('iso-18013-5-annex-d/portrait.hex').length);
    // a copy, not a view into the input
    expect(portrait?.media?.bytes.buffer).not.toBe(bytes.buffer);
    const family = find(
      r.root,
      (n) => n.element?.identifier === 'family_name' && n.structure === 'IssuerSignedItem',
    );
    expect(family?.element).toEqual({
      nameSpace: 'org.iso.18013.5.1',
      identifier: 'family_name',
      known: true,
    });
    expect(find(family!, (n) => n.label === 'elementValue')?.value).toBe('Doe');
    const mso = find(r.root, (n) => n.structure === 'MobileSecurityObjectBytes');
    expect(mso?.tag).toBe(24);
    const validFrom = find(r.root, (n) => n.label === 'validFrom');
    expect(validFrom).toMatchObject({ type: 'tag', tag: 0, value: '2020-10-01T13:30:02Z' });
    const alg = find(r.root, (n) => n.label === '1 (alg)');
    expect(alg?.note).toBe('ES256');
    expect(r.certificates.map((c) => c.profile)).toEqual(['ds']);
    // the Annex D DS certificate's CRL distribution point is a directoryName: the linter says so
    expect(r.findings.map((f) => f.code)).toContain('crldp.form');
    expect(r.findings.every((f) => f.code !== 'ERR_STRUCTURE_INVALID')).toBe(true);
  });

  it('lints a certificate given as PEM and names its profile', () => {
    const r = inspectMdoc(read('iso-18013-5-annex-d/ds-cert.pem'), { now: new Date('2021-01-01T00:00:00Z') });
    expect(r.format).toBe('pem');
    expect(r.pemLabel).toBe('CERTIFICATE');
    expect(find(r.root, (n) => n.label === 'profile')?.value).toBe('ds');
    expect(find(r.root, (n) => n.label === 'notAfter')?.note).toBe('valid now');
    expect(r.findings.map((f) => f.code)).toEqual(['crldp.form']);
  });

  it('reads a foreign MSO in non-preferred CBOR leniently and says so', () => {
    const r = inspectMdoc(read('real-world/auth0-example1.device-response.hex'));
    expect(r.sizesExact).toBe(false);
    expect(r.findings.find((f) => f.code === 'ERR_CBOR_NON_PREFERRED')?.severity).toBe('warning');
    expect(find(r.root, (n) => n.structure === 'MobileSecurityObject')).toBeDefined();
  });

  it('reports a structure that breaks its CDDL as an error finding, still showing the tree', () => {
    const bad = encodeCbor(
      new Map<string, unknown>([
        ['version', '1.0'],
        ['documents', 'not an array'],
        ['status', 0],
      ]),
    );
    const r = inspectMdoc(bad);
    expect(r.kind).toBe('DeviceResponse');
    expect(r.findings.find((f) => f.severity === 'error')?.code).toBe('ERR_STRUCTURE_INVALID');
    expect(find(r.root, (n) => n.label === 'documents')?.value).toBe('not an array');
  });

  it('flags an element name the mDL schema does not know', () => {
    const item = (identifier: string): EncodedCbor =>
      EncodedCbor.fromValue(
        new Map<string, unknown>([
          ['digestID', 1],
          ['random', new Uint8Array(16)],
          ['elementIdentifier', identifier],
          ['elementValue', 'x'],
        ]),
      );
    const nameSpaces = new Map([['org.iso.18013.5.1', [item('famly_name'), item('family_name')]]]);
    const r = inspectMdoc(
      encodeCbor(
        new Map<string, unknown>([
          ['nameSpaces', nameSpaces],
          ['issuerAuth', []],
        ]),
      ),
    );
    expect(r.kind).toBe('IssuerSigned');
    const typo = find(r.root, (n) => n.element?.identifier === 'famly_name');
    expect(typo?.element?.known).toBe(false);
    expect(find(r.root, (n) => n.element?.identifier === 'family_name')?.element?.known).toBe(true);
    const unknown = r.findings.filter((f) => f.code === 'ERR_DATA_ELEMENT_UNKNOWN');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.message).toContain('famly_name');
    // the empty issuerAuth breaks the CDDL
    expect(
      r.findings.some((f) => f.code === 'ERR_STRUCTURE_INVALID' || f.code === 'ERR_COSE_MALFORMED'),
    ).toBe(true);
  });

  it('cuts the tree at maxNodes', () => {
    const r = inspectMdoc(read('aamva-vical/aamva-vical-2025-11-18.hex'), { maxNodes: 50 });
    expect(r.truncated).toBe(true);
  });

  it('reads an mdoc: URI as a DeviceEngagement', () => {
    const de = hexOf('iso-18013-5-annex-d/device-engagement.hex');
    const r = inspectMdoc(`mdoc:${toBase64Url(de)}`);
    expect(r.format).toBe('mdoc-uri');
    expect(r.kind).toBe('DeviceEngagement');
    expect(find(r.root, (n) => n.structure === 'EDeviceKey')).toBeDefined();
  });
});

describe('detectInputFormat', () => {
  const item = fromHex('a1616101');
  it.each([
    ['a1616101', 'hex'],
    ['0xA1 61 61 01\n', 'hex'],
    ['oWFhAQ==', 'base64'],
    ['oWFhAQ', 'base64'],
  ])('%j is %s', (text, format) => {
    const d = detectInputFormat(enc(text));
    expect(d.format).toBe(format);
    expect(d.bytes).toEqual(item);
  });
  it('tells base64url from base64 by its alphabet', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf]);
    expect(detectInputFormat(enc('-_-_')).format).toBe('base64url');
    expect(detectInputFormat(enc('+/+/')).format).toBe('base64');
    expect(detectInputFormat(enc('-_-_')).bytes).toEqual(detectInputFormat(enc('+/+/')).bytes);
    expect(detectInputFormat(bytes).format).toBe('binary');
  });
  it.each([
    ['', 'empty'],
    ['   \n', 'empty'],
    ['{"version":"1.0"}', 'json'],
    ['[1, 2]', 'json'],
    ['a1b2c3d4e5f60718293a4b5c6d7e8f9g', 'hex-stray-character'],
    ['a1b2c', 'hex-odd-length'],
    ['-----BEGIN CERTIFICATE-----\nMIIB\n', 'pem-malformed'],
    ['mdoc:***', 'mdoc-uri-malformed'],
    ['hello, world!', 'text'],
  ])('%j is rejected as %s', (text, looksLike) => {
    const e = codeOf(() => detectInputFormat(enc(text), { name: 'resp.cbor' }));
    expect(e.code).toBe('ERR_INPUT_FORMAT_UNRECOGNIZED');
    expect(e.looksLike).toBe(looksLike);
    expect(e.message).toContain('resp.cbor');
  });
  it('names the stray character of a hex dump and its offset', () => {
    const e = codeOf(() => detectInputFormat(enc('a1b2c3d4e5f60718293a4b5c6d7e8f9g')));
    expect(e.message).toContain("'g' at offset 31");
  });
});

describe('inspectMdoc: input that is not an mdoc structure', () => {
  it('says JSON is JSON', () => {
    const e = codeOf(() => inspectMdoc(enc('{"documents": []}'), { name: 'x.json' }));
    expect(e).toMatchObject({ code: 'ERR_INPUT_FORMAT_UNRECOGNIZED', looksLike: 'json' });
  });
  it('names the format, size and first bytes of undecodable data', () => {
    const e = codeOf(() => inspectMdoc(read('iso-18013-5-annex-d/sk-reader.hex'), { name: 'sk-reader.hex' }));
    expect(e.code).toBe('ERR_CBOR_TRUNCATED');
    expect(e.message).toMatch(
      /sk-reader\.hex: hex text of 32 bytes is not one CBOR data item.*starts with 58d277d8/,
    );
  });
  it('refuses a PEM block that is not a certificate', () => {
    const e = codeOf(() => inspectMdoc('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'));
    expect(e).toMatchObject({ code: 'ERR_INPUT_FORMAT_UNRECOGNIZED', looksLike: 'pem-not-certificate' });
  });
  it('reads printable binary CBOR (a short text item) as binary', () => {
    const r = inspectMdoc(enc('b!?'));
    expect(r).toMatchObject({ format: 'binary', kind: 'CBOR' });
    expect(r.root.value).toBe('!?');
  });
});
