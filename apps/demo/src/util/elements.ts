import { UsageError } from '../cli-error.js';

/** The namespace an element reference without one belongs to. */
export const DEFAULT_NAMESPACE = 'org.iso.18013.5.1';

/** One `[NS/]ID` reference from the command line. */
export interface ElementRef {
  readonly nameSpace: string;
  readonly identifier: string;
}

/**
 * Parses `[NS/]ID` (the namespace before the last `/`, default {@link DEFAULT_NAMESPACE}).
 *
 * @throws {@link UsageError} for an empty namespace or identifier.
 */
export function parseElementRef(text: string, option: string): ElementRef {
  const cut = text.lastIndexOf('/');
  const nameSpace = cut < 0 ? DEFAULT_NAMESPACE : text.slice(0, cut);
  const identifier = cut < 0 ? text : text.slice(cut + 1);
  if (nameSpace.length === 0 || identifier.length === 0) {
    throw new UsageError(`--${option} takes [NAMESPACE/]IDENTIFIER`);
  }
  return { nameSpace, identifier };
}
