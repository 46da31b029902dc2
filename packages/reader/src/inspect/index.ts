/**
 * @module
 * `@mdlkit/reader/inspect`: decode any ISO/IEC 18013-5 structure into a tree a person can read.
 * Browser-safe (no `node:` imports, no JOSE / HPKE), so web inspectors build on it as the CLI does.
 */
export {
  type DetectedInput,
  type DetectInputFormatOptions,
  detectInputFormat,
  InputFormat,
  InputLooksLike,
} from './detect-input-format.js';
export {
  classify as classifyMdocValue,
  type InspectedCertificate,
  type Inspection,
  InspectKind,
  type InspectMdocOptions,
  inspectMdoc,
} from './inspect-mdoc.js';
export type { CborTypeName, InspectFinding, InspectMediaType, InspectNode } from './inspect-node.js';
export {
  type InspectNodeJson,
  inspectionToJson,
  type RenderInspectionTextOptions,
  renderInspectionText,
} from './render-inspection.js';
