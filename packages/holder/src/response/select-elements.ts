import { MdlError } from '@mdlkit/core/errors';

/** What the reader asked for in one namespace: element identifier → IntentToRetain. */
export type RequestedElements = ReadonlyMap<string, boolean>;

/** One element the holder proposes to release. */
export interface SelectedElement {
  readonly nameSpace: string;
  /** The identifier released (for age_over_NN this may differ from the one requested, spec §1.5). */
  readonly identifier: string;
  /** The identifier the reader asked for. */
  readonly requestedAs: string;
  /** The reader's IntentToRetain flag for the requested element. */
  readonly intentToRetain: boolean;
}

/** An element the reader asked for that the document cannot answer. */
export interface UnavailableElement {
  readonly nameSpace: string;
  readonly identifier: string;
}

/** Result of {@link selectElements}. */
export interface ElementSelection {
  readonly selected: readonly SelectedElement[];
  readonly unavailable: readonly UnavailableElement[];
}

/** Options of {@link selectElements}. */
export interface SelectElementsOptions {
  /** What the reader asked for: namespace → (identifier → intentToRetain). */
  readonly requested: ReadonlyMap<string, RequestedElements>;
  /** What the document holds: namespace → identifiers. */
  readonly available: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The value of a stored `age_over_NN` element (only called for those); anything but a boolean
   * makes the element unusable for substitution.
   */
  readonly ageOverValue: (nameSpace: string, identifier: string) => unknown;
  /** Apply the spec §1.5 age_over_NN substitution rule. Default `true`. */
  readonly ageOverSubstitution?: boolean;
  /** Release at most this many distinct age_over_NN elements (spec §1.5: "should not return more than two"). Default 2. */
  readonly maxAgeOver?: number;
}

const AGE_OVER = /^age_over_(\d{2})$/;

/**
 * Decide which issuer-signed elements answer a request: only elements that were requested and
 * that the document holds, never anything else. `age_over_NN` follows ISO/IEC 18013-5 §7.2.5
 * (spec §1.5): among stored `age_over_nn = true` with nn ≥ NN take the smallest nn, otherwise
 * among stored `false` with nn ≤ NN take the largest nn, otherwise nothing.
 *
 * @example
 * ```ts
 * selectElements({ requested: new Map([[ns, new Map([['age_over_18', false]])]]),
 *   available: new Map([[ns, new Set(['age_over_21'])]]), ageOverValue: () => true });
 * // → selected: [{ identifier: 'age_over_21', requestedAs: 'age_over_18', … }]
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` for a negative `maxAgeOver`.
 */
export function selectElements(options: SelectElementsOptions): ElementSelection {
  const substitute = options.ageOverSubstitution ?? true;
  const maxAgeOver = options.maxAgeOver ?? 2;
  if (!Number.isInteger(maxAgeOver) || maxAgeOver < 0) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'maxAgeOver must be a non-negative integer');
  }
  const selected: SelectedElement[] = [];
  const unavailable: UnavailableElement[] = [];
  for (const [nameSpace, elements] of options.requested) {
    const held = options.available.get(nameSpace) ?? new Set<string>();
    const released = new Set<string>();
    const ageOverReleased = new Set<string>();
    for (const [identifier, intentToRetain] of elements) {
      const age = substitute ? AGE_OVER.exec(identifier) : null;
      let chosen: string | undefined;
      if (age) {
        chosen = pickAgeOver(Number(age[1]), nameSpace, held, options.ageOverValue);
        if (chosen !== undefined && !ageOverReleased.has(chosen) && ageOverReleased.size >= maxAgeOver) {
          chosen = undefined;
        }
      } else if (held.has(identifier)) {
        chosen = identifier;
      }
      if (chosen === undefined) {
        unavailable.push({ nameSpace, identifier });
        continue;
      }
      if (age) ageOverReleased.add(chosen);
      if (released.has(chosen)) continue; // two age_over requests can resolve to one element
      released.add(chosen);
      selected.push({ nameSpace, identifier: chosen, requestedAs: identifier, intentToRetain });
    }
  }
  return { selected, unavailable };
}

function pickAgeOver(
  requested: number,
  nameSpace: string,
  held: ReadonlySet<string>,
  readValue: (nameSpace: string, identifier: string) => unknown,
): string | undefined {
  let bestTrue: number | undefined;
  let bestFalse: number | undefined;
  for (const id of held) {
    const m = AGE_OVER.exec(id);
    if (!m) continue;
    const nn = Number(m[1]);
    const value = readValue(nameSpace, id);
    if (value === true && nn >= requested && (bestTrue === undefined || nn < bestTrue)) bestTrue = nn;
    if (value === false && nn <= requested && (bestFalse === undefined || nn > bestFalse)) bestFalse = nn;
  }
  const nn = bestTrue ?? bestFalse;
  return nn === undefined ? undefined : `age_over_${String(nn).padStart(2, '0')}`;
}
