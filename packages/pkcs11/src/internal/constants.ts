/**
 * @internal PKCS#11 constants mdlkit uses, with their values from the OASIS PKCS#11 specification
 * (v2.40 base, v3.0 for the Edwards-curve additions). Written out here rather than read from the
 * binding, which does not define the v3.0 ones (`CKM_EDDSA`, `CKK_EC_EDWARDS`).
 */
export const CK = {
  // C_Initialize flags
  CKF_OS_LOCKING_OK: 0x2,
  // session flags
  CKF_RW_SESSION: 0x2,
  CKF_SERIAL_SESSION: 0x4,
  // user types
  CKU_USER: 1,
  // token / slot flags
  CKF_TOKEN_PRESENT: 0x1,
  CKF_LOGIN_REQUIRED: 0x4,
  CKF_TOKEN_INITIALIZED: 0x400,
  CKF_USER_PIN_LOCKED: 0x40000,
  // mechanism info flags
  CKF_SIGN: 0x800,
  CKF_GENERATE_KEY_PAIR: 0x10000,
  // object classes
  CKO_PUBLIC_KEY: 2,
  CKO_PRIVATE_KEY: 3,
  // key types
  CKK_EC: 0x3,
  CKK_EC_EDWARDS: 0x40,
  // attributes
  CKA_CLASS: 0x0,
  CKA_TOKEN: 0x1,
  CKA_PRIVATE: 0x2,
  CKA_LABEL: 0x3,
  CKA_VALUE: 0x11,
  CKA_KEY_TYPE: 0x100,
  CKA_ID: 0x102,
  CKA_SENSITIVE: 0x103,
  CKA_DECRYPT: 0x105,
  CKA_SIGN: 0x108,
  CKA_VERIFY: 0x10a,
  CKA_DERIVE: 0x10c,
  CKA_EXTRACTABLE: 0x162,
  CKA_LOCAL: 0x163,
  CKA_NEVER_EXTRACTABLE: 0x164,
  CKA_ALWAYS_SENSITIVE: 0x165,
  CKA_EC_PARAMS: 0x180,
  CKA_EC_POINT: 0x181,
  // mechanisms
  CKM_EC_KEY_PAIR_GEN: 0x1040,
  CKM_ECDSA: 0x1041,
  CKM_EC_EDWARDS_KEY_PAIR_GEN: 0x1055,
  CKM_EDDSA: 0x1057,
} as const;
