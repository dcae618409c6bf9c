import { defineConfig } from 'vitest/config';

// Real-browser tests of the webphone (see e2e/README.md). Each test file starts its own Kamailio on a free
// port, but files run one after another: every file drives 2-3 Chromium processes with live WebRTC audio,
// and on a 2-core machine parallel files would only make the timings and packet-rate checks noisy.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    // The application-level test has its own runner and config (npm run test:e2e:app).
    exclude: ['e2e/app/**', 'node_modules/**'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    maxConcurrency: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    retry: 0,
    reporters: ['verbose'],
  },
});
