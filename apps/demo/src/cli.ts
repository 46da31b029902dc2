#!/usr/bin/env node
import path from 'node:path';
import process from 'node:process';
import { main } from './main.js';

// mdlkit supports Node 22.12 and later, the 22 and 24 lines (package.json engines: >=22.12). On
// those the AWS SDK has nothing to warn about. On an older Node the SDK would print its own
// multi-line notice (releases after early January 2027 need Node >= 22) on every run; say it
// once, in one line, where a person reads it.
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number);
if (nodeMajor < 22 || (nodeMajor === 22 && nodeMinor < 12)) {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  if (process.stderr.isTTY === true && process.env['MDLKIT_NO_NODE_NOTICE'] === undefined) {
    process.stderr.write(
      `mdlkit: Node ${process.versions.node} is out of support; mdlkit supports Node 22.12 and later (22, 24)\n`,
    );
  }
}

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

// Run as a workspace script (`pnpm mdlkit …`, `npm run mdlkit -- …`), the package manager starts us
// in the repository root; relative file names mean the directory the user typed them in (INIT_CWD),
// as they do for the linked `mdlkit` and the demo folder README's commands.
{
  const event = process.env['npm_lifecycle_event'];
  const initCwd = process.env['INIT_CWD'];
  if ((event === 'mdlkit' || event === 'demo') && initCwd !== undefined && initCwd !== '') {
    try {
      process.chdir(initCwd);
    } catch {
      // INIT_CWD is gone: stay in the root
    }
  }
}

/** How the user ran us, so hints name a command that works when pasted. */
function invokedAs(): string {
  const env = process.env;
  if (env['MDLKIT_INVOKED_AS'] !== undefined && env['MDLKIT_INVOKED_AS'] !== '')
    return env['MDLKIT_INVOKED_AS'];
  if (env['npm_lifecycle_event'] === 'mdlkit' || env['npm_lifecycle_event'] === 'demo') {
    // Run as a workspace script. The README runs pnpm through npx (only Node and npm installed):
    // then there is no `pnpm` on PATH afterwards, and the hint must go through npx again.
    const agent = env['npm_config_user_agent'] ?? '';
    if (agent.startsWith('npm/')) return 'npm run mdlkit --';
    const execPath = env['npm_execpath'] ?? '';
    if (execPath.includes(`${path.sep}_npx${path.sep}`)) {
      const version = /^pnpm\/(\S+)/.exec(agent)?.[1];
      return `npx --yes pnpm${version === undefined ? '' : `@${version}`} mdlkit`;
    }
    return 'pnpm mdlkit';
  }
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
