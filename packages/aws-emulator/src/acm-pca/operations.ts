import type { Operation } from '../context.js';
import {
  createCertificateAuthority,
  deleteCertificateAuthority,
  describeCertificateAuthority,
  getCertificateAuthorityCertificate,
  getCertificateAuthorityCsr,
  importCertificateAuthorityCertificate,
  listCertificateAuthorities,
  updateCertificateAuthority,
} from './authorities.js';
import { getCertificate, issueCertificate, revokeCertificate } from './certificates.js';

/** ACM-PCA operations by action name (`X-Amz-Target: ACMPrivateCA.<name>`). */
export const PCA_OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateCertificateAuthority: createCertificateAuthority,
  DeleteCertificateAuthority: deleteCertificateAuthority,
  DescribeCertificateAuthority: describeCertificateAuthority,
  GetCertificate: getCertificate,
  GetCertificateAuthorityCertificate: getCertificateAuthorityCertificate,
  GetCertificateAuthorityCsr: getCertificateAuthorityCsr,
  ImportCertificateAuthorityCertificate: importCertificateAuthorityCertificate,
  IssueCertificate: issueCertificate,
  ListCertificateAuthorities: listCertificateAuthorities,
  RevokeCertificate: revokeCertificate,
  UpdateCertificateAuthority: updateCertificateAuthority,
};
