#!/usr/bin/env node
import process from 'node:process';
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  tty: process.stdout.isTTY === true,
});
process.exitCode = code;
