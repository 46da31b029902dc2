import { ErrorCode } from '@mdlkit/core/errors';
import { checkElementType } from '@mdlkit/core/mdoc';
import { CheckId } from '../report/check-ids.js';
import type { Finding } from '../report/report.js';
import type { DocumentCheck } from './document-state.js';

/**
 * `element-types`: every disclosed value of a namespace whose schema is known (mDL, EU PID, EU age
 * verification, ISO/IEC 23220 Photo ID; see `KNOWN_NAMESPACE_SCHEMAS` in `@mdlkit/core/mdoc`) has the
 * CBOR type the schema gives it. A value of the wrong type is the issuer's deviation from a "shall" of
 * its namespace, not a forgery: under `strict` the check fails and that element is unverified; under
 * `interop` it passes, and the element's own entry and the document's findings carry an
 * `ERR_DATA_ELEMENT_TYPE` warning, so the element is never a clean pass. Values of other namespaces
 * (issuer-specific ID passes, domestic extensions) and identifiers a schema does not define are not
 * judged.
 */
export const elementTypes: DocumentCheck = {
  id: CheckId.ELEMENT_TYPES,
  required: true,
  protects: 'listed-elements',
  run(state, r) {
    const strict = state.ctx.policy === 'strict';
    const severity = strict ? 'error' : 'warning';
    let first: Finding | undefined;
    let problems = 0;
    for (const e of state.elements) {
      const problem = checkElementType(e.nameSpace, e.identifier, e.value);
      if (problem === undefined) continue;
      problems++;
      const finding: Finding = {
        code: ErrorCode.ERR_DATA_ELEMENT_TYPE,
        severity,
        source: 'schema',
        message: `${e.nameSpace}/${e.identifier} ${problem.reason} (${problem.schema})`,
        details: {
          nameSpace: e.nameSpace,
          elementIdentifier: e.identifier,
          expected: problem.expected,
        },
      };
      first ??= finding;
      state.findings.push(finding);
      const own = state.elementFindings.get(e);
      if (own === undefined) state.elementFindings.set(e, [finding]);
      else own.push(finding);
      if (strict) state.unprotected.add(e);
    }
    if (first === undefined) {
      r.pass(CheckId.ELEMENT_TYPES, 'every value of a known namespace has its schema type');
    } else if (strict) {
      r.fail(
        CheckId.ELEMENT_TYPES,
        ErrorCode.ERR_DATA_ELEMENT_TYPE,
        `${problems} value(s) do not have their schema type; first: ${first.message}`,
        { ...first.details, problems },
      );
    } else {
      r.pass(
        CheckId.ELEMENT_TYPES,
        `${problems} value(s) do not have their schema type (tolerated by the interop policy; see the element findings)`,
        { problems },
      );
    }
  },
};
