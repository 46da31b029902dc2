/**
 * `mdlkit demo`'s online artifacts re-check with `mdlkit verify`, and `mdlkit online request` /
 * `mdlkit online verify` round-trip with the test wallet (in this process) answering the request file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { answerAnnexCRequest, parseAnnexCRequest } from '@mdlkit/holder/annex-c';
import { answerOpenId4VpRequest, parseOpenId4VpRequest } from '@mdlkit/holder/oid4vp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOnlineWorld, NOW, type OnlineWorld } from '../../../packages/reader/test/online-fixtures.js';
import { mdlkit, verifyArgs } from './run-cli.js';

const ORIGIN = 'https://verifier.example';
let work: string;
let world: OnlineWorld;
let iacaPem: string;
let demoOut: string;
let demoCode: number | null;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'mdlkit-online-'));
  world = await makeOnlineWorld();
  iacaPem = path.join(work, 'iaca.pem');
  writeFileSync(
    iacaPem,
    `-----BEGIN CERTIFICATE-----\n${Buffer.from(world.pki.iaca).toString('base64')}\n-----END CERTIFICATE-----\n`,
  );
  demoOut = path.join(work, 'demo');
  demoCode = (await mdlkit(['demo', '--out', demoOut, '--batch', '2', '--json'])).code;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mdlkit demo: the online story', () => {
  for (const flow of ['oid4vp-dc-api', 'annex-c']) {
    it(`writes online/${flow}/ and its DeviceResponse re-verifies with mdlkit verify`, async () => {
      expect(demoCode).toBe(0);
      const dir = path.join(demoOut, 'online', flow);
      for (const name of [
        'request.json',
        'response.json',
        'device-response.cbor',
        'session-transcript.cbor',
      ]) {
        expect(statSync(path.join(dir, name)).size, name).toBeGreaterThan(0);
      }
      expect(readFileSync(path.join(dir, 'session-transcript.cbor')).subarray(0, 2)).toEqual(
        Buffer.from([0xd8, 0x18]),
      );
      const request = JSON.parse(readFileSync(path.join(dir, 'request.json'), 'utf8'));
      expect(request.protocol).toBe(flow === 'annex-c' ? 'org-iso-mdoc' : 'openid4vp-v1-signed');
      const run = await mdlkit(
        verifyArgs(
          {
            deviceResponse: path.join(dir, 'device-response.cbor'),
            sessionTranscript: path.join(dir, 'session-transcript.cbor'),
            trust: path.join(demoOut, 'iaca.pem'),
          },
          ['--json'],
        ),
      );
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).verified).toBe(true);
      // Another flow's transcript does not fit: the device signature is bound to this one.
      const other = path.join(
        demoOut,
        'online',
        flow === 'annex-c' ? 'oid4vp-dc-api' : 'annex-c',
        'session-transcript.cbor',
      );
      const wrong = await mdlkit(
        verifyArgs(
          {
            deviceResponse: path.join(dir, 'device-response.cbor'),
            sessionTranscript: other,
            trust: path.join(demoOut, 'iaca.pem'),
          },
          ['--json'],
        ),
      );
      expect(wrong.code).toBe(1);
    });
  }
});

describe('mdlkit online request / verify', () => {
  for (const protocol of ['oid4vp', 'annex-c'] as const) {
    it(`${protocol}: a request file, the wallet's answer, verified against the saved state`, async () => {
      const state = path.join(work, `${protocol}-state.json`);
      const out = path.join(work, `${protocol}-request.json`);
      const made = await mdlkit([
        'online',
        'request',
        '--protocol',
        protocol,
        '--origin',
        ORIGIN,
        '--element',
        'family_name',
        '--element',
        'age_over_21',
        '--retain',
        'family_name',
        '--state',
        state,
        '--out',
        out,
      ]);
      expect(made.code, made.stderr).toBe(0);
      expect(statSync(state).mode & 0o777).toBe(0o600);
      const request = JSON.parse(readFileSync(out, 'utf8'));
      const response =
        protocol === 'annex-c'
          ? (
              await answerAnnexCRequest({
                request: await parseAnnexCRequest({ request, origin: ORIGIN }),
                documents: [world.mdl],
              })
            ).response
          : (
              await answerOpenId4VpRequest({
                request: await parseOpenId4VpRequest({ request, origin: ORIGIN }),
                documents: [world.mdl],
              })
            ).response;
      const responseFile = path.join(work, `${protocol}-response.json`);
      writeFileSync(responseFile, JSON.stringify(response));
      const args = [
        'online',
        'verify',
        '--state',
        state,
        '--response',
        responseFile,
        '--trust',
        iacaPem,
        '--now',
        NOW.toISOString(),
      ];
      const ok = await mdlkit([...args, '--origin', ORIGIN, '--json']);
      expect(ok.code, ok.stderr).toBe(0);
      const report = JSON.parse(ok.stdout);
      expect(report.verified).toBe(true);
      expect(report.checks.map((c: { id: string }) => c.id)[0]).toBe('online-state');
      const evil = await mdlkit([...args, '--origin', 'https://evil.example']);
      expect(evil.code).toBe(1);
      expect(evil.stdout).toContain('ERR_ONLINE_ORIGIN_MISMATCH');
      const usage = await mdlkit(['online', 'publish']);
      expect(usage.code).toBe(2);
    });
  }
});
