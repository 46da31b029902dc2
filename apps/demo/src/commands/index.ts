import type { Command } from '../command.js';
import { certCommand } from './cert.js';
import { crlCommand } from './crl.js';
import { demoCommand } from './demo.js';
import { emulatorCommand } from './emulator.js';
import { inspectCommand } from './inspect.js';
import { issueCommand } from './issue.js';
import { lintCertCommand } from './lint-cert.js';
import { onlineCommand } from './online.js';
import { pkcs11Command } from './pkcs11.js';
import { presentCommand } from './present.js';
import { requestCommand } from './request.js';
import { vectorsCommand } from './vectors.js';
import { verifyCommand } from './verify.js';
import { vicalCommand } from './vical.js';

/** Every `mdlkit` sub-command, in the order `mdlkit --help` lists them. */
export const commands: Command[] = [
  demoCommand,
  issueCommand,
  requestCommand,
  presentCommand,
  verifyCommand,
  onlineCommand,
  inspectCommand,
  vectorsCommand,
  lintCertCommand,
  certCommand,
  vicalCommand,
  crlCommand,
  pkcs11Command,
  emulatorCommand,
];
