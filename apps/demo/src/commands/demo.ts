import type { ExitCode } from '../cli-error.js';
import type { Command } from '../command.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the end-to-end story: AWS IACA + KMS DS, issue, present, verify, revoke, vectors',
  help: `Usage: mdlkit demo [--out DIR] [--aws emulator|real] [--batch N] [--json] [--vectors DIR]
                  [--aws real --confirm-real-aws --kms-key-id ARN [--region R]]

Runs the whole mdlkit story and prints a readable report:
   1. IACA root created in AWS Private CA (ACM-PCA, PathLen0 + API passthrough), linted (Annex B)
   2. DS key in KMS, CSR signed by KMS, DS certificate issued by ACM-PCA (EKU 1.0.18013.5.1.2), linted
   3. an mDL with a portrait issued, MSO signed by KMS in DIGEST mode
   4. a batch of MSOs (fresh device keys, salts, digest IDs) with a progress bar; a status list
   5. reader root + reader-auth certificates
   6-8. QR engagement; DeviceRequest with reader auth over an encrypted session; the holder
        answers with only the requested elements and a device signature
   9. full verification (chain, IssuerAuth, digests, validity, device auth, status)
  10. one batch member revoked in the status list, shown failing (the others still verify)
  11. the holder's record sealed under a KMS key-encryption key, an mDL issued from it, the
      record crypto-shredded, and re-issuing shown failing (ERR_HOLDER_RECORD_SHREDDED)
  12. online over real loopback HTTP (a verifier server and the test wallet): OpenID4VP 1.0 over
      the Digital Credentials API (signed JAR, dc_api.jwt) and ISO/IEC 18013-7 Annex C (HPKE)
  13. ISO Annex D vectors and the negative-case catalogue

Artifacts written to DIR (default ./mdlkit-demo-out): iaca.pem, ds.pem, reader-root.pem,
reader.pem, device-request.cbor, session-transcript.cbor (SessionTranscriptBytes, tag 24),
device-response.cbor (the plaintext DeviceResponse as sent), status-list.cwt, report.json, and
online/oid4vp-dc-api/ and online/annex-c/ with request.json, response.json (as exchanged),
device-response.cbor (decrypted) and session-transcript.cbor (the transcript the verifier built).
Check them again with:
  mdlkit verify --device-response DIR/device-response.cbor --session-transcript DIR/session-transcript.cbor --trust DIR/iaca.pem --status-list DIR/status-list.cwt

Options:
  --out DIR        artifact folder (created if needed)
  --force          write into an existing --out folder that mdlkit demo did not create
  --aws MODE       emulator (default): the real AWS SDK clients against the project's loopback
                   emulator, offline, free. real: AWS itself, standard credential chain
                   (AWS_PROFILE, environment, SSO, instance role) — see "--aws real" below.
  --confirm-real-aws  required with --aws real: you accept that the run creates billable resources
  --kms-key-id ARN    real mode: an existing ECC_NIST_P256 SIGN_VERIFY key for the test DS (its
                   ARN gives the Region); never a production DS key
  --region R       AWS Region (real mode; default from the key ARN, else the credential chain)
  --aws-endpoint URL  real mode against another endpoint (an emulator, a VPC endpoint)
  --batch N        batch size (default 50, at most 10000)
  --vectors DIR    shared vectors folder (default MDLKIT_VECTORS, else ../shared/vectors)
  --json           print report.json instead of the readable report

--aws real never touches a production IACA: it creates a dedicated test root CA in AWS Private CA
("mdlkit demo test IACA …", tagged mdlkit:demo=true and mdlkit:delete-after=<date>), issues a DS
and a status-list signer certificate (7 days) from it, and at the end — also after a failed step —
revokes both certificates, disables the CA and deletes it (7-day restore window, no charge once
deleted). The holder-record step uses a local key-encryption key, so no KMS key is created.
Cost (AWS list prices at the time of writing; check aws.amazon.com/private-ca/pricing for your
Region): a general-purpose private CA is billed pro rata at USD 400 per month while it exists
(about USD 0.55 per hour; a first CA may fall under the free trial), each certificate about
USD 0.75, and KMS Sign requests USD 0.03 per 10,000 (one per MSO, --batch + 3 in total).
IAM for the caller: acm-pca:CreateCertificateAuthority, acm-pca:TagCertificateAuthority,
acm-pca:GetCertificateAuthorityCsr, acm-pca:IssueCertificate, acm-pca:GetCertificate,
acm-pca:ImportCertificateAuthorityCertificate, acm-pca:DescribeCertificateAuthority,
acm-pca:GetCertificateAuthorityCertificate, acm-pca:RevokeCertificate,
acm-pca:UpdateCertificateAuthority, acm-pca:DeleteCertificateAuthority; kms:DescribeKey,
kms:GetPublicKey, kms:Sign on the key.

Exit codes: 0 every step passed, 1 a step failed, 2 usage error.`,
  options: {
    out: { type: 'string' },
    force: { type: 'boolean' },
    aws: { type: 'string' },
    region: { type: 'string' },
    'ca-arn': { type: 'string' },
    'confirm-real-aws': { type: 'boolean' },
    'aws-endpoint': { type: 'string' },
    'kms-key-id': { type: 'string' },
    batch: { type: 'string' },
    vectors: { type: 'string' },
  },
  async run(values, _positionals, io): Promise<ExitCode> {
    const impl = await import('./demo-run.js');
    return impl.run(values, _positionals, io);
  },
};
