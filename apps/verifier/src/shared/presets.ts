/** What the request page can ask for: a docType and the elements of each namespace. */
export interface RequestIntent {
  readonly docType: string;
  /** namespace → element identifiers. */
  readonly nameSpaces: Readonly<Record<string, readonly string[]>>;
  /** Whether the relying party keeps the elements after the transaction (18013-5 IntentToRetain). */
  readonly intentToRetain: boolean;
}

/** A named intent the page offers. */
export interface RequestPreset extends RequestIntent {
  readonly id: string;
  readonly label: string;
}

const MDL = 'org.iso.18013.5.1.mDL';
const MDL_NS = 'org.iso.18013.5.1';
const PID = 'eu.europa.ec.eudi.pid.1';

/** The presets of the request page (the page's "custom" choice builds a {@link RequestIntent} itself). */
export const REQUEST_PRESETS: readonly RequestPreset[] = [
  {
    id: 'age-over-18',
    label: 'Age over 18',
    docType: MDL,
    nameSpaces: { [MDL_NS]: ['age_over_18'] },
    intentToRetain: false,
  },
  {
    id: 'age-over-21',
    label: 'Age over 21',
    docType: MDL,
    nameSpaces: { [MDL_NS]: ['age_over_21'] },
    intentToRetain: false,
  },
  {
    id: 'full-mdl',
    label: 'Full mDL',
    docType: MDL,
    nameSpaces: {
      [MDL_NS]: [
        'family_name',
        'given_name',
        'birth_date',
        'issue_date',
        'expiry_date',
        'issuing_country',
        'issuing_authority',
        'document_number',
        'portrait',
        'driving_privileges',
        'un_distinguishing_sign',
      ],
    },
    intentToRetain: false,
  },
  {
    id: 'eu-pid',
    label: 'EU PID',
    docType: PID,
    nameSpaces: {
      [PID]: [
        'family_name',
        'given_name',
        'birth_date',
        'age_over_18',
        'issuing_authority',
        'issuing_country',
        'expiry_date',
      ],
    },
    intentToRetain: false,
  },
];

const IDENT = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_ELEMENTS = 64;

/**
 * Checks an intent that came from the page (custom elements): identifiers of a sane shape, at
 * least one and at most 64 elements. Returns a message for the page, or `undefined` when fine.
 */
export function checkIntent(intent: RequestIntent): string | undefined {
  if (!IDENT.test(intent.docType)) return 'docType must be 1–128 letters, digits, "_", "." or "-"';
  const entries = Object.entries(intent.nameSpaces);
  let count = 0;
  for (const [ns, ids] of entries) {
    if (!IDENT.test(ns)) return `namespace "${ns.slice(0, 40)}" is not a valid identifier`;
    for (const id of ids) {
      if (!IDENT.test(id)) return `element "${id.slice(0, 40)}" is not a valid identifier`;
      count++;
    }
  }
  if (count === 0) return 'ask for at least one element';
  if (count > MAX_ELEMENTS) return `ask for at most ${MAX_ELEMENTS} elements`;
  return undefined;
}
