import {
  CreateCertificateAuthorityCommand,
  type CreateCertificateAuthorityCommandInput,
  type CreateCertificateAuthorityCommandOutput,
  DescribeCertificateAuthorityCommand,
  type DescribeCertificateAuthorityCommandOutput,
  GetCertificateAuthorityCertificateCommand,
  type GetCertificateAuthorityCertificateCommandOutput,
  GetCertificateAuthorityCsrCommand,
  type GetCertificateAuthorityCsrCommandOutput,
  GetCertificateCommand,
  type GetCertificateCommandOutput,
  ImportCertificateAuthorityCertificateCommand,
  type ImportCertificateAuthorityCertificateCommandOutput,
  IssueCertificateCommand,
  type IssueCertificateCommandInput,
  type IssueCertificateCommandOutput,
} from '@aws-sdk/client-acm-pca';
import { type AwsCallOptions, type AwsClientLike, type AwsCommandLike, invokeAws } from '@mdlkit/aws-common';
import { mapPcaError } from '../errors/map-pca-error.js';

/** @internal The ACM-PCA operations mdlkit uses, each through `invokeAws` (the client's SDK retry strategy, per-attempt audit, deadline). */
function pca<O>(
  client: AwsClientLike,
  operation: string,
  resourceId: string | undefined,
  _input: object,
  make: () => AwsCommandLike,
  options: AwsCallOptions,
): Promise<O> {
  return invokeAws<O>(
    { service: 'acm-pca', operation, resourceId, client, command: make(), mapError: mapPcaError },
    options,
  );
}

export function pcaCreateCertificateAuthority(
  client: AwsClientLike,
  input: CreateCertificateAuthorityCommandInput,
  options: AwsCallOptions,
): Promise<CreateCertificateAuthorityCommandOutput> {
  return pca(
    client,
    'CreateCertificateAuthority',
    undefined,
    input,
    () => new CreateCertificateAuthorityCommand(input),
    options,
  );
}

export function pcaDescribeCertificateAuthority(
  client: AwsClientLike,
  caArn: string,
  options: AwsCallOptions,
): Promise<DescribeCertificateAuthorityCommandOutput> {
  const input = { CertificateAuthorityArn: caArn };
  return pca(
    client,
    'DescribeCertificateAuthority',
    caArn,
    input,
    () => new DescribeCertificateAuthorityCommand(input),
    options,
  );
}

export function pcaGetCsr(
  client: AwsClientLike,
  caArn: string,
  options: AwsCallOptions,
): Promise<GetCertificateAuthorityCsrCommandOutput> {
  const input = { CertificateAuthorityArn: caArn };
  return pca(
    client,
    'GetCertificateAuthorityCsr',
    caArn,
    input,
    () => new GetCertificateAuthorityCsrCommand(input),
    options,
  );
}

export function pcaGetCaCertificate(
  client: AwsClientLike,
  caArn: string,
  options: AwsCallOptions,
): Promise<GetCertificateAuthorityCertificateCommandOutput> {
  const input = { CertificateAuthorityArn: caArn };
  return pca(
    client,
    'GetCertificateAuthorityCertificate',
    caArn,
    input,
    () => new GetCertificateAuthorityCertificateCommand(input),
    options,
  );
}

export function pcaIssueCertificate(
  client: AwsClientLike,
  input: IssueCertificateCommandInput,
  options: AwsCallOptions,
): Promise<IssueCertificateCommandOutput> {
  return pca(
    client,
    'IssueCertificate',
    input.CertificateAuthorityArn,
    input,
    () => new IssueCertificateCommand(input),
    options,
  );
}

export function pcaGetCertificate(
  client: AwsClientLike,
  caArn: string,
  certificateArn: string,
  options: AwsCallOptions,
): Promise<GetCertificateCommandOutput> {
  const input = { CertificateAuthorityArn: caArn, CertificateArn: certificateArn };
  return pca(
    client,
    'GetCertificate',
    certificateArn,
    input,
    () => new GetCertificateCommand(input),
    options,
  );
}

export function pcaImportCaCertificate(
  client: AwsClientLike,
  caArn: string,
  certificatePem: string,
  options: AwsCallOptions,
): Promise<ImportCertificateAuthorityCertificateCommandOutput> {
  const input = { CertificateAuthorityArn: caArn, Certificate: new TextEncoder().encode(certificatePem) };
  return pca(
    client,
    'ImportCertificateAuthorityCertificate',
    caArn,
    input,
    () => new ImportCertificateAuthorityCertificateCommand(input),
    options,
  );
}
