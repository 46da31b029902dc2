#!/usr/bin/env node
import path from 'node:path';
import process from 'node:process';
import { main } from './main.js';

// The AWS SDK warns on every run that its releases after early January 2027 need Node >= 22.
// mdlkit itself requires Node >= 22 (package.json engines), so on a supported Node the notice
// never applies; keep it quiet unless the user asked for it.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

// A reader that stops early (`mdlkit inspect x | head`) closes the pipe: end quietly, no stack trace.
let closed = false;
function onStreamError(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') {
    closed = true;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  }
  throw e;
}
process.stdout.on('error', onStreamError);
process.stderr.on('error', onStreamError);

function write(stream: NodeJS.WriteStream, text: string): void {
  if (closed) return;
  try {
    stream.write(text);
  } catch (e) {
    onStreamError(e as NodeJS.ErrnoException);
  }
}

/** How the user ran us, so hints name a command that works when pasted. */
function invokedAs(): string {
  const env = process.env;
  if (env['MDLKIT_INVOKED_AS'] !== undefined && env['MDLKIT_INVOKED_AS'] !== '')
    return env['MDLKIT_INVOKED_AS'];
  if (env['npm_lifecycle_event'] === 'mdlkit' || env['npm_lifecycle_event'] === 'demo') return 'pnpm mdlkit';
  const script = process.argv[1] ?? '';
  if (path.basename(script) === 'mdlkit' || script.endsWith(path.join('bin', 'mdlkit.js'))) return 'mdlkit';
  const rel = path.relative(process.cwd(), script);
  return `node ${rel.startsWith('..') || rel === '' ? script : rel}`;
}

const code = await main(process.argv.slice(2), {
  out: (t) => write(process.stdout, t),
  err: (t) => write(process.stderr, t),
  cwd: process.cwd(),
  env: process.env,
  tty: process.stdout.isTTY === true,
  invokedAs: invokedAs(),
});
process.exitCode = code;
