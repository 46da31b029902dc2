#!/usr/bin/env node
// The `mdlkit` command. This launcher is committed rather than built so that `pnpm install` can link it
// into node_modules/.bin on a clean clone, before `pnpm build` has written dist/.
await import('../dist/cli.js');
