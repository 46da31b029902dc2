export {
  type AnyCoseSigner,
  CoseAlg,
  type CoseDigestSigner,
  CoseMacAlg,
  type CoseSigner,
  type HashAlgorithm,
} from './ports.js';
