/**
 * What the inspector knows about each ISO/IEC 18013-5 structure: which CDDL name a value has, how its
 * children are named and which byte strings hold embedded CBOR or certificates. Shapes only label the
 * tree; structure is validated by core's models.
 */

/** A description of one CDDL structure for the inspector's tree. */
export interface Shape {
  /** The CDDL name shown beside the node. */
  readonly name?: string;
  /** Map values by key (text keys as is, integer keys as their decimal string). */
  readonly fields?: Readonly<Record<string, Shape>>;
  /** Names for integer map keys (COSE labels, DeviceEngagement keys). */
  readonly keyNames?: Readonly<Record<string, string>>;
  /** The shape of every map value whose key `fields` does not list. */
  readonly entries?: Shape;
  /** The shape of every array element. */
  readonly items?: Shape;
  /** Array elements by position (takes precedence over `items`). */
  readonly tuple?: readonly Shape[];
  /** The shape of embedded CBOR: the content of tag 24, or a `bstr .cbor` byte string. */
  readonly embedded?: Shape;
  /** The byte string is a DER X.509 certificate. */
  readonly x509?: boolean;
  /** Names of integer / text values (COSE algorithms, curves). */
  readonly valueNames?: Readonly<Record<string, string>>;
  /** Map keys of this map are namespaces (their values carry elements of that namespace). */
  readonly nameSpaceKeys?: boolean;
  /** This map is an IssuerSignedItem (its elementIdentifier names the node). */
  readonly issuerSignedItem?: boolean;
  /** This map's entries are data elements (DeviceSignedItems: identifier → value). */
  readonly elementEntries?: boolean;
}

const tstr: Shape = {};
const ALG_NAMES: Record<string, string> = {
  '-7': 'ES256',
  '-35': 'ES384',
  '-36': 'ES512',
  '-8': 'EdDSA',
  '-19': 'Ed25519',
  '-9': 'ESP256',
  '-51': 'ESP384',
  '-52': 'ESP512',
  '5': 'HMAC 256/256',
  '6': 'HMAC 384/384',
  '7': 'HMAC 512/512',
};
const CURVE_NAMES: Record<string, string> = {
  '1': 'P-256',
  '2': 'P-384',
  '3': 'P-521',
  '4': 'X25519',
  '5': 'X448',
  '6': 'Ed25519',
  '7': 'Ed448',
  '8': 'secp256k1',
  '256': 'brainpoolP256r1',
  '257': 'brainpoolP320r1',
  '258': 'brainpoolP384r1',
  '259': 'brainpoolP512r1',
};

/** COSE_Key (RFC 9052 §7, EC2 / OKP labels of RFC 9053 §7). */
export const CoseKeyShape: Shape = {
  name: 'COSE_Key',
  keyNames: {
    '1': 'kty',
    '2': 'kid',
    '3': 'alg',
    '4': 'key_ops',
    '-1': 'crv',
    '-2': 'x',
    '-3': 'y',
    '-4': 'd',
  },
  fields: {
    '1': { valueNames: { '1': 'OKP', '2': 'EC2', '4': 'Symmetric' } },
    '3': { valueNames: ALG_NAMES },
    '-1': { valueNames: CURVE_NAMES },
  },
};

const x5chain: Shape = { name: 'x5chain', x509: true, items: { name: 'X.509 certificate', x509: true } };

/** A COSE header map (RFC 9052 §3.1; x5chain RFC 9360). */
export const HeaderMapShape: Shape = {
  name: 'header_map',
  keyNames: { '1': 'alg', '2': 'crit', '3': 'content type', '4': 'kid', '5': 'IV', '33': 'x5chain' },
  fields: { '1': { valueNames: ALG_NAMES }, '33': x5chain },
};

/** A COSE_Sign1 whose payload holds `payload` (RFC 9052 §4.2). */
export function coseSign1Shape(name: string, payload: Shape | undefined): Shape {
  return {
    name,
    tuple: [
      { name: 'protected', embedded: HeaderMapShape },
      { ...HeaderMapShape, name: 'unprotected' },
      payload === undefined ? { name: 'payload' } : { name: 'payload', embedded: payload },
      { name: 'signature' },
    ],
  };
}

/** A COSE_Mac0 (RFC 9052 §6.2). */
export const CoseMac0Shape: Shape = {
  name: 'COSE_Mac0',
  tuple: [
    { name: 'protected', embedded: HeaderMapShape },
    { ...HeaderMapShape, name: 'unprotected' },
    { name: 'payload' },
    { name: 'tag' },
  ],
};

/**
 * ```cddl
 * ValidityInfo = { "signed": tdate, "validFrom": tdate, "validUntil": tdate, ? "expectedUpdate": tdate }
 * ```
 * ISO/IEC 18013-5 §9.1.2.4
 */
const ValidityInfoShape: Shape = { name: 'ValidityInfo' };

/**
 * ```cddl
 * MobileSecurityObject = { "version": tstr, "digestAlgorithm": tstr, "valueDigests": ValueDigests,
 *   "deviceKeyInfo": DeviceKeyInfo, "docType": tstr, "validityInfo": ValidityInfo }
 * ```
 * ISO/IEC 18013-5 §9.1.2.4
 */
export const MsoShape: Shape = {
  name: 'MobileSecurityObject',
  fields: {
    valueDigests: {
      name: 'ValueDigests',
      entries: { name: 'DigestIDs', entries: { name: 'Digest' } },
    },
    deviceKeyInfo: {
      name: 'DeviceKeyInfo',
      fields: {
        deviceKey: CoseKeyShape,
        keyAuthorizations: { name: 'KeyAuthorizations' },
        keyInfo: { name: 'KeyInfo' },
      },
    },
    validityInfo: ValidityInfoShape,
    status: { name: 'Status' },
  },
};

/** MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject) */
export const MsoBytesShape: Shape = { name: 'MobileSecurityObjectBytes', embedded: MsoShape };

/** IssuerAuth = COSE_Sign1 ; payload MobileSecurityObjectBytes */
export const IssuerAuthShape: Shape = coseSign1Shape('IssuerAuth', MsoBytesShape);

/**
 * ```cddl
 * IssuerSignedItem = { "digestID": uint, "random": bstr, "elementIdentifier": DataElementIdentifier,
 *   "elementValue": DataElementValue }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2
 */
const IssuerSignedItemShape: Shape = { name: 'IssuerSignedItem', issuerSignedItem: true };

/**
 * ```cddl
 * IssuerSigned = { ? "nameSpaces": IssuerNameSpaces, "issuerAuth": IssuerAuth }
 * IssuerNameSpaces = { + NameSpace => [ + IssuerSignedItemBytes ] }
 * ```
 */
export const IssuerSignedShape: Shape = {
  name: 'IssuerSigned',
  fields: {
    nameSpaces: {
      name: 'IssuerNameSpaces',
      nameSpaceKeys: true,
      entries: { items: { name: 'IssuerSignedItemBytes', embedded: IssuerSignedItemShape } },
    },
    issuerAuth: IssuerAuthShape,
  },
};

const DeviceNameSpacesShape: Shape = {
  name: 'DeviceNameSpaces',
  nameSpaceKeys: true,
  entries: { name: 'DeviceSignedItems', elementEntries: true },
};

/**
 * ```cddl
 * DeviceSigned = { "nameSpaces": DeviceNameSpacesBytes, "deviceAuth": DeviceAuth }
 * DeviceAuth = { "deviceSignature": DeviceSignature // "deviceMac": DeviceMac }
 * ```
 */
export const DeviceSignedShape: Shape = {
  name: 'DeviceSigned',
  fields: {
    nameSpaces: { name: 'DeviceNameSpacesBytes', embedded: DeviceNameSpacesShape },
    deviceAuth: {
      name: 'DeviceAuth',
      fields: {
        deviceSignature: coseSign1Shape('DeviceSignature', undefined),
        deviceMac: { ...CoseMac0Shape, name: 'DeviceMac' },
      },
    },
  },
};

/** DeviceAuth on its own. */
export const DeviceAuthShape: Shape = DeviceSignedShape.fields!['deviceAuth']!;

const DocumentShape: Shape = {
  name: 'Document',
  fields: { issuerSigned: IssuerSignedShape, deviceSigned: DeviceSignedShape, errors: { name: 'Errors' } },
};

/**
 * ```cddl
 * DeviceResponse = { "version": tstr, ? "documents": [+ Document], ? "documentErrors": [+ DocumentError],
 *   "status": uint }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2
 */
export const DeviceResponseShape: Shape = {
  name: 'DeviceResponse',
  fields: {
    version: tstr,
    documents: { items: DocumentShape },
    documentErrors: { items: { name: 'DocumentError' } },
    status: {
      valueNames: {
        '0': 'OK',
        '10': 'general error',
        '11': 'CBOR decoding error',
        '12': 'CBOR validation error',
      },
    },
  },
};

/**
 * ```cddl
 * ItemsRequest = { ? "docType": DocType, "nameSpaces": NameSpaces, ? "requestInfo": {* tstr => any} }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.1
 */
export const ItemsRequestShape: Shape = {
  name: 'ItemsRequest',
  fields: { nameSpaces: { name: 'NameSpaces', entries: { name: 'DataElements' } } },
};

const ReaderAuthenticationShape: Shape = { name: 'ReaderAuthentication' };

/**
 * ```cddl
 * DeviceRequest = { "version": tstr, "docRequests": [+ DocRequest], ? "deviceRequestInfo": DeviceRequestInfoBytes }
 * DocRequest = { "itemsRequest": ItemsRequestBytes, ? "readerAuth": ReaderAuth }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.1
 */
export const DeviceRequestShape: Shape = {
  name: 'DeviceRequest',
  fields: {
    docRequests: {
      items: {
        name: 'DocRequest',
        fields: {
          itemsRequest: { name: 'ItemsRequestBytes', embedded: ItemsRequestShape },
          readerAuth: coseSign1Shape('ReaderAuth', ReaderAuthenticationShape),
          readerAuthAll: { items: coseSign1Shape('ReaderAuthAll', undefined) },
        },
      },
    },
    deviceRequestInfo: { name: 'DeviceRequestInfoBytes', embedded: { name: 'DeviceRequestInfo' } },
    readerAuthAll: { items: coseSign1Shape('ReaderAuthAll', undefined) },
  },
};

/**
 * ```cddl
 * DeviceEngagement = { 0: tstr, 1: Security, ? 2: DeviceRetrievalMethods, ? 3: ServerRetrievalMethods,
 *   ? 4: ProtocolInfo, * int => any }
 * Security = [ int, EDeviceKeyBytes ]
 * ```
 * ISO/IEC 18013-5 §8.2.1.1
 */
export const DeviceEngagementShape: Shape = {
  name: 'DeviceEngagement',
  keyNames: {
    '0': 'version',
    '1': 'security',
    '2': 'deviceRetrievalMethods',
    '3': 'serverRetrievalMethods',
    '4': 'protocolInfo',
    '5': 'originInfos',
    '6': 'capabilities',
  },
  fields: {
    '1': {
      name: 'Security',
      tuple: [
        { name: 'cipherSuiteIdentifier' },
        { name: 'EDeviceKeyBytes', embedded: { ...CoseKeyShape, name: 'EDeviceKey' } },
      ],
    },
    '2': {
      name: 'DeviceRetrievalMethods',
      items: {
        name: 'DeviceRetrievalMethod',
        tuple: [
          { name: 'type', valueNames: { '1': 'NFC', '2': 'BLE', '3': 'Wi-Fi Aware' } },
          { name: 'version' },
          { name: 'RetrievalOptions' },
        ],
      },
    },
  },
};

/** DeviceEngagementBytes = #6.24(bstr .cbor DeviceEngagement) */
const DeviceEngagementBytesShape: Shape = { name: 'DeviceEngagementBytes', embedded: DeviceEngagementShape };

/**
 * ```cddl
 * SessionTranscript = [ DeviceEngagementBytes, EReaderKeyBytes, Handover ]
 * ```
 * ISO/IEC 18013-5 §9.1.5.1
 */
export const SessionTranscriptShape: Shape = {
  name: 'SessionTranscript',
  tuple: [
    DeviceEngagementBytesShape,
    { name: 'EReaderKeyBytes', embedded: { ...CoseKeyShape, name: 'EReaderKey' } },
    { name: 'Handover' },
  ],
};

/** SessionTranscriptBytes = #6.24(bstr .cbor SessionTranscript) */
export const SessionTranscriptBytesShape: Shape = {
  name: 'SessionTranscriptBytes',
  embedded: SessionTranscriptShape,
};

/** SessionEstablishment = { "eReaderKey": EReaderKeyBytes, "data": bstr } (§9.1.1.4) */
export const SessionEstablishmentShape: Shape = {
  name: 'SessionEstablishment',
  fields: { eReaderKey: { name: 'EReaderKeyBytes', embedded: { ...CoseKeyShape, name: 'EReaderKey' } } },
};

/** SessionData = { ? "data": bstr, ? "status": uint } (§9.1.1.4) */
export const SessionDataShape: Shape = {
  name: 'SessionData',
  fields: {
    status: {
      valueNames: {
        '10': 'error: session encryption',
        '11': 'error: CBOR decoding',
        '20': 'session termination',
      },
    },
  },
};

/**
 * ```cddl
 * DeviceAuthentication = [ "DeviceAuthentication", SessionTranscript, DocType, DeviceNameSpacesBytes ]
 * ReaderAuthentication = [ "ReaderAuthentication", SessionTranscript, ItemsRequestBytes ]
 * ```
 * ISO/IEC 18013-5 §9.1.3.4, §9.1.4
 */
export const DeviceAuthenticationShape: Shape = {
  name: 'DeviceAuthentication',
  tuple: [
    { name: 'context' },
    SessionTranscriptShape,
    { name: 'DocType' },
    { name: 'DeviceNameSpacesBytes', embedded: DeviceNameSpacesShape },
  ],
};
export const ReaderAuthenticationArrayShape: Shape = {
  name: 'ReaderAuthentication',
  tuple: [
    { name: 'context' },
    SessionTranscriptShape,
    { name: 'ItemsRequestBytes', embedded: ItemsRequestShape },
  ],
};

/**
 * ```cddl
 * VICAL = { "version": tstr, "vicalProvider": tstr, "date": tdate, ? "vicalIssueID": uint,
 *   ? "nextUpdate": tdate, "certificateInfos": [* CertificateInfo], * tstr => any }
 * ```
 * ISO/IEC 18013-5 Annex C.1.7
 */
export const VicalShape: Shape = coseSign1Shape('VICAL (COSE_Sign1)', {
  name: 'VICAL',
  fields: {
    certificateInfos: {
      items: { name: 'CertificateInfo', fields: { certificate: { name: 'certificate', x509: true } } },
    },
  },
});

/** An IssuerSignedItem on its own (or as IssuerSignedItemBytes). */
export const IssuerSignedItemBytesShape: Shape = {
  name: 'IssuerSignedItemBytes',
  embedded: IssuerSignedItemShape,
};
export const IssuerSignedItemOnlyShape: Shape = IssuerSignedItemShape;
