/** The MSO `keyAuthorizations` as the reader reads them. */
export interface KeyAuthorizationsView {
  /** `AuthorizedNameSpaces`: namespaces the device key may sign entirely. */
  readonly nameSpaces?: readonly string[] | undefined;
  /** `AuthorizedDataElements`: namespace → element identifiers the device key may sign. */
  readonly dataElements?: ReadonlyMap<string, readonly string[]> | undefined;
}

/** A device-signed element the key is not authorised for. */
export interface UnauthorizedElement {
  readonly nameSpace: string;
  readonly identifier: string;
}

/**
 * Lists every device-signed element not covered by the MSO `keyAuthorizations`
 * (ISO/IEC 18013-5 §9.1.3.2, §9.3.2 step 1). Both lists are consulted: a key may be authorised for
 * whole namespace X *and* for single elements of namespace Y. Without `keyAuthorizations` no
 * device-signed element is authorised.
 *
 * ```cddl
 * KeyAuthorizations = { ? "nameSpaces" : AuthorizedNameSpaces, ? "dataElements" : AuthorizedDataElements }
 * AuthorizedNameSpaces = [+ NameSpace]
 * AuthorizedDataElements = { + NameSpace => DataElementsArray }
 * ```
 *
 * @example
 * ```ts
 * findUnauthorizedElements({ nameSpaces: ['org.example'] }, deviceNameSpaces); // []
 * ```
 */
export function findUnauthorizedElements(
  authorizations: KeyAuthorizationsView,
  deviceNameSpaces: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
): UnauthorizedElement[] {
  const out: UnauthorizedElement[] = [];
  const whole = new Set(authorizations.nameSpaces ?? []);
  for (const [nameSpace, elements] of deviceNameSpaces) {
    if (whole.has(nameSpace)) continue;
    const allowed = new Set(authorizations.dataElements?.get(nameSpace) ?? []);
    for (const identifier of elements.keys()) {
      if (!allowed.has(identifier)) out.push({ nameSpace, identifier });
    }
  }
  return out;
}
