/**
 * docs/aws.md's IAM policies, checked against the code: every KMS / Private CA operation the
 * publishable AWS packages send is allowed by some policy statement there, and every action the
 * policies name is a real operation of the SDK client (no typos such as `kms:GetPublicKeys`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pca from '@aws-sdk/client-acm-pca';
import * as kms from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `.ts` sources (not tests) under `dir`. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

/** The IAM actions a source sends: `new XCommand(` with X imported from the KMS or the ACM-PCA client. */
function actionsSent(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const actions: string[] = [];
  for (const [, name] of text.matchAll(/new ([A-Z][A-Za-z]+)Command\(/g)) {
    const op = name!;
    if (`${op}Command` in kms && text.includes('@aws-sdk/client-kms')) {
      // ReEncrypt is authorised as two actions, on the source and on the destination key.
      actions.push(...(op === 'ReEncrypt' ? ['kms:ReEncryptFrom', 'kms:ReEncryptTo'] : [`kms:${op}`]));
    }
    if (`${op}Command` in pca && text.includes('@aws-sdk/client-acm-pca')) actions.push(`acm-pca:${op}`);
  }
  return actions;
}

/** Every `"Action"` of every JSON policy block in docs/aws.md. */
function documentedActions(): Set<string> {
  const doc = readFileSync(path.join(root, 'docs/aws.md'), 'utf8');
  const actions = new Set<string>();
  for (const [, block] of doc.matchAll(/```json\n([\s\S]*?)```/g)) {
    const policy = JSON.parse(block!) as { Statement?: { Action: string | string[] }[] };
    for (const statement of policy.Statement ?? []) {
      for (const action of [statement.Action].flat()) actions.add(action);
    }
  }
  return actions;
}

/** S3 actions the CRL bucket policy may name (Private CA writes CRLs with these). */
const S3_ACTIONS = new Set(['PutObject', 'PutObjectAcl', 'GetBucketAcl', 'GetBucketLocation']);

const LIBRARY_DIRS = ['packages/aws-kms/src', 'packages/aws-acm-pca/src', 'packages/aws-common/src'];

describe('docs/aws.md IAM policies', () => {
  const documented = documentedActions();

  it('parses policies naming both services', () => {
    expect([...documented].some((a) => a.startsWith('kms:'))).toBe(true);
    expect([...documented].some((a) => a.startsWith('acm-pca:'))).toBe(true);
  });

  it('allow every operation the AWS packages send', () => {
    const sent = new Map<string, string>();
    for (const dir of LIBRARY_DIRS) {
      for (const file of sources(path.join(root, dir))) {
        for (const action of actionsSent(file)) sent.set(action, path.relative(root, file));
      }
    }
    expect(sent.size).toBeGreaterThan(10);
    const missing = [...sent].filter(([action]) => !documented.has(action)).map(([a, f]) => `${a} (${f})`);
    expect(missing).toEqual([]);
  });

  it('name only real operations', () => {
    const real = (action: string): boolean => {
      const [service, op] = action.split(':') as [string, string];
      if (service === 'kms') return op === 'ReEncryptFrom' || op === 'ReEncryptTo' || `${op}Command` in kms;
      if (service === 'acm-pca') return `${op}Command` in pca;
      // The CRL bucket policy of §2 (no S3 client is a dependency to check against): S3's own names.
      if (service === 's3') return S3_ACTIONS.has(op);
      return false;
    };
    expect([...documented].filter((a) => !real(a))).toEqual([]);
  });
});
