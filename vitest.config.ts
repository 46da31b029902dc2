import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources: the `@mdlkit/source` export condition points every
// workspace package at its `src/`, so no build is needed before `pnpm test`.
const conditions = ['@mdlkit/source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: [
      'packages/*/{src,test}/**/*.test.ts',
      'apps/*/{src,test}/**/*.test.ts',
      'test-vectors/**/*.test.ts',
      'interop/**/*.test.ts',
      'bench/test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
