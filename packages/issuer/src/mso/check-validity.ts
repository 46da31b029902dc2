import { TDate } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { recentInstants } from '../internal/caches.js';

/** MSO validity as instants; each is truncated to whole seconds (tdate has no fractions, spec §1.2). */
export interface ValidityInput {
  /** When the MSO is signed (default: the issuance `now`). */
  readonly signed: Date;
  /** Start of validity, ≥ `signed`. */
  readonly validFrom: Date;
  /** End of validity, > `validFrom` and ≤ the DS certificate's notAfter. */
  readonly validUntil: Date;
  /** When the issuer expects to re-sign. */
  readonly expectedUpdate?: Date | undefined;
}

/** A validity checked and converted to `TDate`s. */
export interface CheckedValidity {
  readonly signed: TDate;
  readonly validFrom: TDate;
  readonly validUntil: TDate;
  readonly expectedUpdate?: TDate;
}

function whole(name: string, d: Date): TDate {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new MdlError('ERR_MSO_VALIDITY_INVALID', 'validity instant is not a valid Date', {
      details: { field: name },
    });
  }
  const ms = Math.floor(d.getTime() / 1000) * 1000;
  let t = recent.get(ms);
  if (t === undefined) {
    const made = new TDate(new Date(ms));
    Object.freeze(made);
    recent.set(ms, made);
    t = made;
  }
  return t;
}

// The last few instants, formatted once (the issuer's caches module).
const recent = recentInstants;

/**
 * Check `signed ≤ validFrom < validUntil` (ISO/IEC 18013-5 §9.1.2.4) and, when a DS certificate
 * validity is given, `notBefore ≤ signed ≤ notAfter` and `validUntil ≤ notAfter`.
 *
 * @example
 * ```ts
 * checkValidity({ signed, validFrom: signed, validUntil }, { notBefore, notAfter });
 * ```
 * @throws {@link MdlError} `ERR_MSO_VALIDITY_INVALID` naming the violated relation;
 * `ERR_ISSUE_DS_NOT_VALID` when the DS certificate is not valid at `signed` or ends before `validUntil`.
 */
export function checkValidity(
  input: ValidityInput,
  ds?: { readonly notBefore: Date; readonly notAfter: Date },
): CheckedValidity {
  const signed = whole('signed', input.signed);
  const validFrom = whole('validFrom', input.validFrom);
  const validUntil = whole('validUntil', input.validUntil);
  const expectedUpdate =
    input.expectedUpdate === undefined ? undefined : whole('expectedUpdate', input.expectedUpdate);
  const s = signed.epochMilliseconds;
  const f = validFrom.epochMilliseconds;
  const u = validUntil.epochMilliseconds;
  if (s > f) throw new MdlError('ERR_MSO_VALIDITY_INVALID', 'validFrom is before signed');
  if (f >= u) throw new MdlError('ERR_MSO_VALIDITY_INVALID', 'validUntil is not after validFrom');
  if (expectedUpdate !== undefined && expectedUpdate.epochMilliseconds < s) {
    throw new MdlError('ERR_MSO_VALIDITY_INVALID', 'expectedUpdate is before signed');
  }
  if (ds !== undefined) {
    if (s < ds.notBefore.getTime() || s > ds.notAfter.getTime()) {
      throw new MdlError('ERR_ISSUE_DS_NOT_VALID', 'the DS certificate is not valid at the signing time');
    }
    if (u > ds.notAfter.getTime()) {
      throw new MdlError('ERR_MSO_VALIDITY_INVALID', 'validUntil is after the DS certificate notAfter');
    }
  }
  return expectedUpdate === undefined
    ? { signed, validFrom, validUntil }
    : { signed, validFrom, validUntil, expectedUpdate };
}
