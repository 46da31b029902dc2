import { importPrivateKey } from '@mdlkit/core/crypto';
import { TrustStore } from '@mdlkit/pki';
import { annexD, annexDText } from '@mdlkit/test-fixtures';
import type { VerifyDeviceResponseOptions } from '../src/index.js';

/**
 * The `verifyDeviceResponse` options under which the Annex D DeviceResponse verifies: its IACA
 * (as PEM), SessionTranscriptBytes and EReaderKey (DeviceMac), at 2021-01-01 (inside the DS and
 * MSO validity), lenient (Annex D's certificates deviate from Annex B). A new trust store each call.
 */
export function annexDVerifyOptions(): VerifyDeviceResponseOptions {
  return {
    trust: new TrustStore([annexDText('iaca-cert.pem')]),
    sessionTranscript: annexD('session-transcript-bytes.hex'),
    eReaderKey: importPrivateKey({ format: 'raw', curve: 'P-256', d: annexD('e-reader-key-d.hex') }),
    now: new Date('2021-01-01T00:00:00Z'),
    policy: 'lenient',
  };
}
