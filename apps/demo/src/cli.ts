#!/usr/bin/env node
import process from 'node:process';
import { main } from './main.js';

// The AWS SDK warns on every run that its 2027 releases will need Node 22; mdlkit supports
// Node >= 20.19, so use the SDK's own switch to silence that one notice (unless the user set it).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const code = await main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  tty: process.stdout.isTTY === true,
});
process.exitCode = code;
