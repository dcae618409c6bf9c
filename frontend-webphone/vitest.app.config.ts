import { defineConfig } from 'vitest/config';

// The webphone with the running application (see e2e/app/README.md): one file that starts Kamailio, the ARI
// simulator and the application jar, and drives two Chromium processes (the rig's vitest.e2e.config.ts excludes it).
export default defineConfig({
  test: {
    include: ['e2e/app/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    maxConcurrency: 1,
    // the application needs ~20-60 s to start on a 2-core machine (Liquibase on a fresh database)
    hookTimeout: 300_000,
    testTimeout: 180_000,
    teardownTimeout: 60_000,
    retry: 0,
    reporters: ['verbose'],
  },
});
