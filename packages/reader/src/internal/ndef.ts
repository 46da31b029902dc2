import { ErrorCode, MdlError } from '@mdlkit/core/errors';

/** One NDEF record (NFC Forum NDEF 1.0). Internal. */
export interface NdefRecord {
  /** Type Name Format (3 bits): 1 well-known, 2 media type, 4 external type. */
  readonly tnf: number;
  readonly type: string;
  readonly id: string;
  readonly payload: Uint8Array;
}

const MAX_RECORDS = 64;

function fail(message: string, offset: number): never {
  throw new MdlError(ErrorCode.ERR_ENGAGEMENT_INVALID, message, { details: { offset } });
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/**
 * Parses an NDEF message into records (short and long records; chunked records are rejected, as
 * NFC Connection Handover never uses them). Every length is checked against the remaining input
 * before slicing.
 *
 * @throws {@link MdlError} `ERR_ENGAGEMENT_INVALID` for a malformed message.
 */
export function parseNdefMessage(bytes: Uint8Array): NdefRecord[] {
  const records: NdefRecord[] = [];
  let offset = 0;
  let ended = false;
  while (!ended) {
    if (records.length >= MAX_RECORDS) fail('NDEF message has too many records', offset);
    const header = bytes[offset];
    if (header === undefined) fail('NDEF message is truncated', offset);
    const mb = (header & 0x80) !== 0;
    const me = (header & 0x40) !== 0;
    const cf = (header & 0x20) !== 0;
    const sr = (header & 0x10) !== 0;
    const il = (header & 0x08) !== 0;
    const tnf = header & 0x07;
    if (mb !== (records.length === 0)) fail('NDEF message-begin flag is inconsistent', offset);
    if (cf) fail('chunked NDEF records are not supported', offset);
    let p = offset + 1;
    const need = (n: number): void => {
      if (p + n > bytes.length) fail('NDEF record is truncated', p);
    };
    need(1);
    const typeLength = bytes[p++] ?? 0;
    let payloadLength: number;
    if (sr) {
      need(1);
      payloadLength = bytes[p++] ?? 0;
    } else {
      need(4);
      payloadLength =
        (bytes[p] ?? 0) * 0x1000000 +
        (bytes[p + 1] ?? 0) * 0x10000 +
        (bytes[p + 2] ?? 0) * 0x100 +
        (bytes[p + 3] ?? 0);
      p += 4;
    }
    let idLength = 0;
    if (il) {
      need(1);
      idLength = bytes[p++] ?? 0;
    }
    need(typeLength);
    const type = latin1(bytes.subarray(p, p + typeLength));
    p += typeLength;
    need(idLength);
    const id = latin1(bytes.subarray(p, p + idLength));
    p += idLength;
    need(payloadLength);
    const payload = bytes.subarray(p, p + payloadLength);
    p += payloadLength;
    records.push({ tnf, type, id, payload });
    offset = p;
    ended = me;
  }
  if (offset !== bytes.length) fail('NDEF message has trailing bytes', offset);
  return records;
}
