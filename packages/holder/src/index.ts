/** The mdoc side: device engagement, selective disclosure, device authentication, session. */
export const packageName = '@mdlkit/holder' as const;

export {
  type ElementSelection,
  type RequestedElements,
  type SelectElementsOptions,
  type SelectedElement,
  selectElements,
  type UnavailableElement,
} from './response/select-elements.js';
