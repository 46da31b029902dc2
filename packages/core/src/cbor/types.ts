import { MdlError } from '../errors/mdl-error.js';

/**
 * CBOR tag numbers the profile gives meaning to.
 * @example
 * ```ts
 * value instanceof CborTagged && value.tag === CborTag.COSE_SIGN1;
 * ```
 */
export const CborTag = {
  /** RFC 8949 §3.4.1 standard date/time string (tdate). */
  TDATE: 0,
  /** RFC 8949 §3.4.3 unsigned bignum. */
  POS_BIGNUM: 2,
  /** RFC 8949 §3.4.3 negative bignum. */
  NEG_BIGNUM: 3,
  /** COSE_Mac0 (RFC 9052). */
  COSE_MAC0: 17,
  /** COSE_Sign1 (RFC 9052). */
  COSE_SIGN1: 18,
  /** RFC 8949 §3.4.5.1 encoded CBOR data item. */
  ENCODED_CBOR: 24,
  /** RFC 8943 full-date string. */
  FULL_DATE: 1004,
} as const;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

function validCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

function utcParts(date: Date): [number, number, number, number, number, number] {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'expected a valid Date');
  }
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'date year is outside 0000-9999', { details: { year: y } });
  }
  return [
    y,
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ];
}

/** The decimal value of `s[from, to)`, or -1 when a character there is not an ASCII digit. */
function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * A calendar date without time zone: `full-date = #6.1004(tstr)` (RFC 8943), e.g. `birth_date`,
 * `issue_date` / `expiry_date` inside `driving_privileges` (ISO/IEC 18013-5 §7.2.1, digest §1.2).
 *
 * @example
 * ```ts
 * const d = new FullDate('1990-02-28');
 * d.toString(); // '1990-02-28'
 * new FullDate(new Date(Date.UTC(2024, 0, 31))).value; // '2024-01-31'
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for text that is not `YYYY-MM-DD` or not a real
 * calendar date (the decoder reports the same as `ERR_CBOR_INVALID_TAG_CONTENT`).
 */
export class FullDate {
  /** The `YYYY-MM-DD` text. */
  readonly value: string;
  /** Calendar year (0–9999). */
  readonly year: number;
  /** Month 1–12. */
  readonly month: number;
  /** Day of month 1–31. */
  readonly day: number;

  constructor(input: string | Date) {
    if (typeof input === 'string') {
      // YYYY-MM-DD read digit by digit (a reader parses one per date element; no match array).
      const ok = input.length === 10 && input.charCodeAt(4) === 0x2d && input.charCodeAt(7) === 0x2d;
      const y = ok ? digits(input, 0, 4) : -1;
      const mo = ok ? digits(input, 5, 7) : -1;
      const d = ok ? digits(input, 8, 10) : -1;
      if (y < 0 || mo < 0 || d < 0 || !validCalendarDate(y, mo, d)) {
        throw new MdlError('ERR_INVALID_ARGUMENT', 'full-date must be a valid YYYY-MM-DD calendar date');
      }
      this.value = input;
      this.year = y;
      this.month = mo;
      this.day = d;
    } else {
      const [y, mo, d] = utcParts(input);
      this.value = `${pad4(y)}-${pad2(mo)}-${pad2(d)}`;
      this.year = y;
      this.month = mo;
      this.day = d;
    }
  }

  /** Midnight UTC of this date. */
  toDate(): Date {
    const d = new Date(0);
    d.setUTCFullYear(this.year, this.month - 1, this.day);
    return d;
  }

  /** The `YYYY-MM-DD` text. */
  toString(): string {
    return this.value;
  }

  /** The `YYYY-MM-DD` text. */
  toJSON(): string {
    return this.value;
  }
}

const TDATE_STRICT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const TDATE_LENIENT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Options for {@link TDate}. */
export interface TDateOptions {
  /**
   * Accept fractional seconds, lower-case `t`/`z`, a space separator and numeric offsets (RFC 3339
   * in full). Default `false`: only `YYYY-MM-DDTHH:MM:SSZ`, as ISO/IEC 18013-5 requires.
   */
  readonly lenient?: boolean;
}

/**
 * A date-time: `tdate = #6.0(tstr)` (RFC 8949 §3.4.1). ISO/IEC 18013-5 (§7.2.1, §9.1.2.4; digest
 * §1.2) restricts it to whole seconds in UTC with a `Z` suffix. From a `Date` the milliseconds are
 * dropped (floored) so the result always conforms.
 *
 * @example
 * ```ts
 * new TDate('2020-10-01T13:30:02Z').toDate().getTime(); // 1601559002000
 * new TDate(new Date(1601559002123)).value;              // '2020-10-01T13:30:02Z'
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for malformed text or an invalid `Date` (the
 * decoder reports malformed content as `ERR_CBOR_INVALID_TAG_CONTENT`).
 */
export class TDate {
  /** The RFC 3339 text exactly as given / received. */
  readonly value: string;
  readonly #epochMs: number;

  constructor(input: string | Date, options: TDateOptions = {}) {
    if (typeof input !== 'string') {
      const [y, mo, d, h, mi, s] = utcParts(input);
      this.value = `${pad4(y)}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}Z`;
      this.#epochMs = Math.floor(input.getTime() / 1000) * 1000;
      return;
    }
    const ms = parseTDate(input, options.lenient === true);
    if (ms === undefined) {
      throw new MdlError(
        'ERR_INVALID_ARGUMENT',
        options.lenient === true
          ? 'tdate must be an RFC 3339 date-time'
          : 'tdate must be YYYY-MM-DDTHH:MM:SSZ (whole seconds, UTC)',
      );
    }
    this.value = input;
    this.#epochMs = ms;
  }

  /** The instant as a `Date` (fractional seconds beyond milliseconds are truncated). */
  toDate(): Date {
    return new Date(this.#epochMs);
  }

  /** Milliseconds since the Unix epoch. */
  get epochMilliseconds(): number {
    return this.#epochMs;
  }

  /** The RFC 3339 text. */
  toString(): string {
    return this.value;
  }

  /** The RFC 3339 text. */
  toJSON(): string {
    return this.value;
  }
}

/** @internal True when `text` has the only tdate form 18013-5 allows: `YYYY-MM-DDTHH:MM:SSZ`. */
export function isProfileTDate(text: string): boolean {
  return TDATE_STRICT_RE.test(text);
}

function parseTDate(text: string, lenient: boolean): number | undefined {
  const m = (lenient ? TDATE_LENIENT_RE : TDATE_STRICT_RE).exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (!validCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > (lenient ? 60 : 59)) return undefined;
  const base = new Date(0);
  base.setUTCFullYear(y, mo - 1, d);
  base.setUTCHours(h, mi, s, 0);
  let ms = base.getTime();
  if (lenient) {
    const frac = m[7];
    if (frac !== undefined) ms += Math.floor(Number(`0.${frac}`) * 1000);
    const sign = m[9];
    if (sign !== undefined) {
      const oh = Number(m[10]);
      const om = Number(m[11]);
      if (oh > 23 || om > 59) return undefined;
      const offset = (oh * 60 + om) * 60_000;
      ms += sign === '+' ? -offset : offset;
    }
  }
  return ms;
}

/**
 * A tagged item whose tag the profile does not interpret (e.g. COSE_Sign1 tag 18, COSE_Mac0 tag 17),
 * kept as tag number + decoded content and re-encoded as such.
 *
 * @example
 * ```ts
 * encodeCbor(new CborTagged(18, [h, {}, payload, sig]));
 * ```
 */
export class CborTagged<T = unknown> {
  /** The tag number (`bigint` only above 2^53 − 1). */
  readonly tag: number | bigint;
  /** The tag content. */
  readonly value: T;

  constructor(tag: number | bigint, value: T) {
    this.tag = tag;
    this.value = value;
  }
}

/**
 * Pre-encoded CBOR that {@link encodeCbor} splices in verbatim — for re-emitting received structures
 * (e.g. a COSE_Sign1 as it arrived). The bytes are trusted to be exactly one well-formed item (take
 * them from a decoded structure or check them with `decodeCbor` first).
 *
 * @example
 * ```ts
 * encodeCbor([new RawCbor(fromHex('a10102'))]); // 81 a1 01 02
 * ```
 */
export class RawCbor {
  /** The encoded item. */
  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

/**
 * A CBOR simple value without a JavaScript counterpart (major type 7, values 0–19 and 32–255).
 *
 * @example
 * ```ts
 * encodeCbor(new CborSimple(16)); // f0
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for 20–31 (false/true/null/undefined and reserved)
 * or values outside 0–255.
 */
export class CborSimple {
  /** The simple value number. */
  readonly value: number;

  constructor(value: number) {
    if (!Number.isInteger(value) || value < 0 || value > 255 || (value >= 20 && value <= 31)) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'simple value must be 0-19 or 32-255', {
        details: { value: Number.isFinite(value) ? value : -1 },
      });
    }
    this.value = value;
  }
}
