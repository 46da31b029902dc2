import type { KeyEncryptionKey } from '@mdlkit/core/crypto';
import { describe, expect, it } from 'vitest';
import { createLocalKeyEncryptionKey } from './local-key-encryption-key.js';
import {
  openHolderRecord,
  rewrapHolderRecord,
  type SealedHolderRecord,
  sealHolderRecord,
  shredHolderRecord,
} from './seal-holder-record.js';

const plaintext = new TextEncoder().encode('{"family_name":"Mustermann","portrait":"…"}');

async function codeOf(action: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  throw new Error('expected the call to fail');
}

describe('sealHolderRecord / openHolderRecord with the local key-encryption key', () => {
  it('round-trips; the ciphertext is not the plaintext; each seal draws a new data key', async () => {
    const kek = createLocalKeyEncryptionKey();
    const a = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    const b = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    expect(a.keyId).toBe('local-kek');
    expect(a.purpose).toBe('holder-record');
    expect(Buffer.from(a.ciphertext).includes(Buffer.from('Mustermann'))).toBe(false);
    expect(Buffer.from(a.wrappedKey!).equals(Buffer.from(b.wrappedKey!))).toBe(false);
    expect(await openHolderRecord({ kek, record: a })).toEqual(plaintext);
    expect(await openHolderRecord({ kek, record: b })).toEqual(plaintext);
  });

  it("another holder's or purpose's context, a flipped byte, another KEK: ERR_HOLDER_RECORD_INVALID", async () => {
    const kek = createLocalKeyEncryptionKey();
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    const variants: SealedHolderRecord[] = [
      { ...record, holderId: 'holder-0002' },
      { ...record, purpose: 'portrait' },
      { ...record, ciphertext: flip(record.ciphertext, 3) },
      { ...record, iv: flip(record.iv, 0) },
      { ...record, wrappedKey: flip(record.wrappedKey!, 20) },
      { ...record, keyId: 'another-kek' },
    ];
    for (const variant of variants) {
      expect(await codeOf(() => openHolderRecord({ kek, record: variant }))).toBe(
        'ERR_HOLDER_RECORD_INVALID',
      );
    }
    const other = createLocalKeyEncryptionKey();
    expect(await codeOf(() => openHolderRecord({ kek: other, record }))).toBe('ERR_HOLDER_RECORD_INVALID');
    // the original still opens (the variants were copies)
    expect(await openHolderRecord({ kek, record })).toEqual(plaintext);
  });

  it('shredding destroys the wrapped key: ERR_HOLDER_RECORD_SHREDDED, and the old bytes are zero', async () => {
    const kek = createLocalKeyEncryptionKey();
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    const wrapped = record.wrappedKey!;
    const shredded = shredHolderRecord(record);
    expect(shredded.wrappedKey).toBeNull();
    expect(wrapped.every((b) => b === 0)).toBe(true);
    expect(shredded.ciphertext).not.toBe(record.ciphertext);
    expect(await codeOf(() => openHolderRecord({ kek, record: shredded }))).toBe(
      'ERR_HOLDER_RECORD_SHREDDED',
    );
    expect(await codeOf(() => rewrapHolderRecord({ kek, record: shredded }))).toBe(
      'ERR_HOLDER_RECORD_SHREDDED',
    );
    // the zeroed wrapped key no longer opens either
    expect(await codeOf(() => openHolderRecord({ kek, record }))).toBe('ERR_HOLDER_RECORD_INVALID');
  });

  it('a destroyed KEK opens nothing (ERR_KEK_DISABLED); rotation re-wraps under the new version', async () => {
    const kek = createLocalKeyEncryptionKey();
    const record = await sealHolderRecord({ kek, holderId: 'holder-0001', plaintext });
    kek.rotate();
    const rewrapped = await rewrapHolderRecord({ kek, record });
    expect(Buffer.from(rewrapped.wrappedKey!).equals(Buffer.from(record.wrappedKey!))).toBe(false);
    expect(rewrapped.wrappedKey![2]).toBe(1); // key version 1
    expect(await openHolderRecord({ kek, record: rewrapped })).toEqual(plaintext);
    expect(await openHolderRecord({ kek, record })).toEqual(plaintext);
    expect(await codeOf(() => rewrapHolderRecord({ kek, record, destinationKeyId: 'x' }))).toBe(
      'ERR_NOT_SUPPORTED',
    );
    kek.destroy();
    expect(kek.destroyed).toBe(true);
    expect(await codeOf(() => openHolderRecord({ kek, record: rewrapped }))).toBe('ERR_KEK_DISABLED');
    expect(await codeOf(() => sealHolderRecord({ kek, holderId: 'h', plaintext }))).toBe('ERR_KEK_DISABLED');
  });

  it('zeroes the plaintext data key after sealing and after opening, also when encryption fails', async () => {
    const inner = createLocalKeyEncryptionKey();
    const handedOut: Uint8Array[] = [];
    const spy: KeyEncryptionKey = {
      keyId: inner.keyId,
      generateDataKey: async (o) => {
        const key = await inner.generateDataKey(o);
        handedOut.push(key.plaintext);
        return key;
      },
      decryptDataKey: async (o) => {
        const key = await inner.decryptDataKey(o);
        handedOut.push(key);
        return key;
      },
      rewrapDataKey: (o) => inner.rewrapDataKey(o),
    };
    const record = await sealHolderRecord({ kek: spy, holderId: 'holder-0001', plaintext });
    await openHolderRecord({ kek: spy, record });
    await codeOf(() =>
      sealHolderRecord({
        kek: spy,
        holderId: 'holder-0001',
        plaintext,
        randomBytes: () => new Uint8Array(3),
      }),
    );
    expect(handedOut.length).toBe(3);
    for (const key of handedOut) {
      expect(key.length).toBe(32);
      expect(key.every((b) => b === 0)).toBe(true);
    }
  });

  it('refuses empty or oversized ids (ERR_INVALID_ARGUMENT)', async () => {
    const kek = createLocalKeyEncryptionKey();
    expect(await codeOf(() => sealHolderRecord({ kek, holderId: '', plaintext }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(
      await codeOf(() => sealHolderRecord({ kek, holderId: 'h', purpose: 'p'.repeat(257), plaintext })),
    ).toBe('ERR_INVALID_ARGUMENT');
  });
});

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out[index]! ^= 1;
  return out;
}
